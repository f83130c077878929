/* SPDX-License-Identifier: MIT */
#include "relay-output.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "comm/relayd-client.h"
#include "consumer.h"
#include "log.h"
#include "macros.h"
#include "paths.h"
#include "session.h"

#define RELAYD_CONNECT_TIMEOUT_MS 5000

/* Identifies this daemon to relays (CREATE_SESSION's sessiond_uuid, never all-zero). */
static uint8_t sessiond_uuid[RT_UUID_LEN];
static pthread_once_t sessiond_uuid_once = PTHREAD_ONCE_INIT;

static void sessiond_uuid_init(void)
{
	if (rt_uuid_generate(sessiond_uuid) < 0)
		sessiond_uuid[0] = 1;
}

int session_relay_attach(struct session *s, const char *url, const char *data_url,
                         uint32_t live_timer_us)
{
	struct session_relay *relay = calloc(1, sizeof(*relay));
	char err[512];
	int r;

	if (!relay)
		return -RINGTRACE_ERR_NOMEM;
	if (data_url[0])
		r = rt_net_url_parse_pair(url, data_url, &relay->url, err, sizeof(err));
	else
		r = rt_net_url_parse(url, &relay->url, err, sizeof(err));
	if (r == 0)
		r = rt_net_url_resolve(&relay->url, err, sizeof(err));
	if (r < 0) {
		log_warn("Session %s: output URL %s%s%s: %s", s->name, url, data_url[0] ? ", " : "",
		         data_url, err[0] ? err : "not a net:// URL");
		free(relay);
		return -RINGTRACE_ERR_INVALID;
	}
	relay->live_timer_us = live_timer_us;
	s->relay = relay;
	return 0;
}

static int relay_connect_endpoint(const struct session *s, const struct rt_net_endpoint *ep,
                                  const char *what)
{
	struct sockaddr_storage addr;
	socklen_t addr_len;
	int fd;

	if (rt_net_endpoint_sockaddr(ep, &addr, &addr_len) < 0)
		return -EINVAL;
	fd = relayd_client_connect((struct sockaddr *)&addr, addr_len, RELAYD_CONNECT_TIMEOUT_MS);
	if (fd < 0)
		log_error("Session %s: cannot connect to the relay daemon's %s port %s:%u: %s",
		          s->name, what, ep->host, ep->port, strerror(-fd));
	return fd;
}

/* What a relay session is made of: where, live or not, one snapshot record or not. */
struct relay_target {
	const struct rt_net_url *url;
	uint32_t live_timer_us;
	bool snapshot;
};

static int relay_handshake(const struct session *s, const struct relay_target *t, int ctrl_fd,
                           uint64_t *ret_relay_id, uint32_t *ret_minor, bool *ret_clear_allowed)
{
	struct relayd_create_session cs = {
	    .live_timer_us = t->live_timer_us,
	    .snapshot = t->snapshot,
	    .name_contains_creation_time = s->auto_named,
	    .session_id = s->id,
	    .creation_time = (uint64_t)s->creation_time,
	};
	int r;

	pthread_once(&sessiond_uuid_once, sessiond_uuid_init);
	memcpy(cs.sessiond_uuid, sessiond_uuid, sizeof(cs.sessiond_uuid));
	if (strlen(s->name) >= sizeof(cs.session_name))
		return -ENAMETOOLONG;
	strcpy(cs.session_name, s->name);
	if (gethostname(cs.hostname, sizeof(cs.hostname) - 1) < 0 || !cs.hostname[0])
		strcpy(cs.hostname, "localhost");
	if (strlen(t->url->path) >= sizeof(cs.base_path))
		return -ENAMETOOLONG;
	strcpy(cs.base_path, t->url->path);
	r = relayd_client_handshake(ctrl_fd, &cs, ret_relay_id, ret_minor, ret_clear_allowed);
	if (r < 0)
		log_error("Session %s: relay daemon at %s:%u refused the session: %s", s->name,
		          t->url->ctrl.host, t->url->ctrl.port,
		          r == -EPROTONOSUPPORT ? "protocol version not supported"
		          : r == -EREMOTEIO     ? "error reply"
		                                : strerror(-r));
	return r;
}

/*
 * Opens the control and data connections to t, does the handshake and
 * hands both over to the consumer for session s.
 */
