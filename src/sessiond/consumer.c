/* SPDX-License-Identifier: MIT */
/*
 * Client side of the consumer protocol. The consumer daemon is our child,
 * started on first need with one end of a socketpair as its command socket.
 * One request is in flight at a time (consumer_lock), and every reply is
 * awaited with a timeout. Whatever breaks the request/reply sequence (EOF,
 * EPIPE, a timeout, a reply that does not parse) leaves the stream in an
 * unknown state, so the consumer is then killed and forgotten; the next call
 * spawns a fresh one and the caller of the failed one gets -EPIPE.
 *
 * A channel belongs to the consumer instance that created it and dies with
 * it: a request naming a channel of a dead instance fails with -EPIPE rather
 * than spawning a new consumer that would not know that channel.
 */
#include "consumer.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>

#include "comm/frame.h"
#include "config.h"
#include "log.h"
#include "macros.h"
#include "paths.h"
#include "unix-sock.h"

#define CONSUMER_BINARY_NAME      "ringtrace-consumerd"
#define CONSUMER_REPLY_TIMEOUT_MS 10000
#define CONSUMER_EXIT_WAIT_MS     5000
#define CONSUMER_DEATH_WAIT_MS    500
#define CONSUMER_MAX_STREAMS      65536
#define CONSUMER_MAX_VERBOSITY    3

extern char **environ;

const char *consumer_strerror(int r)
{
	/* consumer.h: errnos stay below the consumer codes, which start at 100. */
	if (-r >= CONSUMERD_COMMAND_SOCK_READY)
		return consumer_return_code_str(-r);
	return strerror(-r);
}

static pthread_mutex_t consumer_lock = PTHREAD_MUTEX_INITIALIZER;
/* All under consumer_lock. */
static char consumer_path[PATH_MAX];
static unsigned consumer_verbosity;
static pid_t consumer_pid;   /* 0: not running */
static int consumer_fd = -1; /* our end of the command socketpair */
/* Write end of the channel monitor pipe, given to every consumer spawned. */
static int monitor_pipe_fd = -1;

/*
 * Channels created by ASK_CHANNEL_CREATION (key: the channel key), and
 * sessions whose relay connections were added (key: the session id,
 * relayd set), each with the consumer instance that holds it.
 */
struct channel_owner {
	uint64_t key;
	uint64_t generation;
	bool relayd;
};
/* All under consumer_lock. */
static uint64_t consumer_generation; /* incremented at each spawn */
static struct channel_owner *owners;
static size_t nr_owners, owners_capacity;

static uint64_t consumer_key_counter;

/* The last consumer that died: "pid N, how", "" while none did; how many did. */
static char last_death[CONSUMER_DEATH_MAX];
static uint64_t consumer_deaths;

static const char *const command_names[_CONSUMER_COMMAND_MAX] = {
    [CONSUMER_DATA_PENDING] = "DATA_PENDING",
    [CONSUMER_ASK_CHANNEL_CREATION] = "ASK_CHANNEL_CREATION",
    [CONSUMER_GET_CHANNEL] = "GET_CHANNEL",
    [CONSUMER_DESTROY_CHANNEL] = "DESTROY_CHANNEL",
    [CONSUMER_PUSH_METADATA] = "PUSH_METADATA",
    [CONSUMER_CLOSE_METADATA] = "CLOSE_METADATA",
    [CONSUMER_FLUSH_CHANNEL] = "FLUSH_CHANNEL",
    [CONSUMER_ROTATE_CHANNEL] = "ROTATE_CHANNEL",
    [CONSUMER_CREATE_TRACE_CHUNK] = "CREATE_TRACE_CHUNK",
    [CONSUMER_CLOSE_TRACE_CHUNK] = "CLOSE_TRACE_CHUNK",
    [CONSUMER_TRACE_CHUNK_EXISTS] = "TRACE_CHUNK_EXISTS",
    [CONSUMER_DISCARDED_EVENTS] = "DISCARDED_EVENTS",
    [CONSUMER_LOST_PACKETS] = "LOST_PACKETS",
    [CONSUMER_ADD_RELAYD_SOCKET] = "ADD_RELAYD_SOCKET",
    [CONSUMER_DESTROY_RELAYD] = "DESTROY_RELAYD",
};

