/* SPDX-License-Identifier: MIT */
/*
 * ringtrace-sessiond: options, daemonization, the run directory and its
 * lock, startup in dependency order, the signal loop, and a clean shutdown.
 *
 * Readiness: with -d/-b the process that was started forks; the child sets
 * everything up and writes one byte on a pipe once its sockets listen, and
 * only then does the parent exit 0 (it exits with the child's status if the
 * child fails first). --sig-parent also sends SIGUSR1 to the process that
 * started us, as lttng-sessiond does.
 *
 * Shutdown (SIGTERM, SIGINT, SIGHUP): stop accepting clients, stop every
 * active session and give the consumer a few seconds to write what was
 * flushed, release the sessions, stop the app side, let the consumer exit,
 * then remove the sockets and the pid file.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "access.h"
#include "autoload.h"
#include "channel-monitor.h"
#include "client.h"
#include "cmd.h"
#include "common/clock.h"
#include "common/daemon-opts.h"
#include "config.h"
#include "consumer-loss.h"
#include "consumer.h"
#include "log.h"
#include "macros.h"
#include "paths.h"
#include "rotation-schedule.h"
#include "unix-sock.h"
#include "ust-app.h"

#define PROGRAM_NAME          "ringtrace-sessiond"
#define LOCK_FILE_NAME        "ringtrace-sessiond.lck"
#define SHUTDOWN_DATA_WAIT_MS 3000
#define PID_FILE_MODE         0644
#define MAX_VERBOSITY         3

struct sessiond_options {
	bool daemonize;
	bool background;
	bool sig_parent;
	bool quiet;
	int verbosity;
	unsigned consumer_verbosity;
	const char *group;
	const char *consumerd64_path;
	const char *load_path;
	const char *pidfile;
};

enum {
	OPT_VERBOSE_CONSUMER = 0x100,
	OPT_CONSUMERD64_PATH,
	OPT_CONSUMERD32_PATH,
	OPT_NO_KERNEL,
	OPT_PIDFILE,
};

/* Paths the daemon owns, all absolute (resolved before chdir("/")). */
struct sessiond_paths {
	char rundir[PATH_MAX];
	char client_sock[PATH_MAX];
	char app_sock[PATH_MAX];
	char pid_file[PATH_MAX];
	char lock_file[PATH_MAX];
	char extra_pid_file[PATH_MAX]; /* --pidfile, "" if none */
	char consumerd[PATH_MAX];      /* "" = consumer.c's default */
};

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: " PROGRAM_NAME " [OPTION]...\n"
	        "\n"
	        "Session daemon of ringtrace: manages tracing sessions, the applications\n"
	        "that register to be traced, and the consumer daemon that writes traces.\n"
	        "Run by a user, it serves that user from $RINGTRACE_HOME/.ringtrace\n"
	        "(RINGTRACE_HOME defaults to HOME); run by root without RINGTRACE_HOME, it\n"
	        "serves root and the tracing group from " RT_ROOT_RUNDIR ".\n"
	        "\n"
	        "  -d, --daemonize            start as a daemon, closing stdin/stdout/stderr\n"
	        "  -b, --background           start as a daemon, keeping the console open\n"
	        "  -S, --sig-parent           send SIGUSR1 to the parent process once ready\n"
	        "  -g, --group=NAME           tracing group of the root daemon "
	        "(default: " RT_TRACING_GROUP ")\n"
	        "  -l, --load=PATH            load the session configurations of PATH (a file\n"
	        "                             or a directory) instead of those of the user's\n"
	        "                             and the system's sessions/auto directories\n"
	        "      --consumerd64-path=PATH  consumer daemon binary (default:\n"
	        "                             $RINGTRACE_CONSUMERD_PATH, else the installed one)\n"
	        "      --consumerd32-path=PATH  accepted for compatibility, unused\n"
	        "      --no-kernel            accepted for compatibility (no kernel tracing)\n"
	        "      --pidfile=PATH         also write the daemon's PID to PATH\n"
	        "  -v, --verbose              more messages (up to -vvv)\n"
	        "      --verbose-consumer     more messages from the consumer daemon\n"
	        "  -q, --quiet                no messages at all\n"
	        "  -h, --help                 show this help\n"
	        "  -V, --version              show the version\n");
}

