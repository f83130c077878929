/* SPDX-License-Identifier: MIT */
#include "ini.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/macros.h"

DEFINE_POINTER_CLEANUP(FILE *, fclose)

static char *trim(char *s)
{
	char *end = s + strlen(s);

	while (isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* One line, trimmed: updates *in_section on a section header. */
static int parse_line(char *line, const char *section, bool *in_section, ini_key_fn fn, void *arg)
{
	char *eq, *key, *value;
	size_t len;

	if (!*line || *line == ';' || *line == '#')
		return 0;
	if (*line == '[') {
		len = strlen(line);
		if (line[len - 1] != ']')
			return -EINVAL;
		line[len - 1] = '\0';
		*in_section = strcmp(trim(line + 1), section) == 0;
		return 0;
	}
	eq = strchr(line, '=');
	if (!eq || eq == line)
		return -EINVAL;
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	len = strlen(value);
	if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
		value[len - 1] = '\0';
		value++;
	}
	return *in_section ? fn(key, value, arg) : 0;
}

int ini_read(const char *path, const char *section, ini_key_fn fn, void *arg, int *ret_line)
{
	_cleanup_(fclosep) FILE *f = fopen(path, "re");
	_cleanup_free_ char *line = NULL;
	size_t size = 0;
	bool in_section = false;
	int number = 0, r = 0;

	if (!f)
		return -errno;
	while (r == 0 && getline(&line, &size, f) >= 0) {
		number++;
		r = parse_line(trim(line), section, &in_section, fn, arg);
	}
	if (r == 0 && ferror(f))
		r = -EIO;
	*ret_line = number;
	return r;
}

int ini_parse_bool(const char *value, bool *ret)
{
	static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no",
	                                                                       "off"};

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcasecmp(value, yes[i]) == 0) {
			*ret = true;
			return 0;
		}
		if (strcasecmp(value, no[i]) == 0) {
			*ret = false;
			return 0;
		}
	}
	return -EINVAL;
}