static const char *command_name(uint32_t type)
{
	return type < ARRAY_SIZE(command_names) && command_names[type] ? command_names[type]
	                                                               : "command";
}

static void consumer_resolve_path_locked(const char *path)
{
	const char *env = getenv("RINGTRACE_CONSUMERD_PATH");

	if (path && *path)
		snprintf(consumer_path, sizeof(consumer_path), "%s", path);
	else if (env && *env)
		snprintf(consumer_path, sizeof(consumer_path), "%s", env);
	else if (!rt_find_program_near_self(CONSUMER_BINARY_NAME, "consumerd", consumer_path))
		snprintf(consumer_path, sizeof(consumer_path), "%s/%s", RINGTRACE_BINDIR,
		         CONSUMER_BINARY_NAME);
}

void consumer_set_path(const char *path)
{
	pthread_mutex_lock(&consumer_lock);
	consumer_resolve_path_locked(path);
	pthread_mutex_unlock(&consumer_lock);
}

void consumer_set_verbosity(unsigned verbosity)
{
	pthread_mutex_lock(&consumer_lock);
	consumer_verbosity =
	    verbosity > CONSUMER_MAX_VERBOSITY ? CONSUMER_MAX_VERBOSITY : verbosity;
	pthread_mutex_unlock(&consumer_lock);
}

uint64_t consumer_next_key(void)
{
	return __atomic_add_fetch(&consumer_key_counter, 1, __ATOMIC_RELAXED);
}

static struct channel_owner *owner_find_locked(uint64_t key, bool relayd)
{
	for (size_t i = 0; i < nr_owners; i++) {
		if (owners[i].key == key && owners[i].relayd == relayd)
			return &owners[i];
	}
	return NULL;
}

static void owner_add_locked(uint64_t key, bool relayd)
{
	if (nr_owners == owners_capacity) {
		size_t capacity = owners_capacity ? owners_capacity * 2 : 64;
		struct channel_owner *grown = reallocarray(owners, capacity, sizeof(*owners));

		/* Untracked, a channel only loses the stale-key check. */
		if (!grown)
			return;
		owners = grown;
		owners_capacity = capacity;
	}
	owners[nr_owners++] =
	    (struct channel_owner){.key = key, .generation = consumer_generation, .relayd = relayd};
}

static void owner_remove_locked(uint64_t key, bool relayd)
{
	struct channel_owner *o = owner_find_locked(key, relayd);

	if (o)
		*o = owners[--nr_owners];
}

/* The channel (or the session's relay connections) belonged to a consumer that is gone. */
static bool owner_stale_locked(uint64_t key, bool relayd)
{
	const struct channel_owner *o = owner_find_locked(key, relayd);

	return o && (consumer_pid <= 0 || o->generation != consumer_generation);
}

static bool key_stale_locked(uint64_t key)
{
	return owner_stale_locked(key, false);
}

bool consumer_channel_lost(uint64_t key)
{
	bool lost;

	pthread_mutex_lock(&consumer_lock);
	lost = key_stale_locked(key);
	pthread_mutex_unlock(&consumer_lock);
	return lost;
}

bool consumer_relayd_lost(uint64_t session_id)
{
	bool lost;

	pthread_mutex_lock(&consumer_lock);
	lost = owner_stale_locked(session_id, true);
	pthread_mutex_unlock(&consumer_lock);
	return lost;
}

uint64_t consumer_death_count(void)
{
	uint64_t n;

	pthread_mutex_lock(&consumer_lock);
	n = consumer_deaths;
	pthread_mutex_unlock(&consumer_lock);
	return n;
}

void consumer_last_death(char *buf, size_t size)
{
	pthread_mutex_lock(&consumer_lock);
	snprintf(buf, size, "%s", last_death[0] ? last_death : "cause unknown");
	pthread_mutex_unlock(&consumer_lock);
}

static void describe_exit(int status, char *buf, size_t size)
{
	if (WIFEXITED(status))
		snprintf(buf, size, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, size, "killed by signal %d (%s)", WTERMSIG(status),
		         strsignal(WTERMSIG(status)));
	else
		snprintf(buf, size, "wait status 0x%x", (unsigned)status);
}

