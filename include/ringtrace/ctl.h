/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * libringtrace-ctl: the public control API, shaped like liblttng-ctl 2.13.
 * Functions return 0 (or a count) on success and a negative
 * enum ringtrace_error_code on failure; ringtrace_strerror() names it.
 * The structures below are also what travels in the client protocol, so
 * they are fixed-size and packed.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RINGTRACE_SYMBOL_NAME_LEN 256 /* as LTTNG_SYMBOL_NAME_LEN */
#define RINGTRACE_NAME_MAX        255 /* session names */
#define RINGTRACE_PATH_MAX        4096
#define RINGTRACE_FILTER_MAX_LEN  65536

#define RINGTRACE_PACKED __attribute__((packed))

/* Error codes (names follow lttng's LTTNG_ERR_*). Returned negated. */
enum ringtrace_error_code {
	RINGTRACE_OK = 10,
	RINGTRACE_ERR_UNK = 11,
	RINGTRACE_ERR_UND = 12,
	RINGTRACE_ERR_UNKNOWN_DOMAIN = 14,
	RINGTRACE_ERR_NO_SESSION = 16,
	RINGTRACE_ERR_CREATE_DIR_FAIL = 17,
	RINGTRACE_ERR_SESSION_FAIL = 18,
	RINGTRACE_ERR_NO_SESSIOND = 19,
	RINGTRACE_ERR_SESS_NOT_FOUND = 20,
	RINGTRACE_ERR_FATAL = 21,
	RINGTRACE_ERR_NOMEM = 22,
	RINGTRACE_ERR_EXIST_SESS = 23,
	RINGTRACE_ERR_NO_EVENT = 24,
	RINGTRACE_ERR_CONNECT_FAIL = 25,
	RINGTRACE_ERR_EPERM = 26,
	RINGTRACE_ERR_INVALID = 27,
	RINGTRACE_ERR_NO_USTCONSUMERD = 28,
	RINGTRACE_ERR_UST_CHAN_EXIST = 29,
	RINGTRACE_ERR_UST_CHAN_NOT_FOUND = 30,
	RINGTRACE_ERR_UST_CHAN_DISABLED = 31,
	RINGTRACE_ERR_UST_CHAN_ENABLED = 32,
	RINGTRACE_ERR_UST_EVENT_EXIST = 33,
	RINGTRACE_ERR_UST_EVENT_NOT_FOUND = 34,
	RINGTRACE_ERR_UST_EVENT_ENABLED = 35,
	RINGTRACE_ERR_UST_LIST_FAIL = 36,
	RINGTRACE_ERR_TRACE_ALREADY_STARTED = 37,
	RINGTRACE_ERR_TRACE_ALREADY_STOPPED = 38,
	RINGTRACE_ERR_NEED_CHANNEL_NAME = 39,
	RINGTRACE_ERR_FILTER_INVAL = 40,
	RINGTRACE_ERR_FILTER_NOMEM = 41,
	RINGTRACE_ERR_SESSION_STARTED = 42,
	RINGTRACE_ERR_NEED_ROOT_SESSIOND = 43,
	RINGTRACE_ERR_CHAN_NOT_FOUND = 44,
	RINGTRACE_ERR_SESSION_INVALID_CHAR = 45,
	RINGTRACE_ERR_CONSUMERD_DIED = 46,
	RINGTRACE_ERR_PROTOCOL = 47,    /* malformed or unexpected message */
	RINGTRACE_ERR_SUBBUF_SIZE = 48, /* not a power of two or too small */
	RINGTRACE_ERR_NUM_SUBBUF = 49,  /* not a power of two or < 2 */
	RINGTRACE_ERR_NAME_TOO_LONG = 50,
	RINGTRACE_ERR_NOT_SUPPORTED = 51,
	RINGTRACE_ERR_OUTPUT_PATH = 52, /* output path unusable */
	RINGTRACE_ERR_MIXED_BUFFER_TYPE = 53,
	RINGTRACE_ERR_PROCESS_ATTR_EXISTS = 54,    /* value already in the inclusion set */
	RINGTRACE_ERR_PROCESS_ATTR_MISSING = 55,   /* value not in the inclusion set */
	RINGTRACE_ERR_SAVE_FILE_EXIST = 56,        /* session file exists (save without force) */
	RINGTRACE_ERR_SAVE_IO_FAIL = 57,           /* session file could not be written */
	RINGTRACE_ERR_LOAD_INVALID_CONFIG = 58,    /* session file not valid, or not applicable */
	RINGTRACE_ERR_LOAD_IO_FAIL = 59,           /* session file could not be read or parsed */
	RINGTRACE_ERR_LOAD_SESSION_NOENT = 60,     /* no session file (of that session) found */
	RINGTRACE_ERR_UST_CONTEXT_EXIST = 61,      /* the channel already has this context */
	RINGTRACE_ERR_UST_CONTEXT_INVAL = 62,      /* not a context of the user space domain */
	RINGTRACE_ERR_CONTEXT_UNAVAILABLE = 63,    /* the kernel refuses the perf counter */
	RINGTRACE_ERR_NOT_SNAPSHOT_SESSION = 64,   /* snapshot command on a non-snapshot session */
	RINGTRACE_ERR_SNAPSHOT_OUTPUT_EXIST = 65,  /* a session has one snapshot output at most */
	RINGTRACE_ERR_START_SESSION_ONCE = 66,     /* snapshot of a session never started */
	RINGTRACE_ERR_SNAPSHOT_FAIL = 67,          /* no output, or the consumer failed */
	RINGTRACE_ERR_MAX_SIZE_INVALID = 68,       /* max size below one packet per stream */
	RINGTRACE_ERR_SESSION_NOT_STARTED = 69,    /* needs a started session */
	RINGTRACE_ERR_PER_PID_SESSION = 70,        /* refused for per-PID buffers */
	RINGTRACE_ERR_ROTATION_NOT_AVAILABLE = 71, /* rotation of a snapshot session */
	RINGTRACE_ERR_NO_SESSION_OUTPUT = 72,      /* rotation of a session without output */
	RINGTRACE_ERR_USER_NOT_FOUND = 73,         /* no user of that name (vuid tracker) */
	RINGTRACE_ERR_GROUP_NOT_FOUND = 74,        /* no group of that name (vgid tracker) */
	RINGTRACE_ERR_RELAYD_CONNECT_FAIL = 80,    /* relay unreachable, or refused the session */
	RINGTRACE_ERR_RELAYD_VERSION_FAIL = 81,    /* relay speaks another major, or too old */
	RINGTRACE_ERR_RELAYD_LOST = 82,            /* relay connection lost: trace data lost */

