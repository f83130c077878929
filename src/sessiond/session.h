/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Tracing sessions as the session daemon holds them: what the user asked
 * for (channels, event rules), independent of which apps are running. The
 * app side (ust-app.h) turns this into buffers, registries and app commands.
 *
 * Locking: every session, channel and rule is read and changed under
 * session_list_lock(); app-side code called from client command handlers
 * runs with that lock held.
 */

#include <limits.h>
#include <ringtrace/ctl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include <urcu/list.h>

#include "common/net-url.h"
#include "consumer.h"
#include "ust-context.h"
#include "uuid.h"

/* Exclusion names of an event rule (each NUL-terminated; globs, as lttng's). */
struct session_exclusions {
	uint32_t count;
	const char (*names)[RINGTRACE_SYMBOL_NAME_LEN]; /* NULL when count is 0 */
};

/* A rule's filter: its expression and the bytecode the client compiled from it. */
struct session_filter {
	const char *expression; /* NUL-terminated */
	const void *bytecode;   /* container, filter-bytecode.h */
	uint32_t bytecode_len;
};

/*
 * A rule is identified, as lttng's, by its pattern, log level condition,
 * set of exclusions (order ignored) and filter bytecode: the same pattern
 * with other exclusions or another filter is another rule.
 */
struct session_event_rule {
	char pattern[RINGTRACE_SYMBOL_NAME_LEN]; /* "provider:event" glob */
	int32_t loglevel_type;                   /* enum ringtrace_loglevel_type */
	int32_t loglevel;
	bool enabled;
	uint32_t id;               /* unique in the session */
	struct cds_list_head node; /* in session_channel.rules */
	char *filter_expression;   /* NULL: no filter */
	void *filter_bytecode;     /* with filter_expression */
	uint32_t filter_bytecode_len;
	uint32_t exclusion_count;
	char exclusions[][RINGTRACE_SYMBOL_NAME_LEN];
};

struct session_channel {
	char name[RINGTRACE_SYMBOL_NAME_LEN];
	struct ringtrace_channel_attr attr;
	enum ringtrace_buffer_type buffer_type; /* the same for every channel of a session */
	bool enabled;
	uint32_t id; /* unique in the session, creation order */
	struct cds_list_head rules;
	struct cds_list_head node; /* in session.channels */
	/* add-context, in order; fixed once the session has been started. */
	struct session_context *contexts; /* malloc'd, NULL when none */
	uint32_t nr_contexts;
};

/*
 * A process attribute tracker (vpid, vuid or vgid): which values of that
 * attribute an app must have to be traced by the session.
 */
struct session_tracker {
	enum ringtrace_tracking_policy policy;
	uint32_t count; /* values in the inclusion set (INCLUDE_SET only) */
	/* malloc'd, in the order added, no two equal (a name and its id differ) */
	struct ringtrace_tracker_value *values;
};

/* Where `snapshot record` writes (lttng allows one per session); id 0: none. */
struct session_snapshot_output {
	uint32_t id;
	char name[RINGTRACE_NAME_MAX + 1];
	char path[PATH_MAX]; /* absolute directory, "" when is_net */
	uint64_t max_size;   /* bytes over all streams, 0: no limit */
	bool is_net;         /* to a relay daemon: net, hosts resolved */
	struct rt_net_url net;
};

/* A trace chunk of a local session as archives/<begin>-<end>-<index> names it. */
struct session_pending_archive {
	char chunk_dir[64]; /* "": the first chunk, <output>/ust */
	uint64_t index;
	time_t begin;
	time_t end;
};

