/* SPDX-License-Identifier: MIT */
/*
 * ringtrace enable-event -u (-a | NAME[,NAME...]) [-c CHANNEL] [-s SESSION]
 *                        [--loglevel=LEVEL | --loglevel-only=LEVEL]
 *                        [--filter=EXPR] [--exclude=NAME[,NAME...]]
 *
 * Messages, checks of exclusions and exit statuses are lttng's.
 */
#include <errno.h>
#include <ringtrace/ctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "common/macros.h"
#include "domain.h"
#include "filter/filter-compile.h"
#include "glob.h"
#include "loglevel.h"
#include "output.h"

#define DEFAULT_CHANNEL_PRINT_NAME "<default>"
/* Characters of a long expression line shown around an error. */
#define FILTER_EXCERPT_BEFORE 60
#define FILTER_EXCERPT_AFTER  40

static const char usage[] =
    "Usage: ringtrace [GENERAL OPTIONS] enable-event -u [-s SESSION] [-c CHANNEL]\n"
    "                 [--tracepoint] (-a | NAME[,NAME...])\n"
    "                 [--loglevel=LEVEL | --loglevel-only=LEVEL]\n"
    "                 [--filter=EXPR] [--exclude=NAME[,NAME...]]\n"
    "\n"
    "Create or enable recording event rules: user space tracepoints whose name\n"
    "matches NAME (a `*` wildcard is allowed) are recorded into CHANNEL (default\n"
    "channel0, created if needed) of SESSION (default: the current one).\n"
    "\n"
    "Options:\n"
    "  -u, --userspace             User space domain\n"
    "  -a, --all                   All tracepoints (same as NAME `*`)\n"
    "  -c, --channel=CHANNEL       Channel instead of channel0\n"
    "  -s, --session=SESSION       Session instead of the current one\n"
    "      --tracepoint            Tracepoint events (the default)\n"
    "      --loglevel=LEVEL        Log level LEVEL or more severe\n"
    "      --loglevel-only=LEVEL   Exactly log level LEVEL\n"
    "                              LEVEL: TRACE_EMERG, TRACE_ALERT, TRACE_CRIT,\n"
    "                              TRACE_ERR, TRACE_WARNING, TRACE_NOTICE, TRACE_INFO,\n"
    "                              TRACE_DEBUG_SYSTEM ... TRACE_DEBUG_LINE, TRACE_DEBUG\n"
    "                              (TRACE_ prefix optional) or 0 to 14\n"
    "  -f, --filter=EXPR           Only events for which EXPR is true\n"
    "  -x, --exclude=NAME[,NAME]   Not these events (NAME must then have a `*`)\n"
    "  -h, --help                  Show this help\n";

enum {
	OPT_TRACEPOINT = OPT_COMMAND_FIRST,
	OPT_PROBE,
	OPT_USERSPACE_PROBE,
	OPT_FUNCTION,
	OPT_SYSCALL,
	OPT_LOGLEVEL,
	OPT_LOGLEVEL_ONLY,
};

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"session", required_argument, NULL, 's'},
    {"all", no_argument, NULL, 'a'},
    {"channel", required_argument, NULL, 'c'},
    {"kernel", no_argument, NULL, 'k'},
    {"userspace", no_argument, NULL, 'u'},
    {"jul", no_argument, NULL, 'j'},
    {"log4j", no_argument, NULL, 'l'},
    {"python", no_argument, NULL, 'p'},
    {"tracepoint", no_argument, NULL, OPT_TRACEPOINT},
    {"probe", required_argument, NULL, OPT_PROBE},
    {"userspace-probe", required_argument, NULL, OPT_USERSPACE_PROBE},
    {"function", required_argument, NULL, OPT_FUNCTION},
    {"syscall", no_argument, NULL, OPT_SYSCALL},
    {"loglevel", required_argument, NULL, OPT_LOGLEVEL},
    {"loglevel-only", required_argument, NULL, OPT_LOGLEVEL_ONLY},
    {"filter", required_argument, NULL, 'f'},
    {"exclude", required_argument, NULL, 'x'},
    {NULL, 0, NULL, 0},
};

struct enable_opts {
	struct ringtrace_handle handle;
	const char *channel;  /* NULL: the default channel */
	const char *loglevel; /* as typed, for the messages */
	int loglevel_type;
	int loglevel_value;
	const char *filter;
	const char *exclude; /* comma-separated list as typed */
	bool all;
	int event_type; /* an OPT_* of the event type options, 0 = any */
};

struct exclusions {
	char **names;
	int count;
	char *text; /* ` excluding "a", "b"`, or "" */
};

static void exclusions_free(struct exclusions *x)
{
	for (int i = 0; i < x->count; i++)
		free(x->names[i]);
	free(x->names);
	free(x->text);
	memset(x, 0, sizeof(*x));
}

