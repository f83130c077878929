/* SPDX-License-Identifier: MIT */
/*
 * Event description wire encoding (src/common/comm/ust-wire.c): round trip
 * of every field kind, encoder refusals, and the decoder against malformed
 * payloads (it runs in sessiond on untrusted input).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "common/comm/ust-wire.h"
#include "common/macros.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define INT_TYPE(bits, sgn, b)                                                                     \
	{                                                                                          \
		.size_bits = (bits), .align_bits = 8, .is_signed = (sgn), .base = (b),             \
	}

static const struct ringtrace_enum_entry color_entries[] = {
    {.start = 0, .end = 0, .label = "RED"},
    {.start = 1, .end = 5, .label = "GREEN_RANGE"},
    {.start = 0, .end = 0, .label = "AUTO", .is_auto = 1},
};
static const struct ringtrace_enum_desc color_enum = {
    .name = "myprov_color",
    .entries = color_entries,
    .nr_entries = 3,
};
static const struct ringtrace_enum_entry sign_entries[] = {
    {.start = -128, .end = -1, .label = "NEG"},
    {.start = 0, .end = 127, .label = "POS"},
};
static const struct ringtrace_enum_desc sign_enum = {
    .name = "myprov_sign",
    .entries = sign_entries,
    .nr_entries = 2,
};

static const struct ringtrace_field_desc all_fields[] = {
    {.name = "intfield", .kind = RINGTRACE_TYPE_INTEGER, .type.integer = INT_TYPE(32, 1, 10)},
    {.name = "hexfield", .kind = RINGTRACE_TYPE_INTEGER, .type.integer = INT_TYPE(64, 0, 16)},
    {.name = "netfield",
     .kind = RINGTRACE_TYPE_INTEGER,
     .type.integer = {.size_bits = 16, .align_bits = 8, .base = 10, .reverse_byte_order = 1}},
    {.name = "floatfield",
     .kind = RINGTRACE_TYPE_FLOAT,
     .type.fp = {.exp_dig = 8, .mant_dig = 24, .align_bits = 8}},
    {.name = "doublefield",
     .kind = RINGTRACE_TYPE_FLOAT,
     .type.fp = {.exp_dig = 11, .mant_dig = 53, .align_bits = 8}},
    {.name = "strfield", .kind = RINGTRACE_TYPE_STRING},
    {.name = "arrfield",
     .kind = RINGTRACE_TYPE_ARRAY,
     .type.array = {.elem = INT_TYPE(32, 1, 10), .length = 3}},
    {.name = "arrtext",
     .kind = RINGTRACE_TYPE_ARRAY,
     .type.array = {.elem = {.size_bits = 8,
                             .align_bits = 8,
                             .is_signed = 1,
                             .base = 10,
                             .encoding = RINGTRACE_ENCODING_UTF8},
                    .length = 10}},
    {.name = "_seqfield_length",
     .kind = RINGTRACE_TYPE_INTEGER,
     .type.integer = INT_TYPE(64, 0, 10)},
    {.name = "seqfield",
     .kind = RINGTRACE_TYPE_SEQUENCE,
     .type.sequence = {.elem = INT_TYPE(8, 0, 16), .length_name = "_seqfield_length"}},
    {.name = "colorfield",
     .kind = RINGTRACE_TYPE_ENUM,
     .type.enumeration = {.container = INT_TYPE(32, 0, 10), .desc = &color_enum}},
    {.name = "signfield",
     .kind = RINGTRACE_TYPE_ENUM,
     .type.enumeration = {.container = INT_TYPE(8, 1, 10), .desc = &sign_enum}},
    {.name = "hidden",
     .nowrite = 1,
     .kind = RINGTRACE_TYPE_INTEGER,
     .type.integer = INT_TYPE(32, 1, 10)},
};

static const struct ringtrace_event_desc all_event = {
    .provider_name = "myprov",
    .event_name = "allfields",
    .fields = all_fields,
    .nr_fields = ARRAY_SIZE(all_fields),
    .loglevel = RINGTRACE_LOGLEVEL_WARNING,
    .model_emf_uri = "http://example.com/model",
    .signature = "int a, const char *s",
};

static const struct ringtrace_event_desc empty_event = {
    .provider_name = "p",
    .event_name = "e",
    .loglevel = -1,
};

static void *encode_ok(const struct ringtrace_event_desc *desc, uint32_t *ret_len)
{
	void *payload = NULL;

	assert_int_equal(ust_wire_encode_event(desc, 7, 9, &payload, ret_len), 0);
	assert_non_null(payload);
	return payload;
}

static void assert_integer_equal(const struct ringtrace_type_integer *a,
                                 const struct ringtrace_type_integer *b)
{
	assert_int_equal(a->size_bits, b->size_bits);
	assert_int_equal(a->align_bits, b->align_bits);
	assert_int_equal(a->is_signed, b->is_signed);
	assert_int_equal(a->base, b->base);
	assert_int_equal(a->reverse_byte_order, b->reverse_byte_order);
	assert_int_equal(a->encoding, b->encoding);
}

static void assert_field_equal(const struct ringtrace_field_desc *a,
                               const struct ringtrace_field_desc *b)
{
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->nowrite, b->nowrite);
	switch (a->kind) {
	case RINGTRACE_TYPE_INTEGER:
		assert_integer_equal(&a->type.integer, &b->type.integer);
		break;
	case RINGTRACE_TYPE_FLOAT:
		assert_int_equal(a->type.fp.exp_dig, b->type.fp.exp_dig);
		assert_int_equal(a->type.fp.mant_dig, b->type.fp.mant_dig);
		assert_int_equal(a->type.fp.align_bits, b->type.fp.align_bits);
		break;
	case RINGTRACE_TYPE_ARRAY:
		assert_integer_equal(&a->type.array.elem, &b->type.array.elem);
		assert_int_equal(a->type.array.length, b->type.array.length);
		break;
	case RINGTRACE_TYPE_SEQUENCE:
		assert_integer_equal(&a->type.sequence.elem, &b->type.sequence.elem);
		assert_string_equal(a->type.sequence.length_name, b->type.sequence.length_name);
		break;
	case RINGTRACE_TYPE_ENUM: {
		const struct ringtrace_enum_desc *ea = a->type.enumeration.desc;
		const struct ringtrace_enum_desc *eb = b->type.enumeration.desc;

		assert_integer_equal(&a->type.enumeration.container,
		                     &b->type.enumeration.container);
		assert_non_null(eb);
		assert_string_equal(ea->name, eb->name);
		assert_int_equal(ea->nr_entries, eb->nr_entries);
		for (uint32_t i = 0; i < ea->nr_entries; i++) {
			assert_string_equal(ea->entries[i].label, eb->entries[i].label);
			assert_int_equal(ea->entries[i].is_auto, eb->entries[i].is_auto);
			if (ea->entries[i].is_auto)
				continue;
			assert_int_equal(ea->entries[i].start, eb->entries[i].start);
			assert_int_equal(ea->entries[i].end, eb->entries[i].end);
		}
		break;
	}
	default:
		break;
	}
}

static void test_round_trip_all_kinds(void **state)
{
	struct ust_wire_event *ev = NULL;
	uint32_t len;
	void *payload = encode_ok(&all_event, &len);

	assert_int_equal(len, sizeof(struct ust_notify_event) +
	                          ARRAY_SIZE(all_fields) * sizeof(struct ust_wire_field) +
	                          5 * sizeof(struct ust_wire_enum_entry));
	assert_int_equal(ust_wire_decode_event(payload, len, &ev), 0);
	assert_int_equal(ev->session_handle, 7);
	assert_int_equal(ev->channel_handle, 9);
	assert_string_equal(ev->name, "myprov:allfields");
	assert_string_equal(ev->desc.provider_name, "myprov");
	assert_string_equal(ev->desc.event_name, "allfields");
	assert_string_equal(ev->desc.signature, all_event.signature);
	assert_string_equal(ev->desc.model_emf_uri, all_event.model_emf_uri);
	assert_int_equal(ev->desc.loglevel, RINGTRACE_LOGLEVEL_WARNING);
	assert_null(ev->desc.probe_callback);
	assert_null(ev->desc.runtime);
	assert_int_equal(ev->desc.nr_fields, ARRAY_SIZE(all_fields));
	for (size_t i = 0; i < ARRAY_SIZE(all_fields); i++)
		assert_field_equal(&all_fields[i], &ev->desc.fields[i]);
	ust_wire_event_free(ev);
	free(payload);
}

static void test_round_trip_no_fields(void **state)
{
	struct ust_wire_event *ev = NULL;
	uint32_t len;
	void *payload = encode_ok(&empty_event, &len);

	assert_int_equal(len, sizeof(struct ust_notify_event));
	assert_int_equal(ust_wire_decode_event(payload, len, &ev), 0);
	assert_string_equal(ev->name, "p:e");
	assert_int_equal(ev->desc.nr_fields, 0);
	assert_null(ev->desc.fields);
	assert_null(ev->desc.model_emf_uri);
	assert_string_equal(ev->desc.signature, "");
	assert_int_equal(ev->desc.loglevel, -1);
	ust_wire_event_free(ev);
	free(payload);
}

static void test_encode_truncates_signature(void **state)
{
	struct ringtrace_event_desc desc = empty_event;
	char sig[600];
	struct ust_wire_event *ev = NULL;
	void *payload;
	uint32_t len;

	memset(sig, 'x', sizeof(sig) - 1);
	sig[sizeof(sig) - 1] = '\0';
	desc.signature = sig;
	payload = encode_ok(&desc, &len);
	assert_int_equal(ust_wire_decode_event(payload, len, &ev), 0);
	assert_int_equal(strlen(ev->desc.signature), RINGTRACE_SYM_NAME_LEN - 1);
	ust_wire_event_free(ev);
	free(payload);
}

static int encode_err(const struct ringtrace_event_desc *desc)
{
	void *payload = NULL;
	uint32_t len = 0;
	int r = ust_wire_encode_event(desc, 1, 1, &payload, &len);

	assert_null(payload);
	return r;
}

static void test_encode_refusals(void **state)
{
	struct ringtrace_event_desc desc = empty_event;
	struct ringtrace_field_desc field = all_fields[0];
	struct ringtrace_field_desc seq[2] = {all_fields[8], all_fields[9]};
	char long_name[300];

	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';

	desc.event_name = long_name;
	assert_int_equal(encode_err(&desc), -ENAMETOOLONG);
	desc.event_name = "";
	assert_int_equal(encode_err(&desc), -EINVAL);
	desc.event_name = "e";
	desc.model_emf_uri = long_name;
	assert_int_equal(encode_err(&desc), -ENAMETOOLONG);
	desc.model_emf_uri = NULL;

	desc.fields = &field;
	desc.nr_fields = 1;
	field.name = long_name;
	assert_int_equal(encode_err(&desc), -ENAMETOOLONG);
	field.name = "f";
	field.kind = _RINGTRACE_TYPE_KIND_MAX;
	assert_int_equal(encode_err(&desc), -EINVAL);
	field.kind = RINGTRACE_TYPE_ENUM;
	field.type.enumeration.desc = NULL;
	assert_int_equal(encode_err(&desc), -EINVAL);
	field = all_fields[0];
	field.type.integer.size_bits = 24;
	assert_int_equal(encode_err(&desc), -EINVAL);

	desc.nr_fields = UST_MAX_FIELDS + 1;
	assert_int_equal(encode_err(&desc), -E2BIG);

	/* A sequence whose length field is not just before it. */
	seq[0].name = "other";
	desc.fields = seq;
	desc.nr_fields = 2;
	assert_int_equal(encode_err(&desc), -EINVAL);
	desc.loglevel = 15;
	desc.nr_fields = 0;
	assert_int_equal(encode_err(&desc), -EINVAL);
}