/* waitpid() with a deadline; 1 reaped (*ret_status set), 0 still running. */
static int wait_child(pid_t pid, unsigned timeout_ms, int *ret_status)
{
	const struct timespec step = {.tv_nsec = 10 * 1000 * 1000};

	for (unsigned waited_ms = 0;; waited_ms += 10) {
		pid_t r = waitpid(pid, ret_status, WNOHANG);

		if (r == pid || (r < 0 && errno == ECHILD))
			return 1;
		if (waited_ms >= timeout_ms)
			return 0;
		nanosleep(&step, NULL);
	}
}

static void consumer_forget_locked(void)
{
	closep(&consumer_fd);
	consumer_fd = -1;
	consumer_pid = 0;
}

/*
 * The request stream is broken: make sure the consumer is gone (it is given
 * a moment to finish dying on its own, then killed) and say why.
 */
static void consumer_lost_locked(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void consumer_lost_locked(const char *fmt, ...)
{
	char why[256], how[96];
	int status = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (!wait_child(consumer_pid, CONSUMER_DEATH_WAIT_MS, &status)) {
		log_error("Consumer daemon (pid %d) %s: killing it; a new one will be started "
		          "when needed",
		          (int)consumer_pid, why);
		kill(consumer_pid, SIGKILL);
		(void)waitpid(consumer_pid, &status, 0);
		snprintf(last_death, sizeof(last_death), "pid %d, killed by the session daemon: %s",
		         (int)consumer_pid, why);
	} else {
		describe_exit(status, how, sizeof(how));
		log_error("The consumer daemon died (pid %d, %s): %s; a new one will be started "
		          "when needed",
		          (int)consumer_pid, how, why);
		snprintf(last_death, sizeof(last_death), "pid %d, %s", (int)consumer_pid, how);
	}
	consumer_deaths++;
	consumer_forget_locked();
}

static int consumer_spawn_locked(void)
{
	char fd_arg[32];
	char *argv[3 + CONSUMER_MAX_VERBOSITY] = {NULL};
	posix_spawn_file_actions_t actions;
	posix_spawnattr_t attr;
	sigset_t mask, defaults;
	int sv[2], r;
	unsigned argc = 0;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return negative_errno();
	snprintf(fd_arg, sizeof(fd_arg), "--cmd-fd=%d", sv[1]);
	argv[argc++] = consumer_path;
	argv[argc++] = fd_arg;
	for (unsigned i = 0; i < consumer_verbosity; i++)
		argv[argc++] = "-v";

	posix_spawn_file_actions_init(&actions);
	/* dup2 onto itself clears close-on-exec: the child keeps only its end. */
	posix_spawn_file_actions_adddup2(&actions, sv[1], sv[1]);
	posix_spawnattr_init(&attr);
	sigemptyset(&mask);
	sigemptyset(&defaults);
	sigaddset(&defaults, SIGPIPE);
	sigaddset(&defaults, SIGCHLD);
	sigaddset(&defaults, SIGINT);
	sigaddset(&defaults, SIGTERM);
	sigaddset(&defaults, SIGHUP);
	sigaddset(&defaults, SIGUSR1);
	posix_spawnattr_setsigmask(&attr, &mask);
	posix_spawnattr_setsigdefault(&attr, &defaults);
	/*
	 * Own process group: a Ctrl-C meant for a foreground session daemon must
	 * not kill the consumer before the daemon has flushed the sessions.
	 */
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
	                                    POSIX_SPAWN_SETPGROUP);
	r = posix_spawn(&pid, consumer_path, &actions, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&actions);
	close(sv[1]);
	if (r != 0) {
		close(sv[0]);
		log_error("Cannot start the consumer daemon %s: %s (set its path with "
		          "--consumerd64-path or RINGTRACE_CONSUMERD_PATH)",
		          consumer_path, strerror(r));
		return -r;
	}
	r = unix_sock_set_timeouts(sv[0], CONSUMER_REPLY_TIMEOUT_MS);
	if (r < 0)
		log_warn("Cannot set timeouts on the consumer socket: %s", strerror(-r));
	consumer_pid = pid;
	consumer_fd = sv[0];
	consumer_generation++;
	log_info("Consumer daemon started (pid %d): %s", (int)pid, consumer_path);
	return 0;
}

