/* SPDX-License-Identifier: MIT */

/*
 * Registered applications and what each session has in them.
 *
 * Threads
 *   - client threads (daemon core): call the ust_app_session_* API with
 *     session_list_lock() held;
 *   - registration thread (ust-app-registration.c): accepts app connections,
 *     reads and checks the registration messages, pairs the command and
 *     notify sockets of a pid; never takes any lock of this file;
 *   - dispatch thread (same file): takes each complete app through
 *     ust_app_register(): table, notify watch, setup for every active
 *     session (under session_list_lock()), REGISTER_DONE; and each dropped
 *     app through ust_app_unregister() (its per-PID buffers released);
 *   - notify thread (ust-app-notify.c): epoll over every app's notify socket
 *     (REGISTER_EVENT) and command socket (hang-up = app gone).
 *
 * Locks, in the only order they may nest (outermost first):
 *   1. session_list_lock()  sessions, channels, rules, and the per-UID and
 *                           per-PID buffers of each session (buffer-uid.c,
 *                           buffer-pid.c).
 *   2. app->cmd_lock        one request/reply at a time on the app's command
 *                           socket; held across that I/O (bounded by the
 *                           socket timeout). Writers of app->sessions hold it.
 *   3. app->lock            app->sessions (and their channels) and
 *                           app->dead; held for list operations only, never
 *                           across I/O or while taking another lock.
 *   apps_lock               the app table; a leaf, held only to add, remove
 *                           or snapshot (references taken), never with 2/3.
 *   registry->lock          (registry.c) event table and metadata text; a
 *                           leaf except for the consumer's internal lock
 *                           (metadata pushes), which never waits on an app.
 *   watch lock, queue lock  (ust-app-notify.c, ust-app-registration.c) the
 *                           notify thread's watched list and the dispatch
 *                           queue; leaves.
 *
 * ust_app_threads_stop() joins the dispatch thread, which may be waiting for
 * session_list_lock(): it must be called without that lock.
 *
 * Why it cannot deadlock on an app: while a client thread waits for an
 * app's reply (holding 1 and 2), the app may need its REGISTER_EVENT
 * notifications served first. The notify thread takes only short locks
 * (app->lock to turn the handles into a registry reference, registry->lock,
 * apps_lock and its watch lock when an app goes), never 1 or 2, and none of
 * those is ever held by anybody waiting on I/O.
 *
 * Lifetime: an app is reference counted (urcu_ref). References: the table,
 * the notify thread's watch, the dispatch queue, and any thread working on
 * it (taken from the table under apps_lock). ust_app_drop() marks it dead,
 * removes it from the table and shuts its sockets down: a command in
 * progress fails at once and the notify thread sees the hang-up, unwatches
 * and releases it. The descriptors are closed only by the last reference,
 * so no thread ever uses a recycled descriptor number. Per-UID buffers and
 * registries outlive apps; an app session holds a registry reference.
 *
 * Per-PID buffers belong to the session too, named by the app's id. When an
 * app is dropped, ust_app_drop() queues it for the dispatch thread, which
 * (under session_list_lock(), so after any command that was setting the app
 * up) flushes, drains and destroys its buffers in every session: the events
 * it wrote before exiting all reach the trace. Until then, stop and destroy
 * of a session cover them like those of live apps.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <urcu/system.h>

#include "buffer.h"
#include "comm/ust-wire.h"
#include "consumer-loss.h"
#include "log.h"
#include "macros.h"
#include "registry.h"
#include "ust-app-internal.h"
#include "ust-app.h"

#define DEFAULT_APP_SOCKET_TIMEOUT_MS 5000u

static pthread_mutex_t apps_lock = PTHREAD_MUTEX_INITIALIZER;
static CDS_LIST_HEAD(apps); /* struct ust_app, by registration order */
static uint64_t app_next_id;

unsigned ust_app_socket_timeout_ms(void)
{
	const char *env = getenv("RINGTRACE_APP_SOCKET_TIMEOUT");
	char *end;
	unsigned long s;

	if (!env || !*env)
		return DEFAULT_APP_SOCKET_TIMEOUT_MS;
	s = strtoul(env, &end, 10);
	if (*end || s == 0 || s > 3600)
		return DEFAULT_APP_SOCKET_TIMEOUT_MS;
	return (unsigned)s * 1000u;
}

/* --- app objects --- */

static void app_session_free(struct ust_app_session *ua_sess)
{
	struct ust_app_channel *uchan, *tmp;

	cds_list_for_each_entry_safe (uchan, tmp, &ua_sess->channels, node) {
		struct ust_app_enabler *uen, *tmp_en;

		cds_list_for_each_entry_safe (uen, tmp_en, &uchan->enablers, node) {
			free(uen);
		}
		free(uchan);
	}
	ust_registry_put(ua_sess->registry);
	free(ua_sess);
}

