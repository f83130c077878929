/* SPDX-License-Identifier: MIT */
/*
 * Loading sessions (ringtrace_load_session): which files, which sessions
 * in them, what to do with sessions that exist; the files themselves are
 * read by session-config-parse.c and applied by session-config-apply.c.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/io.h"
#include "common/macros.h"
#include "common/paths.h"
#include "common/session-xml/names.h"
#include "config.h"
#include "ctl-internal.h"
#include "session-config.h"

#define SYSTEM_SESSIONS_DIR RINGTRACE_SYSCONFDIR "/" SESSION_XML_SYSTEM_DIR
#define MAX_FILE_BYTES      (16u << 20)

struct loaded_file {
	struct config_document doc;
	char path[RINGTRACE_PATH_MAX];
};

struct load_set {
	struct loaded_file *files;
	size_t count;
	struct config_error first_error; /* of a file that could not be used */
	int first_error_code;
};

static void copy_detail(char *detail, const char *text)
{
	size_t len = strnlen(text, RINGTRACE_LOAD_DETAIL_MAX - 1);

	memcpy(detail, text, len);
	detail[len] = '\0';
}

static void load_set_free(struct load_set *set)
{
	for (size_t i = 0; i < set->count; i++)
		session_config_document_free(&set->files[i].doc);
	free(set->files);
}

static int read_file(const char *path, char **ret_data, size_t *ret_size)
{
	_cleanup_free_ char *data = NULL;
	size_t size = 0, cap = 0;
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	for (;;) {
		size_t n;

		if (size == cap) {
			char *bigger;

			cap = cap ? cap * 2 : 16384;
			if (cap > MAX_FILE_BYTES || !(bigger = realloc(data, cap))) {
				fclose(f);
				return cap > MAX_FILE_BYTES ? -EFBIG : -ENOMEM;
			}
			data = bigger;
		}
		n = fread(data + size, 1, cap - size, f);
		size += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		fclose(f);
		return -EIO;
	}
	fclose(f);
	*ret_data = TAKE_PTR(data);
	*ret_size = size;
	return 0;
}

/* Reads and parses one file into set; a failure is kept as the set's first error. */
static int add_file(struct load_set *set, const char *path)
{
	_cleanup_free_ char *data = NULL;
	struct config_error err;
	struct loaded_file *files, *f;
	size_t size = 0;
	int r;

	r = read_file(path, &data, &size);
	if (r < 0) {
		snprintf(err.text, sizeof(err.text), "%s: %s", path, strerror(-r));
		r = r == -ENOMEM ? -RINGTRACE_ERR_NOMEM : -RINGTRACE_ERR_LOAD_IO_FAIL;
	} else {
		files = realloc(set->files, (set->count + 1) * sizeof(*files));
		if (!files)
			return -RINGTRACE_ERR_NOMEM;
		set->files = files;
		f = &files[set->count];
		snprintf(f->path, sizeof(f->path), "%s", path);
		r = session_config_parse(path, data, size, &f->doc, &err);
		if (r == 0)
			set->count++;
	}
	if (r < 0 && !set->first_error_code) {
		set->first_error = err;
		set->first_error_code = r;
	}
	return r == -RINGTRACE_ERR_NOMEM ? r : 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.lttng file of dir, in name order; a missing dir has none. */
static int add_dir(struct load_set *set, const char *dir)
{
	static const char suffix[] = SESSION_XML_FILE_SUFFIX;
	char **names = NULL;
	size_t count = 0;
	struct dirent *e;
	DIR *d = opendir(dir);
	int r = 0;

	if (!d)
		return errno == ENOENT ? 0 : add_file(set, dir);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char **more;

		if (len <= strlen(suffix) || e->d_name[0] == '.' ||
		    strcmp(e->d_name + len - strlen(suffix), suffix) != 0)
			continue;
		more = realloc(names, (count + 1) * sizeof(*names));
		if (!more || !(more[count] = strdup(e->d_name))) {
			names = more ? more : names;
			r = -RINGTRACE_ERR_NOMEM;
			break;
		}
		names = more;
		count++;
	}
	closedir(d);
	if (r == 0 && count)
		qsort(names, count, sizeof(*names), compare_names);
	for (size_t i = 0; i < count; i++) {
		char path[RINGTRACE_PATH_MAX * 2];

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (r == 0)
			r = add_file(set, path);
		free(names[i]);
	}
	free(names);
	return r;
}

static int gather_files(struct load_set *set, const char *input_path, char *detail)
{
	char home[PATH_MAX], dir[PATH_MAX + 64];
	struct stat st;
	int r;

	if (input_path && input_path[0]) {
		if (stat(input_path, &st) < 0) {
			snprintf(detail, RINGTRACE_LOAD_DETAIL_MAX, "%s: %s", input_path,
			         strerror(errno));
			return -RINGTRACE_ERR_LOAD_SESSION_NOENT;
		}
		return S_ISDIR(st.st_mode) ? add_dir(set, input_path) : add_file(set, input_path);
	}
	if (rt_home_dir(home) == 0) {
		snprintf(dir, sizeof(dir), "%s/" SESSION_XML_USER_DIR, home);
		r = add_dir(set, dir);
		if (r < 0)
			return r;
	}
	return add_dir(set, SYSTEM_SESSIONS_DIR);
}

