/* SPDX-License-Identifier: MIT */
/*
 * ringtrace record [-o DIR] [-e EVENTS] [-c CHANNEL] [CHANNEL OPTIONS] -- COMMAND [ARG...]
 *
 * The zero-setup path (a ringtrace extension): make sure a session daemon
 * runs, create an auto-named session, enable user space events (all by
 * default, but the library's state dump: the program's events are what is
 * asked for), start, run COMMAND with this environment and stdio, then stop
 * (waiting for the data), destroy, say where the trace is and whether it
 * holds anything, and exit with COMMAND's status.
 *
 * Signals: SIGINT, SIGTERM and SIGHUP sent to ringtrace by another process
 * are forwarded to COMMAND, and the trace is finished when it exits. Those
 * coming from the terminal already reach COMMAND (same process group), so
 * they are not forwarded twice.
 */
#include <errno.h>
#include <fcntl.h>
#include <ringtrace/ctl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "channel-opts.h"
#include "cli.h"
#include "common/macros.h"
#include "common/paths.h"
#include "output.h"
#include "session-wait.h"
#include "sessiond-launch.h"
#include "trace-check.h"

#define EXIT_CANNOT_EXECUTE 126
#define EXIT_NOT_FOUND      127
#define EXIT_SIGNAL_BASE    128

static const char usage[] =
    "Usage: ringtrace [GENERAL OPTIONS] record [OPTIONS] [--] COMMAND [ARG...]\n"
    "\n"
    "Record the user space events of COMMAND: spawn a session daemon if needed,\n"
    "create an ephemeral session, enable the events, start, run COMMAND, stop,\n"
    "destroy the session and print where the trace is. Exits with COMMAND's status.\n"
    "\n"
    "Options:\n"
    "  -o, --output=DIR            Write the trace to DIR (default:\n"
    "                            $RINGTRACE_HOME/ringtrace-traces/auto-DATE-TIME)\n"
    "  -e, --events=NAME[,NAME]    Events to record (`*` wildcard; default: all but\n"
    "                              the state dump, lttng_ust_statedump:*)\n"
    "  -c, --channel=CHANNEL       Channel name (default channel0)\n"
    "  CHANNEL OPTIONS             As enable-channel: --subbuf-size, --num-subbuf,\n"
    "                              --overwrite, --discard, --switch-timer, --read-timer,\n"
    "                              --monitor-timer, --blocking-timeout, --buffers-pid,\n"
    "                              --buffers-uid, --tracefile-size, --tracefile-count\n"
    "  -h, --help                  Show this help\n";

static const struct option long_options[] = {
    CLI_COMMON_LONG_OPTIONS,
    {"output", required_argument, NULL, 'o'},
    {"events", required_argument, NULL, 'e'},
    {"channel", required_argument, NULL, 'c'},
    CHANNEL_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

static const int forwarded_signals[] = {SIGINT, SIGTERM, SIGHUP};

static volatile sig_atomic_t child_pid;
static volatile sig_atomic_t interrupted;

static void on_signal(int sig, siginfo_t *info, void *context)
{
	pid_t pid = child_pid;

	interrupted = sig;
	/* si_code <= 0: sent by a process (kill, sigqueue), not by the terminal. */
	if (pid > 0 && info->si_code <= 0)
		kill(pid, sig);
}

static void install_signal_handlers(void)
{
	struct sigaction sa = {.sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | SA_RESTART};

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(forwarded_signals) / sizeof(forwarded_signals[0]); i++)
		sigaction(forwarded_signals[i], &sa, NULL);
}

/* Blocks the forwarded signals; returns the mask to restore. */
static sigset_t block_forwarded_signals(void)
{
	sigset_t set, old;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(forwarded_signals) / sizeof(forwarded_signals[0]); i++)
		sigaddset(&set, forwarded_signals[i]);
	sigprocmask(SIG_BLOCK, &set, &old);
	return old;
}

