/* SPDX-License-Identifier: MIT */
/*
 * ringtrace list [SESSION [-d] [-c CHANNEL]] [-u [-f]]
 *
 * Sessions, a session's domains, channels and event rules, or the
 * tracepoints of the registered applications, in lttng 2.13's layout.
 */
#include <inttypes.h>
#include <ringtrace/ctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "common/macros.h"
#include "domain.h"
#include "loglevel.h"
#include "output.h"

#define INDENT4 "    "
#define INDENT6 "      "
#define INDENT8 "        "

static const char usage[] =
    "Usage: ringtrace [GENERAL OPTIONS] list [-u [-f]]\n"
    "       ringtrace [GENERAL OPTIONS] list SESSION [-u] [-d] [-c CHANNEL]\n"
    "\n"
    "Without arguments, list the recording sessions. With SESSION, show its\n"
    "domains, channels and recording event rules. With -u and no SESSION, list the\n"
    "tracepoints of the running instrumented applications.\n"
    "\n"
    "Options:\n"
    "  -u, --userspace         User space domain\n"
    "  -f, --fields            With -u: also list the event fields\n"
    "  -c, --channel=CHANNEL   With SESSION: only this channel\n"
    "  -d, --domain            With SESSION: only list its domains\n"
    "  -h, --help              Show this help\n";

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"kernel", no_argument, NULL, 'k'},
    {"jul", no_argument, NULL, 'j'},
    {"log4j", no_argument, NULL, 'l'},
    {"python", no_argument, NULL, 'p'},
    {"userspace", no_argument, NULL, 'u'},
    {"channel", required_argument, NULL, 'c'},
    {"domain", no_argument, NULL, 'd'},
    {"fields", no_argument, NULL, 'f'},
    {"syscall", no_argument, NULL, 'S'},
    {NULL, 0, NULL, 0},
};

struct list_opts {
	struct domain_opts domains;
	const char *channel;
	bool only_domains;
	bool fields;
	bool syscall;
};

static const char *enabled_string(int enabled)
{
	switch (enabled) {
	case 0:
		return " [disabled]";
	case 1:
		return " [enabled]";
	default:
		return "";
	}
}

static const char *loglevel_type_string(int type)
{
	switch (type) {
	case RINGTRACE_EVENT_LOGLEVEL_ALL:
		return ":";
	case RINGTRACE_EVENT_LOGLEVEL_RANGE:
		return " <=";
	case RINGTRACE_EVENT_LOGLEVEL_SINGLE:
		return " ==";
	default:
		return " <<TYPE UNKN>>";
	}
}

/* ` [exclusions: a,b]` as lttng 2.13 shows a rule's exclusions, "" without. */
static char *exclusions_string(const struct ringtrace_event_exclusions *x)
{
	static const char prefix[] = " [exclusions: ";
	char *text, *end;

	if (!x || x->count == 0)
		return strdup("");
	text = malloc(sizeof(prefix) + (size_t)x->count * RINGTRACE_SYMBOL_NAME_LEN + 1);
	if (!text)
		return NULL;
	end = stpcpy(text, prefix);
	for (uint32_t i = 0; i < x->count; i++) {
		if (i > 0)
			*end++ = ',';
		end = stpcpy(end, x->names[i]);
	}
	strcpy(end, "]");
	return text;
}

/* ` [filter: 'EXPR']` as lttng 2.13 shows a rule's filter, "" without. */
static char *filter_string(const struct ringtrace_event *ev,
                           const struct ringtrace_event_exclusions *x)
{
	char *text = NULL;

	if (x && x->filter_expression)
		return asprintf(&text, " [filter: '%s']", x->filter_expression) < 0 ? NULL : text;
	return strdup(ev->filter ? " [with filter]" : "");
}

