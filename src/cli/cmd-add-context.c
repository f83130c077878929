/* SPDX-License-Identifier: MIT */
/*
 * ringtrace add-context -u -t TYPE [-t TYPE...] [-s SESSION] [-c CHANNEL]
 *
 * lttng 2.13's command: the types are checked while the options are read
 * ("Unknown context type X", exit 3), then each is added in the order
 * given; one that fails prints "Error: TYPE: reason" and the others are
 * still added, the command then exits with CMD_WARNING (4). `--list`
 * prints every type lttng knows, kernel ones included.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <ringtrace/ctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "common/macros.h"
#include "current-session.h"
#include "domain.h"
#include "output.h"

static const char usage[] =
    "Usage: ringtrace [GENERAL OPTIONS] add-context -u -t TYPE [-t TYPE]... [-s SESSION]\n"
    "                 [-c CHANNEL]\n"
    "       ringtrace [GENERAL OPTIONS] add-context --list\n"
    "\n"
    "Add context fields to the events of a channel (default: every channel of the\n"
    "session, channel0 being created when there is none). Contexts cannot be added\n"
    "once the session has been started.\n"
    "\n"
    "Options:\n"
    "  -u, --userspace         User space domain\n"
    "  -s, --session=SESSION   Session instead of the current one\n"
    "  -c, --channel=CHANNEL   Only this channel\n"
    "  -t, --type=TYPE         Context type (repeatable); see --list,\n"
    "                          perf:thread:raw:rN:NAME for a raw PMU counter, or\n"
    "                          $app.PROVIDER:NAME for an application context\n"
    "      --list              List the context types\n"
    "  -h, --help              Show this help\n";

enum {
	OPT_LIST = OPT_COMMAND_FIRST,
};

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"session", required_argument, NULL, 's'},
    {"channel", required_argument, NULL, 'c'},
    {"kernel", no_argument, NULL, 'k'},
    {"userspace", no_argument, NULL, 'u'},
    {"jul", no_argument, NULL, 'j'},
    {"log4j", no_argument, NULL, 'l'},
    {"type", required_argument, NULL, 't'},
    {"list", no_argument, NULL, OPT_LIST},
    {NULL, 0, NULL, 0},
};

/* The non-perf types, in lttng's order. */
static const struct {
	const char *name;
	enum ringtrace_event_context_type type;
} plain_types[] = {
    {"pid", RINGTRACE_EVENT_CONTEXT_PID},
    {"procname", RINGTRACE_EVENT_CONTEXT_PROCNAME},
    {"prio", RINGTRACE_EVENT_CONTEXT_PRIO},
    {"nice", RINGTRACE_EVENT_CONTEXT_NICE},
    {"vpid", RINGTRACE_EVENT_CONTEXT_VPID},
    {"tid", RINGTRACE_EVENT_CONTEXT_TID},
    {"pthread_id", RINGTRACE_EVENT_CONTEXT_PTHREAD_ID},
    {"vtid", RINGTRACE_EVENT_CONTEXT_VTID},
    {"ppid", RINGTRACE_EVENT_CONTEXT_PPID},
    {"vppid", RINGTRACE_EVENT_CONTEXT_VPPID},
    {"hostname", RINGTRACE_EVENT_CONTEXT_HOSTNAME},
    {"ip", RINGTRACE_EVENT_CONTEXT_IP},
    {"interruptible", RINGTRACE_EVENT_CONTEXT_INTERRUPTIBLE},
    {"preemptible", RINGTRACE_EVENT_CONTEXT_PREEMPTIBLE},
    {"need_reschedule", RINGTRACE_EVENT_CONTEXT_NEED_RESCHEDULE},
    {"migratable", RINGTRACE_EVENT_CONTEXT_MIGRATABLE},
    {"callstack-kernel", RINGTRACE_EVENT_CONTEXT_CALLSTACK_KERNEL},
    {"callstack-user", RINGTRACE_EVENT_CONTEXT_CALLSTACK_USER},
    {"cgroup_ns", RINGTRACE_EVENT_CONTEXT_CGROUP_NS},
    {"ipc_ns", RINGTRACE_EVENT_CONTEXT_IPC_NS},
    {"mnt_ns", RINGTRACE_EVENT_CONTEXT_MNT_NS},
    {"net_ns", RINGTRACE_EVENT_CONTEXT_NET_NS},
    {"pid_ns", RINGTRACE_EVENT_CONTEXT_PID_NS},
    {"time_ns", RINGTRACE_EVENT_CONTEXT_TIME_NS},
    {"user_ns", RINGTRACE_EVENT_CONTEXT_USER_NS},
    {"uts_ns", RINGTRACE_EVENT_CONTEXT_UTS_NS},
    {"uid", RINGTRACE_EVENT_CONTEXT_UID},
    {"euid", RINGTRACE_EVENT_CONTEXT_EUID},
    {"suid", RINGTRACE_EVENT_CONTEXT_SUID},
    {"gid", RINGTRACE_EVENT_CONTEXT_GID},
    {"egid", RINGTRACE_EVENT_CONTEXT_EGID},
    {"sgid", RINGTRACE_EVENT_CONTEXT_SGID},
    {"vuid", RINGTRACE_EVENT_CONTEXT_VUID},
    {"veuid", RINGTRACE_EVENT_CONTEXT_VEUID},
    {"vsuid", RINGTRACE_EVENT_CONTEXT_VSUID},
    {"vgid", RINGTRACE_EVENT_CONTEXT_VGID},
    {"vegid", RINGTRACE_EVENT_CONTEXT_VEGID},
    {"vsgid", RINGTRACE_EVENT_CONTEXT_VSGID},
};