/*
 * SET_CHANNEL_MONITOR_PIPE to a consumer just spawned. Without it the
 * consumer still traces, only no sample arrives: a refusal is logged, not
 * fatal; a broken stream is, as for any request.
 */
static int consumer_send_monitor_pipe_locked(void)
{
	_cleanup_free_ void *payload = NULL;
	struct comm_frame frame;
	int r;

	r = comm_send(consumer_fd, CONSUMER_SET_CHANNEL_MONITOR_PIPE, 0, NULL, 0, &monitor_pipe_fd,
	              1);
	if (r == 0)
		r = comm_recv(consumer_fd, &frame, &payload, 0, NULL, 0);
	if (r < 0) {
		consumer_lost_locked("failed SET_CHANNEL_MONITOR_PIPE: %s", strerror(-r));
		return -EPIPE;
	}
	if (frame.type != CONSUMER_SET_CHANNEL_MONITOR_PIPE || frame.status > 0 ||
	    frame.payload_len != 0) {
		consumer_lost_locked("sent an unexpected reply to SET_CHANNEL_MONITOR_PIPE");
		return -EPIPE;
	}
	if (frame.status < 0)
		log_warn("The consumer daemon refused the channel monitor pipe (%s): no buffer "
		         "usage samples, no size-based rotations",
		         consumer_return_code_str(-frame.status));
	return 0;
}

static int consumer_ensure_started_locked(void)
{
	int r;

	if (consumer_pid > 0)
		return 0;
	if (!consumer_path[0])
		consumer_resolve_path_locked(NULL);
	r = consumer_spawn_locked();
	if (r == 0 && monitor_pipe_fd >= 0)
		r = consumer_send_monitor_pipe_locked();
	return r;
}

void consumer_set_monitor_pipe(int fd)
{
	pthread_mutex_lock(&consumer_lock);
	monitor_pipe_fd = fd;
	pthread_mutex_unlock(&consumer_lock);
}

int consumer_ensure_started(void)
{
	int r;

	pthread_mutex_lock(&consumer_lock);
	r = consumer_ensure_started_locked();
	pthread_mutex_unlock(&consumer_lock);
	return r;
}

bool consumer_is_alive(void)
{
	bool alive;

	pthread_mutex_lock(&consumer_lock);
	alive = consumer_pid > 0;
	pthread_mutex_unlock(&consumer_lock);
	return alive;
}

void consumer_reap(void)
{
	char how[96];
	int status;

	/* A request in flight sees the death itself (EOF) and reaps then. */
	if (pthread_mutex_trylock(&consumer_lock) != 0)
		return;
	if (consumer_pid > 0 && waitpid(consumer_pid, &status, WNOHANG) == consumer_pid) {
		describe_exit(status, how, sizeof(how));
		log_error("The consumer daemon died (pid %d, %s); a new one will be started when "
		          "needed",
		          (int)consumer_pid, how);
		snprintf(last_death, sizeof(last_death), "pid %d, %s", (int)consumer_pid, how);
		consumer_deaths++;
		consumer_forget_locked();
	}
	pthread_mutex_unlock(&consumer_lock);
}

void consumer_shutdown(void)
{
	char how[96];
	int status = 0;
	pid_t pid;

	pthread_mutex_lock(&consumer_lock);
	pid = consumer_pid;
	if (pid <= 0) {
		pthread_mutex_unlock(&consumer_lock);
		return;
	}
	/* EOF on its command socket makes the consumer flush, close its files and exit. */
	closep(&consumer_fd);
	consumer_fd = -1;
	if (!wait_child(pid, CONSUMER_EXIT_WAIT_MS, &status)) {
		log_warn("The consumer daemon (pid %d) did not exit within %d ms; killing it",
		         (int)pid, CONSUMER_EXIT_WAIT_MS);
		kill(pid, SIGKILL);
		(void)waitpid(pid, &status, 0);
	}
	describe_exit(status, how, sizeof(how));
	log_info("Consumer daemon (pid %d) stopped: %s", (int)pid, how);
	consumer_pid = 0;
	pthread_mutex_unlock(&consumer_lock);
}