	RINGTRACE_ERR_ROTATION_SCHEDULE_SET = 90,        /* a schedule of this type is set */
	RINGTRACE_ERR_ROTATION_SCHEDULE_NOT_SET = 91,    /* no schedule of this type (and value) */
	RINGTRACE_ERR_ROTATION_MULTIPLE_AFTER_STOP = 92, /* rotated once since the stop */
	RINGTRACE_ERR_ROTATION_AFTER_STOP_CLEAR = 93,    /* cleared since the stop */
	RINGTRACE_ERR_ROTATION_FAIL_CONSUMER = 94, /* the new chunk's files could not all be made */
	RINGTRACE_ERR_CLEAR_NOT_AVAILABLE_RELAY = 95, /* the relay refuses clear (-x) */
	/* "$app.PROVIDER:CTX" beyond RINGTRACE_APP_CONTEXT_NAME_MAX bytes */
	RINGTRACE_ERR_APP_CONTEXT_NAME_TOO_LONG = 110,
	RINGTRACE_ERR_CONSUMER_LOST = 111, /* the session's consumer daemon died earlier */
	_RINGTRACE_ERR_MAX,
};

const char *ringtrace_strerror(int code);

/* Longest text ringtrace_error_detail() gives, NUL included. */
#define RINGTRACE_ERROR_DETAIL_MAX (RINGTRACE_PATH_MAX + 256)

/*
 * What the session daemon said about the calling thread's last failed
 * request, beyond its error code (e.g. which output a full disk stopped and
 * why), or "" when it said nothing. Reset by every request.
 */
const char *ringtrace_error_detail(void);

enum ringtrace_domain_type {
	RINGTRACE_DOMAIN_NONE = 0,
	RINGTRACE_DOMAIN_KERNEL = 1,
	RINGTRACE_DOMAIN_UST = 2,
};

enum ringtrace_buffer_type {
	RINGTRACE_BUFFER_PER_PID = 0,
	RINGTRACE_BUFFER_PER_UID = 1,
	RINGTRACE_BUFFER_GLOBAL = 2,
};

struct ringtrace_domain {
	uint32_t type;     /* enum ringtrace_domain_type */
	uint32_t buf_type; /* enum ringtrace_buffer_type */
	char padding[32];
} RINGTRACE_PACKED;

/* Target of domain-scoped calls: a session and a domain. */
struct ringtrace_handle {
	char session_name[RINGTRACE_NAME_MAX + 1];
	struct ringtrace_domain domain;
};