static void test_encode_field_alone(void **state)
{
	struct ust_wire_field wire;

	assert_int_equal(ust_wire_encode_field(&all_fields[10], &wire), 0);
	assert_string_equal(wire.name, "colorfield");
	assert_string_equal(wire.enum_name, "myprov_color");
	assert_int_equal(wire.enum_nr_entries, 3);
	assert_int_equal(ust_wire_check_field(&wire), 0);
	wire.kind = 200;
	assert_int_equal(ust_wire_check_field(&wire), -EINVAL);
}

/* --- malformed payloads --- */

struct mutable_payload {
	uint8_t *buf;
	uint32_t len;
	struct ust_notify_event *hdr;
	struct ust_wire_field *fields;
	struct ust_wire_enum_entry *entries;
};

static void mp_init(struct mutable_payload *mp)
{
	mp->buf = encode_ok(&all_event, &mp->len);
	mp->hdr = (struct ust_notify_event *)mp->buf;
	mp->fields = (struct ust_wire_field *)(mp->buf + sizeof(*mp->hdr));
	mp->entries = (struct ust_wire_enum_entry *)(mp->fields + mp->hdr->nr_fields);
}

static void expect_rejected(const void *buf, size_t len)
{
	struct ust_wire_event *ev = NULL;

	assert_int_equal(ust_wire_check_event(buf, len), -EINVAL);
	assert_int_equal(ust_wire_decode_event(buf, len, &ev), -EINVAL);
	assert_null(ev);
}