/*
 * Sends one request and receives its reply frame. On success the reply is a
 * status (0 or -consumer code) with *ret_payload of exactly reply_len bytes
 * (only when the status is 0). Transport failures return -EPIPE after the
 * consumer was killed.
 */
/* The errno behind the calling thread's last failed request, when the consumer told it. */
static __thread int32_t consumer_errno;

int consumer_last_errno(void)
{
	return consumer_errno > 0 ? consumer_errno : 0;
}

static int consumer_call_fds_locked(uint32_t type, const void *req, uint32_t req_len,
                                    const int *fds, unsigned nr_fds, void *reply,
                                    uint32_t reply_len)
{
	_cleanup_free_ void *payload = NULL;
	struct comm_frame frame;
	int r;

	r = consumer_ensure_started_locked();
	if (r < 0)
		return r;
	r = comm_send(consumer_fd, type, 0, req, req_len, fds, nr_fds);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		consumer_lost_locked("cannot send %s: %s", command_name(type), strerror(-r));
		return -EPIPE;
	}
	consumer_errno = 0;
	r = comm_recv(consumer_fd, &frame, &payload,
	              reply_len > sizeof(int32_t) ? reply_len : sizeof(int32_t), NULL, 0);
	if (r == -EAGAIN || r == -EWOULDBLOCK) {
		consumer_lost_locked("did not answer %s within %d ms", command_name(type),
		                     CONSUMER_REPLY_TIMEOUT_MS);
		return -EPIPE;
	}
	if (r == -EPIPE || r == -ECONNRESET) {
		consumer_lost_locked("closed its command socket during %s", command_name(type));
		return -EPIPE;
	}
	if (r < 0) {
		consumer_lost_locked("sent a malformed reply to %s: %s", command_name(type),
		                     strerror(-r));
		return -EPIPE;
	}
	if (frame.type != type || frame.status > 0 ||
	    (frame.status == 0 && frame.payload_len != reply_len) ||
	    (frame.status < 0 && frame.payload_len != 0 && frame.payload_len != sizeof(int32_t))) {
		consumer_lost_locked("sent an unexpected reply to %s (type %" PRIu32
		                     ", status %" PRId32 ", %" PRIu32 " bytes)",
		                     command_name(type), frame.type, frame.status,
		                     frame.payload_len);
		return -EPIPE;
	}
	if (frame.status < 0) {
		if (-frame.status < CONSUMERD_COMMAND_SOCK_READY ||
		    -frame.status >= _CONSUMERD_RETURN_CODE_MAX) {
			log_warn("Consumer daemon replied to %s with unknown status %" PRId32,
			         command_name(type), frame.status);
			return -CONSUMERD_FATAL;
		}
		if (frame.payload_len == sizeof(int32_t))
			memcpy(&consumer_errno, payload, sizeof(int32_t));
		return frame.status;
	}
	if (reply_len)
		memcpy(reply, payload, reply_len);
	return 0;
}

static int consumer_call_locked(uint32_t type, const void *req, uint32_t req_len, void *reply,
                                uint32_t reply_len)
{
	return consumer_call_fds_locked(type, req, req_len, NULL, 0, reply, reply_len);
}

/* A request about one channel; see key_stale_locked(). */
static int consumer_call_for_key(uint32_t type, uint64_t key, const void *req, uint32_t req_len,
                                 void *reply, uint32_t reply_len)
{
	int r;

	pthread_mutex_lock(&consumer_lock);
	if (!key_stale_locked(key))
		r = consumer_call_locked(type, req, req_len, reply, reply_len);
	else if (type == CONSUMER_DESTROY_CHANNEL)
		r = 0; /* it went with its consumer */
	else
		r = -EPIPE;
	if (type == CONSUMER_DESTROY_CHANNEL)
		owner_remove_locked(key, false);
	pthread_mutex_unlock(&consumer_lock);
	return r;
}