/* One event line; x: the rule's exclusions and filter (NULL in tracepoint listings). */
static void print_event(const struct ringtrace_event *ev,
                        const struct ringtrace_event_exclusions *x, bool show_loglevel)
{
	_cleanup_free_ char *filter = filter_string(ev, x);
	_cleanup_free_ char *exclusion = exclusions_string(x);

	if (!exclusion || !filter)
		return;
	if (show_loglevel)
		cli_msg(INDENT6 "%s (loglevel%s %s (%d)) (type: tracepoint)%s%s%s", ev->name,
		        loglevel_type_string(ev->loglevel_type), loglevel_name(ev->loglevel),
		        ev->loglevel, enabled_string(ev->enabled), exclusion, filter);
	else
		cli_msg(INDENT6 "%s (type: tracepoint)%s%s%s", ev->name,
		        enabled_string(ev->enabled), exclusion, filter);
}

static const char *field_type_string(int type)
{
	switch (type) {
	case RINGTRACE_EVENT_FIELD_INTEGER:
		return "integer";
	case RINGTRACE_EVENT_FIELD_ENUM:
		return "enum";
	case RINGTRACE_EVENT_FIELD_FLOAT:
		return "float";
	case RINGTRACE_EVENT_FIELD_STRING:
		return "string";
	default:
		return "unknown";
	}
}

