/* SPDX-License-Identifier: MIT */
/*
 * SAVE_SESSION: writes one session (or every session of the client) as
 * <dir>/<name>.lttng, dir being the request's or the client's
 * <home>/.ringtrace/sessions (as lttng's ~/.lttng/sessions).
 *
 * The documents are made in memory under the session lock; the files are
 * then written with the client's credentials (access_run_as), each one
 * atomically: a temporary file in the same directory, synced, then renamed
 * over the old one (force) or linked to the new name, which fails if it
 * exists (no force). Without force, every file is checked first: when one
 * exists, nothing is written.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "access.h"
#include "cmd.h"
#include "log.h"
#include "macros.h"
#include "paths.h"
#include "session-xml.h"
#include "session-xml/names.h"

struct save_file {
	char path[PATH_MAX];
	char tmp_path[PATH_MAX];
	char *doc;
	size_t len;
};

struct save_job {
	char dir[PATH_MAX];
	bool force;
	size_t count;
	struct save_file *files;
};

static void save_job_free(struct save_job *job)
{
	for (size_t i = 0; i < job->count; i++)
		free(job->files[i].doc);
	free(job->files);
}

static int add_session(struct session *s, void *arg)
{
	struct save_job *job = arg;
	struct save_file *f = &job->files[job->count];
	int r;

	if (s->snapshot_output.is_net) {
		/* load cannot take a network snapshot output back yet: no file that would lose it.
		 */
		log_warn("Session %s has its snapshot output on a relay daemon: saving it is not "
		         "supported yet",
		         s->name);
		return -RINGTRACE_ERR_NOT_SUPPORTED;
	}
	if ((size_t)snprintf(f->path, sizeof(f->path), "%s/%s" SESSION_XML_FILE_SUFFIX, job->dir,
	                     s->name) >= sizeof(f->path) ||
	    (size_t)snprintf(f->tmp_path, sizeof(f->tmp_path), "%s/.%s.%d.tmp", job->dir, s->name,
	                     (int)getpid()) >= sizeof(f->tmp_path))
		return -RINGTRACE_ERR_SAVE_IO_FAIL;
	r = session_xml_serialize(s, &f->doc, &f->len);
	if (r < 0) {
		log_error("Session %s: cannot make its configuration document: %s", s->name,
		          strerror(-r));
		return r == -ENOMEM ? -RINGTRACE_ERR_NOMEM : -RINGTRACE_ERR_SAVE_IO_FAIL;
	}
	job->count++;
	return 0;
}

struct allowed_sessions {
	uid_t uid;
	struct save_job *job;
	size_t capacity;
};

static int add_allowed_session(struct session *s, void *arg)
{
	struct allowed_sessions *a = arg;

	if (!access_session_allowed(s, a->uid))
		return 0;
	if (a->job->count == a->capacity) {
		size_t capacity = a->capacity ? a->capacity * 2 : 8;
		struct save_file *files = realloc(a->job->files, capacity * sizeof(*files));

		if (!files)
			return -RINGTRACE_ERR_NOMEM;
		a->job->files = files;
		a->capacity = capacity;
	}
	return add_session(s, a->job);
}

/* Runs in access_run_as(): async-signal-safe calls only. */
static int write_file(const struct save_file *f, bool force)
{
	int fd, r = 0;

	(void)unlink(f->tmp_path);
	fd = open(f->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0660);
	if (fd < 0)
		return -errno;
	for (size_t done = 0; done < f->len && r == 0;) {
		ssize_t n = write(fd, f->doc + done, f->len - done);

		if (n < 0 && errno != EINTR)
			r = -errno;
		else if (n > 0)
			done += (size_t)n;
	}
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && force && rename(f->tmp_path, f->path) < 0)
		r = -errno;
	if (r == 0 && !force && link(f->tmp_path, f->path) < 0)
		r = -errno;
	if (r < 0 || !force)
		(void)unlink(f->tmp_path);
	return r;
}

static int write_files(void *arg)
{
	const struct save_job *job = arg;
	struct stat st;
	int r;

	r = rt_mkdir_p(job->dir, 0770);
	if (r < 0)
		return r;
	if (!job->force) {
		for (size_t i = 0; i < job->count; i++) {
			if (lstat(job->files[i].path, &st) == 0)
				return -EEXIST;
		}
	}
	for (size_t i = 0; i < job->count; i++) {
		r = write_file(&job->files[i], job->force);
		if (r < 0)
			return r;
	}
	return 0;
}

static int save_dir(const struct cmd_ctx *ctx, char ret_dir[PATH_MAX])
{
	const char *dir = ctx->msg->u.save.output_dir;
	char home[PATH_MAX];
	int r;

	if (!CMD_STRING_OK(ctx->msg->u.save.output_dir))
		return -RINGTRACE_ERR_PROTOCOL;
	if (dir[0]) {
		if (dir[0] != '/' || strlen(dir) >= PATH_MAX)
			return -RINGTRACE_ERR_INVALID;
		strcpy(ret_dir, dir);
		return 0;
	}
	r = cmd_client_home_dir(ctx->cred.uid, home);
	if (r < 0 ||
	    (size_t)snprintf(ret_dir, PATH_MAX, "%s/" SESSION_XML_USER_DIR, home) >= PATH_MAX) {
		log_warn("No home directory to save the sessions of uid %u in",
		         (unsigned)ctx->cred.uid);
		return -RINGTRACE_ERR_SAVE_IO_FAIL;
	}
	return 0;
}

int cmd_save_session(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	_cleanup_(save_job_free) struct save_job job = {.force = ctx->msg->u.save.force != 0};
	int r;

	r = save_dir(ctx, job.dir);
	if (r < 0)
		return r;
	if (!CMD_STRING_OK(ctx->msg->session_name))
		return -RINGTRACE_ERR_PROTOCOL;
	if (ctx->msg->session_name[0]) {
		struct session *s;

		r = cmd_lookup_session(ctx, &s);
		if (r < 0)
			return r;
		job.files = calloc(1, sizeof(*job.files));
		if (!job.files)
			return -RINGTRACE_ERR_NOMEM;
		r = add_session(s, &job);
	} else {
		struct allowed_sessions all = {.uid = ctx->cred.uid, .job = &job};

		r = session_for_each(add_allowed_session, &all);
	}
	if (r < 0)
		return r;
	if (job.count == 0)
		return 0;
	r = access_run_as(ctx->cred.uid, ctx->cred.gid, write_files, &job);
	if (r == -EEXIST)
		return -RINGTRACE_ERR_SAVE_FILE_EXIST;
	if (r < 0) {
		log_warn("Cannot save sessions in %s: %s", job.dir, strerror(-r));
		return -RINGTRACE_ERR_SAVE_IO_FAIL;
	}
	log_info("%zu session(s) saved in %s", job.count, job.dir);
	return 0;
}
