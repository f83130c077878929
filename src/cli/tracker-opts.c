/* SPDX-License-Identifier: MIT */
#include "tracker-opts.h"

#include <errno.h>
#include <inttypes.h>
#include <ringtrace/ctl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "common/macros.h"
#include "domain.h"
#include "output.h"

/* lttng's process attributes, in the order lttng applies them. */
enum process_attr {
	ATTR_PID,
	ATTR_VPID,
	ATTR_UID,
	ATTR_VUID,
	ATTR_GID,
	ATTR_VGID,
	_ATTR_MAX,
};

enum {
	OPT_ATTR_FIRST = OPT_COMMAND_FIRST, /* + enum process_attr */
};

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"session", required_argument, NULL, 's'},
    {"kernel", no_argument, NULL, 'k'},
    {"userspace", no_argument, NULL, 'u'},
    {"all", no_argument, NULL, 'a'},
    {"pid", optional_argument, NULL, OPT_ATTR_FIRST + ATTR_PID},
    {"vpid", optional_argument, NULL, OPT_ATTR_FIRST + ATTR_VPID},
    {"uid", optional_argument, NULL, OPT_ATTR_FIRST + ATTR_UID},
    {"vuid", optional_argument, NULL, OPT_ATTR_FIRST + ATTR_VUID},
    {"gid", optional_argument, NULL, OPT_ATTR_FIRST + ATTR_GID},
    {"vgid", optional_argument, NULL, OPT_ATTR_FIRST + ATTR_VGID},
    {NULL, 0, NULL, 0},
};

/* As lttng_process_attr_to_string() and its capitalized form. */
static const char *const tracker_names[_RINGTRACE_TRACKER_MAX] = {
    [RINGTRACE_TRACKER_VPID] = "virtual process ID",
    [RINGTRACE_TRACKER_VUID] = "virtual user ID",
    [RINGTRACE_TRACKER_VGID] = "virtual group ID",
};
static const char *const tracker_names_cap[_RINGTRACE_TRACKER_MAX] = {
    [RINGTRACE_TRACKER_VPID] = "Virtual process ID",
    [RINGTRACE_TRACKER_VUID] = "Virtual user ID",
    [RINGTRACE_TRACKER_VGID] = "Virtual group ID",
};

/*
 * Each attribute's tracker in the user space domain: lttng applies --pid
 * to the virtual process ID tracker there, and refuses --uid and --gid.
 */
static const struct process_attr_desc {
	const char *name_cap; /* as lttng_process_attr_to_string() */
	const char *name;
	bool in_userspace;
	enum ringtrace_tracker_type tracker;
} process_attrs[_ATTR_MAX] = {
    [ATTR_PID] = {"Process ID", "process ID", true, RINGTRACE_TRACKER_VPID},
    [ATTR_VPID] = {"Virtual process ID", "virtual process ID", true, RINGTRACE_TRACKER_VPID},
    [ATTR_UID] = {"User ID", "user ID", false, RINGTRACE_TRACKER_VUID},
    [ATTR_VUID] = {"Virtual user ID", "virtual user ID", true, RINGTRACE_TRACKER_VUID},
    [ATTR_GID] = {"Group ID", "group ID", false, RINGTRACE_TRACKER_VGID},
    [ATTR_VGID] = {"Virtual group ID", "virtual group ID", true, RINGTRACE_TRACKER_VGID},
};

struct tracker_opt {
	bool given;
	const char *values; /* comma-separated, NULL until found */
};

/* Errors as lttng's track-untrack: a message, then CMD_ERROR (exit status 1). */
static int tracker_error(int r)
{
	if (r == -RINGTRACE_ERR_SESS_NOT_FOUND)
		cli_err("Recording session does not exist");
	else
		cli_err("%s", ringtrace_strerror(r));
	return CMD_ERROR;
}

/*
 * An integer, or for vuid/vgid a user/group name (sent as a name: sessiond
 * keeps it and resolves it), as lttng accepts.
 */
static int parse_value(enum ringtrace_tracker_type type, const char *text,
                       struct ringtrace_tracker_value *ret)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (*text && !*end && errno == 0 && v >= 0 && v <= INT32_MAX) {
		ret->id = (int32_t)v;
		return 0;
	}
	if (type == RINGTRACE_TRACKER_VPID || strlen(text) >= sizeof(ret->name))
		return -EINVAL;
	strcpy(ret->name, text);
	return 0;
}

/* A name is shown as lttng shows it: `root`. */
static void format_value(const struct ringtrace_tracker_value *v, char *buf, size_t size)
{
	if (v->name[0])
		snprintf(buf, size, "`%s`", v->name);
	else
		snprintf(buf, size, "%" PRId32, v->id);
}

static int value_not_found(enum ringtrace_tracker_type type, const char *text)
{
	if (type == RINGTRACE_TRACKER_VUID)
		cli_err("User `%s` was not found", text);
	else if (type == RINGTRACE_TRACKER_VGID)
		cli_err("Group `%s` was not found", text);
	else
		cli_err("%s is not a valid %s value; expected an integer", text,
		        tracker_names[type]);
	return CMD_ERROR;
}

