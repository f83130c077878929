/* SPDX-License-Identifier: MIT */
#include "output-path.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/paths.h"
#include "relayd.h"

bool path_is_component(const char *name)
{
	return name[0] != '\0' && !strchr(name, '/') && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0;
}

bool path_is_safe_relative(const char *path)
{
	const char *p = path;

	if (path[0] == '/')
		return false;
	while (*p) {
		size_t len = strcspn(p, "/");

		if (len == 2 && p[0] == '.' && p[1] == '.')
			return false;
		p += len;
		if (*p == '/')
			p++;
	}
	return true;
}

int path_session_dir(const struct relayd_create_session *req, bool group_by_session,
                     char ret_path[PATH_MAX])
{
	const char *base = req->base_path;
	char datetime[32];
	struct tm tm;
	time_t t = (time_t)req->creation_time;

	if (!path_is_component(req->session_name) || !path_is_component(req->hostname))
		return -EINVAL;
	if (!path_is_safe_relative(base))
		return -EINVAL;
	if (!localtime_r(&t, &tm) ||
	    strftime(datetime, sizeof(datetime), "%Y%m%d-%H%M%S", &tm) == 0)
		return -EINVAL;
	if (group_by_session) {
		if (*base)
			return rt_path_format(ret_path, "%s/%s-%s/%s", req->session_name,
			                      req->hostname, datetime, base);
		return rt_path_format(ret_path, "%s/%s-%s", req->session_name, req->hostname,
		                      datetime);
	}
	if (*base)
		return rt_path_format(ret_path, "%s/%s", req->hostname, base);
	if (req->name_contains_creation_time)
		return rt_path_format(ret_path, "%s/%s", req->hostname, req->session_name);
	return rt_path_format(ret_path, "%s/%s-%s", req->hostname, req->session_name, datetime);
}

int path_absolute(const char *relative, char ret_path[PATH_MAX])
{
	if (!*relative)
		return rt_path_format(ret_path, "%s", relayd_config.output_dir);
	return rt_path_format(ret_path, "%s/%s", relayd_config.output_dir, relative);
}

int path_mkdirs(const char *relative)
{
	char abs[PATH_MAX];
	int r = path_absolute(relative, abs);

	if (r < 0)
		return r;
	return rt_mkdir_p(abs, 0770);
}

void path_iso8601(uint64_t time_s, char ret[32])
{
	time_t t = (time_t)time_s;
	struct tm tm;

	if (!localtime_r(&t, &tm) || strftime(ret, 32, "%Y%m%dT%H%M%S%z", &tm) == 0)
		snprintf(ret, 32, "%llu", (unsigned long long)time_s);
}