static void app_release(struct urcu_ref *ref)
{
	struct ust_app *app = caa_container_of(ref, struct ust_app, ref);
	struct ust_app_session *ua_sess, *tmp;

	cds_list_for_each_entry_safe (ua_sess, tmp, &app->sessions, node) {
		app_session_free(ua_sess);
	}
	closep(&app->cmd_fd);
	closep(&app->notify_fd);
	pthread_mutex_destroy(&app->cmd_lock);
	pthread_mutex_destroy(&app->lock);
	free(app);
}

struct ust_app *ust_app_new(const struct ust_reg_msg *reg, int cmd_fd, int notify_fd)
{
	struct ust_app *app = calloc(1, sizeof(*app));

	if (!app)
		return NULL;
	urcu_ref_init(&app->ref);
	app->id = __atomic_add_fetch(&app_next_id, 1, __ATOMIC_RELAXED);
	app->pid = (pid_t)reg->pid;
	app->ppid = (pid_t)reg->ppid;
	app->uid = (uid_t)reg->uid;
	app->gid = (gid_t)reg->gid;
	app->reg = *reg;
	memcpy(app->name, reg->name, UST_PROCNAME_LEN);
	app->name[UST_PROCNAME_LEN] = '\0';
	app->registration_time = time(NULL);
	app->cmd_fd = cmd_fd;
	app->notify_fd = notify_fd;
	app->next_handle = 1;
	pthread_mutex_init(&app->cmd_lock, NULL);
	pthread_mutex_init(&app->lock, NULL);
	CDS_INIT_LIST_HEAD(&app->sessions);
	CDS_INIT_LIST_HEAD(&app->watch_node);
	CDS_INIT_LIST_HEAD(&app->node);
	app->cmd_watch = (struct ust_app_watch){.app = app, .is_notify = false};
	app->notify_watch = (struct ust_app_watch){.app = app, .is_notify = true};
	return app;
}

struct ust_app *ust_app_get(struct ust_app *app)
{
	urcu_ref_get(&app->ref);
	return app;
}

void ust_app_put(struct ust_app *app)
{
	if (app)
		urcu_ref_put(&app->ref, app_release);
}

static void ust_app_put_array(struct ust_app **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ust_app_put(list[i]);
	free(list);
}

void ust_app_drop(struct ust_app *app, const char *reason)
{
	bool was_dead, in_table = false;

	pthread_mutex_lock(&app->lock);
	was_dead = app->dead;
	CMM_STORE_SHARED(app->dead, true);
	pthread_mutex_unlock(&app->lock);
	if (was_dead)
		return;
	log_info("App %d (%s, uid %u) unregistered: %s", (int)app->pid, app->name,
	         (unsigned)app->uid, reason);
	pthread_mutex_lock(&apps_lock);
	if (!cds_list_empty(&app->node)) {
		cds_list_del_init(&app->node);
		in_table = true;
	}
	pthread_mutex_unlock(&apps_lock);
	/* Wakes a command waiting for a reply and the notify thread (hang-up). */
	(void)shutdown(app->cmd_fd, SHUT_RDWR);
	(void)shutdown(app->notify_fd, SHUT_RDWR);
	ust_app_dispatch_unregister(app);
	if (in_table)
		ust_app_put(app);
}

/* References to every app of the table, in registration order. */
static int apps_snapshot(struct ust_app ***ret_list, size_t *ret_n)
{
	struct ust_app **list;
	struct ust_app *app;
	size_t n = 0, i = 0;

	pthread_mutex_lock(&apps_lock);
	cds_list_for_each_entry (app, &apps, node) {
		n++;
	}
	list = calloc(n ? n : 1, sizeof(*list));
	if (list) {
		cds_list_for_each_entry (app, &apps, node) {
			list[i++] = ust_app_get(app);
		}
	}
	pthread_mutex_unlock(&apps_lock);
	if (!list)
		return -ENOMEM;
	*ret_list = list;
	*ret_n = n;
	return 0;
}

