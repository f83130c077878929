/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary bytes as a filter bytecode container sent to
 * an app. The validator must never crash, hang or read out of bounds; when
 * it accepts, linking against a fixed event with a field of every type
 * (and a context table) and running the program on fixed values must not
 * either, and the result must not depend on anything but the input. When
 * the program is recognized as clauses (filter-clauses.h), evaluating them
 * must give the interpreter's verdict.
 *
 * The first input byte picks one of two value sets (so that both branches
 * of comparisons are reached); the rest is the container.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "filter/filter-clauses.h"
#include "filter/filter-interp.h"
#include "filter/filter-validate.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

#define ELEM(bits, sgn, text)                                                                      \
	{                                                                                          \
		.size_bits = bits, .align_bits = 8, .is_signed = sgn, .base = 10, .encoding = text \
	}

static const struct ringtrace_enum_entry entries[] = {{0, 0, "zero", 0}};
static const struct ringtrace_enum_desc enum_desc = {"p_e", entries, 1};

static const struct ringtrace_field_desc fields[] = {
    {.name = "a", .kind = RINGTRACE_TYPE_INTEGER, .type = {.integer = ELEM(32, 1, 0)}},
    {.name = "b", .kind = RINGTRACE_TYPE_INTEGER, .type = {.integer = ELEM(64, 0, 0)}},
    {.name = "x", .kind = RINGTRACE_TYPE_FLOAT, .type = {.fp = {11, 53, 8}}},
    {.name = "s", .kind = RINGTRACE_TYPE_STRING},
    {.name = "e",
     .kind = RINGTRACE_TYPE_ENUM,
     .type = {.enumeration = {.container = ELEM(8, 0, 0), .desc = &enum_desc}}},
    {.name = "t",
     .kind = RINGTRACE_TYPE_ARRAY,
     .type = {.array = {.elem = ELEM(8, 1, 1), .length = 4}}},
    {.name = "arr",
     .kind = RINGTRACE_TYPE_ARRAY,
     .type = {.array = {.elem = ELEM(16, 1, 0), .length = 3}}},
    {.name = "_seq_length", .kind = RINGTRACE_TYPE_INTEGER, .type = {.integer = ELEM(32, 0, 0)}},
    {.name = "seq",
     .kind = RINGTRACE_TYPE_SEQUENCE,
     .type = {.sequence = {.elem = ELEM(64, 1, 0), .length_name = "_seq_length"}}},
};
#define NR_FIELDS (sizeof(fields) / sizeof(fields[0]))

static const int ctx_vpid = 1, ctx_name = 2;

static int ctx_resolve(const char *name, const void **ret_handle, enum filter_ctx_kind *ret_kind)
{
	if (strcmp(name, "vpid") == 0) {
		*ret_handle = &ctx_vpid;
		*ret_kind = FILTER_CTX_INTEGER;
		return 0;
	}
	if (strcmp(name, "procname") == 0) {
		*ret_handle = &ctx_name;
		*ret_kind = FILTER_CTX_STRING;
		return 0;
	}
	return -ENOENT;
}

static int ctx_get(const void *handle, struct filter_ctx_value *ret)
{
	if (handle == &ctx_vpid) {
		ret->kind = FILTER_CTX_INTEGER;
		ret->u.s64 = 77;
	} else {
		ret->kind = FILTER_CTX_STRING;
		ret->u.str = "fuzz";
	}
	return 0;
}

/* Every "$app." context resolves; the kind of its value comes from the input. */
static unsigned int app_kind;

static int app_resolve(const char *name, const void **ret_handle)
{
	(void)name;
	*ret_handle = &ctx_vpid;
	return 0;
}

static int app_get(const void *handle, struct filter_ctx_value *ret)
{
	(void)handle;
	switch (app_kind) {
	case 0:
		ret->kind = FILTER_CTX_INTEGER;
		ret->u.s64 = -3;
		return 0;
	case 1:
		ret->kind = FILTER_CTX_DOUBLE;
		ret->u.d = 0.5;
		return 0;
	case 2:
		ret->kind = FILTER_CTX_STRING;
		ret->u.str = "app";
		return 0;
	default:
		return -1;
	}
}

static const struct filter_ctx_ops ctx_ops = {ctx_resolve, ctx_get, app_resolve, app_get};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int16_t arr[3] = {1, -2, 3};
	static const int64_t seq[2] = {INT64_MIN, 5};
	union ringtrace_filter_value values[NR_FIELDS] = {0};
	struct filter_validate_info info;
	struct filter_program *prog = NULL;
	const char *reason = NULL;
	void *copy;
	bool second;
	int r;

	if (size < 1)
		return 0;
	second = data[0] & 1;
	app_kind = (data[0] >> 1) & 3;
	data++;
	size--;
	/* An exact-size copy, so that ASan sees any read past the container. */
	copy = malloc(size ? size : 1);
	CHECK(copy);
	memcpy(copy, data, size);
	r = filter_validate(copy, size, &info, &reason);
	if (r < 0) {
		CHECK(r == -EINVAL && reason && reason[0]);
		free(copy);
		return 0;
	}
	CHECK(info.max_depth >= 1 && info.max_depth <= FILTER_STACK_MAX);
	values[0].s64 = second ? -7 : 3;
	values[1].s64 = second ? (int64_t)UINT64_MAX : 0;
	values[2].d = second ? -0.0 : 1e308;
	values[3].str = second ? "a*b\\" : "";
	values[4].s64 = 0;
	values[5].seq.ptr = "abcd";
	values[5].seq.len = 4;
	values[6].seq.ptr = arr;
	values[6].seq.len = 3;
	values[8].seq.ptr = seq;
	values[8].seq.len = second ? 2 : 0;
	r = filter_link(copy, size, fields, NR_FIELDS, &ctx_ops, &prog, &reason);
	if (r == 0) {
		bool v1 = filter_program_run(prog, values);
		bool v2 = filter_program_run(prog, values);
		struct filter_clauses *clauses = NULL;

		CHECK(v1 == v2);
		r = filter_clauses_build(prog, &clauses);
		CHECK(r == 0 || r == -ENOTSUP || r == -ENOMEM);
		if (r == 0) {
			CHECK(filter_clauses_accept(clauses, values) == v1);
			CHECK(!clauses->ints_only || filter_clauses_accept_ints(clauses, values) == v1);
			free(clauses);
		}
		filter_program_free(prog);
	} else {
		CHECK((r == -EINVAL || r == -ENOENT || r == -ENOMEM || r == -E2BIG) && reason);
	}
	free(copy);
	return 0;
}
