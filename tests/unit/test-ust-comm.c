/* SPDX-License-Identifier: MIT */
/*
 * libringtrace-ust's session-daemon side, driven from outside: this test
 * plays the session daemon on <tmp>/.ringtrace/ust-ringtrace-sock and runs
 * test-ust-comm-helper (an app linked with the library, one provider) with
 * RINGTRACE_HOME=<tmp>. It checks the registration messages, sets up a
 * session with real ring-buffer streams, answers the event registration on
 * the notify socket, and reads back what the app recorded. Also: no daemon
 * (no delay, no output), a daemon that never answers (register timeout), a
 * daemon that dies and comes back, malformed commands, fork.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "common/comm/frame.h"
#include "common/comm/ust-msg.h"
#include "common/comm/ust-wire.h"
#include "common/macros.h"
#include "common/unix-sock.h"
#include "ctf/packet.h"
#include "filter/filter-compile.h"
#include "ringbuffer/ringbuffer.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EVENT_NAME     "ust_comm_test:ping"
#define EVENT_ID       42u
#define SESSION_HANDLE 1u
#define CHANNEL_HANDLE 2u
#define ENABLER_HANDLE 3u
#define STREAM_ID      0u
#define IO_TIMEOUT_MS  5000
#define MAX_STREAMS    1024

static char helper_path[PATH_MAX + 32];

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* --- the fake session daemon --- */

struct fake_sessiond {
	char home[64];
	char rundir[128];
	char sock_path[256];
	int listen_fd;
};

static void sd_listen(struct fake_sessiond *sd)
{
	sd->listen_fd = unix_sock_listen(sd->sock_path, 0600);
	assert_true(sd->listen_fd >= 0);
}

static void sd_init(struct fake_sessiond *sd, bool make_rundir, bool listen)
{
	snprintf(sd->home, sizeof(sd->home), "/tmp/rt-ust-comm-XXXXXX");
	assert_non_null(mkdtemp(sd->home));
	snprintf(sd->rundir, sizeof(sd->rundir), "%s/.ringtrace", sd->home);
	snprintf(sd->sock_path, sizeof(sd->sock_path), "%s/ust-ringtrace-sock", sd->rundir);
	sd->listen_fd = -1;
	if (make_rundir)
		assert_int_equal(mkdir(sd->rundir, 0700), 0);
	if (listen)
		sd_listen(sd);
}

static void sd_close_listener(struct fake_sessiond *sd)
{
	if (sd->listen_fd >= 0)
		close(sd->listen_fd);
	sd->listen_fd = -1;
	unlink(sd->sock_path);
}

static void sd_fini(struct fake_sessiond *sd)
{
	sd_close_listener(sd);
	rmdir(sd->rundir);
	rmdir(sd->home);
}

/* --- the helper app --- */

struct helper {
	pid_t pid;
	int out_fd; /* its stdout + stderr */
	long start_ms;
	bool exited;
	int status;
	long exit_ms;
};

/*
 * Processes a test started and has not reaped: killed by the teardown when
 * an assertion ended the test early, so nothing outlives it.
 */
static pid_t live_pids[16];

static void live_add(pid_t pid)
{
	for (size_t i = 0; i < ARRAY_SIZE(live_pids); i++) {
		if (live_pids[i] == 0) {
			live_pids[i] = pid;
			return;
		}
	}
}

static void live_remove(pid_t pid)
{
	for (size_t i = 0; i < ARRAY_SIZE(live_pids); i++)
		if (live_pids[i] == pid)
			live_pids[i] = 0;
}

static int teardown_kill_leftovers(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(live_pids); i++) {
		if (live_pids[i] == 0)
			continue;
		kill(live_pids[i], SIGKILL);
		waitpid(live_pids[i], NULL, 0); /* reaps our children; others are reaped by init */
		live_pids[i] = 0;
	}
	return 0;
}

/*
 * An app run as root also registers with the root session daemon
 * (/run/ringtrace), which another user of the machine may be running: the
 * helper gets a private, empty /run/ringtrace so that only our fake daemon
 * exists for it. Without the privilege to do so, the test runs as is.
 */
static void hide_root_daemon(void)
{
	if (geteuid() != 0 || access("/run/ringtrace", F_OK) != 0)
		return;
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", "/run/ringtrace", "tmpfs", 0, "mode=0750") < 0)
		fprintf(stderr, "test-ust-comm: cannot hide /run/ringtrace (%m); a root "
		                "session daemon running now may delay the helper\n");
}

