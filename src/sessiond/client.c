/* SPDX-License-Identifier: MIT */
/*
 * Client socket: accept, check the peer, read and validate requests,
 * dispatch them through client_commands[] (indexed by the command number of
 * client-msg.h) and reply.
 *
 * What a request can get wrong, and what happens:
 *  - the client goes away, even mid-message: the connection is dropped;
 *  - the stream cannot be trusted any more (descriptors attached, a payload
 *    over CLIENT_MSG_MAX_PAYLOAD): PROTOCOL reply, connection closed;
 *  - the message is whole but wrong (unknown command: UND; wrong payload
 *    size, bad field: PROTOCOL or INVALID from the handler): error reply,
 *    and the connection keeps being served.
 */
#include "client.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <urcu/list.h>

#include "access.h"
#include "cmd.h"
#include "comm/frame.h"
#include "consumer-loss.h"
#include "log.h"
#include "macros.h"
#include "unix-sock.h"

#define CLIENT_MAX_CONNECTIONS    128
#define CLIENT_SEND_TIMEOUT_MS    10000
#define CLIENT_REFUSED_TIMEOUT_MS 1000
#define CLIENT_STOP_WAIT_MS       5000
#define CLIENT_ACCEPT_BACKOFF_MS  100

struct command_desc {
	const char *name;
	cmd_handler_fn handler;
	bool variable_payload; /* struct client_msg is followed by data the handler checks */
};

#define COMMAND(cmd, fn)          [CLIENT_##cmd] = {#cmd, fn, false}
#define COMMAND_VARIABLE(cmd, fn) [CLIENT_##cmd] = {#cmd, fn, true}

static const struct command_desc client_commands[_CLIENT_COMMAND_MAX] = {
    COMMAND(ADD_CONTEXT, cmd_add_context),
    COMMAND(DISABLE_CHANNEL, cmd_disable_channel),
    COMMAND(DISABLE_EVENT, cmd_disable_event),
    COMMAND(ENABLE_CHANNEL, cmd_enable_channel),
    COMMAND_VARIABLE(ENABLE_EVENT, cmd_enable_event),
    COMMAND(DESTROY_SESSION, cmd_destroy_session),
    COMMAND(LIST_CHANNELS, cmd_list_channels),
    COMMAND(LIST_DOMAINS, cmd_list_domains),
    COMMAND(LIST_EVENTS, cmd_list_events),
    COMMAND(LIST_SESSIONS, cmd_list_sessions),
    COMMAND(LIST_TRACEPOINTS, cmd_list_tracepoints),
    COMMAND(REGISTER_CONSUMER, cmd_register_consumer),
    COMMAND(START_TRACE, cmd_start_trace),
    COMMAND(STOP_TRACE, cmd_stop_trace),
    COMMAND(LIST_TRACEPOINT_FIELDS, cmd_list_tracepoint_fields),
    COMMAND(DATA_PENDING, cmd_data_pending),
    COMMAND_VARIABLE(SNAPSHOT_ADD_OUTPUT, cmd_snapshot_add_output),
    COMMAND_VARIABLE(SNAPSHOT_DEL_OUTPUT, cmd_snapshot_del_output),
    COMMAND(SNAPSHOT_LIST_OUTPUT, cmd_snapshot_list_output),
    COMMAND_VARIABLE(SNAPSHOT_RECORD, cmd_snapshot_record),
    COMMAND(SAVE_SESSION, cmd_save_session),
    COMMAND(TRACK_ID, cmd_track_id),
    COMMAND(UNTRACK_ID, cmd_untrack_id),
    COMMAND(LIST_TRACKER_IDS, cmd_list_tracker_ids),
    COMMAND(REGENERATE_METADATA, cmd_regenerate_metadata),
    COMMAND(REGENERATE_STATEDUMP, cmd_regenerate_statedump),
    COMMAND(ROTATE_SESSION, cmd_rotate_session),
    COMMAND(ROTATION_GET_INFO, cmd_rotation_get_info),
    COMMAND(ROTATION_SET_SCHEDULE, cmd_rotation_set_schedule),
    COMMAND(SESSION_LIST_ROTATION_SCHEDULES, cmd_session_list_rotation_schedules),
    COMMAND(CREATE_SESSION_EXT, cmd_create_session),
    COMMAND(CLEAR_SESSION, cmd_clear_session),
};

