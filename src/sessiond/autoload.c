/* SPDX-License-Identifier: MIT */
/*
 * Session configurations loaded at start-up, as lttng-sessiond 2.13 does:
 *  - with --load=PATH, every session of PATH (a file, or the *.lttng files
 *    of a directory) and nothing else;
 *  - otherwise every session of the user's sessions/auto folder, then of
 *    the system's, each only when the folder belongs to the daemon's user
 *    (a folder anyone else could fill is not trusted) and exists.
 * The daemon loads them through its own client socket, with the loader of
 * libringtrace-ctl, once that socket listens and before it reports being
 * ready; a configuration that cannot be loaded makes it exit, as lttng's.
 */
#include "autoload.h"

#include <errno.h>
#include <limits.h>
#include <ringtrace/ctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "log.h"
#include "paths.h"
#include "session-xml/names.h"

static int load_path(const char *path)
{
	char detail[RINGTRACE_LOAD_DETAIL_MAX];
	const struct ringtrace_load_attr attr = {.input_path = path};
	int r = ringtrace_load_session(&attr, detail);

	if (r < 0) {
		log_error("Session load failed: %s%s%s", ringtrace_strerror(r),
		          detail[0] ? ": " : "", detail);
		return r;
	}
	log_info("Loaded %d session(s) from %s", r, path);
	return 0;
}

/* An auto folder: skipped when missing or not the daemon user's own. */
static int load_auto_dir(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) < 0) {
		if (errno != ENOENT)
			log_warn("Session configurations of %s not loaded: %s", dir,
			         strerror(errno));
		return 0;
	}
	if (st.st_uid != geteuid()) {
		log_info("Session configurations of %s not loaded: owned by user %u, not %u", dir,
		         (unsigned)st.st_uid, (unsigned)geteuid());
		return 0;
	}
	return load_path(dir);
}

int sessiond_load_sessions(const char *path)
{
	char home[PATH_MAX], dir[PATH_MAX + 64];
	int r;

	if (path)
		return load_path(path);
	if (rt_home_dir(home) == 0) {
		snprintf(dir, sizeof(dir), "%s/" SESSION_XML_USER_DIR "/" SESSION_XML_AUTO_DIR,
		         home);
		r = load_auto_dir(dir);
		if (r < 0)
			return r;
	}
	return load_auto_dir(RINGTRACE_SYSCONFDIR "/" SESSION_XML_SYSTEM_DIR
	                                          "/" SESSION_XML_AUTO_DIR);
}