/* One value: added or removed; a value already (not) there is a warning, as lttng. */
static int tracker_apply_value(const struct ringtrace_handle *handle,
                               enum ringtrace_tracker_type type, const char *text, bool track)
{
	struct ringtrace_tracker_value value = {0};
	char shown[RINGTRACE_TRACKER_NAME_LEN + 2];
	int r;

	if (parse_value(type, text, &value) < 0)
		return value_not_found(type, text);
	r = track ? ringtrace_track_value(handle, type, &value)
	          : ringtrace_untrack_value(handle, type, &value);
	format_value(&value, shown, sizeof(shown));
	if (r == -RINGTRACE_ERR_PROCESS_ATTR_EXISTS) {
		cli_warn("%s is already in the %s inclusion set", shown, tracker_names[type]);
		return CMD_SUCCESS;
	}
	if (r == -RINGTRACE_ERR_PROCESS_ATTR_MISSING) {
		cli_warn("%s is not in the %s the inclusion set", shown, tracker_names[type]);
		return CMD_SUCCESS;
	}
	if (r == -RINGTRACE_ERR_USER_NOT_FOUND || r == -RINGTRACE_ERR_GROUP_NOT_FOUND)
		return value_not_found(type, text);
	if (r < 0)
		return tracker_error(r);
	cli_msg("%s %s %s the %s tracker inclusion set", track ? "Added" : "Removed", text,
	        track ? "to" : "from", tracker_names[type]);
	return CMD_SUCCESS;
}

static int tracker_apply(const struct ringtrace_handle *handle, enum process_attr attr,
                         const struct tracker_opt *o, bool all, bool track)
{
	enum ringtrace_tracker_type type = process_attrs[attr].tracker;
	_cleanup_free_ char *values = NULL;
	char *save = NULL;
	int r = CMD_SUCCESS;

	if (!process_attrs[attr].in_userspace) {
		cli_err("The %s process attribute cannot be tracked in the user space domain.",
		        process_attrs[attr].name);
		return CMD_ERROR;
	}
	if (all) {
		r = ringtrace_set_tracking_policy(handle, type,
		                                  track ? RINGTRACE_TRACKING_INCLUDE_ALL
		                                        : RINGTRACE_TRACKING_EXCLUDE_ALL);
		if (r < 0)
			return tracker_error(r);
		cli_msg("%s tracking policy set to `%s`", tracker_names_cap[type],
		        track ? "include all" : "exclude all");
		return CMD_SUCCESS;
	}
	if (!o->values || !*o->values) {
		cli_err("No process attribute value specified for %s tracker",
		        process_attrs[attr].name_cap);
		return CMD_ERROR;
	}
	values = strdup(o->values);
	if (!values)
		return -RINGTRACE_ERR_NOMEM;
	for (char *v = strtok_r(values, ",", &save); v && r == CMD_SUCCESS;
	     v = strtok_r(NULL, ",", &save))
		r = tracker_apply_value(handle, type, v, track);
	return r;
}

int tracker_cmd_run(int argc, char **argv, bool track, const char *usage)
{
	struct ringtrace_handle handle = {.domain = {.type = RINGTRACE_DOMAIN_UST}};
	struct tracker_opt trackers[_ATTR_MAX] = {0};
	struct domain_opts domains = {0};
	const char *session_opt = NULL;
	bool all = false, any = false;
	int opt, r;
	struct cli_args args = {.usage = usage, .shortopts = "hs:kuap::", .longopts = long_options};

	while ((opt = cli_args_next(&args, argc, argv)) > 0) {
		if (opt == 'p') /* --pid here, not --python */
			opt = OPT_ATTR_FIRST + ATTR_PID;
		if (domain_opts_parse(&domains, opt))
			continue;
		switch (opt) {
		case 's':
			session_opt = optarg;
			break;
		case 'a':
			all = true;
			break;
		case OPT_ATTR_FIRST + ATTR_PID... OPT_ATTR_FIRST + ATTR_VGID:
			trackers[opt - OPT_ATTR_FIRST].given = true;
			trackers[opt - OPT_ATTR_FIRST].values = optarg;
			any = true;
			break;
		}
	}
	if (opt == 0)
		return args.result;
	r = domain_opts_check(&domains, false);
	if (r != CMD_SUCCESS)
		return r;
	if (!any) {
		cli_err("At least one process attribute must be specified");
		return CMD_ERROR;
	}
	/* `--vpid 1234`: getopt leaves an optional argument's value positional. */
	for (unsigned i = 0; i < ARRAY_SIZE(trackers); i++) {
		if (trackers[i].given && !trackers[i].values && !all)
			trackers[i].values = cli_args_pop(argc, argv);
	}
	r = domain_command_target(argc, argv, &domains, session_opt, handle.session_name);
	if (r != CMD_SUCCESS)
		return r;
	for (unsigned i = 0; i < ARRAY_SIZE(trackers) && r == CMD_SUCCESS; i++) {
		if (trackers[i].given)
			r = tracker_apply(&handle, (enum process_attr)i, &trackers[i], all, track);
	}
	return r;
}