struct ringtrace_session {
	char name[RINGTRACE_NAME_MAX + 1];
	char path[RINGTRACE_PATH_MAX]; /* output: local directory or URL */
	uint32_t enabled;              /* 1 while tracing is started */
	uint32_t snapshot_mode;
	uint32_t live_timer_interval; /* us, 0 = not live */
	uint32_t consumer_lost;       /* 1: its consumer daemon died, its unwritten data lost */
	char padding[28];
} RINGTRACE_PACKED;

enum ringtrace_event_output {
	RINGTRACE_EVENT_SPLICE = 0,
	RINGTRACE_EVENT_MMAP = 1,
};

struct ringtrace_channel_attr {
	int32_t overwrite;               /* 1 overwrite (flight recorder), 0 discard, -1 default */
	uint64_t subbuf_size;            /* bytes, power of two */
	uint64_t num_subbuf;             /* power of two, >= 2 */
	uint32_t switch_timer_interval;  /* us, 0 = off */
	uint32_t read_timer_interval;    /* us */
	uint32_t output;                 /* enum ringtrace_event_output */
	uint64_t tracefile_size;         /* bytes, 0 = unlimited */
	uint64_t tracefile_count;        /* 0 = unlimited */
	uint32_t live_timer_interval;    /* us */
	uint64_t monitor_timer_interval; /* us */
	int64_t blocking_timeout;        /* us, -1 = forever, 0 = never block */
	char padding[32];
} RINGTRACE_PACKED;

struct ringtrace_channel {
	char name[RINGTRACE_SYMBOL_NAME_LEN];
	uint32_t enabled;
	struct ringtrace_channel_attr attr;
	/* Filled by listings. */
	uint64_t discarded_events;
	uint64_t lost_packets;
	char padding[32];
} RINGTRACE_PACKED;

/* Channel defaults for UST per-UID buffers, as lttng 2.13. */
#define RINGTRACE_DEFAULT_CHANNEL_NAME    "channel0"
#define RINGTRACE_DEFAULT_UST_SUBBUF_SIZE (512 * 1024)
#define RINGTRACE_DEFAULT_UST_NUM_SUBBUF  4
#define RINGTRACE_DEFAULT_SWITCH_TIMER    0
#define RINGTRACE_DEFAULT_READ_TIMER      0
#define RINGTRACE_DEFAULT_MONITOR_TIMER   1000000

/* Fills attr with the defaults of the domain. */
void ringtrace_channel_set_default_attr(const struct ringtrace_domain *domain,
                                        struct ringtrace_channel_attr *attr);

enum ringtrace_event_type {
	RINGTRACE_EVENT_ALL = -1,
	RINGTRACE_EVENT_TRACEPOINT = 0,
};

enum ringtrace_loglevel_type {
	RINGTRACE_EVENT_LOGLEVEL_ALL = 0,
	RINGTRACE_EVENT_LOGLEVEL_RANGE = 1,
	RINGTRACE_EVENT_LOGLEVEL_SINGLE = 2,
};

enum ringtrace_event_field_type {
	RINGTRACE_EVENT_FIELD_OTHER = 0,
	RINGTRACE_EVENT_FIELD_INTEGER = 1,
	RINGTRACE_EVENT_FIELD_ENUM = 2,
	RINGTRACE_EVENT_FIELD_FLOAT = 3,
	RINGTRACE_EVENT_FIELD_STRING = 4,
};

struct ringtrace_event {
	int32_t type; /* enum ringtrace_event_type */
	char name[RINGTRACE_SYMBOL_NAME_LEN];
	int32_t loglevel_type; /* enum ringtrace_loglevel_type */
	int32_t loglevel;
	int32_t enabled;   /* listings: 1 enabled, 0 disabled, -1 n/a */
	int32_t pid;       /* tracepoint listings: the app's pid */
	uint8_t filter;    /* listings: has a filter */
	uint8_t exclusion; /* listings: has exclusions */
	char padding[32];
} RINGTRACE_PACKED;

struct ringtrace_event_field {
	char field_name[RINGTRACE_SYMBOL_NAME_LEN];
	int32_t type; /* enum ringtrace_event_field_type */
	int32_t nowrite;
	struct ringtrace_event event;
	char padding[32];
} RINGTRACE_PACKED;

/* True (1) when a session daemon answers for this user, else 0. */
int ringtrace_session_daemon_alive(void);

/* url: NULL/"" = default path; a local path or file://path. */
int ringtrace_create_session(const char *name, const char *url);
int ringtrace_create_session_snapshot(const char *name, const char *snapshot_url);
int ringtrace_create_session_live(const char *name, const char *url, unsigned timer_interval_us);
int ringtrace_destroy_session(const char *name);
/*
 * The same; ret_archive: where the destruction archived the last trace
 * chunk of a rotated session, as lttng's (a local path, or "tcp://HOST/PATH
 * [control port N, data port M]" on a relay), "" if it archived none.
 */
