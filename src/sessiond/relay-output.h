/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Sessions streamed to a relay daemon (create --set-url=net://…,
 * --ctrl-url/--data-url, --live). As lttng-sessiond: the URL is resolved
 * at create; the control and data connections are opened at the session's
 * first domain-scoped command (enable-channel, enable-event, add-context),
 * where VERSION, GET_CONFIGURATION and CREATE_SESSION are done here, and
 * both connections are then handed over to the consumer daemon, which
 * streams on them until destroy. Called with session_list_lock() held.
 */

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/net-url.h"

struct session;

struct session_relay {
	struct rt_net_url url;  /* hosts resolved to numeric addresses */
	uint32_t live_timer_us; /* 0: not live */
	bool connected;         /* connections handed over to the consumer */
	bool clear_allowed;     /* the relay's GET_CONFIGURATION allows clear */
	uint64_t relay_session_id;
};

/*
 * Attaches the output described by url (a net:// URL), or by url and
 * data_url when data_url is not "" (control and data endpoints, each a
 * tcp:// or net:// URL, possibly on different hosts), to a new session:
 * -RINGTRACE_ERR_INVALID when they do not parse or resolve.
 */
int session_relay_attach(struct session *s, const char *url, const char *data_url,
                         uint32_t live_timer_us);

/* Opens the relay connections if not done yet: 0 or -RINGTRACE_ERR_RELAYD_*. */
int session_relay_connect(struct session *s);

/*
 * One snapshot record to a relay daemon (as lttng's, on connections of its
 * own): opens a control and a data connection to url, does the handshake
 * with CREATE_SESSION snapshot = 1 (the session's name and creation time,
 * so that every record of the session lands in one session directory on
 * the relay) and hands both over to the consumer daemon under the session's
 * id. 0 or -RINGTRACE_ERR_RELAYD_*. session_relay_snapshot_close() then
 * releases them in the consumer: -RINGTRACE_ERR_RELAYD_LOST when the relay
 * was lost meanwhile. Only for snapshot sessions (which have no s->relay).
 */
int session_relay_snapshot_open(struct session *s, const struct rt_net_url *url);
int session_relay_snapshot_close(struct session *s);

/*
 * At destroy, after the session's channels: releases the consumer's relay
 * connections. -RINGTRACE_ERR_RELAYD_LOST when the relay was lost during
 * the session. Frees s->relay.
 */
int session_relay_release(struct session *s);

/* lttng's display of the output ("tcp4://HOST:PORT/PATH [data: PORT]"). */
void session_relay_describe(const struct session *s, char *buf, size_t size);

/*
 * Where an archived trace chunk is, as lttng tells it for a relay: "tcp://HOST/PATH
 * [control port N, data port M]", PATH relative to the relay's output directory.
 */
void session_relay_archive_location(const struct session *s, const char *relay_path,
                                    char ret_location[PATH_MAX]);