static int apply_option(void *arg, int c, const char *value)
{
	struct sessiond_options *opts = arg;

	switch (c) {
	case 'd':
		opts->daemonize = true;
		break;
	case 'b':
		opts->background = true;
		break;
	case 'S':
		opts->sig_parent = true;
		break;
	case 'g':
		opts->group = value;
		break;
	case 'l':
		opts->load_path = value;
		break;
	case 'v':
		if (opts->verbosity < MAX_VERBOSITY)
			opts->verbosity++;
		break;
	case 'q':
		opts->quiet = true;
		break;
	case OPT_VERBOSE_CONSUMER:
		opts->consumer_verbosity++;
		break;
	case OPT_CONSUMERD64_PATH:
		opts->consumerd64_path = value;
		break;
	case OPT_PIDFILE:
		opts->pidfile = value;
		break;
	default: /* OPT_CONSUMERD32_PATH, OPT_NO_KERNEL: accepted, nothing to do */
		break;
	}
	return 0;
}

/* 0 to run, 1 to exit successfully (help, version), -1 on a usage error. */
static int parse_options(int argc, char **argv, struct sessiond_options *ret_opts)
{
	static const struct option long_options[] = {
	    {"daemonize", no_argument, NULL, 'd'},
	    {"background", no_argument, NULL, 'b'},
	    {"sig-parent", no_argument, NULL, 'S'},
	    {"group", required_argument, NULL, 'g'},
	    {"load", required_argument, NULL, 'l'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"verbose-consumer", no_argument, NULL, OPT_VERBOSE_CONSUMER},
	    {"consumerd64-path", required_argument, NULL, OPT_CONSUMERD64_PATH},
	    {"consumerd32-path", required_argument, NULL, OPT_CONSUMERD32_PATH},
	    {"no-kernel", no_argument, NULL, OPT_NO_KERNEL},
	    {"pidfile", required_argument, NULL, OPT_PIDFILE},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {0},
	};
	static const struct daemon_opts cli = {
	    .program = PROGRAM_NAME,
	    .short_options = "dbSg:l:vqhV",
	    .long_options = long_options,
	    .usage = usage,
	    .apply = apply_option,
	};
	int r;

	*ret_opts = (struct sessiond_options){0};
	r = daemon_opts_parse(&cli, argc, argv, ret_opts);
	if (r != 0)
		return r;
	if (ret_opts->quiet && (ret_opts->verbosity || ret_opts->consumer_verbosity)) {
		fprintf(stderr, PROGRAM_NAME ": --quiet cannot be combined with --verbose or "
		                             "--verbose-consumer\n");
		return -1;
	}
	return 0;
}

static int make_absolute(const char *path, char ret_path[PATH_MAX])
{
	char cwd[PATH_MAX];

	if (path[0] == '/')
		return snprintf(ret_path, PATH_MAX, "%s", path) >= PATH_MAX ? -ENAMETOOLONG : 0;
	if (!getcwd(cwd, sizeof(cwd)))
		return negative_errno();
	return snprintf(ret_path, PATH_MAX, "%s/%s", cwd, path) >= PATH_MAX ? -ENAMETOOLONG : 0;
}

static int join(const char *dir, const char *name, char ret_path[PATH_MAX])
{
	return snprintf(ret_path, PATH_MAX, "%s/%s", dir, name) >= PATH_MAX ? -ENAMETOOLONG : 0;
}

/*
 * Every path is made absolute now: a daemon runs from "/". RINGTRACE_HOME
 * itself is rewritten so that default trace paths stay right later on.
 */
static int resolve_paths(const struct sessiond_options *opts, bool root,
                         struct sessiond_paths *ret_paths)
{
	const char *home = getenv("RINGTRACE_HOME");
	const char *consumerd = opts->consumerd64_path;
	char abs_home[PATH_MAX], rundir[PATH_MAX];
	int r;

	*ret_paths = (struct sessiond_paths){0};
	if (home && *home && home[0] != '/') {
		r = make_absolute(home, abs_home);
		if (r < 0 || setenv("RINGTRACE_HOME", abs_home, 1) < 0)
			return r < 0 ? r : negative_errno();
	}
	r = rt_rundir(root, rundir);
	if (r < 0)
		return r;
	r = make_absolute(rundir, ret_paths->rundir);
	if (r < 0)
		return r;
	if ((r = join(ret_paths->rundir, RT_CLIENT_SOCK_NAME, ret_paths->client_sock)) < 0 ||
	    (r = join(ret_paths->rundir, RT_APP_SOCK_NAME, ret_paths->app_sock)) < 0 ||
	    (r = join(ret_paths->rundir, RT_SESSIOND_PID_NAME, ret_paths->pid_file)) < 0 ||
	    (r = join(ret_paths->rundir, LOCK_FILE_NAME, ret_paths->lock_file)) < 0)
		return r;
	if (opts->pidfile && (r = make_absolute(opts->pidfile, ret_paths->extra_pid_file)) < 0)
		return r;
	if (!consumerd || !*consumerd)
		consumerd = getenv("RINGTRACE_CONSUMERD_PATH");
	if (consumerd && *consumerd && (r = make_absolute(consumerd, ret_paths->consumerd)) < 0)
		return r;
	return 0;
}