static const char *channel_print_name(const struct enable_opts *o, int error)
{
	if (o->channel)
		return o->channel;
	return error == -RINGTRACE_ERR_NEED_CHANNEL_NAME ? DEFAULT_CHANNEL_PRINT_NAME
	                                                 : RINGTRACE_DEFAULT_CHANNEL_NAME;
}

static int exclusions_add(struct exclusions *x, const char *name)
{
	char **names = realloc(x->names, sizeof(*names) * (size_t)(x->count + 1));
	char *copy;

	if (!names)
		return -RINGTRACE_ERR_NOMEM;
	x->names = names;
	copy = strdup(name);
	if (!copy)
		return -RINGTRACE_ERR_NOMEM;
	x->names[x->count++] = copy;
	return 0;
}

/*
 * Splits "a,b\,c" into "a" and "b,c" (a backslash escapes a comma). Empty
 * names are kept, as lttng keeps them: "," is two empty exclusions.
 */
static int split_exclusions(const char *list, struct exclusions *x)
{
	_cleanup_free_ char *cur = calloc(1, strlen(list) + 1);
	size_t n = 0;
	int r;

	if (!cur)
		return -RINGTRACE_ERR_NOMEM;
	for (const char *p = list;; p++) {
		if (*p == '\\' && p[1] == ',') {
			cur[n++] = *++p;
			continue;
		}
		if (*p && *p != ',') {
			cur[n++] = *p;
			continue;
		}
		cur[n] = '\0';
		n = 0;
		r = exclusions_add(x, cur);
		if (r < 0)
			return r;
		if (!*p)
			return 0;
	}
}

/*
 * lttng's check of one exclusion against a pattern ending with its only
 * `*`: an error when the exclusion covers the whole pattern, a warning when
 * it can match none of the pattern's events.
 */
static int check_exclusion(const char *event, const char *exclusion)
{
	const char *e = event, *x = exclusion;

	for (;;) {
		if (*e == '\\') {
			if (*x != *e)
				break;
			e++;
			x++;
		} else {
			if (*x == '*') {
				cli_err("Event %s: %s excludes all events from %s", event,
				        exclusion, event);
				return CMD_ERROR;
			}
			if (*e == '*')
				return CMD_SUCCESS;
		}
		if (*x != *e)
			break;
		x++;
		e++;
	}
	cli_warn("Event %s: %s does not exclude any events from %s", event, exclusion, event);
	return CMD_SUCCESS;
}

static int build_exclusions(const char *event, const char *list, struct exclusions *x, bool *warn)
{
	size_t text_len = sizeof(" excluding ");
	int r;

	r = split_exclusions(list, x);
	if (r < 0)
		return r;
	if (!glob_has_star(event)) {
		cli_err("Event %s: Exclusions can only be used with a globbing pattern", event);
		return CMD_ERROR;
	}
	for (int i = 0; i < x->count; i++) {
		const char *name = x->names[i];
		size_t len = strlen(name);

		/* Only a `prefix*` pattern can be compared with its exclusions here. */
		if (glob_star_at_end_only(event) &&
		    (!glob_has_star(name) || glob_star_at_end_only(name))) {
			r = check_exclusion(event, name);
			if (r != CMD_SUCCESS)
				return r;
		}
		/* As lttng: a warning here, then the control library refuses the name. */
		if (len >= RINGTRACE_SYMBOL_NAME_LEN) {
			cli_warn("Event exclusion \"%s\" will be truncated", name);
			*warn = true;
		}
		text_len += len + 4;
	}
	x->text = calloc(1, text_len);
	if (!x->text)
		return -RINGTRACE_ERR_NOMEM;
	for (int i = 0; i < x->count; i++)
		sprintf(x->text + strlen(x->text), "%s\"%s\"", i == 0 ? " excluding " : ", ",
		        x->names[i]);
	return CMD_SUCCESS;
}

static struct ringtrace_event make_event(const struct enable_opts *o, const char *name)
{
	struct ringtrace_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = RINGTRACE_EVENT_TRACEPOINT;
	snprintf(ev.name, sizeof(ev.name), "%s", name);
	ev.loglevel_type = o->loglevel_type;
	ev.loglevel = o->loglevel ? o->loglevel_value : -1;
	ev.enabled = 1;
	return ev;
}