struct record_opts {
	const char *output;
	const char *events;
	const char *channel;
	struct channel_opts chan;
};

/* Channel (when asked for) and event rules of the new session. Returns CMD_*. */
static int setup_session(const struct record_opts *o, const struct ringtrace_handle *handle,
                         const struct ringtrace_channel_attr *attr)
{
	_cleanup_free_ char *names = NULL;
	char *save = NULL;
	int r = 0;

	if (o->chan.any || o->channel) {
		struct ringtrace_channel chan = {.enabled = 1, .attr = *attr};

		snprintf(chan.name, sizeof(chan.name), "%s",
		         o->channel ? o->channel : RINGTRACE_DEFAULT_CHANNEL_NAME);
		r = channel_attr_check_ust(attr);
		if (r == 0)
			r = ringtrace_enable_channel(handle, &chan);
		if (r < 0) {
			cli_err("Channel %s: %s (session %s)", chan.name, ringtrace_strerror(r),
			        handle->session_name);
			return CMD_ERROR;
		}
	}
	if (!o->events) {
		struct ringtrace_event ev = {.type = RINGTRACE_EVENT_TRACEPOINT, .loglevel = -1};
		char *statedump = "lttng_ust_statedump:*";

		strcpy(ev.name, "*");
		r = ringtrace_enable_event_with_exclusions(handle, &ev, o->channel, NULL, 1,
		                                           &statedump);
		if (r < 0)
			cli_err("Events: %s (channel %s, session %s)", ringtrace_strerror(r),
			        o->channel ? o->channel : RINGTRACE_DEFAULT_CHANNEL_NAME,
			        handle->session_name);
		return r < 0 ? CMD_ERROR : CMD_SUCCESS;
	}
	names = strdup(o->events);
	if (!names)
		return CMD_ERROR;
	for (char *name = strtok_r(names, ",", &save); name && r == 0;
	     name = strtok_r(NULL, ",", &save)) {
		struct ringtrace_event ev = {.type = RINGTRACE_EVENT_TRACEPOINT, .loglevel = -1};

		if (snprintf(ev.name, sizeof(ev.name), "%s", name) >= (int)sizeof(ev.name)) {
			cli_err("Event %s: Name too long (max. %d characters)", name,
			        RINGTRACE_SYMBOL_NAME_LEN - 1);
			r = -RINGTRACE_ERR_INVALID;
			break;
		}
		r = ringtrace_enable_event(handle, &ev, o->channel);
		if (r < 0)
			cli_err("Event %s: %s (channel %s, session %s)", name,
			        ringtrace_strerror(r),
			        o->channel ? o->channel : RINGTRACE_DEFAULT_CHANNEL_NAME,
			        handle->session_name);
	}
	return r < 0 ? CMD_ERROR : CMD_SUCCESS;
}

#define AUTO_NAME_ATTEMPTS 100

/*
 * An automatic session name whose trace directory does not exist yet, so
 * that two records within the same second never share a directory (the
 * daemon only makes the session name unique). Returns 0 or -errno.
 */
static int unused_auto_name(unsigned *attempt, char ret_name[RINGTRACE_NAME_MAX + 1],
                            char ret_dir[RINGTRACE_PATH_MAX])
{
	char home[PATH_MAX], stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int r = rt_home_dir(home);

	if (r < 0)
		return r;
	if (!localtime_r(&now, &tm) || strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm) == 0)
		return -EINVAL;
	for (; *attempt < AUTO_NAME_ATTEMPTS; (*attempt)++) {
		if (*attempt == 0)
			snprintf(ret_name, RINGTRACE_NAME_MAX + 1, "auto-%s", stamp);
		else
			snprintf(ret_name, RINGTRACE_NAME_MAX + 1, "auto%u-%s", *attempt, stamp);
		if (snprintf(ret_dir, RINGTRACE_PATH_MAX, "%s/" RT_TRACES_DIR_NAME "/%s", home,
		             ret_name) >= RINGTRACE_PATH_MAX)
			return -ENAMETOOLONG;
		if (access(ret_dir, F_OK) < 0 && errno == ENOENT)
			return 0;
	}
	return -EEXIST;
}