/*
 * Forks; the parent waits for the child's readiness byte and exits with
 * success, or with the child's exit status when it fails first. Returns in
 * the child with *ret_ready_fd to write once ready.
 */
static int daemonize(int *ret_ready_fd)
{
	int pipefd[2];
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return negative_errno();
	pid = fork();
	if (pid < 0)
		return negative_errno();
	if (pid > 0) {
		char ready;
		ssize_t n;
		int status;

		close(pipefd[1]);
		do
			n = read(pipefd[0], &ready, 1);
		while (n < 0 && errno == EINTR);
		if (n == 1)
			_exit(EXIT_SUCCESS);
		if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status))
			_exit(WEXITSTATUS(status));
		_exit(EXIT_FAILURE);
	}
	close(pipefd[0]);
	if (setsid() < 0)
		return negative_errno();
	if (chdir("/") < 0)
		return negative_errno();
	*ret_ready_fd = pipefd[1];
	return 0;
}

static void redirect_stdio_to_null(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return;
	for (int target = STDIN_FILENO; target <= STDERR_FILENO; target++)
		(void)dup2(fd, target);
	if (fd > STDERR_FILENO)
		close(fd);
}

/* Holds the run directory's lock for the daemon's lifetime; -EBUSY when held elsewhere. */
static int take_lock(const char *path, int *ret_fd)
{
	_cleanup_close_ int fd = -1;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return negative_errno();
	if (flock(fd, LOCK_EX | LOCK_NB) < 0)
		return errno == EWOULDBLOCK ? -EBUSY : negative_errno();
	*ret_fd = TAKE_FD(fd);
	return 0;
}

/* A daemon answering on the socket, even one that predates the lock file. */
static bool daemon_answers(const char *client_sock)
{
	int fd = unix_sock_connect(client_sock);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static int write_pid_file(const char *path)
{
	_cleanup_close_ int fd = -1;
	char buf[32];
	int n;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, PID_FILE_MODE);
	if (fd < 0)
		return negative_errno();
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	if (write(fd, buf, (size_t)n) != n)
		return errno ? negative_errno() : -EIO;
	return 0;
}

static int signals_setup(int *ret_signal_fd)
{
	sigset_t mask;
	int fd;

	/* Peers that go away must give EPIPE, not kill the daemon. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGCHLD);
	/* Blocked before any thread starts, so that only the signalfd sees them. */
	if (pthread_sigmask(SIG_BLOCK, &mask, NULL) != 0)
		return -EINVAL;
	fd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (fd < 0)
		return negative_errno();
	*ret_signal_fd = fd;
	return 0;
}

/* Serves signals until one asks us to stop. */
static void signal_loop(int signal_fd)
{
	for (;;) {
		struct signalfd_siginfo info;
		ssize_t n = read(signal_fd, &info, sizeof(info));

		if (n < 0 && errno == EINTR)
			continue;
		if (n != sizeof(info)) {
			log_error("Reading signals failed: %s; shutting down",
			          n < 0 ? strerror(errno) : "short read");
			return;
		}
		if (info.ssi_signo == SIGCHLD) {
			consumer_reap();
			/* Also after a death a request saw (the consumer was reaped then). */
			consumer_loss_sweep();
			continue;
		}
		log_info("Received signal %u (%s): shutting down", info.ssi_signo,
		         strsignal((int)info.ssi_signo));
		return;
	}
}

static void remove_file(const char *path)
{
	if (path[0] && unlink(path) < 0 && errno != ENOENT)
		log_warn("Cannot remove %s: %s", path, strerror(errno));
}

static void shutdown_daemon(const struct sessiond_paths *paths)
{
	client_listener_stop();
	rotation_schedule_stop();
	cmd_stop_all_sessions(SHUTDOWN_DATA_WAIT_MS);
	cmd_destroy_all_sessions();
	ust_app_threads_stop();
	consumer_shutdown();
	channel_monitor_close();
	remove_file(paths->app_sock);
	remove_file(paths->pid_file);
	remove_file(paths->extra_pid_file);
	log_info("Session daemon stopped");
}

/*
 * Measures the trace clock's frequency (RT_CLOCK_CALIBRATION_NS for a TSC),
 * which the metadata of every session describes the clock with. Off the
 * startup path: a registry created before it is done waits for it.
 */