int ringtrace_destroy_session_archive(const char *name, char ret_archive[RINGTRACE_PATH_MAX]);
/* Returns the number of sessions, *ret_sessions malloc'd. */
int ringtrace_list_sessions(struct ringtrace_session **ret_sessions);

int ringtrace_enable_channel(const struct ringtrace_handle *handle, struct ringtrace_channel *chan);
int ringtrace_disable_channel(const struct ringtrace_handle *handle, const char *name);
int ringtrace_list_channels(const struct ringtrace_handle *handle,
                            struct ringtrace_channel **ret_channels);
int ringtrace_list_domains(const char *session_name, struct ringtrace_domain **ret_domains);

/*
 * channel_name NULL/"" = "channel0" (created on demand with the defaults).
 * filter_expression may be NULL; exclusions are nr_exclusions names.
 */
int ringtrace_enable_event_with_exclusions(const struct ringtrace_handle *handle,
                                           struct ringtrace_event *ev, const char *channel_name,
                                           const char *filter_expression, int nr_exclusions,
                                           char **exclusion_names);
int ringtrace_enable_event(const struct ringtrace_handle *handle, struct ringtrace_event *ev,
                           const char *channel_name);
int ringtrace_disable_event(const struct ringtrace_handle *handle, const char *name,
                            const char *channel_name);
int ringtrace_list_events(const struct ringtrace_handle *handle, const char *channel_name,
                          struct ringtrace_event **ret_events);
/* Exclusion names and filter expression of one listed event rule (NUL-terminated). */
struct ringtrace_event_exclusions {
	uint32_t count;
	const char (*names)[RINGTRACE_SYMBOL_NAME_LEN];
	const char *filter_expression; /* NULL: no filter */
};

/*
 * As ringtrace_list_events, plus each rule's exclusions: (*ret_exclusions)[i]
 * are those of (*ret_events)[i]. Free both arrays with free() (the names
 * live in the *ret_exclusions allocation).
 */
int ringtrace_list_events_with_exclusions(const struct ringtrace_handle *handle,
                                          const char *channel_name,
                                          struct ringtrace_event **ret_events,
                                          struct ringtrace_event_exclusions **ret_exclusions);
int ringtrace_list_tracepoints(const struct ringtrace_handle *handle,
                               struct ringtrace_event **ret_events);
int ringtrace_list_tracepoint_fields(const struct ringtrace_handle *handle,
                                     struct ringtrace_event_field **ret_fields);

int ringtrace_start_tracing(const char *session_name);
/* Stops and waits until every buffer is on disk (prints nothing). */
int ringtrace_stop_tracing(const char *session_name);
int ringtrace_stop_tracing_no_wait(const char *session_name);
/* 1 while data is still being consumed, 0 when all is written. */
int ringtrace_data_pending(const char *session_name);

/*
 * As lttng_regenerate_metadata(): the metadata of a started session with
 * per-user buffers is written again from its start, its clock offset
 * sampled again. Errors: -RINGTRACE_ERR_SESSION_NOT_STARTED,
 * -RINGTRACE_ERR_PER_PID_SESSION.
 */
int ringtrace_regenerate_metadata(const char *session_name);
/* As lttng_regenerate_statedump(). */
int ringtrace_regenerate_statedump(const char *session_name);

/*
 * Snapshot outputs, as lttng_snapshot_output: where `snapshot record`
 * writes (snapshot sessions only). url: an absolute directory or
 * file://DIR (network URLs give -RINGTRACE_ERR_NOT_SUPPORTED: snapshots are
 * written by the local consumer only); max_size in bytes over all streams,
 * 0 = no limit. A session has at most one output (lttng's rule).
 */
struct ringtrace_snapshot_output {
	uint32_t id;       /* chosen by the daemon, from 1 */
	uint64_t max_size; /* record: UINT64_MAX = the output's own */
	char name[RINGTRACE_NAME_MAX + 1];
	char url[RINGTRACE_PATH_MAX]; /* listed: the directory */
} RINGTRACE_PACKED;

/* Adds an output (name "" = "snapshot-<id>"); its id is set in *output. */
int ringtrace_snapshot_add_output(const char *session_name,
                                  struct ringtrace_snapshot_output *output);
/* Deletes the output named by output->id, or when 0 by output->name. */
int ringtrace_snapshot_del_output(const char *session_name,
                                  const struct ringtrace_snapshot_output *output);
