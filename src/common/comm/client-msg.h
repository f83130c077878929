/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Client (CLI, libringtrace-ctl) -> session daemon protocol, over the
 * framing of frame.h on <rundir>/client-ringtrace-sock. Command numbers are
 * those of lttng's `enum lttcomm_sessiond_command` (sessiond-comm.h). The
 * request payload is a struct client_msg (fixed part) followed, for some
 * commands, by variable data whose lengths the fixed part gives. The reply
 * frame's status is 0 or -enum ringtrace_error_code; its payload is
 * command-specific (listed per command below).
 *
 * An error reply may carry a NUL-terminated text for the user (at most
 * RINGTRACE_ERROR_DETAIL_MAX bytes) saying what failed and why.
 *
 * The session daemon checks: payload_len >= sizeof(struct client_msg), every
 * variable length against the remaining bytes and its maximum, and that
 * every string is NUL-terminated within its array.
 */

#include <ringtrace/ctl.h>
#include <stdint.h>

enum client_command {
	CLIENT_ADD_CONTEXT = 0, /* struct add_context below */
	CLIENT_DISABLE_CHANNEL = 2,
	CLIENT_DISABLE_EVENT = 3,
	CLIENT_ENABLE_CHANNEL = 5,
	CLIENT_ENABLE_EVENT = 6,
	CLIENT_DESTROY_SESSION = 9,
	CLIENT_LIST_CHANNELS = 10,    /* reply: struct ringtrace_channel[] */
	CLIENT_LIST_DOMAINS = 11,     /* reply: struct ringtrace_domain[] */
	CLIENT_LIST_EVENTS = 12,      /* reply: struct ringtrace_event[] (see list_events) */
	CLIENT_LIST_SESSIONS = 13,    /* reply: struct ringtrace_session[] */
	CLIENT_LIST_TRACEPOINTS = 14, /* reply: struct ringtrace_event[] (pid set) */
	CLIENT_REGISTER_CONSUMER = 15,
	CLIENT_START_TRACE = 16,
	CLIENT_STOP_TRACE = 17,
	CLIENT_LIST_TRACEPOINT_FIELDS = 18, /* reply: struct ringtrace_event_field[] */
	CLIENT_DATA_PENDING = 24,           /* reply: uint8_t, 1 = pending */
	/*
	 * Snapshot commands: add, del and record carry one struct
	 * ringtrace_snapshot_output as variable data (url: absolute directory
	 * or file://DIR; "" for record = the session's output).
	 */
	CLIENT_SNAPSHOT_ADD_OUTPUT = 25, /* reply: uint32_t id */
	CLIENT_SNAPSHOT_DEL_OUTPUT = 26,
	CLIENT_SNAPSHOT_LIST_OUTPUT = 27, /* reply: struct ringtrace_snapshot_output[] */
	CLIENT_SNAPSHOT_RECORD = 28,
	CLIENT_SAVE_SESSION = 31, /* session_name "" = every session of the client */
	CLIENT_TRACK_ID = 32,
	CLIENT_UNTRACK_ID = 33,
	/*
	 * reply: struct ringtrace_tracker_value[]: the first one's id is the
	 * policy (its name ""), then the set's values
	 */
	CLIENT_LIST_TRACKER_IDS = 34,
	CLIENT_REGENERATE_METADATA = 38,
	CLIENT_REGENERATE_STATEDUMP = 39,
	/*
	 * Rotation of a session's trace chunk; the reply is the absolute path
	 * of the archive, char[RINGTRACE_PATH_MAX] (the rotation is complete
	 * when the reply leaves).
	 */
	CLIENT_ROTATE_SESSION = 45,
	/* u.rotation_get_info; reply: struct client_rotation_info. */
	CLIENT_ROTATION_GET_INFO = 46,
	CLIENT_ROTATION_SET_SCHEDULE = 47, /* u.rotation_set_schedule */
	/* reply: struct ringtrace_rotation_schedules */
	CLIENT_SESSION_LIST_ROTATION_SCHEDULES = 48,
	CLIENT_CREATE_SESSION_EXT = 49,
	CLIENT_CLEAR_SESSION = 50, /* empties the buffers, deletes the current chunk */
	_CLIENT_COMMAND_MAX = 64,
};