int consumer_ask_channel(const struct consumer_ask_channel *req, uint32_t *ret_stream_count)
{
	struct consumer_channel_status status;
	int r;

	pthread_mutex_lock(&consumer_lock);
	r = consumer_call_locked(CONSUMER_ASK_CHANNEL_CREATION, req, sizeof(*req), &status,
	                         sizeof(status));
	if (r == 0 && status.key != req->key) {
		log_warn("Consumer daemon answered channel creation for key %" PRIu64
		         " with key %" PRIu64,
		         req->key, status.key);
		r = -CONSUMERD_CHANNEL_FAIL;
	}
	if (r == 0) {
		owner_remove_locked(req->key, false);
		owner_add_locked(req->key, false);
	}
	pthread_mutex_unlock(&consumer_lock);
	if (r < 0)
		return r;
	*ret_stream_count = status.stream_count;
	return 0;
}

static void stream_pairs_close(struct consumer_stream_fd_pair *streams, uint32_t count)
{
	for (uint32_t i = 0; i < count; i++) {
		closep(&streams[i].shm_fd);
		closep(&streams[i].wakeup_fd);
	}
}

/* Receives the stream frames that follow a GET_CHANNEL status; all or nothing. */
static int receive_streams_locked(uint64_t key, uint32_t count,
                                  struct consumer_stream_fd_pair *streams)
{
	for (uint32_t i = 0; i < count; i++) {
		struct consumer_stream_fds desc;
		_cleanup_free_ void *payload = NULL;
		struct comm_frame frame;
		int fds[2];
		int r;

		r = comm_recv(consumer_fd, &frame, &payload, sizeof(desc), fds, ARRAY_SIZE(fds));
		if (r < 0) {
			stream_pairs_close(streams, i);
			consumer_lost_locked("failed sending stream %" PRIu32 "/%" PRIu32
			                     " of channel %" PRIu64 ": %s",
			                     i + 1, count, key, strerror(-r));
			return -EPIPE;
		}
		if (frame.type != CONSUMER_GET_CHANNEL || frame.status != 0 ||
		    frame.payload_len != sizeof(desc) || frame.nr_fds != 2) {
			for (unsigned f = 0; f < frame.nr_fds; f++)
				close(fds[f]);
			stream_pairs_close(streams, i);
			consumer_lost_locked("sent a malformed stream frame for channel %" PRIu64,
			                     key);
			return -EPIPE;
		}
		memcpy(&desc, payload, sizeof(desc));
		streams[i] = (struct consumer_stream_fd_pair){
		    .cpu = desc.cpu, .shm_fd = fds[0], .wakeup_fd = fds[1]};
		if (desc.channel_key != key || desc.cpu >= count) {
			stream_pairs_close(streams, i + 1);
			consumer_lost_locked("sent stream (channel %" PRIu64 ", cpu %" PRIu32
			                     ") while channel %" PRIu64 " (%" PRIu32
			                     " streams) was asked",
			                     desc.channel_key, desc.cpu, key, count);
			return -EPIPE;
		}
		for (uint32_t j = 0; j < i; j++) {
			if (streams[j].cpu == desc.cpu) {
				stream_pairs_close(streams, i + 1);
				consumer_lost_locked("sent cpu %" PRIu32
				                     " twice for channel %" PRIu64,
				                     desc.cpu, key);
				return -EPIPE;
			}
		}
	}
	return 0;
}

int consumer_get_channel(uint64_t key, struct consumer_stream_fd_pair **ret_streams,
                         uint32_t *ret_count)
{
	struct consumer_channel_key req = {.key = key};
	struct consumer_channel_status status;
	_cleanup_free_ struct consumer_stream_fd_pair *streams = NULL;
	int r;

	pthread_mutex_lock(&consumer_lock);
	if (key_stale_locked(key)) {
		r = -EPIPE;
		goto out;
	}
	r = consumer_call_locked(CONSUMER_GET_CHANNEL, &req, sizeof(req), &status, sizeof(status));
	if (r < 0)
		goto out;
	if (status.key != key || status.stream_count > CONSUMER_MAX_STREAMS) {
		consumer_lost_locked("answered GET_CHANNEL for channel %" PRIu64
		                     " with channel %" PRIu64 ", %" PRIu32 " streams",
		                     key, status.key, status.stream_count);
		r = -EPIPE;
		goto out;
	}
	streams = calloc(status.stream_count ? status.stream_count : 1, sizeof(*streams));
	if (!streams) {
		/* The stream frames are on their way: the stream cannot be resynchronized. */
		consumer_lost_locked("could not be read: out of memory");
		r = -ENOMEM;
		goto out;
	}
	r = receive_streams_locked(key, status.stream_count, streams);
	if (r < 0)
		goto out;
	*ret_streams = TAKE_PTR(streams);
	*ret_count = status.stream_count;
out:
	pthread_mutex_unlock(&consumer_lock);
	return r;
}