static int relay_hand_over(struct session *s, const struct relay_target *t,
                           uint64_t *ret_relay_session_id, uint32_t *ret_minor,
                           bool *ret_clear_allowed)
{
	struct consumer_relayd_sock req = {.session_id = s->id, .major = 2};
	_cleanup_close_ int ctrl_fd = -1, data_fd = -1;
	uint64_t relay_session_id;
	uint32_t minor;
	bool clear_allowed;
	int r;

	ctrl_fd = relay_connect_endpoint(s, &t->url->ctrl, "control");
	if (ctrl_fd < 0)
		return -RINGTRACE_ERR_RELAYD_CONNECT_FAIL;
	data_fd = relay_connect_endpoint(s, &t->url->data, "data");
	if (data_fd < 0)
		return -RINGTRACE_ERR_RELAYD_CONNECT_FAIL;
	r = relay_handshake(s, t, ctrl_fd, &relay_session_id, &minor, &clear_allowed);
	if (r == -EPROTONOSUPPORT)
		return -RINGTRACE_ERR_RELAYD_VERSION_FAIL;
	if (r < 0)
		return -RINGTRACE_ERR_RELAYD_CONNECT_FAIL;
	req.relay_session_id = relay_session_id;
	req.minor = minor;
	req.type = CONSUMER_RELAYD_CONTROL;
	r = consumer_add_relayd_socket(&req, ctrl_fd);
	if (r == 0) {
		req.type = CONSUMER_RELAYD_DATA;
		r = consumer_add_relayd_socket(&req, data_fd);
	}
	if (r < 0) {
		log_error("Session %s: the consumer daemon did not take the relay connections: %s",
		          s->name,
		          r > -CONSUMERD_COMMAND_SOCK_READY ? strerror(-r)
		                                            : consumer_return_code_str(-r));
		/* The control connection may be in the consumer: let it go. */
		if (req.type == CONSUMER_RELAYD_DATA)
			(void)consumer_destroy_relayd(s->id);
		return cmd_error_from_consumer(r);
	}
	*ret_relay_session_id = relay_session_id;
	*ret_minor = minor;
	*ret_clear_allowed = clear_allowed;
	return 0;
}

int session_relay_connect(struct session *s)
{
	struct session_relay *relay = s->relay;
	struct relay_target t;
	uint64_t relay_session_id;
	uint32_t minor;
	bool clear_allowed;
	int r;

	if (!relay || relay->connected)
		return 0;
	t = (struct relay_target){.url = &relay->url, .live_timer_us = relay->live_timer_us};
	r = relay_hand_over(s, &t, &relay_session_id, &minor, &clear_allowed);
	if (r < 0)
		return r;
	relay->relay_session_id = relay_session_id;
	relay->clear_allowed = clear_allowed;
	relay->connected = true;
	log_info("Session %s: streaming to the relay daemon at %s:%u, data to %s:%u (relay session "
	         "%" PRIu64 ", protocol 2.%" PRIu32 "%s)",
	         s->name, relay->url.ctrl.host, relay->url.ctrl.port, relay->url.data.host,
	         relay->url.data.port, relay_session_id, minor,
	         clear_allowed ? "" : ", clear disallowed");
	return 0;
}

int session_relay_snapshot_open(struct session *s, const struct rt_net_url *url)
{
	struct relay_target t = {.url = url, .snapshot = true};
	uint64_t relay_session_id;
	uint32_t minor;
	bool clear_allowed;
	int r = relay_hand_over(s, &t, &relay_session_id, &minor, &clear_allowed);

	if (r == 0)
		log_info(
		    "Session %s: snapshot to the relay daemon at %s:%u/%u (relay session %" PRIu64
		    ", protocol 2.%" PRIu32 ")",
		    s->name, url->ctrl.host, url->ctrl.port, url->data.port, relay_session_id,
		    minor);
	return r;
}

int session_relay_snapshot_close(struct session *s)
{
	int r = consumer_destroy_relayd(s->id);

	if (r < 0)
		log_error("Session %s: the relay daemon was lost during the snapshot", s->name);
	return r < 0 ? -RINGTRACE_ERR_RELAYD_LOST : 0;
}

int session_relay_release(struct session *s)
{
	struct session_relay *relay = s->relay;
	int r = 0;

	if (!relay)
		return 0;
	if (relay->connected) {
		r = consumer_destroy_relayd(s->id);
		/* Connections that died with the consumer are part of that loss, told already. */
		if (r < 0 && s->consumer_lost)
			r = 0;
		if (r < 0)
			log_error("Session %s: the relay daemon was lost during the session; trace "
			          "data sent after that is lost",
			          s->name);
	}
	free(relay);
	s->relay = NULL;
	return r < 0 ? -RINGTRACE_ERR_RELAYD_LOST : 0;
}

void session_relay_describe(const struct session *s, char *buf, size_t size)
{
	if (rt_net_url_format(&s->relay->url, buf, size) < 0)
		snprintf(buf, size, "net://%s", s->relay->url.ctrl.host);
}

void session_relay_archive_location(const struct session *s, const char *relay_path,
                                    char ret_location[PATH_MAX])
{
	const struct rt_net_url *url = &s->relay->url;

	if (rt_path_format(ret_location, "tcp://%s/%s [control port %u, data port %u]",
	                   url->ctrl.host, relay_path, url->ctrl.port, url->data.port) < 0)
		rt_path_format(ret_location, "tcp://%s", url->ctrl.host);
}
