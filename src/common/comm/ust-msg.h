/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Application (libringtrace-ust) <-> session daemon protocol.
 *
 * An app opens two connections to <rundir>/ust-ringtrace-sock and sends the
 * 136-byte registration message on each (layout of lttng-ust 2.13's, see
 * reference/ust-registration.md): socket_type 0 = command socket,
 * 1 = notify socket. After that both use the framing of frame.h:
 * - command socket: sessiond sends UST_CMD_* requests, the app answers each
 *   with a reply frame (same type, status 0 or -errno, payload per command);
 * - notify socket: the app sends UST_NOTIFY_* requests, sessiond answers.
 * Objects (sessions, channels, enablers) are named by 32-bit handles chosen
 * by sessiond, unique per app connection.
 */

#include <ringtrace/event-desc.h>
#include <stdint.h>

#define UST_REG_MAGIC        0xC57C57C5u
#define UST_REG_ABI_MAJOR    1
#define UST_REG_ABI_MINOR    0
#define UST_REG_MSG_SIZE     136
#define UST_PROCNAME_LEN     16

enum ust_socket_type {
	UST_SOCKET_CMD = 0,
	UST_SOCKET_NOTIFY = 1,
};

struct ust_reg_msg {
	uint32_t magic;
	uint32_t major;
	uint32_t minor;
	uint32_t pid;
	uint32_t ppid;
	uint32_t uid;
	uint32_t gid;
	uint32_t bits_per_long;
	uint32_t uint8_t_alignment;  /* bits */
	uint32_t uint16_t_alignment;
	uint32_t uint32_t_alignment;
	uint32_t uint64_t_alignment;
	uint32_t long_alignment;
	uint32_t socket_type;        /* enum ust_socket_type */
	char name[UST_PROCNAME_LEN]; /* process name, NUL-padded */
	char padding[64];
} __attribute__((packed));

_Static_assert(sizeof(struct ust_reg_msg) == UST_REG_MSG_SIZE, "registration message layout");

#define UST_MSG_MAX_PAYLOAD (4u * 1024 * 1024)

/* Commands sessiond -> app (command socket). */
enum ust_command {
	UST_CMD_REGISTER_DONE = 1,  /* no payload; sent once the app's initial state is set */
	UST_CMD_CREATE_SESSION = 2, /* struct ust_cmd_session */
	UST_CMD_CREATE_CHANNEL = 3, /* struct ust_cmd_channel */
	UST_CMD_ADD_STREAM = 4,     /* struct ust_cmd_stream + 2 fds: [shm memfd, wakeup eventfd] */
	UST_CMD_CREATE_ENABLER = 5, /* struct ust_cmd_enabler [+ exclusions, see there] */
	UST_CMD_ENABLE = 6,         /* struct ust_cmd_handle (session, channel or enabler) */
	UST_CMD_DISABLE = 7,        /* struct ust_cmd_handle */
	UST_CMD_SESSION_START = 8,  /* struct ust_cmd_handle (session) */
	UST_CMD_SESSION_STOP = 9,   /* struct ust_cmd_handle (session) */
	UST_CMD_RELEASE = 10,       /* struct ust_cmd_handle: destroy the object and its children */
	UST_CMD_TRACEPOINT_LIST = 11, /* reply: struct ust_tracepoint_info[] */
	UST_CMD_FIELD_LIST = 12,      /* reply: struct ust_field_info[] */
	UST_CMD_ADD_CONTEXT = 13,     /* struct ust_cmd_context */
	UST_CMD_SET_FILTER = 14,      /* struct ust_cmd_filter + filter bytecode container */
	/*
	 * struct ust_cmd_handle (session): record the session's state dump
	 * again (lttng_ust_statedump events), after the reply; -ENOENT for an
	 * unknown session.
	 */
	UST_CMD_SESSION_STATEDUMP = 15,
	_UST_CMD_MAX,
};

struct ust_cmd_handle {
	uint32_t handle;
} __attribute__((packed));

struct ust_cmd_session {
	uint32_t session_handle;
} __attribute__((packed));

struct ust_cmd_channel {
	uint32_t session_handle;
	uint32_t channel_handle;
	uint32_t stream_id;     /* CTF stream class id */
	uint32_t nr_streams;    /* ADD_STREAM follows for each */
	int32_t overwrite;
	int64_t blocking_timeout_us;
} __attribute__((packed));

/*
 * A context recorded after the event header of every event of a channel,
 * in the order added. Sent between CREATE_CHANNEL and the channel's first
 * ADD_STREAM; the app refuses (-EBUSY) a channel that has streams already,
 * -EINVAL an unknown kind or name, -EEXIST a built-in context the channel
 * has, -E2BIG beyond UST_MAX_CONTEXTS.
 */
enum ust_context_kind {
	UST_CONTEXT_BUILTIN = 0,     /* name: as `$ctx.` spells it ("vpid", "procname"...) */
	UST_CONTEXT_PERF_THREAD = 1, /* a per-thread perf counter, recorded as uint64 */
	/*
	 * An application context: name "$app.PROVIDER:CTX", recorded as a tag
	 * byte and a value the app's provider gives (<ringtrace/context-provider.h>);
	 * a context already in the channel: -EEXIST.
	 */
	UST_CONTEXT_APP = 2,
};

