/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The event the tracer-side filter tests link against, with a field of
 * every type (values are passed in field order), and the built-in
 * contexts they resolve: vpid (integer), procname (string), ratio
 * (double), whose values the tests set; ctx_fail makes reading any fail.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "filter/filter-interp.h"

#define INT_FIELD(n, bits, sgn, rev)                                                               \
	{                                                                                          \
		.name = n, .kind = RINGTRACE_TYPE_INTEGER, .type = {                               \
			.integer = {.size_bits = bits,                                             \
			            .align_bits = 8,                                               \
			            .is_signed = sgn,                                              \
			            .base = 10,                                                    \
			            .reverse_byte_order = rev}                                     \
		}                                                                                  \
	}
#define ELEM(bits, sgn, text)                                                                      \
	{                                                                                          \
		.size_bits = bits, .align_bits = 8, .is_signed = sgn, .base = 10, .encoding = text \
	}

static const struct ringtrace_enum_entry colors[] = {{0, 0, "red", 0}, {1, 1, "green", 0}};
static const struct ringtrace_enum_desc color_desc = {"p_color", colors, 2};

/* Field order = value order. */
enum {
	F_S8,
	F_S64,
	F_U64,
	F_U32,
	F_ENUM,
	F_DOUBLE,
	F_FLOAT,
	F_STR,
	F_TEXTARR,
	F_TEXTSEQ_LEN,
	F_TEXTSEQ,
	F_ARR16,
	F_SEQ32_LEN,
	F_SEQ32,
	F_NET16,
	F_NET32,
	F_NR
};

static const struct ringtrace_field_desc fields[] = {
    [F_S8] = INT_FIELD("s8", 8, 1, 0),
    [F_S64] = INT_FIELD("s64", 64, 1, 0),
    [F_U64] = INT_FIELD("u64", 64, 0, 0),
    [F_U32] = INT_FIELD("u32", 32, 0, 0),
    [F_ENUM] = {.name = "color",
                .kind = RINGTRACE_TYPE_ENUM,
                .type = {.enumeration = {.container = ELEM(32, 1, 0), .desc = &color_desc}}},
    [F_DOUBLE] = {.name = "dbl", .kind = RINGTRACE_TYPE_FLOAT, .type = {.fp = {11, 53, 8}}},
    [F_FLOAT] = {.name = "flt", .kind = RINGTRACE_TYPE_FLOAT, .type = {.fp = {8, 24, 8}}},
    [F_STR] = {.name = "str", .kind = RINGTRACE_TYPE_STRING},
    [F_TEXTARR] = {.name = "textarr",
                   .kind = RINGTRACE_TYPE_ARRAY,
                   .type = {.array = {.elem = ELEM(8, 1, 1), .length = 8}}},
    [F_TEXTSEQ_LEN] = INT_FIELD("_textseq_length", 32, 0, 0),
    [F_TEXTSEQ] = {.name = "textseq",
                   .kind = RINGTRACE_TYPE_SEQUENCE,
                   .type = {.sequence = {.elem = ELEM(8, 1, 1), .length_name = "_textseq_length"}}},
    [F_ARR16] = {.name = "arr16",
                 .kind = RINGTRACE_TYPE_ARRAY,
                 .type = {.array = {.elem = ELEM(16, 0, 0), .length = 3}}},
    [F_SEQ32_LEN] = INT_FIELD("_seq32_length", 32, 0, 0),
    [F_SEQ32] = {.name = "seq32",
                 .kind = RINGTRACE_TYPE_SEQUENCE,
                 .type = {.sequence = {.elem = ELEM(32, 1, 0), .length_name = "_seq32_length"}}},
    [F_NET16] = {.name = "net16",
                 .kind = RINGTRACE_TYPE_ARRAY,
                 .type = {.array = {.elem = {.size_bits = 16,
                                             .align_bits = 8,
                                             .is_signed = 0,
                                             .base = 10,
                                             .reverse_byte_order = 1},
                                    .length = 1}}},
    [F_NET32] = INT_FIELD("net32", 32, 0, 1),
};

static const int ctx_vpid = 1, ctx_procname = 2, ctx_ratio = 3;
static bool ctx_fail;
static int64_t ctx_vpid_value;
static const char *ctx_procname_value;
static double ctx_ratio_value;

static int ctx_resolve(const char *name, const void **ret_handle, enum filter_ctx_kind *ret_kind)
{
	if (strcmp(name, "vpid") == 0) {
		*ret_handle = &ctx_vpid;
		*ret_kind = FILTER_CTX_INTEGER;
	} else if (strcmp(name, "procname") == 0) {
		*ret_handle = &ctx_procname;
		*ret_kind = FILTER_CTX_STRING;
	} else if (strcmp(name, "ratio") == 0) {
		*ret_handle = &ctx_ratio;
		*ret_kind = FILTER_CTX_DOUBLE;
	} else {
		return -ENOENT;
	}
	return 0;
}

static int ctx_get(const void *handle, struct filter_ctx_value *ret)
{
	if (ctx_fail)
		return -1;
	if (handle == &ctx_vpid) {
		ret->kind = FILTER_CTX_INTEGER;
		ret->u.s64 = ctx_vpid_value;
	} else if (handle == &ctx_procname) {
		ret->kind = FILTER_CTX_STRING;
		ret->u.str = ctx_procname_value;
	} else {
		ret->kind = FILTER_CTX_DOUBLE;
		ret->u.d = ctx_ratio_value;
	}
	return 0;
}
