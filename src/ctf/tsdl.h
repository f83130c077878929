/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * TSDL (CTF 1.8 metadata) text, in the exact form lttng-sessiond 2.13 writes
 * for a UST session registry: same declarations, order, whitespace and TABs
 * (see reference/ctf-layout.md section 2), so that viewers see a ringtrace
 * trace as an lttng-ust one.
 *
 * The metadata of a registry is append-only: the preamble once, then one
 * stream block per channel and one event block per event, as they appear.
 * Each writer appends to a struct tsdl_buf. A writer that fails (-ENOMEM, or
 * -EINVAL for a description that cannot be expressed) leaves the buffer
 * exactly as it was, so a registry never holds half a declaration.
 *
 * Byte order: the trace is written in host byte order. Fields flagged
 * reverse_byte_order get the opposite one (" byte_order = be;" on a
 * little-endian host), like lttng-sessiond does for an app of its own
 * endianness.
 *
 * Deliberate differences from lttng-sessiond 2.13, all invisible for
 * ordinary input: every quoted string (event name, model.emf.uri, hostname,
 * procname, enum labels, trace name) is escaped the same way (\ " and
 * newline), where lttng-sessiond writes some of them raw and so produces
 * metadata that babeltrace2 rejects; identifiers that are not made of
 * [A-Za-z0-9_] (after the enum/variant sanitizing) are refused with -EINVAL
 * instead of being written out. With a TSC trace clock (common/clock.h) the
 * clock block keeps its name, uuid and description but gives the measured
 * freq and an offset_s line (struct tsdl_clock).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/uuid.h"
#include <ringtrace/event-desc.h>

/* Growable NUL-terminated text. Zero-initialize (or tsdl_buf_init) before use. */
struct tsdl_buf {
	char *text; /* NUL-terminated once anything was appended; NULL before */
	size_t len; /* bytes, without the NUL */
	size_t cap; /* allocated bytes */
	int error;  /* first error of the current append sequence, 0 if none */
};

void tsdl_buf_init(struct tsdl_buf *buf);
/* Frees the text; the buffer is empty and reusable afterwards. */
void tsdl_buf_fini(struct tsdl_buf *buf);
/* Keeps the allocation, drops the content. */
void tsdl_buf_reset(struct tsdl_buf *buf);
/*
 * Append helpers. Once one fails, buf->error holds -ENOMEM and later appends
 * are no-ops until tsdl_buf_reset() (the tsdl_write_* functions clear it when
 * they roll back); each returns buf->error.
 */