#define CLIENT_MSG_MAX_PAYLOAD (sizeof(struct client_msg) + RINGTRACE_FILTER_MAX_LEN * 2 + 65536)

struct client_msg {
	char session_name[RINGTRACE_NAME_MAX + 1];
	struct ringtrace_domain domain;
	union {
		struct {
			char output_path[RINGTRACE_PATH_MAX]; /* absolute; "" = default */
			uint8_t no_output;
			uint8_t snapshot;
			uint8_t auto_name; /* name was generated: trace_name "auto" */
			uint32_t live_timer_us;
			/*
			 * "": output_path is the whole output. Else output_path
			 * is the relay's control endpoint and this its data
			 * endpoint (tcp:// or net:// URLs of one endpoint each).
			 */
			char data_url[RINGTRACE_PATH_MAX];
		} RINGTRACE_PACKED create;
		struct {
			struct ringtrace_channel chan;
		} RINGTRACE_PACKED channel; /* enable-channel */
		struct {
			char channel_name[RINGTRACE_SYMBOL_NAME_LEN];
		} RINGTRACE_PACKED disable_channel;
		struct {
			char channel_name[RINGTRACE_SYMBOL_NAME_LEN];
			struct ringtrace_event event;
			uint32_t expression_len; /* incl. NUL, 0 = no filter */
			uint32_t bytecode_len;   /* 0 = no filter */
			uint32_t exclusion_count;
			/*
			 * Followed by: char exclusions[exclusion_count][RINGTRACE_SYMBOL_NAME_LEN],
			 * char expression[expression_len], uint8_t bytecode[bytecode_len].
			 */
		} RINGTRACE_PACKED enable_event;
		struct {
			char channel_name[RINGTRACE_SYMBOL_NAME_LEN];
			char event_name[RINGTRACE_SYMBOL_NAME_LEN]; /* "*" or -a = all */
		} RINGTRACE_PACKED disable_event;
		struct {
			char channel_name[RINGTRACE_SYMBOL_NAME_LEN];
			/*
			 * 0 (what clients older than exclusions send): the reply
			 * is struct ringtrace_event[n]. 1: the reply is
			 *   uint32_t n;
			 *   struct ringtrace_event events[n];
			 *   uint32_t exclusion_count[n];
			 *   char names[sum of exclusion_count][RINGTRACE_SYMBOL_NAME_LEN];
			 * names holding the exclusions of events[0], then of
			 * events[1], ... (each NUL-terminated). 2: the same,
			 * followed by
			 *   uint32_t filter_len[n];   (NUL included, 0: none)
			 *   char filters[sum of filter_len];
			 * the filter expressions of events[0], events[1], ...
			 */
			uint8_t with_exclusions;
		} RINGTRACE_PACKED list_events;
		struct {
			int32_t tracker; /* enum ringtrace_tracker_type */
			/*
			 * 1: track sets INCLUDE_ALL, untrack EXCLUDE_ALL
			 * (value ignored); 0: add or remove value.
			 */
			uint8_t all;
			/* name: NUL-terminated within its size, checked by sessiond */
			struct ringtrace_tracker_value value;
		} RINGTRACE_PACKED tracker; /* track, untrack, list tracker ids */
		struct {
			char output_dir[RINGTRACE_PATH_MAX]; /* absolute; "" = the default */
			uint8_t force;                       /* overwrite existing files */
		} RINGTRACE_PACKED save;
		struct {
			char channel_name[RINGTRACE_SYMBOL_NAME_LEN]; /* "" = every channel */
			struct ringtrace_event_context ctx;
		} RINGTRACE_PACKED add_context;
		struct {
			uint64_t rotation_id;
		} RINGTRACE_PACKED rotation_get_info;
		struct {
			uint8_t activate;
			uint32_t type; /* enum ringtrace_rotation_schedule_type */
			uint64_t value;
		} RINGTRACE_PACKED rotation_set_schedule;
	} u;
} RINGTRACE_PACKED;

struct client_rotation_info {
	int32_t state;                    /* enum ringtrace_rotation_state */
	char archive[RINGTRACE_PATH_MAX]; /* COMPLETED: the archive's absolute path */
} RINGTRACE_PACKED;
