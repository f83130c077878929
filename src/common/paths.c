/* SPDX-License-Identifier: MIT */
#include "paths.h"

#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

int rt_home_dir(char ret_path[PATH_MAX])
{
	const char *home = getenv("RINGTRACE_HOME");

	if (!home || !*home)
		home = getenv("HOME");
	if (!home || !*home)
		return -ENOENT;
	if (snprintf(ret_path, PATH_MAX, "%s", home) >= PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

int rt_rundir(bool root, char ret_path[PATH_MAX])
{
	char home[PATH_MAX];
	int r;

	if (root) {
		snprintf(ret_path, PATH_MAX, "%s", RT_ROOT_RUNDIR);
		return 0;
	}
	r = rt_home_dir(home);
	if (r < 0)
		return r;
	if (snprintf(ret_path, PATH_MAX, "%s/%s", home, RT_USER_RUNDIR_NAME) >= PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

int rt_rundir_file(bool root, const char *name, char ret_path[PATH_MAX])
{
	char dir[PATH_MAX];
	int r;

	r = rt_rundir(root, dir);
	if (r < 0)
		return r;
	/* sun_path is 108 bytes: socket paths must stay short, checked at bind/connect. */
	if (snprintf(ret_path, PATH_MAX, "%s/%s", dir, name) >= PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

int rt_path_format(char ret_path[PATH_MAX], const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(ret_path, PATH_MAX, fmt, ap);
	va_end(ap);
	return n < 0 || n >= PATH_MAX ? -ENAMETOOLONG : 0;
}

int rt_mkdir_p(const char *path, unsigned mode)
{
	char buf[PATH_MAX];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

bool rt_find_program_near_self(const char *name, const char *build_folder, char ret_path[PATH_MAX])
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return false;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return false;
	*slash = '\0';
	for (int i = 0; i < 2; i++) {
		char candidate[PATH_MAX * 2 + 16];

		if (i == 0)
			snprintf(candidate, sizeof(candidate), "%s/%s", exe, name);
		else
			snprintf(candidate, sizeof(candidate), "%s/../%s/%s", exe, build_folder,
			         name);
		if (access(candidate, X_OK) == 0 && realpath(candidate, ret_path))
			return true;
	}
	return false;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path) < 0 && errno != ENOENT) {
		log_error("Cannot remove %s: %s", path, strerror(errno));
		return -errno;
	}
	return 0;
}

int rt_remove_tree(const char *path)
{
	int r = nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);

	if (r < 0 && errno == ENOENT)
		return 0;
	return r < 0 ? -errno : r;
}