void ust_app_drop_all(void)
{
	struct ust_app **list;
	size_t n;

	if (apps_snapshot(&list, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++)
		ust_app_drop(list[i], "session daemon stopping");
	ust_app_put_array(list, n);
}

/* --- lookups (app->lock held for those the notify thread also reads) --- */

static struct ust_app_session *find_app_session(struct ust_app *app, uint64_t session_id)
{
	struct ust_app_session *ua_sess;

	cds_list_for_each_entry (ua_sess, &app->sessions, node) {
		if (ua_sess->session_id == session_id)
			return ua_sess;
	}
	return NULL;
}

static struct ust_app_channel *find_app_channel(struct ust_app_session *ua_sess,
                                                uint32_t session_chan_id)
{
	struct ust_app_channel *uchan;

	cds_list_for_each_entry (uchan, &ua_sess->channels, node) {
		if (uchan->session_chan_id == session_chan_id)
			return uchan;
	}
	return NULL;
}

static struct ust_app_enabler *find_app_enabler(struct ust_app_channel *uchan, uint32_t rule_id)
{
	struct ust_app_enabler *uen;

	cds_list_for_each_entry (uen, &uchan->enablers, node) {
		if (uen->rule_id == rule_id)
			return uen;
	}
	return NULL;
}

int ust_app_find_channel_registry(struct ust_app *app, uint32_t session_handle,
                                  uint32_t channel_handle, struct ust_registry **ret_reg,
                                  uint32_t *ret_chan_id)
{
	struct ust_app_session *ua_sess;
	struct ust_app_channel *uchan;
	int r = -ENOENT;

	pthread_mutex_lock(&app->lock);
	if (app->dead)
		goto out;
	cds_list_for_each_entry (ua_sess, &app->sessions, node) {
		if (ua_sess->handle != session_handle)
			continue;
		cds_list_for_each_entry (uchan, &ua_sess->channels, node) {
			if (uchan->handle != channel_handle)
				continue;
			*ret_reg = ust_registry_get(ua_sess->registry);
			*ret_chan_id = uchan->stream_id;
			r = 0;
			goto out;
		}
	}
out:
	pthread_mutex_unlock(&app->lock);
	return r;
}

/* --- setting a session up in an app (session_list_lock and app->cmd_lock held) --- */

static bool app_is_dead(struct ust_app *app)
{
	return CMM_LOAD_SHARED(app->dead);
}

static void log_app_failure(struct ust_app *app, const struct session *s, const char *what, int r)
{
	if (app_is_dead(app))
		return; /* ust_app_drop() already said why */
	if (r == -EXDEV) {
		/* rb_stream_map(): the app chose another trace clock than the daemons. */
		log_warn("App %d (%s) is not traced in session %s: it reads another trace clock "
		         "than the daemons (set RINGTRACE_CLOCK the same for both)",
		         (int)app->pid, app->name, s->name);
		return;
	}
	log_warn("App %d (%s): %s for session %s failed: %s", (int)app->pid, app->name, what,
	         s->name, strerror(-r));
}

static uint32_t ust_loglevel_type(int32_t type)
{
	switch (type) {
	case RINGTRACE_EVENT_LOGLEVEL_RANGE:
		return UST_LOGLEVEL_RANGE;
	case RINGTRACE_EVENT_LOGLEVEL_SINGLE:
		return UST_LOGLEVEL_SINGLE;
	default:
		return UST_LOGLEVEL_ALL;
	}
}

static int app_enabler_sync(struct ust_app *app, const struct session *s,
                            struct ust_app_channel *uchan, const struct session_event_rule *rule)
{
	struct ust_app_enabler *uen = find_app_enabler(uchan, rule->id);
	int r;

	if (!uen) {
		struct ust_cmd_enabler msg = {
		    .channel_handle = uchan->handle,
		    .loglevel_type = (int32_t)ust_loglevel_type(rule->loglevel_type),
		    .loglevel = rule->loglevel,
		};

		uen = calloc(1, sizeof(*uen));
		if (!uen)
			return -ENOMEM;
		uen->rule_id = rule->id;
		uen->handle = app->next_handle++;
		msg.enabler_handle = uen->handle;
		snprintf(msg.pattern, sizeof(msg.pattern), "%s", rule->pattern);
		r = ust_app_cmd_create_enabler(app, &msg, rule->exclusions, rule->exclusion_count);
		if (r < 0) {
			free(uen);
			log_app_failure(app, s, "event rule creation", r);
			return r;
		}
		if (rule->filter_bytecode) {
			/* Before ENABLE: the app never records this rule's events unfiltered. */
			r = ust_app_cmd_set_filter(app, uen->handle, rule->filter_bytecode,
			                           rule->filter_bytecode_len);
			if (r < 0) {
				log_app_failure(app, s, "event rule filter", r);
				if (!app_is_dead(app))
					(void)ust_app_cmd_release(app, uen->handle);
				free(uen);
				return r;
			}
		}
		/*
		 * Whatever state the app gives a new enabler, it gets an explicit
		 * ENABLE or DISABLE below. Only cmd_lock holders read enablers.
		 */
		uen->enabled = !rule->enabled;
		cds_list_add_tail(&uen->node, &uchan->enablers);
	}
	if (uen->enabled == rule->enabled)
		return 0;
	r = ust_app_cmd_enable(app, uen->handle, rule->enabled);
	if (r < 0) {
		log_app_failure(app, s, rule->enabled ? "event rule enable" : "event rule disable",
		                r);
		return r;
	}
	uen->enabled = rule->enabled;
	return 0;
}

static bool channel_has_rule(const struct session_channel *schan, uint32_t rule_id)
{
	struct session_event_rule *rule;

	cds_list_for_each_entry (rule, &schan->rules, node) {
		if (rule->id == rule_id)
			return true;
	}
	return false;
}

/* Releases the app's enablers whose rule is gone from the session. */
static int app_enablers_prune(struct ust_app *app, const struct session *s,
                              struct ust_app_channel *uchan, const struct session_channel *schan)
{
	struct ust_app_enabler *uen, *tmp;
	int r;

	cds_list_for_each_entry_safe (uen, tmp, &uchan->enablers, node) {
		if (channel_has_rule(schan, uen->rule_id))
			continue;
		r = ust_app_cmd_release(app, uen->handle);
		if (r < 0) {
			log_app_failure(app, s, "event rule release", r);
			if (app_is_dead(app))
				return r;
		}
		cds_list_del(&uen->node);
		free(uen);
	}
	return 0;
}

/*
 * The consumer channel behind an app's channel, or NULL when it has no
 * consumer side (the buffer side said why) or when its per-PID streams were
 * handed to the app already.
 */
static struct buffer_channel *app_buffer_channel(struct ust_app_session *ua_sess,
                                                 uint32_t session_chan_id)
{
	struct buffer_channel *chan = buffer_find_channel(ua_sess->buffer, session_chan_id);

	return chan && chan->streams ? chan : NULL;
}

/*
 * Creates the channel in the app and hands it the streams of its buffers
 * (app_buffer_channel() found them). Per-PID streams are the app's alone:
 * the daemon closes its copies once the app has them.
 */
static int app_channel_create(struct ust_app *app, const struct session *s,
                              struct ust_app_session *ua_sess, const struct session_channel *schan,
                              struct buffer_channel *bchan, struct ust_app_channel **ret_uchan)
{
	struct ust_app_channel *uchan;
	int r;

	uchan = calloc(1, sizeof(*uchan));
	if (!uchan)
		return -ENOMEM;
	uchan->session_chan_id = schan->id;
	uchan->handle = app->next_handle++;
	uchan->stream_id = bchan->stream_id;
	uchan->enabled = true;
	CDS_INIT_LIST_HEAD(&uchan->enablers);
	/* Visible to the notify thread before the app can register events for it. */
	pthread_mutex_lock(&app->lock);
	cds_list_add_tail(&uchan->node, &ua_sess->channels);
	pthread_mutex_unlock(&app->lock);

	struct ust_cmd_channel msg = {
	    .session_handle = ua_sess->handle,
	    .channel_handle = uchan->handle,
	    .stream_id = bchan->stream_id,
	    .nr_streams = bchan->nr_streams,
	    .overwrite = schan->attr.overwrite > 0,
	    .blocking_timeout_us = schan->attr.blocking_timeout,
	};
	r = ust_app_cmd_create_channel(app, &msg);
	for (uint32_t i = 0; r >= 0 && i < schan->nr_contexts; i++)
		r = ust_app_cmd_add_context(app, uchan->handle, &schan->contexts[i]);
	for (uint32_t cpu = 0; r >= 0 && cpu < bchan->nr_streams; cpu++)
		r = ust_app_cmd_add_stream(app, uchan->handle, cpu, bchan->streams[cpu].shm_fd,
		                           bchan->streams[cpu].wakeup_fd);
	if (r < 0) {
		log_app_failure(app, s, "channel setup", r);
		/* A channel missing streams must not stay behind in the app. */
		if (!app_is_dead(app))
			(void)ust_app_cmd_release(app, uchan->handle);
		pthread_mutex_lock(&app->lock);
		cds_list_del(&uchan->node);
		pthread_mutex_unlock(&app->lock);
		free(uchan);
		return r;
	}
	if (ua_sess->buffer->kind == BUFFER_PER_PID)
		buffer_streams_sent(bchan);
	*ret_uchan = uchan;
	return 0;
}

static int app_channel_sync(struct ust_app *app, const struct session *s,
                            struct ust_app_session *ua_sess, const struct session_channel *schan)
{
	struct ust_app_channel *uchan = find_app_channel(ua_sess, schan->id);
	struct session_event_rule *rule;
	int r;

	if (!uchan) {
		struct buffer_channel *bchan = app_buffer_channel(ua_sess, schan->id);

		if (!schan->enabled || !bchan)
			return 0;
		r = app_channel_create(app, s, ua_sess, schan, bchan, &uchan);
		if (r < 0)
			return r;
	} else if (uchan->enabled != schan->enabled) {
		r = ust_app_cmd_enable(app, uchan->handle, schan->enabled);
		if (r < 0) {
			log_app_failure(app, s, "channel enable/disable", r);
			return r;
		}
		uchan->enabled = schan->enabled;
	}
	cds_list_for_each_entry (rule, &schan->rules, node) {
		r = app_enabler_sync(app, s, uchan, rule);
		if (app_is_dead(app))
			return r;
	}
	return app_enablers_prune(app, s, uchan, schan);
}

/* Every channel of a session has the same buffer type (cmd-channel.c sees to it). */
static bool session_is_per_pid(struct session *s)
{
	return !cds_list_empty(&s->channels) &&
	       cds_list_first_entry(&s->channels, struct session_channel, node)->buffer_type ==
	           RINGTRACE_BUFFER_PER_PID;
}

/* The app's per-UID buffers (shared with its uid) or new per-PID buffers of its own. */
static int app_session_buffers(struct ust_app *app, struct session *s,
                               struct ust_app_session *ua_sess)
{
	struct buffer_owner owner = {
	    .uid = (uint32_t)app->uid,
	    .app_id = app->id,
	    .pid = app->pid,
	    .procname = app->name,
	    .registration_time = app->registration_time,
	    .bits_per_long = app->reg.bits_per_long,
	    .uint8_align_bits = app->reg.uint8_t_alignment,
	    .uint16_align_bits = app->reg.uint16_t_alignment,
	    .uint32_align_bits = app->reg.uint32_t_alignment,
	    .uint64_align_bits = app->reg.uint64_t_alignment,
	    .long_align_bits = app->reg.long_alignment,
	};
	int r = session_is_per_pid(s) ? buffer_pid_create(s, &owner, &ua_sess->buffer)
	                              : buffer_uid_get(s, &owner, &ua_sess->buffer);

	if (r >= 0)
		ua_sess->registry = ust_registry_get(ua_sess->buffer->registry);
	return r;
}

static int app_session_create(struct ust_app *app, struct session *s,
                              struct ust_app_session **ret_ua_sess)
{
	struct ust_app_session *ua_sess;
	int r;

	ua_sess = calloc(1, sizeof(*ua_sess));
	if (!ua_sess)
		return -RINGTRACE_ERR_NOMEM;
	ua_sess->session_id = s->id;
	CDS_INIT_LIST_HEAD(&ua_sess->channels);
	r = app_session_buffers(app, s, ua_sess);
	if (r < 0) {
		free(ua_sess);
		return r;
	}
	ua_sess->handle = app->next_handle++;
	r = ust_app_cmd_create_session(app, ua_sess->handle);
	if (r < 0) {
		log_app_failure(app, s, "session creation", r);
		/* Per-PID buffers nobody will use. */
		if (ua_sess->buffer->kind == BUFFER_PER_PID)
			buffer_release_app(s, app->id);
		app_session_free(ua_sess);
		return 0; /* the app's failure, not the session's */
	}
	pthread_mutex_lock(&app->lock);
	cds_list_add_tail(&ua_sess->node, &app->sessions);
	pthread_mutex_unlock(&app->lock);
	*ret_ua_sess = ua_sess;
	return 0;
}

/*
 * Brings the app in line with the session: session, enabled channels (with
 * streams) and rules created, enabled states applied, then the session
 * started in the app when `start`. Returns a negative ringtrace error only
 * when the session's buffers could not be made; the app's own failures are
 * logged (and a broken app dropped) without failing the session.
 */
static int app_session_sync_locked(struct ust_app *app, struct session *s, bool start)
{
	struct ust_app_session *ua_sess = find_app_session(app, s->id);
	struct session_channel *schan;
	int r;

	if (app_is_dead(app))
		return 0;
	if (!ua_sess) {
		r = app_session_create(app, s, &ua_sess);
		if (r < 0 || !ua_sess)
			return r;
	}
	/* Channels enabled since the buffer was made get their consumer side first. */
	r = buffer_sync_channels(s, ua_sess->buffer);
	cds_list_for_each_entry (schan, &s->channels, node) {
		(void)app_channel_sync(app, s, ua_sess, schan);
		if (app_is_dead(app))
			return r;
	}
	if (start && !ua_sess->started) {
		int rs = ust_app_cmd_session_start(app, ua_sess->handle);

		if (rs < 0)
			log_app_failure(app, s, "session start", rs);
		else
			ua_sess->started = true;
	}
	return r;
}

static int app_session_sync(struct ust_app *app, struct session *s, bool start)
{
	int r;

	pthread_mutex_lock(&app->cmd_lock);
	r = app_session_sync_locked(app, s, start);
	pthread_mutex_unlock(&app->cmd_lock);
	return r;
}

/* Runs fn on every registered app; returns the first error, after trying them all. */
static int for_each_app(int (*fn)(struct ust_app *app, struct session *s), struct session *s)
{
	struct ust_app **list;
	size_t n;
	int ret = 0;

	if (apps_snapshot(&list, &n) < 0)
		return -RINGTRACE_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		int r = fn(list[i], s);

		if (r < 0 && !ret)
			ret = r;
	}
	ust_app_put_array(list, n);
	return ret;
}