#define HW(name, cfg)                                                                              \
	{                                                                                          \
		name, PERF_TYPE_HARDWARE, PERF_COUNT_HW_##cfg                                      \
	}
#define SW(name, cfg)                                                                              \
	{                                                                                          \
		name, PERF_TYPE_SOFTWARE, PERF_COUNT_SW_##cfg                                      \
	}
#define CACHE(name, c, o, r)                                                                       \
	{                                                                                          \
		name, PERF_TYPE_HW_CACHE, (c) | ((o) << 8) | ((r) << 16)                           \
	}
#define CACHE6(prefix, c)                                                                          \
	CACHE(prefix "-loads", c, PERF_COUNT_HW_CACHE_OP_READ, PERF_COUNT_HW_CACHE_RESULT_ACCESS), \
	    CACHE(prefix "-load-misses", c, PERF_COUNT_HW_CACHE_OP_READ,                           \
	          PERF_COUNT_HW_CACHE_RESULT_MISS),                                                \
	    CACHE(prefix "-stores", c, PERF_COUNT_HW_CACHE_OP_WRITE,                               \
	          PERF_COUNT_HW_CACHE_RESULT_ACCESS),                                              \
	    CACHE(prefix "-store-misses", c, PERF_COUNT_HW_CACHE_OP_WRITE,                         \
	          PERF_COUNT_HW_CACHE_RESULT_MISS),                                                \
	    CACHE(prefix "-prefetches", c, PERF_COUNT_HW_CACHE_OP_PREFETCH,                        \
	          PERF_COUNT_HW_CACHE_RESULT_ACCESS),                                              \
	    CACHE(prefix "-prefetch-misses", c, PERF_COUNT_HW_CACHE_OP_PREFETCH,                   \
	          PERF_COUNT_HW_CACHE_RESULT_MISS)

/* The perf counters, each under perf:cpu:, perf:thread: and (hidden, old) perf:. */
static const struct perf_counter {
	const char *name;
	uint32_t type;
	uint64_t config;
} perf_counters[] = {
    HW("cpu-cycles", CPU_CYCLES),
    HW("cycles", CPU_CYCLES),
    HW("stalled-cycles-frontend", STALLED_CYCLES_FRONTEND),
    HW("idle-cycles-frontend", STALLED_CYCLES_FRONTEND),
    HW("stalled-cycles-backend", STALLED_CYCLES_BACKEND),
    HW("idle-cycles-backend", STALLED_CYCLES_BACKEND),
    HW("instructions", INSTRUCTIONS),
    HW("cache-references", CACHE_REFERENCES),
    HW("cache-misses", CACHE_MISSES),
    HW("branch-instructions", BRANCH_INSTRUCTIONS),
    HW("branches", BRANCH_INSTRUCTIONS),
    HW("branch-misses", BRANCH_MISSES),
    HW("bus-cycles", BUS_CYCLES),
    CACHE6("L1-dcache", PERF_COUNT_HW_CACHE_L1D),
    CACHE6("L1-icache", PERF_COUNT_HW_CACHE_L1I),
    CACHE6("LLC", PERF_COUNT_HW_CACHE_LL),
    CACHE6("dTLB", PERF_COUNT_HW_CACHE_DTLB),
    CACHE("iTLB-loads", PERF_COUNT_HW_CACHE_ITLB, PERF_COUNT_HW_CACHE_OP_READ,
          PERF_COUNT_HW_CACHE_RESULT_ACCESS),
    CACHE("iTLB-load-misses", PERF_COUNT_HW_CACHE_ITLB, PERF_COUNT_HW_CACHE_OP_READ,
          PERF_COUNT_HW_CACHE_RESULT_MISS),
    CACHE("branch-loads", PERF_COUNT_HW_CACHE_BPU, PERF_COUNT_HW_CACHE_OP_READ,
          PERF_COUNT_HW_CACHE_RESULT_ACCESS),
    CACHE("branch-load-misses", PERF_COUNT_HW_CACHE_BPU, PERF_COUNT_HW_CACHE_OP_READ,
          PERF_COUNT_HW_CACHE_RESULT_MISS),
    SW("cpu-clock", CPU_CLOCK),
    SW("task-clock", TASK_CLOCK),
    SW("page-fault", PAGE_FAULTS),
    SW("faults", PAGE_FAULTS),
    SW("major-faults", PAGE_FAULTS_MAJ),
    SW("minor-faults", PAGE_FAULTS_MIN),
    SW("context-switches", CONTEXT_SWITCHES),
    SW("cs", CONTEXT_SWITCHES),
    SW("cpu-migrations", CPU_MIGRATIONS),
    SW("migrations", CPU_MIGRATIONS),
    SW("alignment-faults", ALIGNMENT_FAULTS),
    SW("emulation-faults", EMULATION_FAULTS),
};

