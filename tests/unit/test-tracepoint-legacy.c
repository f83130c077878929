/* SPDX-License-Identifier: MIT */
/*
 * The descriptors generated from a provider written with lttng-ust's
 * unprefixed API (test-tracepoint-compat-tp.h): each ctf_* macro, the
 * four-argument TRACEPOINT_EVENT_INSTANCE, TRACE_* log levels, the model
 * URI and the enum mean what they mean in lttng-ust.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/ust/probes.h"

static const struct ringtrace_field_desc *field(const struct ringtrace_event_desc *desc,
                                                const char *name)
{
	for (uint32_t i = 0; i < desc->nr_fields; i++)
		if (strcmp(desc->fields[i].name, name) == 0)
			return &desc->fields[i];
	fail_msg("no field %s in %s:%s", name, desc->provider_name, desc->event_name);
	return NULL;
}

static void test_message(void **state)
{
	const struct ringtrace_event_desc *msg = rt_probes_find_event("compat_app", "message");
	const struct ringtrace_field_desc *fd;

	assert_non_null(msg);
	assert_int_equal(msg->loglevel, RINGTRACE_LOGLEVEL_INFO);
	assert_int_equal(msg->nr_fields, 12);
	assert_string_equal(msg->fields[0].name, "id");
	assert_int_equal(field(msg, "id_hex")->type.integer.base, 16);
	fd = field(msg, "id_net");
	assert_int_equal(fd->type.integer.size_bits, 16);
	assert_true(fd->type.integer.is_signed);
	assert_true(fd->type.integer.reverse_byte_order);
	assert_int_equal(fd->type.integer.base, 10);
	fd = field(msg, "id_nethex");
	assert_true(fd->type.integer.reverse_byte_order);
	assert_int_equal(fd->type.integer.base, 16);
	assert_int_equal(field(msg, "ratio")->type.fp.mant_dig, 53);
	assert_int_equal(field(msg, "ratio_f")->type.fp.mant_dig, 24);
	assert_int_equal(field(msg, "text")->kind, RINGTRACE_TYPE_STRING);
	fd = field(msg, "prefix");
	assert_int_equal(fd->kind, RINGTRACE_TYPE_ARRAY);
	assert_int_equal(fd->type.array.length, 2);
	assert_int_equal(fd->type.array.elem.encoding, RINGTRACE_ENCODING_UTF8);
	assert_string_equal(msg->fields[8].name, "_body_length");
	assert_int_equal(msg->fields[8].type.integer.size_bits, 64);
	fd = field(msg, "body");
	assert_int_equal(fd->kind, RINGTRACE_TYPE_SEQUENCE);
	assert_int_equal(fd->type.sequence.elem.encoding, RINGTRACE_ENCODING_UTF8);
	assert_true(field(msg, "secret")->nowrite);
	assert_true(field(msg, "secret_text")->nowrite);
	assert_string_equal(msg->signature, "int, id, const char *, text, double, ratio");
	(void)state;
}

static void test_class_instances(void **state)
{
	const struct ringtrace_event_desc *enter = rt_probes_find_event("compat_app", "enter");
	const struct ringtrace_event_desc *leave = rt_probes_find_event("compat_app", "leave");
	const struct ringtrace_field_desc *fd;

	assert_non_null(enter);
	assert_non_null(leave);
	assert_null(rt_probes_find_event("compat_app", "transition")); /* a class is no event */
	assert_ptr_equal(enter->fields, leave->fields);
	assert_int_equal(enter->nr_fields, 6);
	assert_int_equal(enter->loglevel, -1);
	assert_null(enter->model_emf_uri);
	assert_int_equal(leave->loglevel, RINGTRACE_LOGLEVEL_DEBUG_FUNCTION);
	assert_string_equal(leave->model_emf_uri, "uri:leave");

	fd = field(enter, "from");
	assert_int_equal(fd->kind, RINGTRACE_TYPE_ENUM);
	assert_string_equal(fd->type.enumeration.desc->name, "compat_app_state");
	assert_int_equal(fd->type.enumeration.desc->nr_entries, 3);
	assert_string_equal(fd->type.enumeration.desc->entries[0].label, "IDLE");
	assert_int_equal(fd->type.enumeration.desc->entries[1].end, 9);
	assert_true(fd->type.enumeration.desc->entries[2].is_auto);
	assert_int_equal(field(enter, "head")->type.array.length, 2);
	assert_string_equal(enter->fields[3].name, "_data_length");
	assert_int_equal(enter->fields[3].type.integer.size_bits, 32);
	assert_true(field(enter, "to_again")->nowrite);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_message),
	    cmocka_unit_test(test_class_instances),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