/* Count of outputs, *ret_outputs malloc'd (NULL when none). */
int ringtrace_snapshot_list_output(const char *session_name,
                                   struct ringtrace_snapshot_output **ret_outputs);
/*
 * Records a snapshot into <dir>/<name>-<YYYYmmdd-HHMMSS>-<n>/ for the
 * session's output, or for output->url when set (a one-time output named
 * output->name, else "snapshot-0"); output->name and max_size (not
 * UINT64_MAX) override the session output's. Waits until it is written.
 */
int ringtrace_snapshot_record(const char *session_name,
                              const struct ringtrace_snapshot_output *output);

/*
 * Rotates the session's trace chunk (a local session started at least
 * once, not in snapshot mode) and waits until the old chunk is an archive,
 * whose absolute path is returned: <output>/archives/<begin>-<end>-<n>.
 * Errors: SESS_NOT_FOUND, ROTATION_NOT_AVAILABLE, START_SESSION_ONCE,
 * NO_SESSION_OUTPUT, CREATE_DIR_FAIL, CONSUMERD_DIED.
 */
int ringtrace_rotate_session(const char *session_name, char ret_archive[RINGTRACE_PATH_MAX]);

/* As lttng_rotation_state. */
enum ringtrace_rotation_state {
	RINGTRACE_ROTATION_STATE_ERROR = -1,
	RINGTRACE_ROTATION_STATE_NO_ROTATION = 0,
	RINGTRACE_ROTATION_STATE_ONGOING = 1,
	RINGTRACE_ROTATION_STATE_COMPLETED = 2,
	RINGTRACE_ROTATION_STATE_EXPIRED = 3,
};

/*
 * State of rotation rotation_id of the session, as lttng_rotation_handle_get_state():
 * a rotation's id is the index <n> of its archive. COMPLETED (with the
 * archive's path) or ERROR for the session's last rotation, EXPIRED for an
 * earlier one, NO_ROTATION when the session was never rotated. Rotations,
 * scheduled ones included, complete before the session takes another
 * command, so ONGOING is never seen.
 */
int ringtrace_rotation_get_info(const char *session_name, uint64_t rotation_id, int32_t *ret_state,
                                char ret_archive[RINGTRACE_PATH_MAX]);

/* As lttng_rotation_schedule_type. */
enum ringtrace_rotation_schedule_type {
	RINGTRACE_ROTATION_SCHEDULE_SIZE_THRESHOLD = 0,
	RINGTRACE_ROTATION_SCHEDULE_PERIODIC = 1,
};

/* A session's rotation schedules, 0: not set. */
struct ringtrace_rotation_schedules {
	uint64_t timer_period_us;
	uint64_t size_threshold_bytes;
} RINGTRACE_PACKED;

/*
 * Sets (activate 1) or unsets (0) a rotation schedule of a local session
 * that writes a trace (no snapshot, live or no-output session:
 * ROTATION_NOT_AVAILABLE). Periodic: value in us, 1 to UINT32_MAX - 1; the
 * timer runs from the next start (at once if started) until unset, and a
 * stopped session is rotated by it once. Size: value in bytes, > 0; a
 * rotation each time that much more was written to the trace. Unsetting
 * takes the value set. Errors: ROTATION_SCHEDULE_SET, ROTATION_SCHEDULE_NOT_SET,
 * INVALID, SESS_NOT_FOUND.
 */
int ringtrace_rotation_set_schedule(const char *session_name, int activate,
                                    enum ringtrace_rotation_schedule_type type, uint64_t value);
int ringtrace_list_rotation_schedules(const char *session_name,
                                      struct ringtrace_rotation_schedules *ret_schedules);
/*
 * Deletes what the session recorded in its current trace chunk and what its
 * buffers hold, as lttng's clear; tracing goes on. A session never started
 * has nothing to clear. Errors: SESS_NOT_FOUND, NOT_SUPPORTED (snapshot
 * sessions and sessions without output), CREATE_DIR_FAIL, CONSUMERD_DIED.
 */
int ringtrace_clear_session(const char *session_name);

/*
 * Process attribute trackers (user space domain), as lttng 2.13's: a
 * session traces an app only when its vpid, vuid and vgid are each tracked.
 */
enum ringtrace_tracker_type {
	RINGTRACE_TRACKER_VPID = 0,
	RINGTRACE_TRACKER_VUID = 1,
	RINGTRACE_TRACKER_VGID = 2,
	_RINGTRACE_TRACKER_MAX,
};

enum ringtrace_tracking_policy {
	RINGTRACE_TRACKING_INCLUDE_ALL = 0, /* every value (the default) */
	RINGTRACE_TRACKING_EXCLUDE_ALL = 1, /* no value */
	RINGTRACE_TRACKING_INCLUDE_SET = 2, /* the values of the inclusion set */
	_RINGTRACE_TRACKING_MAX,
};