/* The perf scopes: prefix and context type; the last one is hidden from --list. */
static const struct {
	const char *prefix;
	enum ringtrace_event_context_type type;
} perf_scopes[] = {
    {"perf:cpu:", RINGTRACE_EVENT_CONTEXT_PERF_CPU_COUNTER},
    {"perf:thread:", RINGTRACE_EVENT_CONTEXT_PERF_THREAD_COUNTER},
    {"perf:", RINGTRACE_EVENT_CONTEXT_PERF_COUNTER},
};

/* One -t: the symbol as given and what is sent. */
struct context_opt {
	const char *symbol;
	struct ringtrace_event_context ctx;
};

static int print_types(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(plain_types); i++)
		cli_msg("%s", plain_types[i].name);
	for (size_t s = 0; s + 1 < ARRAY_SIZE(perf_scopes); s++)
		for (size_t i = 0; i < ARRAY_SIZE(perf_counters); i++)
			cli_msg("%s%s", perf_scopes[s].prefix, perf_counters[i].name);
	return CMD_SUCCESS;
}

/* lttng's field name of a perf counter: the symbol with ':' and '-' made '_'. */
static void perf_set(struct ringtrace_event_context *ctx, const char *symbol, uint32_t type,
                     uint64_t config)
{
	struct ringtrace_event_perf_counter_ctx *perf = &ctx->perf_counter;

	perf->type = type;
	perf->config = config;
	snprintf(perf->name, sizeof(perf->name), "%s", symbol);
	for (char *p = perf->name; *p; p++)
		if (*p == ':' || *p == '-')
			*p = '_';
}

/*
 * "perf:cpu:raw:rNNN:NAME" / "perf:thread:raw:rNNN:NAME", with lttng's
 * messages. 0, or -EINVAL when symbol is not one (a message is printed when
 * it looked like one).
 */
static int parse_perf_raw(const char *symbol, struct ringtrace_event_context *ctx)
{
	_cleanup_free_ char *copy = strdup(symbol);
	char *save = NULL, *field;
	int pos = 0;

	if (!copy)
		return -ENOMEM;
	for (field = strtok_r(copy, ":", &save); field; field = strtok_r(NULL, ":", &save), pos++) {
		char *end;

		switch (pos) {
		case 0:
			if (strncmp(field, "perf", 4) != 0)
				return -EINVAL;
			break;
		case 1:
			if (strncmp(field, "cpu", 3) == 0)
				ctx->ctx = RINGTRACE_EVENT_CONTEXT_PERF_CPU_COUNTER;
			else if (strncmp(field, "thread", 4) == 0)
				ctx->ctx = RINGTRACE_EVENT_CONTEXT_PERF_THREAD_COUNTER;
			else
				return -EINVAL;
			break;
		case 2:
			if (strncmp(field, "raw", 3) != 0)
				return -EINVAL;
			break;
		case 3:
			errno = 0;
			if (strlen(field) < 2 || field[0] != 'r' ||
			    (ctx->perf_counter.config = strtoull(field + 1, &end, 16), errno) ||
			    *end) {
				cli_err("Wrong perf raw mask format: expected rNNN");
				return -EINVAL;
			}
			break;
		case 4:
			break;
		default:
			cli_err("Too many ':' in perf raw format");
			return -EINVAL;
		}
	}
	if (pos < 5) {
		cli_err("Invalid perf counter specifier, expected a specifier of the form "
		        "perf:cpu:raw:rNNN:<name> or perf:thread:raw:rNNN:<name>");
		return -EINVAL;
	}
	perf_set(ctx, symbol, PERF_TYPE_RAW, ctx->perf_counter.config);
	return 0;
}

/* "$app.PROVIDER:NAME", lttng's application contexts (both names non-empty). */
static bool is_app_context(const char *symbol)
{
	const char *colon = strchr(symbol, ':');

	return strncmp(symbol, "$app.", 5) == 0 && colon && colon > symbol + 5 && colon[1];
}

