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

/* A record being written. Only payload is for the probe. */
struct ringtrace_record {
	void *payload;        /* where the first field goes */
	const void *ip;       /* probe: the call site's address (the `ip` context) */
	const void *cursor;   /* library: the recorder this record is for */
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