/* Creates the ephemeral session; returns 0 or a negative RINGTRACE_ERR_*. */
static int create_session(const char *output, char ret_name[RINGTRACE_NAME_MAX + 1])
{
	char dir[RINGTRACE_PATH_MAX];
	int r = -RINGTRACE_ERR_EXIST_SESS;

	if (output)
		return ringtrace_create_session_ext(NULL, output, 0, 0, ret_name);
	for (unsigned attempt = 0; r == -RINGTRACE_ERR_EXIST_SESS; attempt++) {
		if (unused_auto_name(&attempt, ret_name, dir) < 0)
			return ringtrace_create_session_ext(NULL, NULL, 0, 0, ret_name);
		r = ringtrace_create_session_ext(ret_name, dir, RINGTRACE_CREATE_AUTO_NAME, 0,
		                                 NULL);
	}
	return r;
}

/* The session's trace directory, from the daemon's listing. */
static void session_path(const char *name, char ret_path[RINGTRACE_PATH_MAX])
{
	_cleanup_free_ struct ringtrace_session *sessions = NULL;
	int n = ringtrace_list_sessions(&sessions);

	ret_path[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (strcmp(sessions[i].name, name) == 0)
			snprintf(ret_path, RINGTRACE_PATH_MAX, "%s", sessions[i].path);
	}
}

/*
 * Runs argv in a child with our environment and stdio. Returns its exit
 * status as a shell reports it: 128 + signal when killed, 126/127 when it
 * could not be executed (*ret_exec_failed set).
 */