struct client_conn {
	int fd;
	struct ucred cred;
	struct cds_list_head node;
};

static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t conns_drained = PTHREAD_COND_INITIALIZER;
/* Under conns_lock. */
static CDS_LIST_HEAD(conns);
static unsigned nr_conns;
static bool stopping;

static int listen_fd = -1;
static int stop_pipe[2] = {-1, -1};
static pthread_t accept_thread;
static bool accept_thread_running;
static char listen_path[PATH_MAX];

enum recv_result {
	RECV_OK,
	RECV_GONE, /* peer closed or timed out: drop silently */
	RECV_BAD,  /* stream no longer trustworthy: reply PROTOCOL, close */
};

static void close_fds(int *fds, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		close(fds[i]);
}

/*
 * Reads one request. On RECV_BAD *ret_why says what was wrong and
 * *ret_frame holds the frame as far as it was read (for the reply's type).
 */
static enum recv_result client_recv(int fd, struct comm_frame *ret_frame, uint8_t **ret_payload,
                                    const char **ret_why)
{
	_cleanup_free_ uint8_t *payload = NULL;
	int fds[UNIX_SOCK_MAX_FDS];
	unsigned nr_fds = 0;
	int r;

	*ret_frame = (struct comm_frame){0};
	r = unix_sock_recv(fd, ret_frame, sizeof(*ret_frame), fds, ARRAY_SIZE(fds), &nr_fds);
	if (r == -EPROTO) {
		*ret_why = "too many file descriptors attached to a request";
		return RECV_BAD;
	}
	if (r < 0)
		return RECV_GONE;
	if (nr_fds > 0 || ret_frame->nr_fds > 0) {
		close_fds(fds, nr_fds);
		*ret_why = "file descriptors attached to a request";
		return RECV_BAD;
	}
	if (ret_frame->payload_len > CLIENT_MSG_MAX_PAYLOAD) {
		*ret_why = "request payload larger than the protocol allows";
		return RECV_BAD;
	}
	if (ret_frame->payload_len > 0) {
		payload = malloc(ret_frame->payload_len);
		if (!payload) {
			*ret_why = "out of memory for the request";
			return RECV_BAD;
		}
		r = unix_sock_recv(fd, payload, ret_frame->payload_len, fds, ARRAY_SIZE(fds),
		                   &nr_fds);
		if (r == -EPROTO || (r == 0 && nr_fds > 0)) {
			close_fds(fds, r == 0 ? nr_fds : 0);
			*ret_why = "file descriptors attached to a request";
			return RECV_BAD;
		}
		if (r < 0)
			return RECV_GONE;
	}
	*ret_payload = TAKE_PTR(payload);
	return RECV_OK;
}

static int client_reply(int fd, uint32_t type, int status, const void *payload, uint32_t len)
{
	return comm_send(fd, type, status, payload, len, NULL, 0);
}

