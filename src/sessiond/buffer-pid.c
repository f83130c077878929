/* SPDX-License-Identifier: MIT */
/*
 * Per-PID placement (buffer.h): each app gets buffers of its own, in
 * ust/pid/<procname>-<pid>-<YYYYMMDD-HHMMSS> (app registration time, local
 * time) as lttng names them.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "buffer.h"

#define DIR_DATETIME_LEN 16 /* "YYYYMMDD-HHMMSS" + NUL */
/* Buffers an app may get in one session (it is untracked and tracked again). */
#define BUFFER_DIR_MAX_GENERATIONS 1000u

/* Whether dir already exists in the session's current local chunk. */
static bool dir_taken(const struct session *s, const char *dir)
{
	char path[PATH_MAX];

	if (s->snapshot_mode || s->relay)
		return false;
	return buffer_output_path(s, dir, path) == 0 && access(path, F_OK) == 0;
}

/*
 * A '/' in the process name (it is the app's to choose) becomes '_', so that
 * the directory stays one level below ust/pid.
 */
static int pid_dir(const struct session *s, const struct buffer_owner *owner,
                   char ret_dir[PATH_MAX])
{
	char procname[64], datetime[DIR_DATETIME_LEN];
	struct tm tm;
	int n;

	snprintf(procname, sizeof(procname), "%s", owner->procname);
	for (char *p = procname; *p; p++) {
		if (*p == '/')
			*p = '_';
	}
	if (!localtime_r(&owner->registration_time, &tm) ||
	    strftime(datetime, sizeof(datetime), "%Y%m%d-%H%M%S", &tm) == 0)
		return -RINGTRACE_ERR_FATAL;
	n = snprintf(ret_dir, PATH_MAX, "ust/pid/%s-%d-%s", procname, (int)owner->pid, datetime);
	/*
	 * An app untracked then tracked again gets new buffers: they go to
	 * <dir>-1, <dir>-2, ... rather than truncating what the earlier ones
	 * wrote.
	 */
	for (unsigned generation = 1; n > 0 && n < PATH_MAX && dir_taken(s, ret_dir);
	     generation++) {
		if (generation > BUFFER_DIR_MAX_GENERATIONS)
			return -RINGTRACE_ERR_OUTPUT_PATH;
		n = snprintf(ret_dir, PATH_MAX, "ust/pid/%s-%d-%s-%u", procname, (int)owner->pid,
		             datetime, generation);
	}
	return n > 0 && n < PATH_MAX ? 0 : -RINGTRACE_ERR_OUTPUT_PATH;
}

int buffer_pid_create(struct session *s, const struct buffer_owner *owner, struct buffer **ret_buf)
{
	char dir[PATH_MAX];
	int r = pid_dir(s, owner, dir);

	if (r < 0)
		return r;
	return buffer_create(s, BUFFER_PER_PID, owner, dir, ret_buf);
}