static const struct config_session *find_session(const struct load_set *set, const char *name)
{
	for (size_t i = 0; i < set->count; i++) {
		const struct config_document *doc = &set->files[i].doc;

		for (size_t j = 0; j < doc->count; j++) {
			if (strcmp(doc->sessions[j].name, name) == 0)
				return &doc->sessions[j];
		}
	}
	return NULL;
}

/* The sessions to load: the named one, or every one (the first of each name). */
static int select_sessions(const struct load_set *set, const char *name,
                           const struct config_session ***ret, size_t *ret_count)
{
	const struct config_session **list;
	size_t total = 0, n = 0;

	for (size_t i = 0; i < set->count; i++)
		total += set->files[i].doc.count;
	list = calloc(total + 1, sizeof(*list));
	if (!list)
		return -RINGTRACE_ERR_NOMEM;
	if (name) {
		list[0] = find_session(set, name);
		n = list[0] ? 1 : 0;
	} else {
		for (size_t i = 0; i < set->count; i++) {
			const struct config_document *doc = &set->files[i].doc;

			for (size_t j = 0; j < doc->count; j++) {
				if (find_session(set, doc->sessions[j].name) == &doc->sessions[j])
					list[n++] = &doc->sessions[j];
			}
		}
	}
	*ret = list;
	*ret_count = n;
	return 0;
}

static bool session_exists(const struct ringtrace_session *sessions, int count, const char *name)
{
	for (int i = 0; i < count; i++) {
		if (strcmp(sessions[i].name, name) == 0)
			return true;
	}
	return false;
}

/* Stops (waiting for its data) and destroys the session the loaded one replaces. */
static int replace_session(const char *name)
{
	int r = ringtrace_stop_tracing(name);

	if (r < 0 && r != -RINGTRACE_ERR_TRACE_ALREADY_STOPPED)
		return r;
	return ringtrace_destroy_session(name);
}

static int load_selected(const struct ringtrace_load_attr *attr,
                         const struct config_session *const *list, size_t count, char *detail)
{
	_cleanup_free_ struct ringtrace_session *sessions = NULL;
	const char *override_name =
	    attr->override_name && attr->override_name[0] ? attr->override_name : NULL;
	const char *url = attr->override_url && attr->override_url[0] ? attr->override_url : NULL;
	struct config_error err;
	int existing, r;

	existing = ringtrace_list_sessions(&sessions);
	if (existing < 0)
		return existing;
	for (size_t i = 0; i < count; i++) {
		const char *name = override_name ? override_name : list[i]->name;

		if (!attr->overwrite && session_exists(sessions, existing, name)) {
			snprintf(detail, RINGTRACE_LOAD_DETAIL_MAX,
			         "session %s exists (--force replaces it)", name);
			return -RINGTRACE_ERR_EXIST_SESS;
		}
	}
	for (size_t i = 0; i < count; i++) {
		const char *name = override_name ? override_name : list[i]->name;

		if (session_exists(sessions, existing, name)) {
			r = session_config_check(list[i], override_name, url, &err);
			if (r < 0) {
				copy_detail(detail, err.text);
				return r;
			}
			r = replace_session(name);
			if (r < 0) {
				snprintf(detail, RINGTRACE_LOAD_DETAIL_MAX,
				         "session %s could not be replaced: %s", name,
				         ringtrace_strerror(r));
				return r;
			}
		}
		r = session_config_apply(list[i], override_name, url, &err);
		if (r < 0) {
			copy_detail(detail, err.text);
			return r;
		}
	}
	return (int)count;
}

int ringtrace_load_session(const struct ringtrace_load_attr *attr,
                           char ret_detail[RINGTRACE_LOAD_DETAIL_MAX])
{
	_cleanup_(load_set_free) struct load_set set = {0};
	_cleanup_free_ const struct config_session **list = NULL;
	char ignored[RINGTRACE_LOAD_DETAIL_MAX];
	char *detail = ret_detail ? ret_detail : ignored;
	const char *name;
	size_t count = 0;
	int r;

	detail[0] = '\0';
	if (!attr)
		return -RINGTRACE_ERR_INVALID;
	name = attr->session_name && attr->session_name[0] ? attr->session_name : NULL;
	if (attr->override_name && attr->override_name[0] && !name) {
		snprintf(detail, RINGTRACE_LOAD_DETAIL_MAX,
		         "a new name can only be given to one session");
		return -RINGTRACE_ERR_INVALID;
	}
	r = gather_files(&set, attr->input_path, detail);
	if (r < 0)
		return r;
	r = select_sessions(&set, name, &list, &count);
	if (r < 0)
		return r;
	/*
	 * A file that cannot be used fails the load, unless the one session
	 * asked for was found in another.
	 */
	if (set.first_error_code && !(name && count)) {
		copy_detail(detail, set.first_error.text);
		return set.first_error_code;
	}
	if (name && count == 0) {
		snprintf(detail, RINGTRACE_LOAD_DETAIL_MAX, "no configuration of session %s in %s",
		         name,
		         attr->input_path && attr->input_path[0] ? attr->input_path
		                                                 : "~/" SESSION_XML_USER_DIR
		                                                   " or " SYSTEM_SESSIONS_DIR);
		return -RINGTRACE_ERR_LOAD_SESSION_NOENT;
	}
	return load_selected(attr, list, count, detail);
}