static int client_dispatch(const struct client_conn *c, const struct comm_frame *frame,
                           const uint8_t *payload)
{
	const struct command_desc *cmd =
	    frame->type < ARRAY_SIZE(client_commands) ? &client_commands[frame->type] : NULL;
	struct cmd_reply reply = {0};
	struct cmd_ctx ctx;
	int r;

	if (!cmd || !cmd->handler) {
		log_warn("Client pid %d sent unknown command %u", (int)c->cred.pid, frame->type);
		return client_reply(c->fd, frame->type, -RINGTRACE_ERR_UND, NULL, 0);
	}
	if (frame->payload_len < sizeof(struct client_msg) ||
	    (!cmd->variable_payload && frame->payload_len != sizeof(struct client_msg))) {
		log_warn("Client pid %d sent %s with %u payload bytes, expected %s%zu",
		         (int)c->cred.pid, cmd->name, frame->payload_len,
		         cmd->variable_payload ? "at least " : "", sizeof(struct client_msg));
		return client_reply(c->fd, frame->type, -RINGTRACE_ERR_PROTOCOL, NULL, 0);
	}
	ctx = (struct cmd_ctx){
	    .msg = (const struct client_msg *)payload,
	    .var = payload + sizeof(struct client_msg),
	    .var_len = frame->payload_len - (uint32_t)sizeof(struct client_msg),
	    .cred = c->cred,
	};
	cmd_reset_error_detail();
	session_list_lock();
	r = consumer_loss_guard(frame->type, &ctx);
	if (r == 0)
		r = cmd->handler(&ctx, &reply);
	session_list_unlock();
	if (r < 0)
		log_debug("Client command %s from uid %u (pid %d): error %d", cmd->name,
		          (unsigned)c->cred.uid, (int)c->cred.pid, -r);
	else
		log_debug("Client command %s from uid %u (pid %d): ok", cmd->name,
		          (unsigned)c->cred.uid, (int)c->cred.pid);
	if (r < 0) {
		free(reply.payload);
		reply = (struct cmd_reply){0};
		/* The detail, if any, travels with the error (client-msg.h). */
		if (cmd_error_detail()[0])
			return client_reply(c->fd, frame->type, r, cmd_error_detail(),
			                    (uint32_t)strlen(cmd_error_detail()) + 1);
	}
	r = client_reply(c->fd, frame->type, r < 0 ? r : 0, reply.payload, reply.len);
	free(reply.payload);
	return r;
}

static void client_serve(const struct client_conn *c)
{
	for (;;) {
		_cleanup_free_ uint8_t *payload = NULL;
		struct comm_frame frame;
		const char *why = NULL;

		switch (client_recv(c->fd, &frame, &payload, &why)) {
		case RECV_GONE:
			return;
		case RECV_BAD:
			log_warn("Client pid %d (uid %u): %s; closing the connection",
			         (int)c->cred.pid, (unsigned)c->cred.uid, why);
			(void)client_reply(c->fd, frame.type, -RINGTRACE_ERR_PROTOCOL, NULL, 0);
			return;
		case RECV_OK:
			break;
		}
		if (client_dispatch(c, &frame, payload) < 0)
			return;
	}
}

/* A refused peer still gets an answer to its first request: EPERM. */
static void client_refuse(const struct client_conn *c)
{
	_cleanup_free_ uint8_t *payload = NULL;
	struct comm_frame frame;
	const char *why;

	log_warn("Refused client connection from uid %u (pid %d): only root%s may use this "
	         "session daemon",
	         (unsigned)c->cred.uid, (int)c->cred.pid,
	         access_is_root_daemon() ? " and members of the tracing group"
	                                 : ", and the user who started it,");
	(void)unix_sock_set_timeouts(c->fd, CLIENT_REFUSED_TIMEOUT_MS);
	(void)client_recv(c->fd, &frame, &payload, &why);
	(void)client_reply(c->fd, frame.type, -RINGTRACE_ERR_EPERM, NULL, 0);
}

static void client_conn_release(struct client_conn *c)
{
	pthread_mutex_lock(&conns_lock);
	cds_list_del(&c->node);
	close(c->fd);
	if (--nr_conns == 0)
		pthread_cond_broadcast(&conns_drained);
	pthread_mutex_unlock(&conns_lock);
	free(c);
}

static void *client_conn_main(void *arg)
{
	struct client_conn *c = arg;

	if (access_peer_allowed(c->fd, &c->cred))
		client_serve(c);
	else
		client_refuse(c);
	client_conn_release(c);
	return NULL;
}

static void client_conn_start(int fd)
{
	struct timeval send_timeout = {.tv_sec = CLIENT_SEND_TIMEOUT_MS / 1000};
	struct client_conn *c;
	pthread_attr_t attr;
	pthread_t thread;
	struct ucred cred;
	int r;

	r = unix_sock_peer_cred(fd, &cred);
	if (r < 0) {
		log_warn("Cannot get the credentials of a client: %s", strerror(-r));
		close(fd);
		return;
	}
	/* A client that does not read its reply must not hold its thread forever. */
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof(send_timeout));
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->fd = fd;
	c->cred = cred;

	pthread_mutex_lock(&conns_lock);
	if (stopping || nr_conns >= CLIENT_MAX_CONNECTIONS) {
		pthread_mutex_unlock(&conns_lock);
		log_warn("Too many client connections (%d): closing the one from pid %d",
		         CLIENT_MAX_CONNECTIONS, (int)cred.pid);
		close(fd);
		free(c);
		return;
	}
	cds_list_add(&c->node, &conns);
	nr_conns++;
	pthread_mutex_unlock(&conns_lock);

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	r = pthread_create(&thread, &attr, client_conn_main, c);
	pthread_attr_destroy(&attr);
	if (r != 0) {
		log_warn("Cannot start a thread for a client: %s", strerror(r));
		client_conn_release(c);
	}
}