/* The session's trackers include the app's vpid, vuid and vgid. */
static bool session_tracks_app(const struct session *s, const struct ust_app *app)
{
	return session_tracker_includes(&s->trackers[RINGTRACE_TRACKER_VPID],
	                                RINGTRACE_TRACKER_VPID, (int32_t)app->pid) &&
	       session_tracker_includes(&s->trackers[RINGTRACE_TRACKER_VUID],
	                                RINGTRACE_TRACKER_VUID, (int32_t)app->uid) &&
	       session_tracker_includes(&s->trackers[RINGTRACE_TRACKER_VGID],
	                                RINGTRACE_TRACKER_VGID, (int32_t)app->gid);
}

static int app_session_sync_and_start(struct ust_app *app, struct session *s)
{
	if (!session_tracks_app(s, app))
		return 0;
	return app_session_sync(app, s, true);
}

static int setup_active_session(struct session *s, void *arg)
{
	struct ust_app *app = arg;
	int r;

	/* As lttng's: no app joins a session whose consumer died (it could not be read). */
	if (!s->active || !session_tracks_app(s, app) || consumer_loss_check(s))
		return 0;
	r = app_session_sync(app, s, true);
	if (r < 0)
		log_error("App %d (%s) not traced by session %s (error %d)", (int)app->pid,
		          app->name, s->name, -r);
	return 0;
}