int consumer_push_metadata(uint64_t key, uint64_t version, uint64_t offset, const char *text,
                           uint64_t len)
{
	struct consumer_push_metadata hdr = {
	    .key = key, .target_offset = offset, .len = len, .version = version};
	_cleanup_free_ char *buf = NULL;

	if (len > CONSUMER_MAX_PAYLOAD - sizeof(hdr))
		return -EMSGSIZE;
	buf = malloc(sizeof(hdr) + len);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, &hdr, sizeof(hdr));
	if (len)
		memcpy(buf + sizeof(hdr), text, len);
	return consumer_call_for_key(CONSUMER_PUSH_METADATA, key, buf,
	                             (uint32_t)(sizeof(hdr) + len), NULL, 0);
}

static int consumer_call_key(uint32_t type, uint64_t key)
{
	struct consumer_channel_key req = {.key = key};

	return consumer_call_for_key(type, key, &req, sizeof(req), NULL, 0);
}

int consumer_close_metadata(uint64_t key)
{
	return consumer_call_key(CONSUMER_CLOSE_METADATA, key);
}

int consumer_flush_channel(uint64_t key)
{
	return consumer_call_key(CONSUMER_FLUSH_CHANNEL, key);
}

int consumer_snapshot_channel(uint64_t key, bool metadata, bool relayd, const char *path,
                              uint64_t nb_packets_per_stream)
{
	struct consumer_snapshot_channel req = {
	    .key = key,
	    .nb_packets_per_stream = nb_packets_per_stream,
	    .metadata = metadata,
	    .relayd = relayd,
	};

	if (strlen(path) >= sizeof(req.pathname))
		return -ENAMETOOLONG;
	strcpy(req.pathname, path);
	return consumer_call_for_key(CONSUMER_SNAPSHOT_CHANNEL, key, &req, sizeof(req), NULL, 0);
}

int consumer_rotate_channel(uint64_t key, const char *path)
{
	struct consumer_rotate_channel req = {.key = key};

	if (strlen(path) >= sizeof(req.pathname))
		return -ENAMETOOLONG;
	strcpy(req.pathname, path);
	return consumer_call_for_key(CONSUMER_ROTATE_CHANNEL, key, &req, sizeof(req), NULL, 0);
}

int consumer_clear_channel(uint64_t key)
{
	return consumer_call_key(CONSUMER_CLEAR_CHANNEL, key);
}

int consumer_destroy_channel(uint64_t key)
{
	return consumer_call_key(CONSUMER_DESTROY_CHANNEL, key);
}

int consumer_data_pending(uint64_t session_id)
{
	struct consumer_session_key req = {.session_id = session_id};
	uint8_t pending;
	int r;

	pthread_mutex_lock(&consumer_lock);
	/* Nothing can be pending in a consumer that does not run: do not spawn one to ask. */
	if (consumer_pid <= 0) {
		pthread_mutex_unlock(&consumer_lock);
		return 0;
	}
	r = consumer_call_locked(CONSUMER_DATA_PENDING, &req, sizeof(req), &pending,
	                         sizeof(pending));
	pthread_mutex_unlock(&consumer_lock);
	if (r < 0)
		return r;
	return pending ? 1 : 0;
}

static int consumer_get_counter(uint32_t type, uint64_t key, uint64_t *ret_count)
{
	struct consumer_channel_key req = {.key = key};
	uint64_t count;
	int r;

	r = consumer_call_for_key(type, key, &req, sizeof(req), &count, sizeof(count));
	if (r < 0)
		return r;
	*ret_count = count;
	return 0;
}