/* -a: every tracepoint. Returns CMD_* or a negative RINGTRACE_ERR_*. */
static int enable_all(const struct enable_opts *o, bool *warn)
{
	struct exclusions x = {0};
	struct ringtrace_event ev = make_event(o, "*");
	const char *what = o->event_type == OPT_TRACEPOINT ? "tracepoints" : "events";
	int r;

	if (o->exclude) {
		r = build_exclusions("*", o->exclude, &x, warn);
		if (r != CMD_SUCCESS)
			goto end;
	}
	r = ringtrace_enable_event_with_exclusions(&o->handle, &ev, o->channel, o->filter, x.count,
	                                           x.names);
	if (r < 0 && o->filter) {
		cli_err("All events: %s (channel %s, session %s, filter '%s')",
		        ringtrace_strerror(r), channel_print_name(o, r), o->handle.session_name,
		        o->filter);
	} else if (r < 0) {
		cli_err("Events: %s (channel %s, session %s)", ringtrace_strerror(r),
		        channel_print_name(o, r), o->handle.session_name);
		r = CMD_ERROR;
	} else if (o->filter) {
		cli_msg("Filter '%s' successfully set", o->filter);
	} else if (o->loglevel) {
		cli_msg("All ust %s%s are enabled in channel %s for loglevel %s", what,
		        x.text ? x.text : "", channel_print_name(o, 0), o->loglevel);
	} else {
		cli_msg("All ust %s%s are enabled in channel %s", what, x.text ? x.text : "",
		        channel_print_name(o, 0));
	}
end:
	exclusions_free(&x);
	return r;
}

/* One NAME; sets *error_holder to the last error, as lttng's exit status. */
static int enable_one(const struct enable_opts *o, const char *name, bool *warn, int *error_holder)
{
	struct exclusions x = {0};
	struct ringtrace_event ev;
	const char *excl;
	int r;

	if (strlen(name) >= RINGTRACE_SYMBOL_NAME_LEN) {
		cli_err("Event %s: Name too long (max. %d characters) (channel %s, session %s)",
		        name, RINGTRACE_SYMBOL_NAME_LEN - 1, channel_print_name(o, 0),
		        o->handle.session_name);
		*error_holder = -RINGTRACE_ERR_INVALID;
		return CMD_SUCCESS;
	}
	if (o->exclude) {
		r = build_exclusions(name, o->exclude, &x, warn);
		if (r != CMD_SUCCESS) {
			exclusions_free(&x);
			return r;
		}
	}
	excl = x.text ? x.text : "";
	ev = make_event(o, name);
	r = ringtrace_enable_event_with_exclusions(&o->handle, &ev, o->channel, o->filter, x.count,
	                                           x.names);
	if (r == -RINGTRACE_ERR_TRACE_ALREADY_STARTED) {
		cli_err(
		    "Event %s%s: The command tried to enable an event in a new domain for a "
		    "session that has already been started once. (channel %s, session %s%s%s%s)",
		    name, excl, channel_print_name(o, r), o->handle.session_name,
		    o->filter ? ", filter '" : "", o->filter ? o->filter : "",
		    o->filter ? "'" : "");
	} else if (r < 0) {
		cli_err("Event %s%s: %s (channel %s, session %s%s%s%s)", name, excl,
		        ringtrace_strerror(r), channel_print_name(o, r), o->handle.session_name,
		        o->filter ? ", filter '" : "", o->filter ? o->filter : "",
		        o->filter ? "'" : "");
	} else if (o->filter) {
		cli_msg("Event %s%s: Filter '%s' successfully set", name, excl, o->filter);
	} else {
		cli_msg("ust event %s%s created in channel %s", name, excl,
		        channel_print_name(o, 0));
	}
	if (r < 0)
		*error_holder = r;
	exclusions_free(&x);
	return CMD_SUCCESS;
}

static int enable_events(struct enable_opts *o, const char *list)
{
	bool warn = false;
	int error_holder = 0, r = CMD_SUCCESS;
	_cleanup_free_ char *names = NULL;
	char *save = NULL;

	if (o->all) {
		r = enable_all(o, &warn);
		return r != CMD_SUCCESS ? r : warn ? CMD_WARNING : CMD_SUCCESS;
	}
	names = strdup(list);
	if (!names)
		return -RINGTRACE_ERR_NOMEM;
	for (char *name = strtok_r(names, ",", &save); name && r == CMD_SUCCESS;
	     name = strtok_r(NULL, ",", &save))
		r = enable_one(o, name, &warn, &error_holder);
	if (r != CMD_SUCCESS)
		return r;
	if (error_holder)
		return error_holder;
	return warn ? CMD_WARNING : CMD_SUCCESS;
}

/*
 * Shows the line of the expression where err is, with a caret under the
 * error; control characters as '?', a long line cut around the error.
 */