void ust_app_register(struct ust_app *app)
{
	struct ust_app *old = NULL, *it;
	int r;

	pthread_mutex_lock(&apps_lock);
	cds_list_for_each_entry (it, &apps, node) {
		if (it->pid == app->pid) {
			old = ust_app_get(it);
			break;
		}
	}
	cds_list_add_tail(&app->node, &apps);
	ust_app_get(app);
	pthread_mutex_unlock(&apps_lock);
	if (old) {
		/* Same pid again: the process lost its connection, or exec'd. */
		ust_app_drop(old, "registered again");
		ust_app_put(old);
	}
	log_info("App %d (%s, uid %u, %u-bit) registered", (int)app->pid, app->name,
	         (unsigned)app->uid, app->reg.bits_per_long);

	r = ust_app_notify_watch(app);
	if (r < 0) {
		ust_app_drop(app, "cannot watch its sockets");
		return;
	}
	session_list_lock();
	(void)session_for_each(setup_active_session, app);
	session_list_unlock();
	/* Always: the app's constructor waits for it so main() starts traced. */
	pthread_mutex_lock(&app->cmd_lock);
	(void)ust_app_cmd_register_done(app);
	pthread_mutex_unlock(&app->cmd_lock);
}

/* --- the API of ust-app.h --- */

