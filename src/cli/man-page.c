/* SPDX-License-Identifier: MIT */
#include "man-page.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "output.h"

static const char *env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v && *v ? v : fallback;
}

/*
 * Whether DIR/man<section>/ holds PAGE.<section>, plain or compressed
 * (PAGE.<section>.gz, .xz...): what man -M DIR will find.
 */
static bool page_installed(const char *mandir, const char *page, unsigned section)
{
	char dir_path[PATH_MAX], file_name[NAME_MAX + 1];
	struct dirent *e;
	bool found = false;
	size_t len;
	DIR *dir;

	if (snprintf(dir_path, sizeof(dir_path), "%s/man%u", mandir, section) >=
	        (int)sizeof(dir_path) ||
	    snprintf(file_name, sizeof(file_name), "%s.%u", page, section) >=
	        (int)sizeof(file_name))
		return false;
	dir = opendir(dir_path);
	if (!dir)
		return false;
	len = strlen(file_name);
	while (!found && (e = readdir(dir)))
		found = strncmp(e->d_name, file_name, len) == 0 &&
		        (e->d_name[len] == '\0' || e->d_name[len] == '.');
	closedir(dir);
	return found;
}

int man_page_show(const char *page, unsigned section)
{
	const char *mandir = env_or("RINGTRACE_MANPATH", RINGTRACE_MANDIR);
	const char *man = env_or("RINGTRACE_MAN_BIN_PATH", "man");
	char section_arg[16];
	int r;

	if (!page_installed(mandir, page, section)) {
		cli_debug("Manual page %s(%u) not found in %s", page, section, mandir);
		return -ENOENT;
	}
	snprintf(section_arg, sizeof(section_arg), "%u", section);
	fflush(stdout);
	execlp(man, man, "-M", mandir, section_arg, page, (char *)NULL);
	r = -errno;
	cli_debug("Cannot run the manual pager %s: %s", man, strerror(-r));
	return r;
}