/*
 * Splits an application context at its first ':'. A name too long for the
 * request is left empty: add_contexts() reports it without sending it.
 */
static void app_context_set(struct ringtrace_event_context *ctx, const char *symbol)
{
	const char *provider = symbol + strlen("$app."), *colon = strchr(provider, ':');

	ctx->ctx = RINGTRACE_EVENT_CONTEXT_APP_CONTEXT;
	if (strlen(symbol) > RINGTRACE_APP_CONTEXT_NAME_MAX)
		return;
	memcpy(ctx->app_ctx.provider_name, provider, (size_t)(colon - provider));
	snprintf(ctx->app_ctx.ctx_name, sizeof(ctx->app_ctx.ctx_name), "%s", colon + 1);
}

static int parse_type(const char *symbol, struct ringtrace_event_context *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	if (is_app_context(symbol)) {
		app_context_set(ctx, symbol);
		return 0;
	}
	if (strncmp(symbol, "$app.", 5) == 0 && symbol[5]) {
		cli_err("Invalid application context provided: no provider or context name "
		        "provided.");
		return -EINVAL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(plain_types); i++) {
		if (strcmp(symbol, plain_types[i].name) == 0) {
			ctx->ctx = plain_types[i].type;
			return 0;
		}
	}
	for (size_t s = 0; s < ARRAY_SIZE(perf_scopes); s++) {
		size_t len = strlen(perf_scopes[s].prefix);

		if (strncmp(symbol, perf_scopes[s].prefix, len) != 0)
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(perf_counters); i++) {
			if (strcmp(symbol + len, perf_counters[i].name) == 0) {
				ctx->ctx = perf_scopes[s].type;
				perf_set(ctx, symbol, perf_counters[i].type,
				         perf_counters[i].config);
				return 0;
			}
		}
	}
	return parse_perf_raw(symbol, ctx);
}

static int add_contexts(const struct ringtrace_handle *handle, const struct context_opt *opts,
                        size_t n, const char *channel)
{
	bool warn = false;

	for (size_t i = 0; i < n; i++) {
		int r;

		if (opts[i].ctx.ctx == RINGTRACE_EVENT_CONTEXT_APP_CONTEXT &&
		    !opts[i].ctx.app_ctx.provider_name[0])
			r = -RINGTRACE_ERR_APP_CONTEXT_NAME_TOO_LONG;
		else
			r = ringtrace_add_context(handle, &opts[i].ctx, channel);
		if (r < 0) {
			cli_err("%s: %s", opts[i].symbol, ringtrace_strerror(r));
			warn = true;
		} else if (channel) {
			cli_msg("ust context %s added to channel %s", opts[i].symbol, channel);
		} else {
			cli_msg("ust context %s added to all channels", opts[i].symbol);
		}
	}
	return warn ? CMD_WARNING : CMD_SUCCESS;
}

int cmd_add_context(int argc, char **argv)
{
	struct ringtrace_handle handle = {
	    .domain = {.type = RINGTRACE_DOMAIN_UST, .buf_type = RINGTRACE_BUFFER_PER_UID}};
	_cleanup_free_ struct context_opt *opts = NULL;
	const char *session_opt = NULL, *channel = NULL;
	struct domain_opts domains = {0};
	size_t nr_opts = 0;
	int opt, r;

	opts = calloc((size_t)argc, sizeof(*opts));
	if (!opts)
		return -RINGTRACE_ERR_NOMEM;
	struct cli_args args = {
	    .usage = usage, .shortopts = "hs:c:kujlt:", .longopts = long_options};

	while ((opt = domain_args_next(&args, argc, argv, &domains, &session_opt)) > 0) {
		switch (opt) {
		case OPT_LIST:
			return print_types();
		case 'c':
			channel = optarg;
			break;
		case 't':
			if (parse_type(optarg, &opts[nr_opts].ctx) < 0) {
				cli_err("Unknown context type %s", optarg);
				return CMD_FATAL;
			}
			opts[nr_opts++].symbol = optarg;
			break;
		}
	}
	if (opt == 0)
		return args.result;
	r = cli_args_no_leftover(argc, argv);
	if (r == CMD_SUCCESS)
		r = domain_opts_check(&domains, true);
	if (r != CMD_SUCCESS)
		return r;
	if (nr_opts == 0) {
		cli_err("Missing mandatory -t TYPE");
		return CMD_ERROR;
	}
	r = current_session_resolve(session_opt, handle.session_name);
	if (r == CMD_SUCCESS)
		r = domain_opts_supported(&domains);
	if (r != CMD_SUCCESS)
		return r;
	return add_contexts(&handle, opts, nr_opts, channel);
}
