/* SPDX-License-Identifier: MIT */
/*
 * Internal piece of the provider API: what a generated probe needs to
 * record an event. The probe computes the payload size from its arguments,
 * then for each recorder of the event that is on, reserves a record in
 * libringtrace-ust (which writes the event header) and fills the payload
 * with the helpers below: fields back to back, no padding, host byte order,
 * values copied as the program holds them (a _network field gets the bytes
 * of a value the program already put in network order, as with lttng-ust).
 *
 * ringtrace_record_reserve() must be called inside the call site's RCU
 * read-side critical section, which is where probes run.
 *
 * Probes are compiled into programs: what they see here (struct
 * ringtrace_record, the runtime head, the value union for filters) is part
 * of the probe ABI, versioned by RINGTRACE_PROBE_ABI_VERSION.
 */
#ifndef RINGTRACE_TP_RECORD_H
#define RINGTRACE_TP_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <ringtrace/event-desc.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RINGTRACE_NULL_STRING "(null)"

/*
 * One field's value for the filters of an event, one per field descriptor
 * in descriptor order (a sequence's length field gets an unused slot). The
 * probe fills them only when a filter needs them, before reserving:
 *   integer, enum     s64: the value, sign- or zero-extended, in host order
 *   float, double     d
 *   string            str (RINGTRACE_NULL_STRING for NULL)
 *   array, sequence   seq: the elements as the program holds them, and
 *                     their count
 */
union ringtrace_filter_value {
	int64_t s64;
	double d;
	const char *str;
	struct {
		const void *ptr;
		size_t len;
	} seq;
};

/*
 * The library's per-event state (*desc->runtime) begins with this: nonzero
 * while some recorder of the event has filters, so that the probe fills the
 * filter values only then.
 */
struct ringtrace_event_runtime_head {
	int filtered;
};

static inline int ringtrace_event_filtered(const struct ringtrace_event_desc *desc)
{
	const struct ringtrace_event_runtime_head *rt =
	    (const struct ringtrace_event_runtime_head *)__atomic_load_n(desc->runtime,
	                                                                 __ATOMIC_RELAXED);

	return rt && __atomic_load_n(&rt->filtered, __ATOMIC_RELAXED);
}

/* An integer argument as a filter value: host order, sign- or zero-extended. */
static inline int64_t ringtrace_filter_integer(const void *p, size_t size, int is_signed,
                                               int reverse)
{
	switch (size) {
	case 1: {
		uint8_t v;

		memcpy(&v, p, 1);
		return is_signed ? (int64_t)(int8_t)v : (int64_t)v;
	}
	case 2: {
		uint16_t v;

		memcpy(&v, p, 2);
		if (reverse)
			v = __builtin_bswap16(v);
		return is_signed ? (int64_t)(int16_t)v : (int64_t)v;
	}
	case 4: {
		uint32_t v;

		memcpy(&v, p, 4);
		if (reverse)
			v = __builtin_bswap32(v);
		return is_signed ? (int64_t)(int32_t)v : (int64_t)v;
	}
	default: {
		uint64_t v;

		memcpy(&v, p, 8);
		if (reverse)
			v = __builtin_bswap64(v);
		return (int64_t)v;
	}
	}
}

/* A record being written. payload, ip and filter_values are for the probe. */
struct ringtrace_record {
	void *payload;  /* where the first field goes */
	const void *ip; /* probe: the call site's address (the `ip` context) */
	/* Set by the probe before reserving: its field values, or NULL. */
	const union ringtrace_filter_value *filter_values;
	const void *cursor;   /* library: the recorder selected, or this record is for */
	uint64_t reserved[6]; /* library: the ring-buffer reservation */
};

/*
 * Reserves header + channel context + payload_len bytes for the first
 * recorder of desc that is enabled, in an enabled channel of an active
 * session, in its stream for this CPU, and writes the event header and the
 * channel's context fields (rec->ip set by the caller). Returns 1 with
 * rec->payload set, 0 when there is none. A
 * recorder whose buffer is full is skipped (the ring buffer counts the
 * discarded record).
 */
int ringtrace_record_reserve(const struct ringtrace_event_desc *desc, size_t payload_len,
                             struct ringtrace_record *rec);
/*
 * The same in two steps, for an event whose recorders have filters
 * (ringtrace_event_filtered()), so that a rejected event costs no payload
 * size computation: ringtrace_record_select() finds the first recorder
 * that is on and whose filters accept rec->filter_values (set by the
 * caller, with rec->ip) and returns 1, or 0 when there is none;
 * ringtrace_record_reserve_selected() then reserves in it, or in the next
 * one that is on and accepts if its buffer is full, as
 * ringtrace_record_reserve() does. Both within one RCU read-side critical
 * section.
 */
int ringtrace_record_select(const struct ringtrace_event_desc *desc, struct ringtrace_record *rec);
int ringtrace_record_reserve_selected(size_t payload_len, struct ringtrace_record *rec);
/*
 * Publishes the record reserved last, then reserves for the next recorder
 * that is on, as ringtrace_record_reserve() does. One call per record keeps
 * the usual case, a single recorder, at two calls per event.
 */
int ringtrace_record_commit_next(size_t payload_len, struct ringtrace_record *rec);

/* --- payload size; SIZE_MAX (never reservable) once anything overflows --- */

static inline size_t ringtrace_size_add(size_t len, size_t bytes)
{
	size_t sum;

	return __builtin_add_overflow(len, bytes, &sum) ? SIZE_MAX : sum;
}

static inline size_t ringtrace_size_add_array(size_t len, size_t elem_size, size_t count)
{
	size_t bytes;

	if (__builtin_mul_overflow(elem_size, count, &bytes))
		return SIZE_MAX;
	return ringtrace_size_add(len, bytes);
}

/* --- serialization, one helper per field kind; each returns the next position --- */

/* Integers, floats, enums, and the elements of (non-text) arrays and sequences. */
static inline char *ringtrace_write_bytes(char *p, const void *src, size_t len)
{
	if (src)
		memcpy(p, src, len);
	else
		memset(p, 0, len); /* a NULL array or sequence records zeros */
	return p + len;
}

/*
 * A string whose length len (NUL included) the size computation measured.
 * The terminating NUL is written even if the string changed meanwhile.
 */
static inline char *ringtrace_write_string(char *p, const char *src, size_t len)
{
	memcpy(p, src, len - 1);
	p[len - 1] = '\0';
	return p + len;
}

/*
 * array_text / sequence_text: len bytes copied up to the first NUL of src,
 * the rest zero-filled (what lttng-ust records).
 */
static inline char *ringtrace_write_text(char *p, const char *src, size_t len)
{
	const char *nul = src ? (const char *)memchr(src, '\0', len) : src;
	size_t n = src ? (nul ? (size_t)(nul - src) : len) : 0;

	if (n)
		memcpy(p, src, n);
	memset(p + n, 0, len - n);
	return p + len;
}

#ifdef __cplusplus
}
#endif

#endif /* RINGTRACE_TP_RECORD_H */
