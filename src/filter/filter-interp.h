/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Tracer side of filters: a validated bytecode (filter-validate.h) is
 * linked against one event's fields (and the built-in contexts) into a
 * filter_program, which is then run on the values of each call, before any
 * buffer space is reserved.
 *
 * Semantics are lttng-ust 2.13's:
 *  - integers (signed or not, enums) compare as signed 64-bit values, a mix
 *    with a double compares as doubles;
 *  - strings compare byte by byte up to their NUL (or the element count of
 *    a text array / sequence); in a plain literal '*' matches any rest and
 *    "\*" a star; a LOAD_STAR_GLOB_STRING literal is a full glob;
 *  - `a[i]` reads element i of an integer array or sequence;
 *  - && and || short-circuit; an error while running (a shift by a count
 *    outside [0, 63], an index past a sequence's end, a NULL string, a
 *    value of the wrong type, an application context nobody provides...)
 *    rejects the event for this filter;
 *  - what lttng-ust refuses when linking (a field the event does not have,
 *    an unknown context, a type mismatch its validator sees, an index past
 *    an array's end...) makes a filter that never accepts.
 */

#include <ringtrace/event-desc.h>
#include <ringtrace/tp-record.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "filter/filter-bytecode.h"

enum filter_ctx_kind {
	FILTER_CTX_INTEGER,
	FILTER_CTX_DOUBLE,
	FILTER_CTX_STRING,
};

struct filter_ctx_value {
	enum filter_ctx_kind kind;
	union {
		int64_t s64;
		double d;
		const char *str;
	} u;
};

/*
 * How a program reaches the built-in contexts ("$ctx.NAME") and the
 * application contexts ("$app.PROVIDER:CTX", whose kind is known only when
 * read: NULL resolve_app makes reading one a run-time error).
 */
struct filter_ctx_ops {
	/* NAME without "$ctx.": 0 with a handle and the value's kind, or -ENOENT. */
	int (*resolve)(const char *name, const void **ret_handle, enum filter_ctx_kind *ret_kind);
	/* The value now, in the kind resolve() gave; nonzero on failure. */
	int (*get)(const void *handle, struct filter_ctx_value *ret);
	/* The whole "$app.PROVIDER:CTX": 0 with a handle, or a negative errno. */
	int (*resolve_app)(const char *name, const void **ret_handle);
	/* The value now, of any kind; nonzero when it cannot be compared (lttng-ust: an error). */
	int (*get_app)(const void *handle, struct filter_ctx_value *ret);
};

/*
 * At most FILTER_MAX_APP_CONTEXTS (filter-bytecode.h) distinct application
 * contexts in one filter: the program is linked once per combination of
 * their kinds (4 each: integer, double, string, unreadable).
 */
/* Bound of the variants' instructions together (-E2BIG beyond). */
#define FILTER_APP_VARIANTS_MAX_BYTES (4u << 20)

struct filter_program;

/*
 * Links the container buf[0, size), which filter_validate() accepted,
 * against fields[0, nr_fields) (values are passed in that order, see
 * union ringtrace_filter_value) and ctx (may be NULL: no context exists).
 * Returns 0 with a program, -ENOENT / -EINVAL when lttng-ust would refuse to
 * link it (*ret_reason set), -E2BIG beyond FILTER_MAX_APP_CONTEXTS or
 * FILTER_APP_VARIANTS_MAX_BYTES, or -ENOMEM.
 */
int filter_link(const void *buf, size_t size, const struct ringtrace_field_desc *fields,
                uint32_t nr_fields, const struct filter_ctx_ops *ctx,
                struct filter_program **ret_program, const char **ret_reason);
void filter_program_free(struct filter_program *program);

/* Whether the program accepts the event whose field values are values. */
bool filter_program_run(const struct filter_program *program,
                        const union ringtrace_filter_value *values);