/* As lttng's LOGIN_NAME_MAX-bound user and group names, NUL included. */
#define RINGTRACE_TRACKER_NAME_LEN 256

/*
 * A value of an inclusion set: an id, or (vuid and vgid trackers only) a
 * user or group name, kept as a name and resolved when applied to apps, as
 * lttng 2.13's USER_NAME and GROUP_NAME values. name is "" for an id.
 */
struct ringtrace_tracker_value {
	int32_t id;
	char name[RINGTRACE_TRACKER_NAME_LEN];
};

/*
 * Adds value to the inclusion set (-RINGTRACE_ERR_PROCESS_ATTR_EXISTS if
 * there; a name and the id it resolves to are distinct values). A name that
 * does not resolve is refused: USER_NOT_FOUND, GROUP_NOT_FOUND.
 */
int ringtrace_track_value(const struct ringtrace_handle *handle,
                          enum ringtrace_tracker_type tracker,
                          const struct ringtrace_tracker_value *value);
/* Removes value from the inclusion set (-RINGTRACE_ERR_PROCESS_ATTR_MISSING if not there). */
int ringtrace_untrack_value(const struct ringtrace_handle *handle,
                            enum ringtrace_tracker_type tracker,
                            const struct ringtrace_tracker_value *value);
/* INCLUDE_ALL (track --all) or EXCLUDE_ALL (untrack --all); the set is emptied. */
int ringtrace_set_tracking_policy(const struct ringtrace_handle *handle,
                                  enum ringtrace_tracker_type tracker,
                                  enum ringtrace_tracking_policy policy);
/*
 * The tracker's policy and, for INCLUDE_SET, its values in the order they
 * were added (malloc'd, NULL when none). Returns the number of values or a
 * negative RINGTRACE_ERR_*.
 */
int ringtrace_list_tracker_values(const struct ringtrace_handle *handle,
                                  enum ringtrace_tracker_type tracker,
                                  enum ringtrace_tracking_policy *ret_policy,
                                  struct ringtrace_tracker_value **ret_values);

/*
 * Contexts: values recorded with every event of a channel, as lttng 2.13's
 * `add-context`. The type numbers are lttng's (enum lttng_event_context_type);
 * the user space domain has PROCNAME, VPID, VTID, PTHREAD_ID, IP,
 * PERF_THREAD_COUNTER, the namespace ids (*_NS) and the virtual user/group
 * ids (V*ID). The others exist for the kernel domain only.
 */
enum ringtrace_event_context_type {
	RINGTRACE_EVENT_CONTEXT_PID = 0,
	RINGTRACE_EVENT_CONTEXT_PERF_COUNTER = 1,
	RINGTRACE_EVENT_CONTEXT_PROCNAME = 2,
	RINGTRACE_EVENT_CONTEXT_PRIO = 3,
	RINGTRACE_EVENT_CONTEXT_NICE = 4,
	RINGTRACE_EVENT_CONTEXT_VPID = 5,
	RINGTRACE_EVENT_CONTEXT_TID = 6,
	RINGTRACE_EVENT_CONTEXT_VTID = 7,
	RINGTRACE_EVENT_CONTEXT_PPID = 8,
	RINGTRACE_EVENT_CONTEXT_VPPID = 9,
	RINGTRACE_EVENT_CONTEXT_PTHREAD_ID = 10,
	RINGTRACE_EVENT_CONTEXT_HOSTNAME = 11,
	RINGTRACE_EVENT_CONTEXT_IP = 12,
	RINGTRACE_EVENT_CONTEXT_PERF_CPU_COUNTER = 13,
	RINGTRACE_EVENT_CONTEXT_PERF_THREAD_COUNTER = 14,
	RINGTRACE_EVENT_CONTEXT_APP_CONTEXT = 15,
	RINGTRACE_EVENT_CONTEXT_INTERRUPTIBLE = 16,
	RINGTRACE_EVENT_CONTEXT_PREEMPTIBLE = 17,
	RINGTRACE_EVENT_CONTEXT_NEED_RESCHEDULE = 18,
	RINGTRACE_EVENT_CONTEXT_MIGRATABLE = 19,
	RINGTRACE_EVENT_CONTEXT_CALLSTACK_KERNEL = 20,
	RINGTRACE_EVENT_CONTEXT_CALLSTACK_USER = 21,
	RINGTRACE_EVENT_CONTEXT_CGROUP_NS = 22,
	RINGTRACE_EVENT_CONTEXT_IPC_NS = 23,
	RINGTRACE_EVENT_CONTEXT_MNT_NS = 24,
	RINGTRACE_EVENT_CONTEXT_NET_NS = 25,
	RINGTRACE_EVENT_CONTEXT_PID_NS = 26,
	RINGTRACE_EVENT_CONTEXT_USER_NS = 27,
	RINGTRACE_EVENT_CONTEXT_UTS_NS = 28,
	RINGTRACE_EVENT_CONTEXT_UID = 29,
	RINGTRACE_EVENT_CONTEXT_EUID = 30,
	RINGTRACE_EVENT_CONTEXT_SUID = 31,
	RINGTRACE_EVENT_CONTEXT_GID = 32,
	RINGTRACE_EVENT_CONTEXT_EGID = 33,
	RINGTRACE_EVENT_CONTEXT_SGID = 34,
	RINGTRACE_EVENT_CONTEXT_VUID = 35,
	RINGTRACE_EVENT_CONTEXT_VEUID = 36,
	RINGTRACE_EVENT_CONTEXT_VSUID = 37,
	RINGTRACE_EVENT_CONTEXT_VGID = 38,
	RINGTRACE_EVENT_CONTEXT_VEGID = 39,
	RINGTRACE_EVENT_CONTEXT_VSGID = 40,
	RINGTRACE_EVENT_CONTEXT_TIME_NS = 41,
	_RINGTRACE_EVENT_CONTEXT_MAX,
};