static int run_command(char **argv, bool *ret_exec_failed)
{
	sigset_t old_mask;
	int pipe_fds[2], status, e = 0;
	ssize_t n;
	pid_t pid;

	*ret_exec_failed = true;
	if (pipe2(pipe_fds, O_CLOEXEC) < 0) {
		cli_err("Cannot create a pipe: %s", strerror(errno));
		return EXIT_NOT_FOUND;
	}
	fflush(stdout);
	fflush(stderr);
	/* Until child_pid is known, a signal to forward waits. */
	old_mask = block_forwarded_signals();
	pid = fork();
	if (pid == 0) {
		close(pipe_fds[0]);
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
		execvp(argv[0], argv);
		e = errno;
		(void)!write(pipe_fds[1], &e, sizeof(e));
		_exit(EXIT_NOT_FOUND);
	}
	child_pid = pid > 0 ? pid : 0;
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	close(pipe_fds[1]);
	if (pid < 0) {
		close(pipe_fds[0]);
		cli_err("Cannot run %s: %s", argv[0], strerror(errno));
		return EXIT_NOT_FOUND;
	}
	do
		n = read(pipe_fds[0], &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(pipe_fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	child_pid = 0;
	if (n == sizeof(e)) {
		cli_err("Cannot execute %s: %s", argv[0], strerror(e));
		return e == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE;
	}
	*ret_exec_failed = false;
	if (WIFSIGNALED(status))
		return EXIT_SIGNAL_BASE + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Stops (waiting for the data) and destroys; warns about lost events. */
static void finish_session(const char *name)
{
	struct data_wait wait = {
	    .header = "Waiting for data availability",
	    .header_always = true,
	    .on_stderr = true,
	};
	_cleanup_free_ char *stats = NULL;
	int r;

	r = ringtrace_stop_tracing_no_wait(name);
	/* A consumer loss is told once, by the destruction. */
	if (r < 0 && r != -RINGTRACE_ERR_TRACE_ALREADY_STOPPED && r != -RINGTRACE_ERR_CONSUMER_LOST)
		cli_err("%s", ringtrace_strerror(r));
	if (r == 0 && data_wait(name, &wait) < 0)
		cli_err("Waiting for the data of session %s failed", name);
	stats = session_stats_warning(name);
	if (stats)
		cli_note("%s", stats);
	r = ringtrace_destroy_session(name);
	if (r < 0)
		cli_err("Session %s: %s", name, ringtrace_strerror(r));
}

/* Tells what the trace holds, so that an empty trace is never a surprise. */
static void report_trace(const char *path, const char *command, const char *events)
{
	struct trace_summary summary;

	if (!path[0] || trace_summarize(path, &summary) < 0)
		return;
	if (summary.streams == 0) {
		cli_warn("No event was recorded: %s did not register with the session daemon (is "
		         "it instrumented with tracepoints and linked with libringtrace-ust?)",
		         command);
		if (access(path, F_OK) < 0)
			return; /* nothing at all was written */
	} else if (!summary.has_events) {
		cli_warn("No event was recorded: %s registered but hit no enabled tracepoint "
		         "(events: %s)",
		         command, events ? events : "all");
	}
	cli_note("Trace written to %s", path);
	cli_note("View it with: ringtrace view %s", path);
}

static int parse_options(int argc, char **argv, struct record_opts *o, bool *ret_done)
{
	int opt, r;

	*ret_done = false;
	channel_opts_init(&o->chan);
	/* '+': the first non-option is COMMAND; its own options are not ours. */
	struct cli_args args = {.usage = usage,
	                        .shortopts = "+ho:e:c:" CHANNEL_SHORT_OPTIONS,
	                        .longopts = long_options};

	while ((opt = cli_args_next(&args, argc, argv)) > 0) {
		bool consumed;

		r = channel_opts_parse(&o->chan, opt, optarg, &consumed);
		if (r != CMD_SUCCESS)
			return r;
		if (consumed)
			continue;
		switch (opt) {
		case 'o':
			o->output = optarg;
			break;
		case 'e':
			o->events = optarg;
			break;
		case 'c':
			o->channel = optarg;
			break;
		}
	}
	if (opt == 0) {
		*ret_done = true;
		return args.result;
	}
	return channel_opts_check(&o->chan);
}

int cmd_record(int argc, char **argv)
{
	struct ringtrace_handle handle = {.session_name = ""};
	struct ringtrace_channel_attr attr;
	struct record_opts o = {0};
	char path[RINGTRACE_PATH_MAX];
	char **command;
	bool done, exec_failed;
	int r, status;

	r = parse_options(argc, argv, &o, &done);
	if (r != CMD_SUCCESS || done)
		return r;
	if (optind >= argc) {
		cli_err(
		    "Missing command to record: ringtrace record [OPTIONS] -- COMMAND [ARG...]");
		return CMD_ERROR;
	}
	command = argv + optind;
	r = channel_opts_to_attr(&o.chan, &handle.domain, &attr);
	if (r != CMD_SUCCESS)
		return r;

	install_signal_handlers();
	r = sessiond_launch(true);
	if (r != CMD_SUCCESS)
		return r;
	r = create_session(o.output, handle.session_name);
	if (r < 0) {
		cli_err("%s", ringtrace_strerror(r));
		return CMD_ERROR;
	}
	session_path(handle.session_name, path);
	r = setup_session(&o, &handle, &attr);
	if (r == CMD_SUCCESS) {
		r = ringtrace_start_tracing(handle.session_name);
		if (r < 0)
			cli_err("%s", ringtrace_strerror(r));
	}
	if (r != CMD_SUCCESS || interrupted) {
		ringtrace_destroy_session(handle.session_name);
		return interrupted ? CMD_EXIT_STATUS(EXIT_SIGNAL_BASE + interrupted) : CMD_ERROR;
	}
	cli_note("Recording session %s started: traces will be output to %s", handle.session_name,
	         path[0] ? path : "(none)");

	status = run_command(command, &exec_failed);
	finish_session(handle.session_name);
	if (!exec_failed)
		report_trace(path, command[0], o.events);
	return CMD_EXIT_STATUS(status);
}