static void print_filter_excerpt(const char *expression, const struct filter_error *err)
{
	const char *line = expression + err->offset - (err->column - 1);
	size_t line_len = strcspn(line, "\n"), from = 0, to = line_len;
	size_t caret = err->column - 1;
	_cleanup_free_ char *text = NULL, *marks = NULL;
	size_t n = 0;

	if (caret > FILTER_EXCERPT_BEFORE)
		from = caret - FILTER_EXCERPT_BEFORE;
	if (to > caret + FILTER_EXCERPT_AFTER)
		to = caret + FILTER_EXCERPT_AFTER;
	text = malloc(to - from + 8);
	marks = malloc(caret - from + 8);
	if (!text || !marks)
		return;
	for (size_t i = from; i < to; i++) {
		unsigned char c = (unsigned char)line[i];

		text[n++] = c == '\t' || (c >= 0x20 && c != 0x7f) ? (char)c : '?';
	}
	text[n] = '\0';
	n = 0;
	for (size_t i = from; i < caret; i++)
		marks[n++] = line[i] == '\t' ? '\t' : ' ';
	marks[n] = '\0';
	cli_note("    %s%s%s", from ? "..." : "", text, to < line_len ? "..." : "");
	cli_note("    %s%s^", from ? "   " : "", marks);
}

/*
 * Compiles the filter as the control library will, to tell the user why it
 * refuses it (the library itself only says "Invalid filter bytecode").
 */
static void check_filter(const char *expression)
{
	struct filter_bytecode *bytecode = NULL;
	struct filter_error err = {0};
	int r;

	if (!*expression)
		return;
	r = filter_compile(expression, &bytecode, &err);
	free(bytecode);
	if (r != -EINVAL && r != -E2BIG)
		return;
	if (err.line > 1)
		cli_err("Invalid filter expression, line %u, column %u: %s", err.line, err.column,
		        err.message);
	else
		cli_err("Invalid filter expression, column %u: %s", err.column, err.message);
	if (r == -EINVAL)
		print_filter_excerpt(expression, &err);
}

static int parse_event_type(struct enable_opts *o, int opt)
{
	if (o->event_type && o->event_type != opt) {
		cli_err("Multiple event type not supported.");
		return CMD_ERROR;
	}
	o->event_type = opt;
	return CMD_SUCCESS;
}

int cmd_enable_event(int argc, char **argv)
{
	struct enable_opts o = {
	    .handle.domain = {.type = RINGTRACE_DOMAIN_UST, .buf_type = RINGTRACE_BUFFER_PER_UID}};
	struct domain_opts domains = {0};
	const char *session_opt = NULL, *list;
	int opt, r;
	struct cli_args args = {
	    .usage = usage, .shortopts = "hs:ac:kujlpf:x:", .longopts = long_options};

	while ((opt = domain_args_next(&args, argc, argv, &domains, &session_opt)) > 0) {
		switch (opt) {
		case 'a':
			o.all = true;
			break;
		case 'c':
			o.channel = optarg;
			break;
		case 'f':
			o.filter = optarg;
			break;
		case 'x':
			o.exclude = optarg;
			break;
		case OPT_LOGLEVEL:
		case OPT_LOGLEVEL_ONLY:
			o.loglevel = optarg;
			o.loglevel_type = opt == OPT_LOGLEVEL ? RINGTRACE_EVENT_LOGLEVEL_RANGE
			                                      : RINGTRACE_EVENT_LOGLEVEL_SINGLE;
			break;
		case OPT_TRACEPOINT:
		case OPT_PROBE:
		case OPT_USERSPACE_PROBE:
		case OPT_FUNCTION:
		case OPT_SYSCALL:
			r = parse_event_type(&o, opt);
			if (r != CMD_SUCCESS)
				return r;
			break;
		}
	}
	if (opt == 0)
		return args.result;
	r = domain_opts_check(&domains, true);
	if (r != CMD_SUCCESS)
		return r;
	/* As lttng, with --all a NAME argument is ignored. */
	list = cli_args_pop(argc, argv);
	if (!list && !o.all) {
		cli_err("Missing event name(s).");
		return CMD_ERROR;
	}
	r = domain_command_target(argc, argv, &domains, session_opt, o.handle.session_name);
	if (r != CMD_SUCCESS)
		return r;
	if (o.event_type && o.event_type != OPT_TRACEPOINT) {
		cli_err("Event type not available for user-space tracing");
		return CMD_UNSUPPORTED;
	}
	if (o.channel && strlen(o.channel) >= RINGTRACE_SYMBOL_NAME_LEN) {
		cli_err("Channel name is too long (max. %d characters)",
		        RINGTRACE_SYMBOL_NAME_LEN - 1);
		return CMD_ERROR;
	}
	if (o.loglevel && loglevel_parse(o.loglevel, &o.loglevel_value) < 0) {
		cli_err("Unknown loglevel %s", o.loglevel);
		return -RINGTRACE_ERR_INVALID;
	}
	if (o.filter)
		check_filter(o.filter);
	return enable_events(&o, list);
}