int tsdl_buf_append(struct tsdl_buf *buf, const char *text, size_t len);
int tsdl_buf_append_str(struct tsdl_buf *buf, const char *str);
int tsdl_buf_appendf(struct tsdl_buf *buf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends str as the inside of a TSDL string literal: \ " and newline escaped. */
int tsdl_buf_append_escaped(struct tsdl_buf *buf, const char *str);

#define TSDL_TRACER_NAME        "lttng-ust" /* what viewers look for in env.tracer_name */
#define TSDL_DATETIME_LEN       21          /* "20261122T181729+0000" + NUL */
#define TSDL_HOST_BYTE_ORDER_LE (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)

enum tsdl_buffering_scheme {
	TSDL_BUFFERING_UID, /* env: "uid", buffering id = uid */
	TSDL_BUFFERING_PID, /* env: "pid", buffering id = pid, plus the app keys */
	_TSDL_BUFFERING_MAX,
};

/*
 * The trace clock (common/clock.h) as the clock block describes it: a clock
 * value v is the Epoch time offset_s + (offset + v) / freq_hz seconds. When
 * offset_s is 0 the block has lttng-sessiond's exact text (offset only);
 * otherwise offset_s is written too.
 */
struct tsdl_clock {
	uint64_t freq_hz; /* > 0 */
	int64_t offset_s;
	int64_t offset; /* in clock cycles (ns for CLOCK_MONOTONIC) */
};

/* Everything the preamble depends on. Strings are raw; the writer escapes. */
struct tsdl_trace_info {
	uint8_t uuid[RT_UUID_LEN]; /* registry uuid, same as in every packet header */
	bool byte_order_le;        /* must be TSDL_HOST_BYTE_ORDER_LE (see above) */
	uint32_t bits_per_long;    /* 64 or 32, from the app registration */
	/* Alignments in bits, as reported by the app (8 everywhere on x86). */
	uint32_t uint8_align_bits;
	uint32_t uint16_align_bits;
	uint32_t uint32_align_bits;
	uint32_t uint64_align_bits;
	uint32_t long_align_bits;
	enum tsdl_buffering_scheme scheme;
	uint32_t buffering_id; /* uid (per-UID) or pid (per-PID) */
	/* Session name, or "auto" for an auto-named session (caller's choice). */
	const char *trace_name;
	const char *creation_datetime; /* session creation, tsdl_format_datetime() */
	const char *hostname;
	const char *tracer_name; /* TSDL_TRACER_NAME */
	uint32_t tracer_major;
	uint32_t tracer_minor;
	/* Per-PID scheme only (ignored otherwise). */
	uint32_t tracer_patchlevel;
	int32_t vpid;
	const char *procname;
	const char *vpid_datetime; /* app registration time, tsdl_format_datetime() */
	/* Clock. */
	struct tsdl_clock clock; /* tsdl_clock_describe() */
	const char *clock_uuid;  /* tsdl_read_boot_id(), or NULL: no uuid line */
};

/*
 * Appends the preamble: CTF comment, base typealiases, trace, env, clock,
 * clock-mapped typealiases, packet_context, event_header_compact and
 * event_header_large. -EINVAL when a required string is NULL, the scheme is
 * out of range or clock.freq_hz is 0.
 */
int tsdl_write_preamble(struct tsdl_buf *buf, const struct tsdl_trace_info *info);

/*
 * One field of a stream's event.context: an integer, or an array of
 * array_length integers when array_length > 0 (e.g. procname: 17 UTF8
 * signed bytes). Emitted as "_<name>", in the given order.
 *
 * is_dynamic: an application context ("$app.PROVIDER:CTX"), declared as
 * lttng-sessiond 2.13 does: an 8-bit tag enum "_<n>_tag" (the value types
 * of <ringtrace/context-provider.h>) and a variant "_<n>" selected by it,
 * n being name with every character outside [A-Za-z0-9_] made '_'.
 */
struct tsdl_context_field {
	const char *name;
	struct ringtrace_type_integer type; /* not dynamic */
	uint32_t array_length;
	bool is_dynamic;
};

/*
 * Appends "stream { id = ...; }" for a channel. Streams always use
 * event_header_large (as lttng-sessiond 2.13 does for UST). The
 * event.context struct is written only when nr_contexts > 0.
 */
/*
 * The field name of an application context in TSDL (before the "_"
 * prefix): "$app.prov:ctx" -> "_app_prov_ctx". -EINVAL when name is empty
 * or does not fit size.
 */
int tsdl_dynamic_field_name(const char *name, char *ret, size_t size);

int tsdl_write_stream(struct tsdl_buf *buf, uint32_t stream_id,
                      const struct tsdl_context_field *contexts, size_t nr_contexts);

/*
 * Appends "event { ... };" for one event: name "provider:event", loglevel
 * (13 when desc->loglevel is -1), model.emf.uri when set, then the fields.
 * _nowrite fields are skipped. A sequence must directly follow its length
 * field (an integer named sequence.length_name). -EINVAL on any descriptor
 * that is not representable (unknown kind, bad size/alignment, enum without
 * description, invalid identifier, misplaced length field).
 */
int tsdl_write_event(struct tsdl_buf *buf, const struct ringtrace_event_desc *desc,
                     uint32_t event_id, uint32_t stream_id);

/*
 * Describes this process's trace clock, sampled against CLOCK_REALTIME now
 * (rt_clock_sample()). CLOCK_MONOTONIC: lttng-sessiond's form, freq 1e9 and
 * offset = (CLOCK_REALTIME - CLOCK_MONOTONIC) in ns (may be negative),
 * offset_s 0. TSC: freq from rt_clock_calibration() (the first call in the
 * process takes RT_CLOCK_CALIBRATION_NS), offset_s whole seconds and
 * 0 <= offset < freq cycles. -errno if a clock cannot be read or the TSC
 * could not be calibrated (-EIO).
 */
int tsdl_clock_describe(struct tsdl_clock *ret_clock);

/* The kernel boot id (/proc/sys/kernel/random/boot_id) as a uuid string. */
int tsdl_read_boot_id(char ret_uuid[RT_UUID_STR_LEN]);

/* Local-time "%Y%m%dT%H%M%S%z", the form of trace_creation_datetime. */
int tsdl_format_datetime(time_t when, char ret_str[TSDL_DATETIME_LEN]);