/* Applies one corruption to a fresh valid payload and expects a refusal. */
#define REJECT(stmt)                                                                               \
	do {                                                                                       \
		struct mutable_payload mp;                                                         \
		mp_init(&mp);                                                                      \
		stmt;                                                                              \
		expect_rejected(mp.buf, mp.len);                                                   \
		free(mp.buf);                                                                      \
	} while (0)

static void test_reject_lengths(void **state)
{
	struct ust_notify_event hdr = {0};
	uint8_t *big;

	expect_rejected(NULL, 0);
	expect_rejected(&hdr, sizeof(hdr) - 1);
	REJECT(mp.len -= 1);
	REJECT(mp.len = sizeof(struct ust_notify_event));
	REJECT(mp.hdr->nr_fields += 1);
	REJECT(mp.hdr->nr_fields -= 1);
	REJECT(mp.hdr->nr_enum_entries += 1);
	REJECT(mp.hdr->nr_fields = UINT32_MAX);
	REJECT(mp.hdr->nr_enum_entries = UINT32_MAX);
	/* Counts that overflow 32-bit arithmetic must not wrap to the real length. */
	REJECT(mp.hdr->nr_fields = UST_MAX_FIELDS + 1);

	/* One byte too many. */
	{
		struct mutable_payload mp;

		mp_init(&mp);
		big = calloc(1, mp.len + 1);
		memcpy(big, mp.buf, mp.len);
		expect_rejected(big, mp.len + 1);
		free(big);
		free(mp.buf);
	}
}

