/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The UST side of the session daemon: registered applications, per-UID
 * buffers (one set of consumer channels per session x uid x bitness) or
 * per-PID buffers (one set per session x app, released when the app goes),
 * metadata registries (TSDL built from the events apps register), and the
 * commands sent to apps. Client command handlers call these with
 * session_list_lock() held; errors are negative enum ringtrace_error_code.
 */

#include <ringtrace/ctl.h>
#include <stddef.h>

#include "session.h"

/* Threads serving the app socket and the apps' notify sockets. */
int ust_app_threads_start(const char *app_socket_path, bool root_daemon);
void ust_app_threads_stop(void);

/*
 * Starts tracing: for every registered app (and every app registering later
 * while the session is active): per-UID buffers and registry created on
 * demand, or the app's own per-PID ones, session/channels/streams/enablers
 * sent to the app, session started.
 */
int ust_app_session_start(struct session *s);
/* Stops the apps' session, then flushes every channel of the session in the consumer. */
int ust_app_session_stop(struct session *s);
/* Stops the apps' session only: its consumer died (consumer-loss.h), nothing to flush. */
void ust_app_session_stop_apps(struct session *s);
/*
 * Asks every app where the session is started to record its state dump
 * again (lttng_ust_statedump events). As lttng's, an app that fails is
 * logged and skipped; the only error is -RINGTRACE_ERR_NOMEM when the apps
 * cannot be listed.
 */
int ust_app_session_regenerate_statedump(struct session *s);
/* A channel or rule was added, enabled or disabled: apply it to the apps now if started. */
int ust_app_session_update(struct session *s);
/* Releases everything the session has in apps, consumer and registries. */
void ust_app_session_destroy(struct session *s);
/*
 * After a tracker change: apps the session no longer tracks lose their app
 * session (per-PID buffers flushed and released); apps it now tracks are set
 * up as at registration when the session is active.
 */
int ust_app_session_trackers_update(struct session *s);

/*
 * Events discarded / packets lost so far in a channel of the session (all
 * uids, or all apps, including those gone).
 */
int ust_app_channel_counters(struct session *s, struct session_channel *chan,
                             uint64_t *ret_discarded, uint64_t *ret_lost);

/* Tracepoints of every registered app (pid set); *ret malloc'd, returns the count. */
int ust_app_list_tracepoints(struct ringtrace_event **ret);
int ust_app_list_tracepoint_fields(struct ringtrace_event_field **ret);