static void *clock_calibration_thread(void *arg)
{
	enum rt_clock_source source = rt_clock_source();
	const struct rt_clock_calibration *cal = rt_clock_calibration();

	if (cal->freq_hz == 0)
		log_warn("Cannot calibrate the trace clock (%s): no trace can be created",
		         rt_clock_source_name(source));
	else
		log_info("Trace clock: %s, %" PRIu64 " Hz, within %" PRIu64 " ppb of "
		         "CLOCK_MONOTONIC's rate",
		         rt_clock_source_name(source), cal->freq_hz, cal->error_ppb);
	return NULL;
}

static void clock_calibration_start(void)
{
	pthread_t thread;

	if (pthread_create(&thread, NULL, clock_calibration_thread, NULL) == 0)
		pthread_detach(thread);
	else
		clock_calibration_thread(NULL);
}

/* Everything up to readiness; messages go to the still-open stderr. */
static int start_daemon(const struct sessiond_options *opts, const struct sessiond_paths *paths,
                        bool root, int *ret_lock_fd)
{
	int r;

	r = access_prepare_rundir(paths->rundir);
	if (r < 0) {
		log_error("Cannot prepare the run directory %s: %s", paths->rundir, strerror(-r));
		return r;
	}
	r = take_lock(paths->lock_file, ret_lock_fd);
	if (r == -EBUSY || (r == 0 && daemon_answers(paths->client_sock))) {
		log_error("A session daemon is already running (run directory %s)", paths->rundir);
		return -EBUSY;
	}
	if (r < 0) {
		log_error("Cannot lock %s: %s", paths->lock_file, strerror(-r));
		return r;
	}
	clock_calibration_start();
	consumer_set_path(paths->consumerd[0] ? paths->consumerd : NULL);
	consumer_set_verbosity(opts->consumer_verbosity);
	r = rotation_schedule_start();
	if (r < 0) {
		log_error("Cannot start the rotation schedule thread: %s", strerror(-r));
		return r;
	}

	/*
	 * The client socket opens last: a client that gets an answer finds the
	 * app socket and the pid file already there.
	 */
	r = ust_app_threads_start(paths->app_sock, root);
	if (r < 0) {
		log_error("Cannot serve applications on %s (error %d)", paths->app_sock, -r);
		return r;
	}
	r = write_pid_file(paths->pid_file);
	if (r == 0 && paths->extra_pid_file[0])
		r = write_pid_file(paths->extra_pid_file);
	if (r < 0) {
		log_error("Cannot write the pid file: %s", strerror(-r));
		shutdown_daemon(paths);
		return r;
	}
	r = client_listener_start(paths->client_sock);
	if (r < 0) {
		log_error("Cannot listen on the client socket %s: %s", paths->client_sock,
		          strerror(-r));
		shutdown_daemon(paths);
		return r;
	}
	r = sessiond_load_sessions(opts->load_path);
	if (r < 0) {
		shutdown_daemon(paths);
		return r;
	}
	log_info("Session daemon ready (pid %d), client socket %s", (int)getpid(),
	         paths->client_sock);
	return 0;
}

int main(int argc, char **argv)
{
	struct sessiond_options opts;
	struct sessiond_paths paths;
	_cleanup_close_ int signal_fd = -1;
	_cleanup_close_ int lock_fd = -1;
	int ready_fd = -1;
	pid_t starter = getppid();
	bool root;
	int r;

	r = parse_options(argc, argv, &opts);
	if (r != 0)
		return r > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	log_setup(PROGRAM_NAME, opts.quiet ? -2 : opts.verbosity);

	root = access_want_root_daemon();
	access_init(root, opts.group);
	if (opts.group && !root)
		log_warn("--group only applies to the root session daemon; ignored");
	r = resolve_paths(&opts, root, &paths);
	if (r < 0) {
		log_error("Cannot determine the run directory: %s (set RINGTRACE_HOME or HOME)",
		          strerror(-r));
		return EXIT_FAILURE;
	}
	if (opts.daemonize || opts.background) {
		r = daemonize(&ready_fd);
		if (r < 0) {
			log_error("Cannot daemonize: %s", strerror(-r));
			return EXIT_FAILURE;
		}
	}
	r = signals_setup(&signal_fd);
	if (r < 0) {
		log_error("Cannot set up signal handling: %s", strerror(-r));
		return EXIT_FAILURE;
	}
	r = start_daemon(&opts, &paths, root, &lock_fd);
	if (r < 0)
		return EXIT_FAILURE;

	if (opts.daemonize)
		redirect_stdio_to_null();
	if (ready_fd >= 0) {
		if (write(ready_fd, "", 1) != 1)
			log_warn("Cannot tell the starting process that the daemon is ready: %s",
			         strerror(errno));
		close(ready_fd);
	}
	if (opts.sig_parent && starter > 1)
		kill(starter, SIGUSR1);

	signal_loop(signal_fd);
	shutdown_daemon(&paths);
	return EXIT_SUCCESS;
}