static void test_reject_header(void **state)
{
	REJECT(memset(mp.hdr->name, 'a', sizeof(mp.hdr->name)));
	REJECT(strcpy(mp.hdr->name, "noprovider"));
	REJECT(strcpy(mp.hdr->name, ":event"));
	REJECT(strcpy(mp.hdr->name, "provider:"));
	REJECT(strcpy(mp.hdr->name, ""));
	REJECT(memset(mp.hdr->signature, 'a', sizeof(mp.hdr->signature)));
	REJECT(memset(mp.hdr->model_emf_uri, 'a', sizeof(mp.hdr->model_emf_uri)));
	REJECT(mp.hdr->loglevel = _RINGTRACE_LOGLEVEL_MAX);
	REJECT(mp.hdr->loglevel = -2);
}

static void test_reject_fields(void **state)
{
	REJECT(mp.fields[0].kind = _RINGTRACE_TYPE_KIND_MAX);
	REJECT(mp.fields[0].kind = 255);
	REJECT(mp.fields[0].nowrite = 2);
	REJECT(memset(mp.fields[0].name, 'n', sizeof(mp.fields[0].name)));
	REJECT(mp.fields[0].name[0] = '\0');
	REJECT(strcpy(mp.fields[1].name, mp.fields[0].name));
	REJECT(mp.fields[0].integer.size_bits = 12);
	REJECT(mp.fields[0].integer.size_bits = 0);
	REJECT(mp.fields[0].integer.size_bits = 128);
	REJECT(mp.fields[0].integer.align_bits = 0);
	REJECT(mp.fields[0].integer.align_bits = 7);
	REJECT(mp.fields[0].integer.base = 3);
	REJECT(mp.fields[0].integer.is_signed = 2);
	REJECT(mp.fields[0].integer.reverse_byte_order = 9);
	REJECT(mp.fields[0].integer.encoding = RINGTRACE_ENCODING_UTF8);
	REJECT(mp.fields[0].integer.encoding = 2);
	REJECT(mp.fields[3].float_exp_dig = 9);
	REJECT(mp.fields[4].float_mant_dig = 24);
	REJECT(mp.fields[3].float_align_bits = 3);
	REJECT(mp.fields[6].array_length = UST_WIRE_MAX_ARRAY_LENGTH + 1);
	REJECT(mp.fields[6].integer.size_bits = 5);
}