struct session {
	char name[RINGTRACE_NAME_MAX + 1];
	uint64_t id;                /* unique for the daemon's lifetime */
	char output_path[PATH_MAX]; /* trace root directory */
	bool auto_named;            /* trace_name "auto" in the metadata */
	bool active;                /* tracing started */
	bool has_been_started;
	time_t creation_time; /* for trace_creation_datetime */
	uid_t uid;            /* owner (creator's credentials) */
	gid_t gid;
	struct cds_list_head channels;
	struct cds_list_head node; /* in the session list */
	void *buffers;             /* per-UID and per-PID buffers (buffer.c), NULL until used */
	struct session_tracker trackers[_RINGTRACE_TRACKER_MAX]; /* zeroed: include all */
	bool ust_domain; /* a tracker was changed: the domain is listed even without channels */
	/* Snapshot mode (cmd-snapshot.c): output_path is "", nothing written until a snapshot. */
	bool snapshot_mode;
	struct session_snapshot_output snapshot_output;
	uint32_t snapshot_last_output_id;
	uint64_t snapshot_count; /* snapshots recorded: the <n> of the next directory */
	/*
	 * Trace chunks (cmd-rotate.c): the current chunk is written under
	 * output_path + chunk_dir ("" before the first rotation, then
	 * "/<begin>-<index>"); it began at chunk_begin (set by the first start).
	 */
	char chunk_dir[64];
	uint64_t chunk_index;
	time_t chunk_begin;
	bool rotated; /* at least one rotation: destroy archives the last chunk */
	/*
	 * Chunks a rotation could not move to archives/ (kept complete where
	 * they were, the failure reported): the next rotation or the destroy
	 * moves them, oldest first.
	 */
	struct session_pending_archive *pending_archives;
	size_t nr_pending_archives;
	/*
	 * The current chunk was archived or deleted while the session was
	 * stopped: its channels write to no chunk (chunk_dir still names the
	 * one left) until the next start opens chunk_index + 1, as lttng's.
	 */
	bool chunk_closed;
	/* Streamed to a relay daemon (relay-output.h): output_path is "", NULL for local output. */
	struct session_relay *relay;
	/* Since the last stop (cleared by start), as lttng: one rotation at most. */
	bool rotated_after_last_stop;
	bool cleared_after_last_stop;
	/* The last rotation (ROTATION_GET_INFO): its id is the archive's index. */
	uint64_t last_rotation_id;
	int32_t last_rotation_state; /* enum ringtrace_rotation_state */
	char last_archive[PATH_MAX];
	/*
	 * Rotation schedules (rotation-schedule.c), 0: not set. The timer runs
	 * from the first start after it is set until it is unset, as lttng's:
	 * rotate_timer_deadline_ns (CLOCK_MONOTONIC) is 0 while it does not.
	 */
	uint64_t rotate_timer_us;
	uint64_t rotate_timer_deadline_ns;
	uint64_t rotate_size;           /* bytes */
	uint64_t rotate_size_threshold; /* consumed_bytes that triggers the next one */
	uint64_t consumed_bytes;        /* written to the trace, from the monitor samples */
	/*
	 * The consumer daemon holding its channels or relay connections died
	 * (consumer-loss.h): set once, for the session's lifetime; how it
	 * died ("pid N, killed by signal 9 (Killed)") in consumer_death.
	 */
	bool consumer_lost;
	char consumer_death[CONSUMER_DEATH_MAX];
};

void session_list_lock(void);
void session_list_unlock(void);

struct session *session_find_by_name(const char *name);
struct session *session_find_by_id(uint64_t id);
/* Calls fn for each session; stops at the first nonzero return and returns it. */
int session_for_each(int (*fn)(struct session *s, void *arg), void *arg);

struct session_channel *session_find_channel(struct session *s, const char *name);

/*
 * Creating and releasing sessions, channels and rules (session.c, used by the
 * client command handlers). All of them expect session_list_lock() held.
 * Channel ids count from 0 in creation order within a session (channels are
 * never removed); rule ids are unique for the daemon's lifetime.
 */

/* The new session is added to the list; -EEXIST if the name is taken. */
int session_create(const char *name, const char *output_path, bool auto_named, uid_t uid, gid_t gid,
                   time_t creation_time, struct session **ret_session);
/* Unlinks and frees the session, its channels and rules (app side released before). */
void session_free(struct session *s);

/* A vuid tracker's user name or a vgid tracker's group name as an id: -ENOENT. */
int session_tracker_resolve(enum ringtrace_tracker_type type, const char *name, int32_t *ret_id);
/*
 * True when the tracker lets an app with this attribute value be traced;
 * names are resolved now (a name no longer on the system matches nothing).
 */
bool session_tracker_includes(const struct session_tracker *t, enum ringtrace_tracker_type type,
                              int32_t value);
/* Adds value to the inclusion set (policy INCLUDE_SET after): -EEXIST, -ENOMEM. */
int session_tracker_add(struct session_tracker *t, const struct ringtrace_tracker_value *value);
/* Removes value (the same id, or the same name) from the set: -ENOENT when not in it. */
int session_tracker_remove(struct session_tracker *t, const struct ringtrace_tracker_value *value);
/* INCLUDE_ALL or EXCLUDE_ALL, the inclusion set emptied. */
void session_tracker_set_policy(struct session_tracker *t, enum ringtrace_tracking_policy policy);

int session_add_channel(struct session *s, const char *name,
                        const struct ringtrace_channel_attr *attr,
                        enum ringtrace_buffer_type buffer_type, struct session_channel **ret_chan);
/*
 * A rule with exactly this pattern, log level condition and set of
 * exclusions (NULL: none), or NULL.
 */
struct session_event_rule *session_find_rule(struct session_channel *chan, const char *pattern,
                                             int32_t loglevel_type, int32_t loglevel,
                                             const struct session_exclusions *exclusions,
                                             const struct session_filter *filter);
int session_add_rule(struct session_channel *chan, const char *pattern, int32_t loglevel_type,
                     int32_t loglevel, const struct session_exclusions *exclusions,
                     const struct session_filter *filter, struct session_event_rule **ret_rule);
/* Appends a context to the channel: -EEXIST when it has one of that name, -ENOMEM. */
int session_channel_add_context(struct session_channel *chan, const struct session_context *ctx);
/* Unlinks and frees one rule (undoing an addition the apps refused). */
void session_remove_rule(struct session_event_rule *rule);