static void *client_accept_main(void *arg)
{
	struct pollfd pfds[] = {
	    {.fd = listen_fd, .events = POLLIN},
	    {.fd = stop_pipe[0], .events = POLLIN},
	};

	for (;;) {
		int fd;

		if (poll(pfds, ARRAY_SIZE(pfds), -1) < 0) {
			if (errno == EINTR)
				continue;
			log_error("Client socket poll failed: %s", strerror(errno));
			return NULL;
		}
		if (pfds[1].revents)
			return NULL;
		if (pfds[0].revents & (POLLERR | POLLNVAL)) {
			log_error("Client socket failed; no longer accepting clients");
			return NULL;
		}
		if (!(pfds[0].revents & POLLIN))
			continue;
		fd = unix_sock_accept(listen_fd);
		if (fd < 0) {
			const struct timespec backoff = {.tv_nsec =
			                                     CLIENT_ACCEPT_BACKOFF_MS * 1000000L};

			log_warn("Cannot accept a client: %s", strerror(-fd));
			/* Out of descriptors: let connections end instead of spinning. */
			if (fd == -EMFILE || fd == -ENFILE || fd == -ENOMEM || fd == -ENOBUFS)
				nanosleep(&backoff, NULL);
			continue;
		}
		client_conn_start(fd);
	}
}

int client_listener_start(const char *path)
{
	int r;

	if (snprintf(listen_path, sizeof(listen_path), "%s", path) >= (int)sizeof(listen_path))
		return -ENAMETOOLONG;
	listen_fd = unix_sock_listen(path, access_client_socket_mode());
	if (listen_fd < 0)
		return listen_fd;
	r = access_secure_client_socket(path);
	if (r < 0)
		goto fail;
	if (pipe2(stop_pipe, O_CLOEXEC) < 0) {
		r = negative_errno();
		goto fail;
	}
	r = -pthread_create(&accept_thread, NULL, client_accept_main, NULL);
	if (r < 0)
		goto fail;
	accept_thread_running = true;
	return 0;
fail:
	closep(&stop_pipe[0]);
	closep(&stop_pipe[1]);
	stop_pipe[0] = stop_pipe[1] = -1;
	closep(&listen_fd);
	listen_fd = -1;
	(void)unlink(path);
	return r;
}

void client_listener_stop(void)
{
	struct client_conn *c;
	struct timespec deadline;

	if (!accept_thread_running)
		return;
	if (write(stop_pipe[1], "x", 1) != 1)
		log_warn("Cannot wake the client accept thread: %s", strerror(errno));
	pthread_join(accept_thread, NULL);
	accept_thread_running = false;
	closep(&listen_fd);
	listen_fd = -1;
	closep(&stop_pipe[0]);
	closep(&stop_pipe[1]);
	stop_pipe[0] = stop_pipe[1] = -1;
	(void)unlink(listen_path);

	/* Wake every connection thread blocked on its client; let running commands finish. */
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += CLIENT_STOP_WAIT_MS / 1000;
	pthread_mutex_lock(&conns_lock);
	stopping = true;
	cds_list_for_each_entry (c, &conns, node)
		(void)shutdown(c->fd, SHUT_RDWR);
	while (nr_conns > 0) {
		if (pthread_cond_timedwait(&conns_drained, &conns_lock, &deadline) == ETIMEDOUT) {
			log_warn("%u client connection(s) still busy at shutdown", nr_conns);
			break;
		}
	}
	pthread_mutex_unlock(&conns_lock);
}