static void test_reject_sequences(void **state)
{
	/* fields[8] is the length, fields[9] the sequence. */
	REJECT(strcpy(mp.fields[9].sequence_length_name, "intfield"));
	REJECT(mp.fields[9].sequence_length_name[0] = '\0');
	REJECT(memset(mp.fields[9].sequence_length_name, 'q',
	              sizeof(mp.fields[9].sequence_length_name)));
	REJECT(mp.fields[8].kind = RINGTRACE_TYPE_STRING);
	REJECT(mp.fields[8].nowrite = 1);
	/* A sequence as the very first field has no length field. */
	REJECT({
		mp.fields[0] = mp.fields[9];
		strcpy(mp.fields[0].name, "firstseq");
	});
}

static void test_reject_enums(void **state)
{
	/* fields[10]: 3 entries, u32 container; fields[11]: 2 entries, s8 container. */
	REJECT(mp.fields[10].enum_nr_entries = 0);
	REJECT(mp.fields[10].enum_nr_entries = 2);
	REJECT(mp.fields[10].enum_nr_entries = 4);
	REJECT(mp.fields[11].enum_nr_entries = UINT32_MAX);
	REJECT(mp.fields[10].enum_name[0] = '\0');
	REJECT(memset(mp.fields[10].enum_name, 'e', sizeof(mp.fields[10].enum_name)));
	REJECT(memset(mp.entries[0].label, 'l', sizeof(mp.entries[0].label)));
	REJECT(mp.entries[1].is_auto = 2);
	REJECT({
		mp.entries[1].start = 6;
		mp.entries[1].end = 5;
	});
	REJECT(mp.entries[1].end = INT64_C(1) << 32);        /* above u32 */
	REJECT(mp.entries[0].start = -1);                    /* u32: 2^64 - 1 */
	REJECT(mp.entries[3].start = -129);                  /* below s8 */
	REJECT(mp.entries[4].end = 128);                     /* above s8 */
	REJECT(mp.fields[10].kind = RINGTRACE_TYPE_INTEGER); /* entries left over */
}

static void test_accept_edge_values(void **state)
{
	struct mutable_payload mp;
	struct ust_wire_event *ev = NULL;

	mp_init(&mp);
	mp.entries[2].start = INT64_MIN; /* auto entry: value not used */
	mp.entries[3].start = -128;
	mp.entries[4].end = 127;
	mp.fields[5].integer.size_bits = 3; /* ignored for a string */
	mp.hdr->model_emf_uri[0] = '\0';
	assert_int_equal(ust_wire_decode_event(mp.buf, mp.len, &ev), 0);
	assert_null(ev->desc.model_emf_uri);
	ust_wire_event_free(ev);
	free(mp.buf);
}

/* Random corruption: decode either refuses or returns something self-consistent. */
static void test_random_corruption(void **state)
{
	unsigned seed = 12345;

	for (int iter = 0; iter < 20000; iter++) {
		struct mutable_payload mp;
		struct ust_wire_event *ev = NULL;
		int flips;

		mp_init(&mp);
		flips = 1 + (int)(rand_r(&seed) % 4);
		for (int i = 0; i < flips; i++) {
			uint32_t off = (uint32_t)rand_r(&seed) % mp.len;

			mp.buf[off] ^= (uint8_t)(1u << (rand_r(&seed) % 8));
		}
		if (rand_r(&seed) % 8 == 0)
			mp.len = (uint32_t)rand_r(&seed) % mp.len;
		if (ust_wire_decode_event(mp.buf, mp.len, &ev) == 0) {
			for (uint32_t i = 0; i < ev->desc.nr_fields; i++)
				assert_true(strlen(ev->desc.fields[i].name) <
				            RINGTRACE_SYM_NAME_LEN);
			ust_wire_event_free(ev);
		}
		free(mp.buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip_all_kinds),
	    cmocka_unit_test(test_round_trip_no_fields),
	    cmocka_unit_test(test_encode_truncates_signature),
	    cmocka_unit_test(test_encode_refusals),
	    cmocka_unit_test(test_encode_field_alone),
	    cmocka_unit_test(test_reject_lengths),
	    cmocka_unit_test(test_reject_header),
	    cmocka_unit_test(test_reject_fields),
	    cmocka_unit_test(test_reject_sequences),
	    cmocka_unit_test(test_reject_enums),
	    cmocka_unit_test(test_accept_edge_values),
	    cmocka_unit_test(test_random_corruption),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
