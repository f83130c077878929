/* SPDX-License-Identifier: MIT */
#include "chunk.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/log.h"
#include "output-path.h"
#include "session.h"

int chunk_create(struct relay_session *session, const struct relayd_create_chunk *req,
                 struct relay_chunk **ret_chunk)
{
	struct relay_chunk *chunk;
	char begin[32];
	int r;

	if (chunk_find(session, req->chunk_id))
		return -EEXIST;
	if (req->override_name[0] && !path_is_component(req->override_name))
		return -EINVAL;
	chunk = calloc(1, sizeof(*chunk));
	if (!chunk)
		return -ENOMEM;
	chunk->id = req->chunk_id;
	chunk->creation_time = req->creation_time;
	chunk->session = session;
	if (req->override_name[0]) {
		r = rt_path_format(chunk->dir, "%s/%s", session->dir, req->override_name);
	} else if (!session->had_chunk) {
		chunk->is_session_dir = true;
		r = rt_path_format(chunk->dir, "%s", session->dir);
	} else {
		path_iso8601(req->creation_time, begin);
		r = rt_path_format(chunk->dir, "%s/%s-%llu", session->dir, begin,
		                   (unsigned long long)req->chunk_id);
	}
	if (r == 0)
		r = path_mkdirs(chunk->dir);
	if (r < 0) {
		free(chunk);
		return r;
	}
	session->had_chunk = true;
	cds_list_add_tail(&chunk->node, &session->chunks);
	*ret_chunk = chunk;
	return 0;
}

struct relay_chunk *chunk_find(struct relay_session *session, uint64_t id)
{
	struct relay_chunk *chunk;

	cds_list_for_each_entry (chunk, &session->chunks, node) {
		if (chunk->id == id)
			return chunk;
	}
	return NULL;
}

int chunk_note_entry(struct relay_chunk *chunk, const char *relative_path)
{
	size_t len = strcspn(relative_path, "/");
	char **entries;

	if (!chunk->is_session_dir)
		return 0;
	for (size_t i = 0; i < chunk->nr_entries; i++) {
		if (strlen(chunk->entries[i]) == len &&
		    !strncmp(chunk->entries[i], relative_path, len))
			return 0;
	}
	entries = realloc(chunk->entries, (chunk->nr_entries + 1) * sizeof(*entries));
	if (!entries)
		return -ENOMEM;
	chunk->entries = entries;
	entries[chunk->nr_entries] = strndup(relative_path, len);
	if (!entries[chunk->nr_entries])
		return -ENOMEM;
	chunk->nr_entries++;
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	return remove(path) < 0 ? -1 : 0;
}

static int remove_tree(const char *relative)
{
	char abs[PATH_MAX];
	int r = path_absolute(relative, abs);

	if (r < 0)
		return r;
	if (nftw(abs, remove_one, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

/* Moves what the chunk holds to `to` (relative), which must not exist yet. */
static int move_chunk(struct relay_chunk *chunk, const char *to)
{
	char from_abs[PATH_MAX], to_abs[PATH_MAX], entry[PATH_MAX];
	int r;

	if (!chunk->is_session_dir) {
		r = path_absolute(chunk->dir, from_abs);
		if (r == 0)
			r = path_absolute(to, to_abs);
		if (r < 0)
			return r;
		return rename(from_abs, to_abs) < 0 ? -errno : 0;
	}
	r = path_mkdirs(to);
	if (r < 0)
		return r;
	for (size_t i = 0; i < chunk->nr_entries; i++) {
		r = rt_path_format(entry, "%s/%s", chunk->dir, chunk->entries[i]);
		if (r == 0)
			r = path_absolute(entry, from_abs);
		if (r == 0)
			r = rt_path_format(entry, "%s/%s", to, chunk->entries[i]);
		if (r == 0)
			r = path_absolute(entry, to_abs);
		if (r < 0)
			return r;
		if (rename(from_abs, to_abs) < 0)
			return -errno;
	}
	return 0;
}

static int delete_chunk(struct relay_chunk *chunk)
{
	char entry[PATH_MAX];
	int r;

	if (!chunk->is_session_dir)
		return remove_tree(chunk->dir);
	for (size_t i = 0; i < chunk->nr_entries; i++) {
		r = rt_path_format(entry, "%s/%s", chunk->dir, chunk->entries[i]);
		if (r == 0)
			r = remove_tree(entry);
		if (r < 0)
			return r;
	}
	return 0;
}

int chunk_close(struct relay_chunk *chunk, const struct relayd_close_chunk *req,
                char ret_path[PATH_MAX])
{
	char begin[32], end[32], archived[PATH_MAX];
	uint32_t command =
	    req->close_command_set ? req->close_command : RELAYD_CHUNK_CLOSE_NO_OPERATION;
	int r = 0;

	if (chunk->closed)
		return -EALREADY;
	switch (command) {
	case RELAYD_CHUNK_CLOSE_MOVE_TO_COMPLETED:
		path_iso8601(chunk->creation_time, begin);
		path_iso8601(req->close_time, end);
		r = rt_path_format(archived, "%s/archives/%s-%s-%llu", chunk->session->dir, begin,
		                   end, (unsigned long long)chunk->id);
		if (r == 0)
			r = path_mkdirs(chunk->session->dir);
		if (r == 0) {
			char archives[PATH_MAX];

			r = rt_path_format(archives, "%s/archives", chunk->session->dir);
			if (r == 0)
				r = path_mkdirs(archives);
		}
		if (r == 0)
			r = move_chunk(chunk, archived);
		if (r == 0)
			memcpy(ret_path, archived, PATH_MAX);
		break;
	case RELAYD_CHUNK_CLOSE_DELETE:
		r = delete_chunk(chunk);
		if (r == 0)
			memcpy(ret_path, chunk->dir, PATH_MAX);
		break;
	default:
		memcpy(ret_path, chunk->dir, PATH_MAX);
		break;
	}
	if (r < 0) {
		log_error("closing trace chunk %llu of %s: %s", (unsigned long long)chunk->id,
		          chunk->session->dir, strerror(-r));
		return r;
	}
	chunk->closed = true;
	if (chunk->session->current_chunk == chunk)
		chunk->session->current_chunk = NULL;
	return 0;
}

void chunk_free(struct relay_chunk *chunk)
{
	for (size_t i = 0; i < chunk->nr_entries; i++)
		free(chunk->entries[i]);
	free(chunk->entries);
	cds_list_del(&chunk->node);
	free(chunk);
}