/* A perf counter: perf_event_attr type and config, and its field name. */
struct ringtrace_event_perf_counter_ctx {
	uint32_t type; /* PERF_TYPE_HARDWARE, _SOFTWARE, _HW_CACHE, _RAW */
	uint64_t config;
	/* Field name, e.g. "perf_thread_cycles" ([A-Za-z0-9_]). */
	char name[RINGTRACE_SYMBOL_NAME_LEN];
} RINGTRACE_PACKED;

/*
 * An application context, "$app.PROVIDER:CTX": both names non-empty, no
 * ':' in PROVIDER, the whole name at most RINGTRACE_APP_CONTEXT_NAME_MAX
 * bytes (APP_CONTEXT_NAME_TOO_LONG beyond).
 */
struct ringtrace_event_app_ctx {
	char provider_name[RINGTRACE_SYMBOL_NAME_LEN];
	char ctx_name[RINGTRACE_SYMBOL_NAME_LEN];
} RINGTRACE_PACKED;

#define RINGTRACE_APP_CONTEXT_NAME_MAX 255

struct ringtrace_event_context {
	uint32_t ctx; /* enum ringtrace_event_context_type */
	char padding[16];
	struct ringtrace_event_perf_counter_ctx perf_counter; /* PERF_*_COUNTER only */
	struct ringtrace_event_app_ctx app_ctx;               /* APP_CONTEXT only */
} RINGTRACE_PACKED;

/*
 * Adds a context to channel_name of the handle's session, or with
 * channel_name NULL or "" to every channel of the domain (creating
 * "channel0" with the defaults when the session has none), as
 * lttng_add_context(). Errors: SESS_NOT_FOUND, UST_CHAN_NOT_FOUND,
 * UST_CONTEXT_EXIST, UST_CONTEXT_INVAL, CONTEXT_UNAVAILABLE (a perf counter
 * the kernel refuses to open here), APP_CONTEXT_NAME_TOO_LONG,
 * TRACE_ALREADY_STARTED (the session was started once: contexts are fixed
 * from then on), INVALID.
 */
int ringtrace_add_context(const struct ringtrace_handle *handle,
                          const struct ringtrace_event_context *ctx, const char *channel_name);

/*
 * Additions of libringtrace-ctl beyond liblttng-ctl's shape.
 */

/* Channel defaults for UST per-PID buffers, as lttng 2.13 (4 pages of 4 KiB). */
#define RINGTRACE_DEFAULT_UST_PID_SUBBUF_SIZE (16 * 1024)

/* Poll period while waiting for data availability (stop, destroy), as lttng. */
#define RINGTRACE_DATA_AVAILABILITY_WAIT_US 200000

/*
 * Group whose members (non-root) talk to the root session daemon in
 * /run/ringtrace before their own one, as lttng_set_tracing_group().
 * Default "tracing". Not used when RINGTRACE_HOME is set.
 */
void ringtrace_set_tracing_group(const char *name);

/* Flags of ringtrace_create_session_ext(). */
enum ringtrace_create_flag {
	RINGTRACE_CREATE_NO_OUTPUT = 1 << 0, /* no trace output at all (--no-output) */
	RINGTRACE_CREATE_SNAPSHOT = 1 << 1,  /* snapshot mode (--snapshot) */
	RINGTRACE_CREATE_AUTO_NAME = 1 << 2, /* the given name is an automatic one */
};