/* timeout_env NULL: RINGTRACE_REGISTER_TIMEOUT unset (default 3 s). */
static void helper_spawn(struct helper *h, const struct fake_sessiond *sd, const char *timeout_env,
                         bool debug, const char *mode, const char *arg)
{
	int out[2];

	assert_int_equal(pipe2(out, O_CLOEXEC), 0);
	memset(h, 0, sizeof(*h));
	h->start_ms = now_ms();
	h->pid = fork();
	assert_true(h->pid >= 0);
	if (h->pid == 0) {
		hide_root_daemon();
		dup2(out[1], STDOUT_FILENO);
		dup2(out[1], STDERR_FILENO);
		setenv("RINGTRACE_HOME", sd->home, 1);
		unsetenv("LTTNG_UST_REGISTER_TIMEOUT");
		if (timeout_env)
			setenv("RINGTRACE_REGISTER_TIMEOUT", timeout_env, 1);
		else
			unsetenv("RINGTRACE_REGISTER_TIMEOUT");
		if (debug)
			setenv("RINGTRACE_DEBUG", "1", 1);
		else
			unsetenv("RINGTRACE_DEBUG");
		execl(helper_path, helper_path, mode, arg, (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	h->out_fd = out[0];
	live_add(h->pid);
}

static bool helper_poll_exit(struct helper *h)
{
	if (!h->exited && waitpid(h->pid, &h->status, WNOHANG) == h->pid) {
		h->exited = true;
		h->exit_ms = now_ms();
		live_remove(h->pid);
	}
	return h->exited;
}

/* Everything the helper wrote (after it exited). */
static size_t helper_output(struct helper *h, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len + 1 < size && (n = read(h->out_fd, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(h->out_fd);
	if (len > 0)
		print_message("helper output:\n%s\n", buf);
	return len;
}

/* Waits for the helper's exit; true when it exited normally with status 0. */
static bool helper_wait(struct helper *h)
{
	if (!h->exited) {
		if (waitpid(h->pid, &h->status, 0) != h->pid)
			return false;
		h->exited = true;
		h->exit_ms = now_ms();
		live_remove(h->pid);
	}
	return WIFEXITED(h->status) && WEXITSTATUS(h->status) == 0;
}

/* --- one app connection (command + notify sockets) --- */

struct app {
	int cmd_fd;
	int notify_fd;
	struct ust_reg_msg cmd_reg;
	struct ust_reg_msg notify_reg;
	int nr_events_registered;
	struct ust_notify_event last_event;
};

static int app_handle_notify(struct app *app);

/*
 * Accepts one connection within timeout_ms; meanwhile answers the
 * notifications of serve (if not NULL), an app that may be blocked on one.
 */
static int accept_timeout(int listen_fd, int timeout_ms, struct app *serve)
{
	long end = now_ms() + timeout_ms;
	int fd;

	for (;;) {
		struct pollfd pfds[2] = {
		    {.fd = listen_fd, .events = POLLIN},
		    {.fd = serve ? serve->notify_fd : -1, .events = POLLIN},
		};
		long left = end - now_ms();

		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(pfds, 2, (int)left) <= 0)
			continue;
		if (pfds[1].revents & POLLIN) {
			if (app_handle_notify(serve) < 0)
				serve = NULL;
			continue;
		}
		if (pfds[0].revents & POLLIN)
			break;
	}
	fd = unix_sock_accept(listen_fd);
	if (fd >= 0)
		unix_sock_set_timeouts(fd, IO_TIMEOUT_MS);
	return fd;
}

static void check_reg_msg(const struct ust_reg_msg *reg, uint32_t socket_type)
{
	assert_int_equal(reg->magic, UST_REG_MAGIC);
	assert_int_equal(reg->major, UST_REG_ABI_MAJOR);
	assert_int_equal(reg->minor, UST_REG_ABI_MINOR);
	assert_int_equal(reg->uid, getuid());
	assert_int_equal(reg->gid, getgid());
	assert_int_equal(reg->bits_per_long, sizeof(long) * 8);
#if defined(__x86_64__) || defined(__i386__)
	assert_int_equal(reg->uint8_t_alignment, 8);
	assert_int_equal(reg->uint16_t_alignment, 8);
	assert_int_equal(reg->uint32_t_alignment, 8);
	assert_int_equal(reg->uint64_t_alignment, 8);
	assert_int_equal(reg->long_alignment, 8);
#endif
	assert_int_equal(reg->socket_type, socket_type);
	assert_non_null(memchr(reg->name, '\0', sizeof(reg->name)));
	for (size_t i = 0; i < sizeof(reg->padding); i++)
		assert_int_equal(reg->padding[i], 0);
}

/*
 * Accepts the command then the notify connection of one app, checking both
 * messages; serves the notifications of serve (may be NULL) meanwhile.
 */
static int app_accept(struct app *app, struct fake_sessiond *sd, int timeout_ms, struct app *serve)
{
	uint8_t raw[UST_REG_MSG_SIZE];

	memset(app, 0, sizeof(*app));
	app->notify_fd = -1;
	app->cmd_fd = accept_timeout(sd->listen_fd, timeout_ms, serve);
	if (app->cmd_fd < 0)
		return app->cmd_fd;
	assert_int_equal(unix_sock_recv(app->cmd_fd, raw, sizeof(raw), NULL, 0, NULL), 0);
	memcpy(&app->cmd_reg, raw, sizeof(raw));
	check_reg_msg(&app->cmd_reg, UST_SOCKET_CMD);
	app->notify_fd = accept_timeout(sd->listen_fd, IO_TIMEOUT_MS, serve);
	assert_true(app->notify_fd >= 0);
	assert_int_equal(unix_sock_recv(app->notify_fd, raw, sizeof(raw), NULL, 0, NULL), 0);
	memcpy(&app->notify_reg, raw, sizeof(raw));
	check_reg_msg(&app->notify_reg, UST_SOCKET_NOTIFY);
	assert_int_equal(app->notify_reg.pid, app->cmd_reg.pid);
	return 0;
}

static void app_close(struct app *app)
{
	if (app->cmd_fd >= 0)
		close(app->cmd_fd);
	if (app->notify_fd >= 0)
		close(app->notify_fd);
	app->cmd_fd = app->notify_fd = -1;
}

/* Answers one notification: the payload must decode (the app's encoder vs our decoder). */
static int app_handle_notify(struct app *app)
{
	_cleanup_free_ void *payload = NULL;
	struct ust_wire_event *ev = NULL;
	struct comm_frame frame;
	struct ust_notify_event_reply reply = {.event_id = EVENT_ID};
	int r;

	r = comm_recv(app->notify_fd, &frame, &payload, UST_MSG_MAX_PAYLOAD, NULL, 0);
	if (r < 0)
		return r;
	assert_int_equal(frame.type, UST_NOTIFY_REGISTER_EVENT);
	assert_int_equal(ust_wire_decode_event(payload, frame.payload_len, &ev), 0);
	assert_string_equal(ev->name, EVENT_NAME);
	assert_int_equal(ev->session_handle, SESSION_HANDLE);
	assert_int_equal(ev->channel_handle, CHANNEL_HANDLE);
	assert_int_equal(ev->desc.nr_fields, 2);
	assert_string_equal(ev->desc.fields[0].name, "seq");
	assert_int_equal(ev->desc.fields[0].kind, RINGTRACE_TYPE_INTEGER);
	assert_int_equal(ev->desc.fields[0].type.integer.size_bits, 32);
	assert_string_equal(ev->desc.fields[1].name, "msg");
	assert_int_equal(ev->desc.fields[1].kind, RINGTRACE_TYPE_STRING);
	memcpy(&app->last_event, payload, sizeof(app->last_event));
	ust_wire_event_free(ev);
	app->nr_events_registered++;
	return comm_send(app->notify_fd, UST_NOTIFY_REGISTER_EVENT, 0, &reply, sizeof(reply), NULL,
	                 0);
}

/* Serves the notify socket for up to timeout_ms, or until the helper exits. */
static void app_serve_notify(struct app *app, struct helper *h, int timeout_ms)
{
	long end = now_ms() + timeout_ms;

	bool connected = true;

	while (now_ms() < end && !(h && helper_poll_exit(h))) {
		struct pollfd pfd = {.fd = connected ? app->notify_fd : -1, .events = POLLIN};

		/* Once the app closed the socket (exiting), only wait for its exit. */
		if (poll(&pfd, 1, 10) == 1 && app_handle_notify(app) < 0)
			connected = false;
	}
}

/*
 * Sends a command and returns the reply status, serving notifications
 * meanwhile (the app may register events before answering).
 */
static int app_cmd(struct app *app, uint32_t type, const void *payload, uint32_t len,
                   const int *fds, unsigned nr_fds, void **ret_reply, uint32_t *ret_reply_len)
{
	long end = now_ms() + IO_TIMEOUT_MS;
	bool notify_open = true;

	assert_int_equal(comm_send(app->cmd_fd, type, 0, payload, len, fds, nr_fds), 0);
	while (now_ms() < end) {
		struct pollfd pfds[2] = {
		    {.fd = app->cmd_fd, .events = POLLIN},
		    {.fd = notify_open ? app->notify_fd : -1, .events = POLLIN},
		};

		if (poll(pfds, 2, 100) <= 0)
			continue;
		if (pfds[1].revents & POLLIN) {
			/* An app ending right after this command closes it: the reply is still due.
			 */
			if (app_handle_notify(app) < 0)
				notify_open = false;
			continue;
		}
		if (pfds[0].revents) {
			struct comm_frame frame;
			void *reply = NULL;

			assert_int_equal(
			    comm_recv(app->cmd_fd, &frame, &reply, UST_MSG_MAX_PAYLOAD, NULL, 0),
			    0);
			assert_int_equal(frame.type, type);
			if (ret_reply) {
				*ret_reply = reply;
				*ret_reply_len = frame.payload_len;
			} else {
				free(reply);
			}
			return frame.status;
		}
	}
	fail_msg("no reply to command %u", type);
	return -ETIMEDOUT;
}

static int app_cmd_handle(struct app *app, uint32_t type, uint32_t handle)
{
	struct ust_cmd_handle msg = {.handle = handle};

	return app_cmd(app, type, &msg, sizeof(msg), NULL, 0, NULL, NULL);
}

/* --- ring buffers the test owns (as consumerd would) --- */

struct test_channel {
	unsigned nr_streams;
	int shm_fd[MAX_STREAMS];
	int wakeup_fd[MAX_STREAMS];
};

static void channel_create_buffers(struct test_channel *ch)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	static const uint8_t uuid[RT_UUID_LEN] = {1, 2, 3, 4};

	ch->nr_streams = ncpu > 0 && ncpu <= MAX_STREAMS ? (unsigned)ncpu : 1;
	for (unsigned cpu = 0; cpu < ch->nr_streams; cpu++) {
		struct rb_stream_attr attr = {
		    .subbuf_size = 16384,
		    .num_subbuf = 4,
		    .header_size = CTF_PACKET_HEADER_SIZE,
		    .record_header_short = CTF_EVENT_HEADER_COMPACT_SIZE,
		    .record_header_long = CTF_EVENT_HEADER_EXTENDED_SIZE,
		    .timestamp_bits = CTF_TIMESTAMP_BITS,
		};

		ctf_stream_client_fill(attr.client, uuid, STREAM_ID, cpu);
		assert_int_equal(rb_stream_create(&attr, &ch->shm_fd[cpu], &ch->wakeup_fd[cpu]), 0);
	}
}

static void channel_close_buffers(struct test_channel *ch)
{
	for (unsigned cpu = 0; cpu < ch->nr_streams; cpu++) {
		close(ch->shm_fd[cpu]);
		close(ch->wakeup_fd[cpu]);
	}
}

/* Counts the records of our event in every stream; checks their payload. */
static unsigned channel_count_events(struct test_channel *ch, const char *msg)
{
	unsigned count = 0;

	for (unsigned cpu = 0; cpu < ch->nr_streams; cpu++) {
		struct rb_stream *stream;
		struct rb_subbuf sb;

		assert_int_equal(
		    rb_stream_map(ch->shm_fd[cpu], ch->wakeup_fd[cpu], &ctf_rb_client_ops, &stream),
		    0);
		rb_stream_flush(stream);
		while (rb_consumer_get_subbuf(stream, &sb) == 0) {
			const uint8_t *p = sb.data;
			struct ctf_packet_info info;
			uint64_t off = CTF_PACKET_HEADER_SIZE;

			assert_int_equal(ctf_packet_header_parse(sb.data, sb.content_size, &info),
			                 0);
			assert_int_equal(info.stream_id, STREAM_ID);
			assert_int_equal(info.cpu_id, cpu);
			while (off < sb.content_size) {
				uint16_t id16;
				uint32_t id;
				int32_t seq;
				const char *s;

				memcpy(&id16, p + off, sizeof(id16));
				if (id16 == CTF_EVENT_ID_EXTENDED) {
					memcpy(&id, p + off + 2, sizeof(id));
					off += CTF_EVENT_HEADER_EXTENDED_SIZE;
				} else {
					id = id16;
					off += CTF_EVENT_HEADER_COMPACT_SIZE;
				}
				assert_int_equal(id, EVENT_ID);
				memcpy(&seq, p + off, sizeof(seq));
				assert_true(seq >= 0);
				s = (const char *)p + off + sizeof(seq);
				assert_non_null(
				    memchr(s, '\0', sb.content_size - off - sizeof(seq)));
				assert_string_equal(s, msg);
				off += sizeof(seq) + strlen(s) + 1;
				count++;
			}
			rb_consumer_put_subbuf(stream, &sb);
		}
		rb_stream_unmap(stream);
	}
	return count;
}

/* What lttng-sessiond's setup of a new app looks like in our protocol. */
static void app_setup_session(struct app *app, struct test_channel *ch)
{
	struct ust_cmd_session sess = {.session_handle = SESSION_HANDLE};
	struct ust_cmd_channel chan = {
	    .session_handle = SESSION_HANDLE,
	    .channel_handle = CHANNEL_HANDLE,
	    .stream_id = STREAM_ID,
	    .nr_streams = ch->nr_streams,
	    .blocking_timeout_us = 0,
	};
	struct ust_cmd_enabler en = {
	    .channel_handle = CHANNEL_HANDLE,
	    .enabler_handle = ENABLER_HANDLE,
	    .pattern = "ust_comm_*:p*",
	    .loglevel_type = UST_LOGLEVEL_ALL,
	};

	assert_int_equal(
	    app_cmd(app, UST_CMD_CREATE_SESSION, &sess, sizeof(sess), NULL, 0, NULL, NULL), 0);
	assert_int_equal(
	    app_cmd(app, UST_CMD_CREATE_CHANNEL, &chan, sizeof(chan), NULL, 0, NULL, NULL), 0);
	for (unsigned cpu = 0; cpu < ch->nr_streams; cpu++) {
		struct ust_cmd_stream st = {.channel_handle = CHANNEL_HANDLE, .cpu = cpu};
		int fds[2] = {ch->shm_fd[cpu], ch->wakeup_fd[cpu]};

		assert_int_equal(
		    app_cmd(app, UST_CMD_ADD_STREAM, &st, sizeof(st), fds, 2, NULL, NULL), 0);
	}
	assert_int_equal(app_cmd(app, UST_CMD_CREATE_ENABLER, &en, sizeof(en), NULL, 0, NULL, NULL),
	                 0);
	assert_int_equal(app_cmd_handle(app, UST_CMD_ENABLE, ENABLER_HANDLE), 0);
	assert_int_equal(app_cmd_handle(app, UST_CMD_SESSION_START, SESSION_HANDLE), 0);
}

/* --- tests --- */

/* Best of three runs of the helper, in ms (fork + exec + loading included). */
static long helper_best_run_ms(const struct fake_sessiond *sd, const char *timeout_env)
{
	long best = LONG_MAX;

	for (int i = 0; i < 3; i++) {
		struct helper h;
		char out[4096];

		helper_spawn(&h, sd, timeout_env, false, "fire", "10");
		assert_true(helper_wait(&h));
		if (h.exit_ms - h.start_ms < best)
			best = h.exit_ms - h.start_ms;
		assert_int_equal(helper_output(&h, out, sizeof(out)), 0);
	}
	return best;
}

/*
 * No daemon: the app starts at once (no constructor wait) and prints
 * nothing. The baseline is the same app told never to wait
 * (RINGTRACE_REGISTER_TIMEOUT=0): what remains is the library's own delay.
 */
static void run_without_daemon(bool stale_socket)
{
	struct fake_sessiond sd;
	long best, baseline;

	sd_init(&sd, stale_socket, stale_socket);
	if (stale_socket)
		close(sd.listen_fd); /* the socket file stays: connect gives ECONNREFUSED */
	sd.listen_fd = -1;
	best = helper_best_run_ms(&sd, NULL);
	baseline = helper_best_run_ms(&sd, "0");
	print_message("no daemon%s: app ran in %ld ms, %ld ms when told not to wait\n",
	              stale_socket ? " (stale socket)" : "", best, baseline);
	assert_true(best - baseline < 100);
	/* Absolute bound, unless the process start itself is slow (sanitizers). */
	if (baseline < 50)
		assert_true(best < 100);
	sd_fini(&sd);
}

static void test_no_daemon(void **state)
{
	run_without_daemon(false);
}

static void test_no_daemon_stale_socket(void **state)
{
	run_without_daemon(true);
}

/* A daemon that accepts but never answers: the constructor gives up after the timeout. */
static void test_register_timeout(void **state)
{
	struct fake_sessiond sd;
	struct helper h;
	char out[4096];
	long elapsed;

	sd_init(&sd, true, true);
	helper_spawn(&h, &sd, "300", false, "quick", NULL);
	assert_true(helper_wait(&h));
	elapsed = h.exit_ms - h.start_ms;
	print_message("silent daemon, timeout 300 ms: app ran in %ld ms\n", elapsed);
	assert_true(elapsed >= 250 && elapsed < 2500);
	assert_int_equal(helper_output(&h, out, sizeof(out)), 0);

	/* The same with RINGTRACE_DEBUG: the timeout is reported. */
	helper_spawn(&h, &sd, "300", true, "quick", NULL);
	assert_true(helper_wait(&h));
	helper_output(&h, out, sizeof(out));
	assert_non_null(strstr(out, "timed out"));
	sd_fini(&sd);
}

/* The whole path: registration, session setup, event registration, records in the buffers. */
static void test_full_session(void **state)
{
	struct fake_sessiond sd;
	struct test_channel ch;
	struct helper h;
	struct app app;
	char out[4096];
	unsigned count;

	sd_init(&sd, true, true);
	channel_create_buffers(&ch);
	helper_spawn(&h, &sd, "10000", false, "fire", "100");
	assert_int_equal(app_accept(&app, &sd, IO_TIMEOUT_MS, NULL), 0);
	assert_int_equal(app.cmd_reg.pid, h.pid);
	assert_int_equal(app.cmd_reg.ppid, getpid());
	assert_string_equal(app.cmd_reg.name, "test-ust-comm-h");
	app_setup_session(&app, &ch);
	assert_int_equal(app_cmd(&app, UST_CMD_REGISTER_DONE, NULL, 0, NULL, 0, NULL, NULL), 0);
	/* The provider registers after the library's constructor: its event comes now. */
	app_serve_notify(&app, &h, 10000);
	assert_true(helper_poll_exit(&h));
	assert_true(WIFEXITED(h.status) && WEXITSTATUS(h.status) == 0);
	assert_int_equal(app.nr_events_registered, 1);
	assert_int_equal(app.last_event.loglevel, -1);
	count = channel_count_events(&ch, "ping");
	print_message("full session: %u events read back\n", count);
	assert_int_equal(count, 100);
	assert_int_equal(helper_output(&h, out, sizeof(out)), 0);
	app_close(&app);
	channel_close_buffers(&ch);
	sd_fini(&sd);
}

/* SET_FILTER for the enabler: handle then container. */
static int app_set_filter(struct app *app, uint32_t handle, const void *container, size_t size)
{
	uint8_t *msg = malloc(sizeof(struct ust_cmd_filter) + size);
	struct ust_cmd_filter head = {.enabler_handle = handle};
	int r;

	assert_non_null(msg);
	memcpy(msg, &head, sizeof(head));
	memcpy(msg + sizeof(head), container, size);
	r = app_cmd(app, UST_CMD_SET_FILTER, msg, (uint32_t)(sizeof(head) + size), NULL, 0, NULL,
	            NULL);
	free(msg);
	return r;
}

/* A container: header, then code bytes (no relocation). */
static size_t hostile(uint8_t *buf, const uint8_t *code, size_t code_len)
{
	struct filter_bytecode head = {.len = (uint32_t)code_len,
	                               .reloc_table_offset = (uint32_t)code_len};

	memcpy(buf, &head, sizeof(head));
	memcpy(buf + sizeof(head), code, code_len);
	return sizeof(head) + code_len;
}

/*
 * Bytecode sent straight to the app, as no CLI would: every malformed one is
 * refused with -EINVAL and changes nothing; then a real filter is attached,
 * and the app traces what it accepts.
 */
static void test_hostile_filter(void **state)
{
	static const uint8_t backward_jump[] = {
	    FILTER_OP_LOAD_S64, 1, 0, 0, 0, 0, 0, 0, 0, FILTER_OP_AND,   0, 0,
	    FILTER_OP_LOAD_S64, 1, 0, 0, 0, 0, 0, 0, 0, FILTER_OP_RETURN};
	static const uint8_t underflow[] = {FILTER_OP_EQ, FILTER_OP_RETURN};
	static const uint8_t no_return[] = {FILTER_OP_LOAD_S64, 1, 0, 0, 0, 0, 0, 0, 0};
	static const uint8_t unknown_op[] = {0xEE, FILTER_OP_RETURN};
	static const uint8_t unrelocated[] = {FILTER_OP_LOAD_FIELD_REF, 0xff, 0xff,
	                                      FILTER_OP_RETURN};
	static const struct {
		const uint8_t *code;
		size_t len;
	} bad[] = {
	    {backward_jump, sizeof(backward_jump)}, {underflow, sizeof(underflow)},
	    {no_return, sizeof(no_return)},         {unknown_op, sizeof(unknown_op)},
	    {unrelocated, sizeof(unrelocated)},
	};
	struct ust_cmd_session sess = {.session_handle = SESSION_HANDLE};
	struct ust_cmd_enabler en = {
	    .channel_handle = CHANNEL_HANDLE,
	    .enabler_handle = ENABLER_HANDLE,
	    .pattern = EVENT_NAME,
	    .loglevel_type = UST_LOGLEVEL_ALL,
	};
	struct filter_bytecode *bc = NULL;
	struct fake_sessiond sd;
	struct test_channel ch;
	struct ust_cmd_channel chan;
	uint8_t buf[256];
	uint8_t *big;
	struct helper h;
	struct app app;

	(void)state;
	sd_init(&sd, true, true);
	channel_create_buffers(&ch);
	chan = (struct ust_cmd_channel){.session_handle = SESSION_HANDLE,
	                                .channel_handle = CHANNEL_HANDLE,
	                                .stream_id = STREAM_ID,
	                                .nr_streams = ch.nr_streams};
	helper_spawn(&h, &sd, "10000", false, "fire", "100");
	assert_int_equal(app_accept(&app, &sd, IO_TIMEOUT_MS, NULL), 0);
	assert_int_equal(
	    app_cmd(&app, UST_CMD_CREATE_SESSION, &sess, sizeof(sess), NULL, 0, NULL, NULL), 0);
	assert_int_equal(
	    app_cmd(&app, UST_CMD_CREATE_CHANNEL, &chan, sizeof(chan), NULL, 0, NULL, NULL), 0);
	for (unsigned cpu = 0; cpu < ch.nr_streams; cpu++) {
		struct ust_cmd_stream st = {.channel_handle = CHANNEL_HANDLE, .cpu = cpu};
		int fds[2] = {ch.shm_fd[cpu], ch.wakeup_fd[cpu]};

		assert_int_equal(
		    app_cmd(&app, UST_CMD_ADD_STREAM, &st, sizeof(st), fds, 2, NULL, NULL), 0);
	}
	assert_int_equal(
	    app_cmd(&app, UST_CMD_CREATE_ENABLER, &en, sizeof(en), NULL, 0, NULL, NULL), 0);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(app_set_filter(&app, ENABLER_HANDLE, buf,
		                                hostile(buf, bad[i].code, bad[i].len)),
		                 -EINVAL);
	/* Shorter than its header says, longer, and past the 64 KiB limit. */
	assert_int_equal(app_set_filter(&app, ENABLER_HANDLE, buf,
	                                hostile(buf, no_return, sizeof(no_return)) - 1),
	                 -EINVAL);
	assert_int_equal(app_set_filter(&app, ENABLER_HANDLE, buf, 47), -EINVAL);
	big = calloc(1, UST_FILTER_MAX_CONTAINER + 1);
	assert_non_null(big);
	assert_int_equal(app_set_filter(&app, ENABLER_HANDLE, big, UST_FILTER_MAX_CONTAINER + 1),
	                 -EINVAL);
	free(big);

	assert_int_equal(filter_compile("seq < 10 && msg == \"p*\"", &bc, NULL), 0);
	assert_int_equal(app_set_filter(&app, ENABLER_HANDLE + 1, bc, filter_bytecode_size(bc)),
	                 -ENOENT);
	assert_int_equal(app_set_filter(&app, ENABLER_HANDLE, bc, filter_bytecode_size(bc)), 0);
	assert_int_equal(app_set_filter(&app, ENABLER_HANDLE, bc, filter_bytecode_size(bc)),
	                 -EEXIST);
	free(bc);
	assert_int_equal(app_cmd_handle(&app, UST_CMD_ENABLE, ENABLER_HANDLE), 0);
	assert_int_equal(app_cmd_handle(&app, UST_CMD_SESSION_START, SESSION_HANDLE), 0);
	assert_int_equal(app_cmd(&app, UST_CMD_REGISTER_DONE, NULL, 0, NULL, 0, NULL, NULL), 0);
	app_serve_notify(&app, &h, 10000);
	assert_true(helper_poll_exit(&h));
	assert_true(WIFEXITED(h.status) && WEXITSTATUS(h.status) == 0);
	/* The app kept running and traced what the filter accepts: seq 0..9. */
	assert_int_equal(channel_count_events(&ch, "ping"), 10);
	app_close(&app);
	channel_close_buffers(&ch);
	sd_fini(&sd);
}

static bool list_has_event(const struct ust_tracepoint_info *list, uint32_t n, const char *name)
{
	for (uint32_t i = 0; i < n; i++)
		if (strcmp(list[i].name, name) == 0)
			return true;
	return false;
}

/* Errors get error replies and leave the connection usable; listings work. */
static void test_commands(void **state)
{
	struct fake_sessiond sd;
	struct test_channel ch;
	struct helper h;
	struct app app;
	struct ust_cmd_session sess = {.session_handle = SESSION_HANDLE};
	struct ust_cmd_channel chan = {.session_handle = 77, .channel_handle = 9, .nr_streams = 1};
	struct ust_cmd_enabler en = {.channel_handle = CHANNEL_HANDLE,
	                             .enabler_handle = 10,
	                             .pattern = "*",
	                             .loglevel_type = 7};
	struct ust_cmd_stream st = {.channel_handle = CHANNEL_HANDLE, .cpu = MAX_STREAMS};
	struct ust_tracepoint_info *tps = NULL;
	struct ust_field_info *fields = NULL;
	uint32_t len = 0;
	uint8_t junk[64] = {0};
	uint8_t en_excl[sizeof(en) + sizeof(uint32_t) + RINGTRACE_SYM_NAME_LEN];
	int fds[2];
	long end;

	sd_init(&sd, true, true);
	channel_create_buffers(&ch);
	fds[0] = ch.shm_fd[0];
	fds[1] = ch.wakeup_fd[0];
	helper_spawn(&h, &sd, "10000", false, "run", "3000");
	assert_int_equal(app_accept(&app, &sd, IO_TIMEOUT_MS, NULL), 0);
	app_setup_session(&app, &ch);
	assert_int_equal(app_cmd(&app, UST_CMD_REGISTER_DONE, NULL, 0, NULL, 0, NULL, NULL), 0);

	assert_int_equal(app_cmd(&app, 99, NULL, 0, NULL, 0, NULL, NULL), -ENOSYS);
	assert_int_equal(app_cmd(&app, 0, NULL, 0, NULL, 0, NULL, NULL), -ENOSYS);
	assert_int_equal(
	    app_cmd(&app, UST_CMD_CREATE_SESSION, junk, sizeof(sess) + 1, NULL, 0, NULL, NULL),
	    -EINVAL);
	assert_int_equal(app_cmd(&app, UST_CMD_REGISTER_DONE, junk, 1, NULL, 0, NULL, NULL),
	                 -EINVAL);
	assert_int_equal(
	    app_cmd(&app, UST_CMD_CREATE_SESSION, &sess, sizeof(sess), NULL, 0, NULL, NULL),
	    -EEXIST);
	assert_int_equal(
	    app_cmd(&app, UST_CMD_CREATE_CHANNEL, &chan, sizeof(chan), NULL, 0, NULL, NULL),
	    -ENOENT);
	assert_int_equal(
	    app_cmd(&app, UST_CMD_CREATE_ENABLER, &en, sizeof(en), NULL, 0, NULL, NULL), -EINVAL);
	/* A valid rule with a malformed exclusions tail: short count, one name short, no NUL. */
	en.loglevel_type = UST_LOGLEVEL_ALL;
	memcpy(en_excl, &en, sizeof(en));
	memcpy(en_excl + sizeof(en), &(uint32_t){1}, sizeof(uint32_t));
	memset(en_excl + sizeof(en) + sizeof(uint32_t), 'x', RINGTRACE_SYM_NAME_LEN);
	assert_int_equal(
	    app_cmd(&app, UST_CMD_CREATE_ENABLER, en_excl, sizeof(en) + 3, NULL, 0, NULL, NULL),
	    -EINVAL);
	assert_int_equal(
	    app_cmd(&app, UST_CMD_CREATE_ENABLER, en_excl, sizeof(en) + 4, NULL, 0, NULL, NULL),
	    -EINVAL);
	assert_int_equal(
	    app_cmd(&app, UST_CMD_CREATE_ENABLER, en_excl, sizeof(en_excl), NULL, 0, NULL, NULL),
	    -EINVAL);
	/* ADD_STREAM without its fds, then with a CPU out of range (the fds are closed by the app).
	 */
	assert_int_equal(app_cmd(&app, UST_CMD_ADD_STREAM, &st, sizeof(st), NULL, 0, NULL, NULL),
	                 -EINVAL);
	assert_int_equal(app_cmd(&app, UST_CMD_ADD_STREAM, &st, sizeof(st), fds, 2, NULL, NULL),
	                 -EINVAL);
	st.cpu = 0; /* already mapped */
	assert_int_equal(app_cmd(&app, UST_CMD_ADD_STREAM, &st, sizeof(st), fds, 2, NULL, NULL),
	                 -EEXIST);
	/* ADD_CONTEXT: unknown channel, bad names and kinds, then a channel with a stream. */
	{
		struct ust_cmd_context ctx = {.channel_handle = 12345, .name = "vpid"};

		assert_int_equal(
		    app_cmd(&app, UST_CMD_ADD_CONTEXT, &ctx, sizeof(ctx), NULL, 0, NULL, NULL),
		    -ENOENT);
		assert_int_equal(
		    app_cmd(&app, UST_CMD_ADD_CONTEXT, &ctx, sizeof(ctx) - 1, NULL, 0, NULL, NULL),
		    -EINVAL);
		ctx.channel_handle = CHANNEL_HANDLE;
		memset(ctx.name, 'x', sizeof(ctx.name));
		assert_int_equal(
		    app_cmd(&app, UST_CMD_ADD_CONTEXT, &ctx, sizeof(ctx), NULL, 0, NULL, NULL),
		    -EINVAL);
		/* Streams are mapped: records may exist, their layout cannot change. */
		snprintf(ctx.name, sizeof(ctx.name), "vpid");
		assert_int_equal(
		    app_cmd(&app, UST_CMD_ADD_CONTEXT, &ctx, sizeof(ctx), NULL, 0, NULL, NULL),
		    -EBUSY);
		ctx.kind = 7;
		assert_int_equal(
		    app_cmd(&app, UST_CMD_ADD_CONTEXT, &ctx, sizeof(ctx), NULL, 0, NULL, NULL),
		    -EBUSY);
	}
	assert_int_equal(app_cmd_handle(&app, UST_CMD_ENABLE, 12345), -ENOENT);
	assert_int_equal(app_cmd_handle(&app, UST_CMD_SESSION_START, CHANNEL_HANDLE), -ENOENT);
	assert_int_equal(app_cmd_handle(&app, UST_CMD_DISABLE, ENABLER_HANDLE), 0);
	assert_int_equal(app_cmd_handle(&app, UST_CMD_ENABLE, ENABLER_HANDLE), 0);
	assert_int_equal(app_cmd_handle(&app, UST_CMD_DISABLE, CHANNEL_HANDLE), 0);
	assert_int_equal(app_cmd_handle(&app, UST_CMD_SESSION_STOP, SESSION_HANDLE), 0);

	/* The provider registers once the constructor returned: list until it shows. */
	end = now_ms() + IO_TIMEOUT_MS;
	do {
		free(tps);
		tps = NULL;
		assert_int_equal(
		    app_cmd(&app, UST_CMD_TRACEPOINT_LIST, NULL, 0, NULL, 0, (void **)&tps, &len),
		    0);
		assert_int_equal(len % sizeof(*tps), 0);
	} while (!list_has_event(tps, len / sizeof(*tps), EVENT_NAME) && now_ms() < end);
	assert_true(list_has_event(tps, len / sizeof(*tps), EVENT_NAME));
	for (uint32_t i = 0; i < len / sizeof(*tps); i++)
		if (strcmp(tps[i].name, EVENT_NAME) == 0)
			assert_int_equal(tps[i].loglevel, RINGTRACE_LOGLEVEL_DEFAULT);
	free(tps);

	assert_int_equal(
	    app_cmd(&app, UST_CMD_FIELD_LIST, NULL, 0, NULL, 0, (void **)&fields, &len), 0);
	assert_int_equal(len % sizeof(*fields), 0);
	{
		int seen = 0;

		for (uint32_t i = 0; i < len / sizeof(*fields); i++) {
			if (strcmp(fields[i].event_name, EVENT_NAME) != 0)
				continue;
			assert_int_equal(ust_wire_check_field(&fields[i].field), 0);
			seen++;
		}
		assert_int_equal(seen, 2);
	}
	free(fields);

	assert_int_equal(app_cmd_handle(&app, UST_CMD_RELEASE, ENABLER_HANDLE), 0);
	assert_int_equal(app_cmd_handle(&app, UST_CMD_RELEASE, SESSION_HANDLE), 0);
	assert_int_equal(app_cmd_handle(&app, UST_CMD_RELEASE, CHANNEL_HANDLE), -ENOENT);
	assert_int_equal(app_cmd_handle(&app, UST_CMD_RELEASE, SESSION_HANDLE), -ENOENT);

	/* A frame announcing more than the protocol allows: the app drops the connection. */
	{
		struct comm_frame frame = {.type = UST_CMD_CREATE_SESSION,
		                           .payload_len = UST_MSG_MAX_PAYLOAD + 1};
		char c;

		assert_int_equal(unix_sock_send(app.cmd_fd, &frame, sizeof(frame), NULL, 0), 0);
		assert_int_equal(read(app.cmd_fd, &c, 1), 0);
	}
	app_close(&app);
	assert_true(helper_wait(&h));
	close(h.out_fd);
	channel_close_buffers(&ch);
	sd_fini(&sd);
}

/* The daemon dies while the app records; the app goes on, then registers with a new daemon. */
static void test_daemon_dies_and_returns(void **state)
{
	struct fake_sessiond sd;
	struct test_channel ch;
	struct helper h;
	struct app app, again;
	char out[4096];
	long t0;
	unsigned count;

	sd_init(&sd, true, true);
	channel_create_buffers(&ch);
	helper_spawn(&h, &sd, "10000", false, "run", "2500");
	assert_int_equal(app_accept(&app, &sd, IO_TIMEOUT_MS, NULL), 0);
	app_setup_session(&app, &ch);
	assert_int_equal(app_cmd(&app, UST_CMD_REGISTER_DONE, NULL, 0, NULL, 0, NULL, NULL), 0);
	app_serve_notify(&app, &h, 400);
	assert_false(h.exited);

	/* "kill -9" of the daemon: both connections and the socket go. */
	app_close(&app);
	sd_close_listener(&sd);
	usleep(200 * 1000);
	assert_false(helper_poll_exit(&h));
	sd_listen(&sd);
	t0 = now_ms();
	assert_int_equal(app_accept(&again, &sd, 3000, NULL), 0);
	print_message("daemon back: app registered again after %ld ms\n", now_ms() - t0);
	assert_int_equal(again.cmd_reg.pid, h.pid);
	assert_int_equal(app_cmd(&again, UST_CMD_REGISTER_DONE, NULL, 0, NULL, 0, NULL, NULL), 0);

	assert_true(helper_wait(&h));
	count = channel_count_events(&ch, "run");
	print_message("daemon death: %u events recorded before it\n", count);
	assert_true(count > 0);
	assert_int_equal(helper_output(&h, out, sizeof(out)), 0);
	app_close(&again);
	channel_close_buffers(&ch);
	sd_fini(&sd);
}

/*
 * fork(): the child registers as a new app (its own pid), without the
 * parent's objects; given a session of its own, it records into it, while
 * what the parent recorded stays intact.
 */
static void test_fork(void **state)
{
	struct fake_sessiond sd;
	struct test_channel parent_ch, child_ch;
	struct helper h;
	struct app parent, child;
	char out[4096];

	sd_init(&sd, true, true);
	channel_create_buffers(&parent_ch);
	channel_create_buffers(&child_ch);
	helper_spawn(&h, &sd, "10000", false, "fork", "1500");
	assert_int_equal(app_accept(&parent, &sd, IO_TIMEOUT_MS, NULL), 0);
	app_setup_session(&parent, &parent_ch);
	assert_int_equal(app_cmd(&parent, UST_CMD_REGISTER_DONE, NULL, 0, NULL, 0, NULL, NULL), 0);
	assert_int_equal(app_accept(&child, &sd, IO_TIMEOUT_MS, &parent), 0);
	live_add((pid_t)child.cmd_reg.pid);
	assert_int_not_equal(child.cmd_reg.pid, h.pid);
	assert_int_equal(child.cmd_reg.ppid, h.pid);
	/* The child starts without the parent's objects: the same handles are free. */
	assert_int_equal(app_cmd_handle(&child, UST_CMD_SESSION_START, SESSION_HANDLE), -ENOENT);
	app_setup_session(&child, &child_ch);
	assert_int_equal(child.nr_events_registered, 1); /* its provider was inherited */
	assert_int_equal(app_cmd(&child, UST_CMD_REGISTER_DONE, NULL, 0, NULL, 0, NULL, NULL), 0);
	app_serve_notify(&parent, &h, 10000);
	assert_true(helper_poll_exit(&h));
	assert_true(WIFEXITED(h.status) && WEXITSTATUS(h.status) == 0);
	live_remove((pid_t)child.cmd_reg.pid);
	assert_int_equal(channel_count_events(&child_ch, "child"), 1);
	assert_int_equal(channel_count_events(&parent_ch, "child"), 0);
	assert_int_equal(helper_output(&h, out, sizeof(out)), 0);
	app_close(&parent);
	app_close(&child);
	channel_close_buffers(&parent_ch);
	channel_close_buffers(&child_ch);
	sd_fini(&sd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_teardown(test_no_daemon, teardown_kill_leftovers),
	    cmocka_unit_test_teardown(test_no_daemon_stale_socket, teardown_kill_leftovers),
	    cmocka_unit_test_teardown(test_register_timeout, teardown_kill_leftovers),
	    cmocka_unit_test_teardown(test_full_session, teardown_kill_leftovers),
	    cmocka_unit_test_teardown(test_hostile_filter, teardown_kill_leftovers),
	    cmocka_unit_test_teardown(test_commands, teardown_kill_leftovers),
	    cmocka_unit_test_teardown(test_daemon_dies_and_returns, teardown_kill_leftovers),
	    cmocka_unit_test_teardown(test_fork, teardown_kill_leftovers),
	};
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0)
		return 1;
	self[n] = '\0';
	slash = strrchr(self, '/');
	*slash = '\0';
	snprintf(helper_path, sizeof(helper_path), "%s/test-ust-comm-helper", self);
	if (access(helper_path, X_OK) != 0) {
		fprintf(stderr, "test-ust-comm: %s not found; build it with the tests\n",
		        helper_path);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