#define UST_MAX_CONTEXTS 64

struct ust_cmd_context {
	uint32_t channel_handle;
	uint32_t kind;                     /* enum ust_context_kind */
	char name[RINGTRACE_SYM_NAME_LEN]; /* field name, NUL-terminated */
	uint32_t perf_type;                /* PERF_THREAD: perf_event_attr type and config */
	uint64_t perf_config;
} __attribute__((packed));

struct ust_cmd_stream {
	uint32_t channel_handle;
	uint32_t cpu;
} __attribute__((packed));

enum ust_loglevel_type {
	UST_LOGLEVEL_ALL = 0,
	UST_LOGLEVEL_RANGE = 1,  /* this level or more severe */
	UST_LOGLEVEL_SINGLE = 2,
};

/*
 * An event rule: events whose "provider:event" name matches pattern (a glob
 * with '*') and none of its exclusions (globs too, as lttng-ust 2.13's).
 *
 * The payload is either exactly this struct (no exclusions, as before
 * exclusions existed) or this struct followed by a struct
 * ust_cmd_enabler_exclusions and its count names; the app refuses (-EINVAL)
 * any other length, a count above UST_MAX_EXCLUSIONS and a name without a
 * NUL in its array. An empty name excludes nothing.
 */
struct ust_cmd_enabler {
	uint32_t channel_handle;
	uint32_t enabler_handle;
	char pattern[RINGTRACE_SYM_NAME_LEN];
	int32_t loglevel_type;  /* enum ust_loglevel_type */
	int32_t loglevel;
} __attribute__((packed));

#define UST_MAX_EXCLUSIONS 256

struct ust_cmd_enabler_exclusions {
	uint32_t count;
	/* Followed by: char names[count][RINGTRACE_SYM_NAME_LEN]. */
} __attribute__((packed));

/*
 * Attaches a filter to an enabler, before it is enabled: the payload is this
 * struct followed by exactly one filter bytecode container
 * (src/filter/filter-bytecode.h: 48-byte header + len bytes, len at most
 * 64 KiB). The app validates it (src/filter/filter-validate.h) and replies
 * -EINVAL to anything malformed, -EEXIST when the enabler has a filter
 * already, -ENOENT for an unknown enabler.
 */
struct ust_cmd_filter {
	uint32_t enabler_handle;
} __attribute__((packed));

#define UST_FILTER_MAX_CONTAINER (48u + 65536u)

struct ust_tracepoint_info {
	char name[RINGTRACE_SYM_NAME_LEN]; /* "provider:event" */
	int32_t loglevel;
} __attribute__((packed));

/* Notifications app -> sessiond (notify socket). */
enum ust_notify {
	/*
	 * struct ust_notify_event + nr_fields struct ust_wire_field +
	 * nr_enum_entries struct ust_wire_enum_entry (for the enum fields, in
	 * field order). Reply: struct ust_notify_event_reply.
	 */
	UST_NOTIFY_REGISTER_EVENT = 1,
	_UST_NOTIFY_MAX,
};

#define UST_MAX_FIELDS       1024
#define UST_MAX_ENUM_ENTRIES 65536

struct ust_wire_integer {
	uint16_t size_bits;
	uint16_t align_bits;
	uint8_t is_signed;
	uint8_t base;
	uint8_t reverse_byte_order;
	uint8_t encoding;
} __attribute__((packed));

/* A flat, pointer-free ringtrace_field_desc. Strings are NUL-terminated in their arrays. */
struct ust_wire_field {
	char name[RINGTRACE_SYM_NAME_LEN];
	uint8_t kind;     /* enum ringtrace_type_kind */
	uint8_t nowrite;
	struct ust_wire_integer integer; /* INTEGER; ARRAY/SEQUENCE element; ENUM container */
	uint8_t float_exp_dig;
	uint8_t float_mant_dig;
	uint16_t float_align_bits;
	uint32_t array_length;
	char sequence_length_name[RINGTRACE_SYM_NAME_LEN];
	char enum_name[RINGTRACE_SYM_NAME_LEN];
	uint32_t enum_nr_entries;
} __attribute__((packed));

struct ust_wire_enum_entry {
	int64_t start;
	int64_t end;
	uint8_t is_auto;
	char label[RINGTRACE_SYM_NAME_LEN];
} __attribute__((packed));

struct ust_notify_event {
	uint32_t session_handle;
	uint32_t channel_handle;
	int32_t loglevel;     /* -1 = not declared */
	char name[RINGTRACE_SYM_NAME_LEN];      /* "provider:event" */
	char signature[RINGTRACE_SYM_NAME_LEN]; /* truncated if longer */
	char model_emf_uri[RINGTRACE_SYM_NAME_LEN]; /* "" = none */
	uint32_t nr_fields;
	uint32_t nr_enum_entries;
} __attribute__((packed));

struct ust_notify_event_reply {
	uint32_t event_id;
} __attribute__((packed));

/*
 * Reply payload of UST_CMD_FIELD_LIST: one per field of every event; an
 * event without fields has one entry whose field name is empty.
 */
struct ust_field_info {
	char event_name[RINGTRACE_SYM_NAME_LEN];
	int32_t loglevel;
	struct ust_wire_field field;
} __attribute__((packed));