int ust_app_threads_start(const char *app_socket_path, bool root_daemon)
{
	int r;

	r = ust_app_notify_start();
	if (r < 0)
		return r;
	r = ust_app_registration_start(app_socket_path, root_daemon);
	if (r < 0) {
		ust_app_notify_stop();
		return r;
	}
	return 0;
}

void ust_app_threads_stop(void)
{
	ust_app_registration_stop();
	ust_app_drop_all();
	ust_app_notify_stop();
}

static int app_session_stop(struct ust_app *app, struct session *s);

int ust_app_session_start(struct session *s)
{
	int r;

	r = consumer_ensure_started();
	if (r < 0) {
		log_error("Cannot start the consumer daemon: %s", consumer_strerror(r));
		/* -EPIPE: it started, then died before its first request was answered. */
		return r == -EPIPE ? -RINGTRACE_ERR_CONSUMERD_DIED : -RINGTRACE_ERR_NO_USTCONSUMERD;
	}
	r = for_each_app(app_session_sync_and_start, s);
	if (r < 0) {
		/* The session stays inactive: no app may go on recording for it. */
		(void)for_each_app(app_session_stop, s);
	}
	return r;
}

static int app_session_stop(struct ust_app *app, struct session *s)
{
	struct ust_app_session *ua_sess;
	int r;

	pthread_mutex_lock(&app->cmd_lock);
	ua_sess = find_app_session(app, s->id);
	if (ua_sess && ua_sess->started && !app_is_dead(app)) {
		r = ust_app_cmd_session_stop(app, ua_sess->handle);
		if (r < 0)
			log_app_failure(app, s, "session stop", r);
		ua_sess->started = false;
	}
	pthread_mutex_unlock(&app->cmd_lock);
	return 0;
}

void ust_app_session_stop_apps(struct session *s)
{
	(void)for_each_app(app_session_stop, s);
}