int consumer_discarded_events(uint64_t key, uint64_t *ret_count)
{
	return consumer_get_counter(CONSUMER_DISCARDED_EVENTS, key, ret_count);
}

int consumer_lost_packets(uint64_t key, uint64_t *ret_count)
{
	return consumer_get_counter(CONSUMER_LOST_PACKETS, key, ret_count);
}

int consumer_add_relayd_socket(const struct consumer_relayd_sock *req, int fd)
{
	int r;

	pthread_mutex_lock(&consumer_lock);
	if (owner_stale_locked(req->session_id, true)) {
		r = -EPIPE;
	} else {
		r = consumer_call_fds_locked(CONSUMER_ADD_RELAYD_SOCKET, req, sizeof(*req), &fd, 1,
		                             NULL, 0);
		if (r == 0 && !owner_find_locked(req->session_id, true))
			owner_add_locked(req->session_id, true);
	}
	pthread_mutex_unlock(&consumer_lock);
	return r;
}

static int consumer_call_relayd(uint32_t type, const void *req, uint32_t req_len, void *reply,
                                uint32_t reply_len);

int consumer_destroy_relayd(uint64_t session_id)
{
	struct consumer_session_key req = {.session_id = session_id};
	int r = consumer_call_relayd(CONSUMER_DESTROY_RELAYD, &req, sizeof(req), NULL, 0);

	pthread_mutex_lock(&consumer_lock);
	owner_remove_locked(session_id, true);
	pthread_mutex_unlock(&consumer_lock);
	return r;
}

/*
 * A request about a session's relay connections, which died with a consumer
 * that held them. Every such request starts with the session id.
 */
static int consumer_call_relayd(uint32_t type, const void *req, uint32_t req_len, void *reply,
                                uint32_t reply_len)
{
	uint64_t session_id;
	int r;

	memcpy(&session_id, req, sizeof(session_id));
	pthread_mutex_lock(&consumer_lock);
	if (consumer_pid <= 0 || owner_stale_locked(session_id, true))
		r = -EPIPE;
	else
		r = consumer_call_locked(type, req, req_len, reply, reply_len);
	pthread_mutex_unlock(&consumer_lock);
	return r;
}

int consumer_create_trace_chunk(uint64_t session_id, uint64_t chunk_id)
{
	struct consumer_trace_chunk req = {.session_id = session_id, .chunk_id = chunk_id};

	return consumer_call_relayd(CONSUMER_CREATE_TRACE_CHUNK, &req, sizeof(req), NULL, 0);
}

int consumer_create_snapshot_chunk(uint64_t session_id, uint64_t chunk_id, const char *name)
{
	struct consumer_trace_chunk req = {.session_id = session_id, .chunk_id = chunk_id};

	if (!name[0] || strlen(name) >= sizeof(req.override_name))
		return -ENAMETOOLONG;
	strcpy(req.override_name, name);
	return consumer_call_relayd(CONSUMER_CREATE_TRACE_CHUNK, &req, sizeof(req), NULL, 0);
}

int consumer_close_trace_chunk(uint64_t session_id, uint64_t chunk_id, uint32_t close_command,
                               char ret_path[PATH_MAX])
{
	struct consumer_trace_chunk req = {
	    .session_id = session_id, .chunk_id = chunk_id, .close_command = close_command};
	_cleanup_free_ struct consumer_chunk_path *reply = malloc(sizeof(*reply));
	int r;

	if (!reply)
		return -ENOMEM;
	r = consumer_call_relayd(CONSUMER_CLOSE_TRACE_CHUNK, &req, sizeof(req), reply,
	                         sizeof(*reply));
	if (r == 0) {
		reply->path[sizeof(reply->path) - 1] = '\0';
		strcpy(ret_path, reply->path);
	}
	return r;
}

int consumer_trace_chunk_exists(uint64_t session_id, uint64_t chunk_id)
{
	struct consumer_trace_chunk req = {.session_id = session_id, .chunk_id = chunk_id};
	uint8_t exists;
	int r = consumer_call_relayd(CONSUMER_TRACE_CHUNK_EXISTS, &req, sizeof(req), &exists,
	                             sizeof(exists));

	return r < 0 ? r : exists != 0;
}