/* First word of /proc/PID/cmdline (the program as started). */
static void pid_cmdline(int pid, char *buf, size_t size)
{
	char path[64];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	f = fopen(path, "re");
	if (f) {
		n = fread(buf, 1, size - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	if (n == 0)
		snprintf(buf, size, "<exited>");
}

static void print_pid_header(int pid)
{
	char cmdline[4096];

	pid_cmdline(pid, cmdline, sizeof(cmdline));
	cli_msg("\nPID: %d - Name: %s", pid, cmdline);
}

static int list_ust_tracepoints(void)
{
	_cleanup_free_ struct ringtrace_event *events = NULL;
	int n, pid = 0;

	n = ringtrace_list_tracepoints(NULL, &events);
	if (n < 0) {
		cli_err("Unable to list UST events: %s", ringtrace_strerror(n));
		return CMD_ERROR;
	}
	cli_msg("UST events:\n-------------");
	if (n == 0)
		cli_msg("None");
	for (int i = 0; i < n; i++) {
		if (events[i].pid != pid) {
			pid = events[i].pid;
			print_pid_header(pid);
		}
		print_event(&events[i], NULL, events[i].loglevel != -1);
	}
	cli_msg("%s", "");
	return CMD_SUCCESS;
}

static int list_ust_fields(void)
{
	_cleanup_free_ struct ringtrace_event_field *fields = NULL;
	const char *event = NULL;
	int n, pid = 0;

	n = ringtrace_list_tracepoint_fields(NULL, &fields);
	if (n < 0) {
		cli_err("Unable to list UST event fields: %s", ringtrace_strerror(n));
		return CMD_ERROR;
	}
	cli_msg("UST events:\n-------------");
	if (n == 0)
		cli_msg("None");
	for (int i = 0; i < n; i++) {
		const struct ringtrace_event_field *f = &fields[i];

		if (f->event.pid != pid) {
			pid = f->event.pid;
			print_pid_header(pid);
			event = NULL;
		}
		if (!event || strcmp(event, f->event.name) != 0) {
			print_event(&f->event, NULL, f->event.loglevel != -1);
			event = f->event.name;
		}
		if (f->field_name[0])
			cli_msg(INDENT8 "field: %s (%s)%s", f->field_name,
			        field_type_string(f->type), f->nowrite ? " [no write]" : "");
	}
	cli_msg("%s", "");
	return CMD_SUCCESS;
}

/* Under a session's header: what it lost, if anything. */
static void print_consumer_loss(const struct ringtrace_session *s)
{
	if (s->consumer_lost)
		cli_msg(INDENT4 "Consumer daemon died: trace data not written by then is lost; "
		                "destroy the session");
}

static void print_session_line(int index, const struct ringtrace_session *s)
{
	cli_msg("  %d) %s [%s%s]", index, s->name, s->enabled ? "active" : "inactive",
	        s->snapshot_mode ? " snapshot" : "");
	print_consumer_loss(s);
	if (s->path[0])
		cli_msg(INDENT4 "Trace output: %s", s->path);
	if (s->live_timer_interval)
		cli_msg(INDENT4 "Live timer interval: %u us", s->live_timer_interval);
	cli_msg("%s", "");
}

/*
 * Without name: every session. With name: its header line, and its
 * description in *ret_session. Returns CMD_SUCCESS or CMD_ERROR.
 */
static int list_sessions(const char *name, struct ringtrace_session *ret_session)
{
	_cleanup_free_ struct ringtrace_session *sessions = NULL;
	int n = ringtrace_list_sessions(&sessions);

	if (n < 0) {
		cli_err("%s", ringtrace_strerror(n));
		return CMD_ERROR;
	}
	if (!name) {
		if (n == 0) {
			cli_msg("Currently no available recording session");
			return CMD_SUCCESS;
		}
		cli_msg("Available recording sessions:");
		for (int i = 0; i < n; i++)
			print_session_line(i + 1, &sessions[i]);
		cli_msg("\nUse ringtrace list <session_name> for more details");
		return CMD_SUCCESS;
	}
	for (int i = 0; i < n; i++) {
		const struct ringtrace_session *s = &sessions[i];

		if (strcmp(s->name, name) != 0)
			continue;
		cli_msg("Recording session %s: [%s%s]", name, s->enabled ? "active" : "inactive",
		        s->snapshot_mode ? " snapshot" : "");
		print_consumer_loss(s);
		if (s->path[0])
			cli_msg(INDENT4 "Trace output: %s\n", s->path);
		*ret_session = *s;
		return CMD_SUCCESS;
	}
	cli_err("Session '%s' not found", name);
	return CMD_ERROR;
}

static int list_domains(const char *session_name)
{
	_cleanup_free_ struct ringtrace_domain *domains = NULL;
	int n = ringtrace_list_domains(session_name, &domains);

	if (n < 0) {
		cli_err("%s", ringtrace_strerror(n));
		return CMD_ERROR;
	}
	cli_msg("Domains:\n-------------");
	if (n == 0)
		cli_msg("  None");
	for (int i = 0; i < n; i++) {
		if (domains[i].type == RINGTRACE_DOMAIN_UST)
			cli_msg("  - UST global");
		else if (domains[i].type == RINGTRACE_DOMAIN_KERNEL)
			cli_msg("  - Kernel");
	}
	return CMD_SUCCESS;
}

/* One tracker's line: "all", "none" or the inclusion set, as lttng 2.13. */
static int print_tracker(const struct ringtrace_handle *handle, enum ringtrace_tracker_type type,
                         const char *label)
{
	_cleanup_free_ struct ringtrace_tracker_value *values = NULL;
	enum ringtrace_tracking_policy policy;
	int n;

	n = ringtrace_list_tracker_values(handle, type, &policy, &values);
	if (n < 0) {
		cli_err("%s", ringtrace_strerror(n));
		return CMD_ERROR;
	}
	cli_msg_partial("  %-22s", label);
	if (policy == RINGTRACE_TRACKING_INCLUDE_ALL)
		cli_msg_partial("all");
	else if (policy == RINGTRACE_TRACKING_EXCLUDE_ALL)
		cli_msg_partial("none");
	/* Names as lttng prints them: between backquotes. */
	for (int i = 0; i < n; i++) {
		if (values[i].name[0])
			cli_msg_partial("%s`%s`", i ? ", " : "", values[i].name);
		else
			cli_msg_partial("%s%d", i ? ", " : "", (int)values[i].id);
	}
	cli_msg("%s", "");
	return CMD_SUCCESS;
}

static int print_trackers(const struct ringtrace_handle *handle)
{
	int r;

	cli_msg("Tracked process attributes");
	r = print_tracker(handle, RINGTRACE_TRACKER_VPID, "Virtual process IDs:");
	if (r == CMD_SUCCESS)
		r = print_tracker(handle, RINGTRACE_TRACKER_VUID, "Virtual user IDs:");
	if (r == CMD_SUCCESS)
		r = print_tracker(handle, RINGTRACE_TRACKER_VGID, "Virtual group IDs:");
	cli_msg("%s", "");
	return r;
}

static void print_timer(const char *label, unsigned pad, uint64_t value_us)
{
	if (value_us)
		cli_msg(INDENT6 "%s:%*s%" PRIu64 " us", label, (int)pad, "", value_us);
	else
		cli_msg(INDENT6 "%s:%*sinactive", label, (int)pad, "");
}

static void print_channel(const struct ringtrace_channel *c,
                          const struct ringtrace_session *session)
{
	const struct ringtrace_channel_attr *a = &c->attr;
	bool overwrite = a->overwrite == 1;

	cli_msg("- %s:%s\n", c->name, enabled_string((int)c->enabled));
	cli_msg(INDENT4 "Attributes:");
	cli_msg(INDENT6 "Event-loss mode:  %s", overwrite ? "overwrite" : "discard");
	cli_msg(INDENT6 "Sub-buffer size:  %" PRIu64 " bytes", a->subbuf_size);
	cli_msg(INDENT6 "Sub-buffer count: %" PRIu64, a->num_subbuf);
	print_timer("Switch timer", 5, a->switch_timer_interval);
	print_timer("Read timer", 7, a->read_timer_interval);
	print_timer("Monitor timer", 4, a->monitor_timer_interval);
	if (!overwrite) {
		if (a->blocking_timeout == -1)
			cli_msg(INDENT6 "Blocking timeout: infinite");
		else
			cli_msg(INDENT6 "Blocking timeout: %" PRId64 " us", a->blocking_timeout);
	}
	cli_msg(INDENT6 "Trace file count: %" PRIu64 " per stream",
	        a->tracefile_count ? a->tracefile_count : 1);
	if (a->tracefile_size)
		cli_msg(INDENT6 "Trace file size:  %" PRIu64 " bytes", a->tracefile_size);
	else
		cli_msg(INDENT6 "Trace file size:  unlimited");
	cli_msg(INDENT6 "Output mode:      %s",
	        a->output == RINGTRACE_EVENT_SPLICE ? "splice" : "mmap");
	cli_msg("\n" INDENT4 "Statistics:");
	if (session->snapshot_mode)
		cli_msg(INDENT6 "None");
	else if (session->consumer_lost)
		cli_msg(INDENT6 "Unknown: the consumer daemon died");
	else if (overwrite)
		cli_msg(INDENT6 "Lost packets:     %" PRIu64, c->lost_packets);
	else
		cli_msg(INDENT6 "Discarded events: %" PRIu64, c->discarded_events);
}

static int list_channel_events(const struct ringtrace_handle *handle, const char *channel)
{
	_cleanup_free_ struct ringtrace_event *events = NULL;
	_cleanup_free_ struct ringtrace_event_exclusions *exclusions = NULL;
	int n = ringtrace_list_events_with_exclusions(handle, channel, &events, &exclusions);

	if (n < 0) {
		cli_err("%s", ringtrace_strerror(n));
		return CMD_ERROR;
	}
	cli_msg("\n" INDENT4 "Recording event rules:");
	if (n == 0)
		cli_msg(INDENT6 "None\n");
	for (int i = 0; i < n; i++)
		print_event(&events[i], &exclusions[i],
		            events[i].loglevel_type != RINGTRACE_EVENT_LOGLEVEL_ALL);
	if (n > 0)
		cli_msg("%s", "");
	return CMD_SUCCESS;
}

static int list_channels(const struct ringtrace_handle *handle, const char *only,
                         const struct ringtrace_session *session)
{
	_cleanup_free_ struct ringtrace_channel *channels = NULL;
	bool found = false;
	int n, r = CMD_SUCCESS;

	n = ringtrace_list_channels(handle, &channels);
	if (n < 0) {
		cli_err("%s", ringtrace_strerror(n));
		return CMD_ERROR;
	}
	if (n > 0)
		cli_msg("Channels:\n-------------");
	for (int i = 0; i < n && r == CMD_SUCCESS && !found; i++) {
		if (only && strcmp(channels[i].name, only) != 0)
			continue;
		found = only != NULL;
		print_channel(&channels[i], session);
		r = list_channel_events(handle, channels[i].name);
	}
	if (r == CMD_SUCCESS && only && !found) {
		cli_err("Channel %s not found", only);
		r = CMD_ERROR;
	}
	return r;
}

static int list_ust_domain(const char *session_name, const struct ringtrace_domain *domain,
                           const struct list_opts *o, const struct ringtrace_session *session)
{
	struct ringtrace_handle handle = {.domain = *domain};

	snprintf(handle.session_name, sizeof(handle.session_name), "%s", session_name);
	if (print_trackers(&handle) != CMD_SUCCESS)
		return CMD_ERROR;
	return list_channels(&handle, o->channel, session);
}

/* As lttng: printed only when the session has some. */
static int list_rotation_schedules(const char *session_name)
{
	struct ringtrace_rotation_schedules set;
	int r = ringtrace_list_rotation_schedules(session_name, &set);

	if (r < 0) {
		cli_err("Failed to list session rotation schedules: %s", ringtrace_strerror(r));
		return CMD_ERROR;
	}
	if (!set.timer_period_us && !set.size_threshold_bytes)
		return CMD_SUCCESS;
	cli_msg("Automatic rotation schedules:");
	if (set.timer_period_us)
		cli_msg(INDENT4 "timer period: %" PRIu64 " us", set.timer_period_us);
	if (set.size_threshold_bytes)
		cli_msg(INDENT4 "size threshold: %" PRIu64 " bytes", set.size_threshold_bytes);
	cli_msg_partial("\n");
	return CMD_SUCCESS;
}

static int list_session(const char *name, const struct list_opts *o)
{
	static const struct ringtrace_domain ust = {.type = RINGTRACE_DOMAIN_UST};
	struct ringtrace_session session;
	_cleanup_free_ struct ringtrace_domain *domains = NULL;
	int n, r;

	r = list_sessions(name, &session);
	if (r == CMD_SUCCESS)
		r = list_rotation_schedules(name);
	if (r != CMD_SUCCESS)
		return r;
	if (o->only_domains)
		return list_domains(name);
	if (o->domains.userspace)
		return list_ust_domain(name, &ust, o, &session);
	if (o->domains.kernel)
		return CMD_SUCCESS; /* a ringtrace session never has a kernel domain */

	n = ringtrace_list_domains(name, &domains);
	if (n < 0) {
		cli_err("%s", ringtrace_strerror(n));
		return CMD_ERROR;
	}
	for (int i = 0; i < n && r == CMD_SUCCESS; i++) {
		if (domains[i].type != RINGTRACE_DOMAIN_UST)
			continue;
		cli_msg("=== Domain: User space ===\n");
		cli_msg("Buffering scheme: %s\n", domains[i].buf_type == RINGTRACE_BUFFER_PER_PID
		                                      ? "per-process"
		                                      : "per-user");
		r = list_ust_domain(name, &domains[i], o, &session);
	}
	return r;
}

int cmd_list(int argc, char **argv)
{
	struct list_opts o = {0};
	const char *name;
	int opt, r;
	struct cli_args args = {
	    .usage = usage, .shortopts = "hkjlpuc:dfS", .longopts = long_options};

	while ((opt = cli_args_next(&args, argc, argv)) > 0) {
		if (domain_opts_parse(&o.domains, opt))
			continue;
		switch (opt) {
		case 'c':
			o.channel = optarg;
			break;
		case 'd':
			o.only_domains = true;
			break;
		case 'f':
			o.fields = true;
			break;
		case 'S':
			o.syscall = true;
			break;
		}
	}
	if (opt == 0)
		return args.result;
	name = cli_args_pop(argc, argv);
	r = cli_args_no_leftover(argc, argv);
	if (r != CMD_SUCCESS)
		return r;
	if (!o.domains.kernel && o.syscall) {
		cli_warn("--syscall will only work with the Kernel domain (-k)");
		return CMD_ERROR;
	}
	if (name)
		return list_session(name, &o);

	if (o.domains.kernel) {
		cli_err("Unable to list kernel events: Kernel tracer not available");
		return CMD_ERROR;
	}
	if (o.domains.jul || o.domains.log4j || o.domains.python)
		return domain_opts_supported(&o.domains);
	if (o.domains.userspace)
		return o.fields ? list_ust_fields() : list_ust_tracepoints();
	return list_sessions(NULL, NULL);
}