int ust_app_session_stop(struct session *s)
{
	(void)for_each_app(app_session_stop, s);
	/* Partial packets become readable; the metadata was pushed as it grew. */
	return buffer_flush_all(s);
}

static int app_session_statedump(struct ust_app *app, struct session *s)
{
	struct ust_app_session *ua_sess;
	int r;

	pthread_mutex_lock(&app->cmd_lock);
	ua_sess = find_app_session(app, s->id);
	if (ua_sess && ua_sess->started && !app_is_dead(app)) {
		r = ust_app_cmd_session_statedump(app, ua_sess->handle);
		if (r < 0)
			log_app_failure(app, s, "state dump", r);
	}
	pthread_mutex_unlock(&app->cmd_lock);
	return 0;
}

int ust_app_session_regenerate_statedump(struct session *s)
{
	return for_each_app(app_session_statedump, s);
}

int ust_app_session_update(struct session *s)
{
	if (!s->active)
		return 0; /* applied by the next start */
	return for_each_app(app_session_sync_and_start, s);
}

static int app_session_release(struct ust_app *app, struct session *s)
{
	struct ust_app_session *ua_sess;
	int r;

	pthread_mutex_lock(&app->cmd_lock);
	ua_sess = find_app_session(app, s->id);
	if (ua_sess) {
		/* The app destroys the session's channels and enablers with it. */
		if (!app_is_dead(app)) {
			r = ust_app_cmd_release(app, ua_sess->handle);
			if (r < 0)
				log_app_failure(app, s, "session release", r);
		}
		pthread_mutex_lock(&app->lock);
		cds_list_del(&ua_sess->node);
		pthread_mutex_unlock(&app->lock);
		app_session_free(ua_sess);
	}
	pthread_mutex_unlock(&app->cmd_lock);
	return 0;
}

/*
 * An app the session stops tracking: its app session goes (the app destroys
 * the channels with it), and its per-PID buffers are flushed, drained and
 * released as when it exits, so what it wrote so far reaches the trace.
 */
static int app_session_untrack(struct ust_app *app, struct session *s)
{
	(void)app_session_stop(app, s);
	(void)app_session_release(app, s);
	buffer_release_app(s, app->id);
	return 0;
}

static int app_session_trackers_apply(struct ust_app *app, struct session *s)
{
	if (!session_tracks_app(s, app))
		return app_session_untrack(app, s);
	if (!s->active)
		return 0; /* set up by the next start */
	return app_session_sync(app, s, true);
}

int ust_app_session_trackers_update(struct session *s)
{
	return for_each_app(app_session_trackers_apply, s);
}

void ust_app_session_destroy(struct session *s)
{
	(void)for_each_app(app_session_release, s);
	/* Whatever the apps wrote since the last flush goes to disk before the channels go. */
	buffer_destroy_all(s);
}

int ust_app_channel_counters(struct session *s, struct session_channel *chan,
                             uint64_t *ret_discarded, uint64_t *ret_lost)
{
	return buffer_channel_counters(s, chan, ret_discarded, ret_lost);
}

static int app_buffers_release(struct session *s, void *arg)
{
	struct ust_app *app = arg;
	struct ust_app_session *ua_sess;

	pthread_mutex_lock(&app->cmd_lock);
	ua_sess = find_app_session(app, s->id);
	if (ua_sess && ua_sess->buffer && ua_sess->buffer->kind == BUFFER_PER_PID)
		ua_sess->buffer = NULL; /* released below */
	pthread_mutex_unlock(&app->cmd_lock);
	/* Before its per-PID channels, which may show the loss, are forgotten. */
	(void)consumer_loss_check(s);
	buffer_release_app(s, app->id);
	return 0;
}

void ust_app_unregister(struct ust_app *app)
{
	session_list_lock();
	(void)session_for_each(app_buffers_release, app);
	session_list_unlock();
}

/* --- listings --- */