/*
 * Creates a session, as lttng_create_session_ext(). name NULL or "" asks for
 * an automatic name "auto-YYYYmmdd-HHMMSS" (local time, trace_name "auto"),
 * "auto1-...", "auto2-"... when taken, as lttng; a caller choosing its own
 * automatic name passes it with RINGTRACE_CREATE_AUTO_NAME. The name used
 * is copied to ret_name when it is not NULL. output_path
 * NULL/"" = the daemon's default; else a local directory (a relative one is
 * made absolute against the current directory) or file://DIR, or a network
 * URL net[6]://HOST[:CTRL[:DATA]][/PATH] (-RINGTRACE_ERR_INVALID when it
 * does not parse). live_timer_us 0 = not live.
 */
int ringtrace_create_session_ext(const char *name, const char *output_path, unsigned flags,
                                 unsigned live_timer_us, char ret_name[RINGTRACE_NAME_MAX + 1]);

/*
 * The same for a session streamed to a relay daemon whose control and data
 * endpoints are given apart (lttng's --ctrl-url and --data-url, a session
 * file's <control_uri> and <data_uri>): tcp[4|6]://HOST[:PORT][/PATH] or
 * net[4|6]:// URLs of one endpoint each, the trace directory being the
 * control URL's. The two may name different hosts: two addresses of one
 * relay daemon. -RINGTRACE_ERR_INVALID when either does not parse.
 */
int ringtrace_create_session_net(const char *name, const char *ctrl_url, const char *data_url,
                                 unsigned flags, unsigned live_timer_us,
                                 char ret_name[RINGTRACE_NAME_MAX + 1]);

/*
 * Session daemon binary to spawn: explicit_path when not NULL, else
 * $RINGTRACE_SESSIOND_PATH, else ringtrace-sessiond next to the running
 * program (or at ../sessiond/ in the build tree), else the installed one.
 * Copies it to ret_path; returns 0 or -RINGTRACE_ERR_INVALID (too long).
 */
int ringtrace_find_session_daemon(const char *explicit_path, char ret_path[RINGTRACE_PATH_MAX]);

/*
 * Starts `path --daemonize` with this process's environment (and its stdio
 * on /dev/null) and waits until it answers (10 s at most). Returns 0,
 * -RINGTRACE_ERR_NO_SESSIOND when it could not be executed, exited with an
 * error or never answered, -RINGTRACE_ERR_FATAL when it could not be forked.
 */
int ringtrace_spawn_session_daemon(const char *path);

/*
 * Session configurations (files in lttng 2.13's session XML), as
 * lttng_save_session() and lttng_load_session().
 */
struct ringtrace_save_attr {
	const char *session_name; /* NULL/"" = every session of the user */
	const char *output_dir;   /* NULL/"" = $RINGTRACE_HOME/.ringtrace/sessions */
	int overwrite;            /* replace existing files (else SAVE_FILE_EXIST) */
};

/* The session daemon writes <output_dir>/<session>.lttng for each session. */
int ringtrace_save_session(const struct ringtrace_save_attr *attr);

struct ringtrace_load_attr {
	const char *session_name; /* NULL/"" = every session found */
	/*
	 * A session file or a directory of them (*.lttng); NULL/"" = the user's
	 * $RINGTRACE_HOME/.ringtrace/sessions, then the system's
	 * $sysconfdir/ringtrace/sessions (a session in both: the user's).
	 */
	const char *input_path;
	const char *override_url;  /* output of the loaded sessions instead of theirs */
	const char *override_name; /* new name (with session_name only) */
	int overwrite;             /* replace sessions of the same name (else EXIST_SESS) */
};

/* Room for the detail of a failed load. */
#define RINGTRACE_LOAD_DETAIL_MAX 1024

/*
 * Loads sessions: every file concerned is read and checked first (against
 * the schema and what ringtrace supports), then each session is created
 * with the ordinary commands, and started if it was. Returns the number of
 * sessions loaded or a negative RINGTRACE_ERR_*; on failure, ret_detail
 * (when not NULL) names the file, line and element that failed and why. A
 * session that fails half-way is destroyed; sessions loaded before it in
 * the same call stay. A session to be replaced (overwrite) is destroyed
 * only once the session daemon has accepted the configuration replacing it
 * (tried first on a scratch session, destroyed again).
 */
int ringtrace_load_session(const struct ringtrace_load_attr *attr,
                           char ret_detail[RINGTRACE_LOAD_DETAIL_MAX]);

#ifdef __cplusplus
}
#endif