static void copy_name(char *dst, size_t dst_size, const char *src, size_t src_size)
{
	size_t len = strnlen(src, src_size);

	if (len >= dst_size)
		len = dst_size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static int32_t field_list_type(const struct ust_wire_field *f)
{
	switch (f->kind) {
	case RINGTRACE_TYPE_INTEGER:
		return RINGTRACE_EVENT_FIELD_INTEGER;
	case RINGTRACE_TYPE_ENUM:
		return RINGTRACE_EVENT_FIELD_ENUM;
	case RINGTRACE_TYPE_FLOAT:
		return RINGTRACE_EVENT_FIELD_FLOAT;
	case RINGTRACE_TYPE_STRING:
		return RINGTRACE_EVENT_FIELD_STRING;
	case RINGTRACE_TYPE_ARRAY:
	case RINGTRACE_TYPE_SEQUENCE:
		/* Text arrays and sequences read as strings, like lttng-ust lists them. */
		return f->integer.encoding == RINGTRACE_ENCODING_UTF8 ? RINGTRACE_EVENT_FIELD_STRING
		                                                      : RINGTRACE_EVENT_FIELD_OTHER;
	default:
		return RINGTRACE_EVENT_FIELD_OTHER;
	}
}

/* Appends n elements of elem_size to a growing array. */
static int array_append(void **array, size_t *count, size_t elem_size, size_t n)
{
	void *grown;

	if (n == 0)
		return 0;
	if (*count + n > INT32_MAX / elem_size)
		return -ENOMEM;
	grown = realloc(*array, (*count + n) * elem_size);
	if (!grown)
		return -ENOMEM;
	*array = grown;
	memset((char *)grown + *count * elem_size, 0, n * elem_size);
	*count += n;
	return 0;
}

/* A listed event as lttng shows it: enabled unknown (-1), default log level when none. */
static void listed_event_init(struct ringtrace_event *ev, const char *name, size_t name_size,
                              int loglevel, pid_t pid)
{
	ev->type = RINGTRACE_EVENT_TRACEPOINT;
	copy_name(ev->name, sizeof(ev->name), name, name_size);
	ev->loglevel = loglevel < 0 ? RINGTRACE_LOGLEVEL_DEFAULT : loglevel;
	ev->enabled = -1;
	ev->pid = (int32_t)pid;
}

/* Appends one app's items to *items (*count of them); an app that cannot list is skipped. */
typedef int (*app_list_fn)(struct ust_app *app, void **items, size_t *count);

static int app_tracepoints(struct ust_app *app, void **items, size_t *count)
{
	_cleanup_free_ struct ust_tracepoint_info *list = NULL;
	struct ringtrace_event *events;
	int n;

	pthread_mutex_lock(&app->cmd_lock);
	n = ust_app_cmd_tracepoint_list(app, &list);
	pthread_mutex_unlock(&app->cmd_lock);
	if (n <= 0)
		return 0;
	if (array_append(items, count, sizeof(*events), (size_t)n) < 0)
		return -RINGTRACE_ERR_NOMEM;
	events = (struct ringtrace_event *)*items + (*count - (size_t)n);
	for (int i = 0; i < n; i++)
		listed_event_init(&events[i], list[i].name, sizeof(list[i].name), list[i].loglevel,
		                  app->pid);
	return 0;
}

static int app_fields(struct ust_app *app, void **items, size_t *count)
{
	_cleanup_free_ struct ust_field_info *list = NULL;
	struct ringtrace_event_field *fields;
	int n;

	pthread_mutex_lock(&app->cmd_lock);
	n = ust_app_cmd_field_list(app, &list);
	pthread_mutex_unlock(&app->cmd_lock);
	if (n <= 0)
		return 0;
	for (int i = 0; i < n; i++) {
		/* An empty field name stands for an event without fields. */
		if (list[i].field.name[0] && ust_wire_check_field(&list[i].field) < 0) {
			ust_app_drop(app, "FIELD_LIST reply malformed");
			return 0;
		}
	}
	if (array_append(items, count, sizeof(*fields), (size_t)n) < 0)
		return -RINGTRACE_ERR_NOMEM;
	fields = (struct ringtrace_event_field *)*items + (*count - (size_t)n);
	for (int i = 0; i < n; i++) {
		const struct ust_field_info *info = &list[i];

		copy_name(fields[i].field_name, sizeof(fields[i].field_name), info->field.name,
		          sizeof(info->field.name));
		fields[i].type = info->field.name[0] ? field_list_type(&info->field)
		                                     : RINGTRACE_EVENT_FIELD_OTHER;
		fields[i].nowrite = info->field.name[0] ? info->field.nowrite : 0;
		listed_event_init(&fields[i].event, info->event_name, sizeof(info->event_name),
		                  info->loglevel, app->pid);
	}
	return 0;
}

/* What every registered app lists, in one array; returns its length. */
static int apps_list(app_list_fn list_one, void **ret)
{
	_cleanup_free_ void *items = NULL;
	struct ust_app **list;
	size_t n, count = 0;
	int r = 0;

	if (apps_snapshot(&list, &n) < 0)
		return -RINGTRACE_ERR_NOMEM;
	for (size_t i = 0; i < n && r >= 0; i++)
		r = list_one(list[i], &items, &count);
	ust_app_put_array(list, n);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(items);
	return (int)count;
}

int ust_app_list_tracepoints(struct ringtrace_event **ret)
{
	return apps_list(app_tracepoints, (void **)ret);
}

int ust_app_list_tracepoint_fields(struct ringtrace_event_field **ret)
{
	return apps_list(app_fields, (void **)ret);
}
