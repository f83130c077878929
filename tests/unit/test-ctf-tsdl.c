/* SPDX-License-Identifier: MIT */
/*
 * TSDL text, compared byte for byte with what lttng-sessiond 2.13.9 wrote for
 * the same declarations (traces of an lttng-ust 2.13.5 app using every field
 * macro, x86-64; see reference/ctf-layout.md section 2).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "common/clock.h"
#include "common/macros.h"
#include "ctf/tsdl.h"

#define INT(size, sgn, b)                                                                          \
	{                                                                                          \
		.size_bits = (size), .align_bits = 8, .is_signed = (sgn), .base = (b)              \
	}
#define NET(size, sgn, b)                                                                          \
	{                                                                                          \
		.size_bits = (size), .align_bits = 8, .is_signed = (sgn), .base = (b),             \
		.reverse_byte_order = 1                                                            \
	}
#define TEXT                                                                                       \
	{                                                                                          \
		.size_bits = 8, .align_bits = 8, .is_signed = 1, .base = 10,                       \
		.encoding = RINGTRACE_ENCODING_UTF8                                                \
	}

/* The preamble captured in reference/ctf-layout.md section 2. */
static const char expected_preamble[] =
    "/* CTF 1.8 */\n"
    "\n"
    "typealias integer { size = 8; align = 8; signed = false; } := uint8_t;\n"
    "typealias integer { size = 16; align = 8; signed = false; } := uint16_t;\n"
    "typealias integer { size = 32; align = 8; signed = false; } := uint32_t;\n"
    "typealias integer { size = 64; align = 8; signed = false; } := uint64_t;\n"
    "typealias integer { size = 64; align = 8; signed = false; } := unsigned long;\n"
    "typealias integer { size = 5; align = 1; signed = false; } := uint5_t;\n"
    "typealias integer { size = 27; align = 1; signed = false; } := uint27_t;\n"
    "\n"
    "trace {\n"
    "\tmajor = 1;\n"
    "\tminor = 8;\n"
    "\tuuid = \"b0febeaa-1091-4fe3-8d4b-2d522f21e15a\";\n"
    "\tbyte_order = le;\n"
    "\tpacket.header := struct {\n"
    "\t\tuint32_t magic;\n"
    "\t\tuint8_t  uuid[16];\n"
    "\t\tuint32_t stream_id;\n"
    "\t\tuint64_t stream_instance_id;\n"
    "\t};\n"
    "};\n"
    "\n"
    "env {\n"
    "\tdomain = \"ust\";\n"
    "\ttracer_name = \"lttng-ust\";\n"
    "\ttracer_major = 2;\n"
    "\ttracer_minor = 13;\n"
    "\ttracer_buffering_scheme = \"uid\";\n"
    "\ttracer_buffering_id = 0;\n"
    "\tarchitecture_bit_width = 64;\n"
    "\ttrace_name = \"uidsess\";\n"
    "\ttrace_creation_datetime = \"20261122T181729+0000\";\n"
    "\thostname = \"vm\";\n"
    "};\n"
    "\n"
    "clock {\n"
    "\tname = \"monotonic\";\n"
    "\tuuid = \"dbf06f81-6e48-41e7-a241-fdb2e991f954\";\n"
    "\tdescription = \"Monotonic Clock\";\n"
    "\tfreq = 1000000000; /* Frequency, in Hz */\n"
    "\t/* clock value offset from Epoch is: offset * (1/freq) */\n"
    "\toffset = 1795370972761601554;\n"
    "};\n"
    "\n"
    "typealias integer {\n"
    "\tsize = 27; align = 1; signed = false;\n"
    "\tmap = clock.monotonic.value;\n"
    "} := uint27_clock_monotonic_t;\n"
    "\n"
    "typealias integer {\n"
    "\tsize = 32; align = 8; signed = false;\n"
    "\tmap = clock.monotonic.value;\n"
    "} := uint32_clock_monotonic_t;\n"
    "\n"
    "typealias integer {\n"
    "\tsize = 64; align = 8; signed = false;\n"
    "\tmap = clock.monotonic.value;\n"
    "} := uint64_clock_monotonic_t;\n"
    "\n"
    "struct packet_context {\n"
    "\tuint64_clock_monotonic_t timestamp_begin;\n"
    "\tuint64_clock_monotonic_t timestamp_end;\n"
    "\tuint64_t content_size;\n"
    "\tuint64_t packet_size;\n"
    "\tuint64_t packet_seq_num;\n"
    "\tunsigned long events_discarded;\n"
    "\tuint32_t cpu_id;\n"
    "};\n"
    "\n"
    "struct event_header_compact {\n"
    "\tenum : uint5_t { compact = 0 ... 30, extended = 31 } id;\n"
    "\tvariant <id> {\n"
    "\t\tstruct {\n"
    "\t\t\tuint27_clock_monotonic_t timestamp;\n"
    "\t\t} compact;\n"
    "\t\tstruct {\n"
    "\t\t\tuint32_t id;\n"
    "\t\t\tuint64_clock_monotonic_t timestamp;\n"
    "\t\t} extended;\n"
    "\t} v;\n"
    "} align(8);\n"
    "\n"
    "struct event_header_large {\n"
    "\tenum : uint16_t { compact = 0 ... 65534, extended = 65535 } id;\n"
    "\tvariant <id> {\n"
    "\t\tstruct {\n"
    "\t\t\tuint32_clock_monotonic_t timestamp;\n"
    "\t\t} compact;\n"
    "\t\tstruct {\n"
    "\t\t\tuint32_t id;\n"
    "\t\t\tuint64_clock_monotonic_t timestamp;\n"
    "\t\t} extended;\n"
    "\t} v;\n"
    "} align(8);\n"
    "\n";

static struct tsdl_trace_info reference_info(void)
{
	struct tsdl_trace_info info = {
	    .uuid = {0xb0, 0xfe, 0xbe, 0xaa, 0x10, 0x91, 0x4f, 0xe3, 0x8d, 0x4b, 0x2d, 0x52, 0x2f,
	             0x21, 0xe1, 0x5a},
	    .byte_order_le = true,
	    .bits_per_long = 64,
	    .uint8_align_bits = 8,
	    .uint16_align_bits = 8,
	    .uint32_align_bits = 8,
	    .uint64_align_bits = 8,
	    .long_align_bits = 8,
	    .scheme = TSDL_BUFFERING_UID,
	    .buffering_id = 0,
	    .trace_name = "uidsess",
	    .creation_datetime = "20261122T181729+0000",
	    .hostname = "vm",
	    .tracer_name = TSDL_TRACER_NAME,
	    .tracer_major = 2,
	    .tracer_minor = 13,
	    .clock = {.freq_hz = 1000000000, .offset = 1795370972761601554},
	    .clock_uuid = "dbf06f81-6e48-41e7-a241-fdb2e991f954",
	};
	return info;
}

/* Returns the text between the first occurrence of `from` and of `to` after it. */
static char *extract(const char *text, const char *from, const char *to)
{
	const char *start = strstr(text, from), *end;

	assert_non_null(start);
	end = strstr(start, to);
	assert_non_null(end);
	return strndup(start, (size_t)(end - start) + strlen(to));
}

static void test_preamble_uid(void **state)
{
	struct tsdl_trace_info info = reference_info();
	struct tsdl_buf buf = {0};

	assert_int_equal(tsdl_write_preamble(&buf, &info), 0);
	assert_string_equal(buf.text, expected_preamble);
	assert_int_equal(buf.len, strlen(expected_preamble));
	tsdl_buf_fini(&buf);
}

/* Per-PID env block, as captured from a --buffers-pid session. */
static void test_preamble_pid_env(void **state)
{
	struct tsdl_trace_info info = reference_info();
	struct tsdl_buf buf = {0};
	char *env;

	info.scheme = TSDL_BUFFERING_PID;
	info.buffering_id = 4163;
	info.trace_name = "pidsess";
	info.creation_datetime = "20261122T204003+0000";
	info.tracer_patchlevel = 5;
	info.vpid = 4163;
	info.procname = "app";
	info.vpid_datetime = "20261122T204003+0000";
	assert_int_equal(tsdl_write_preamble(&buf, &info), 0);
	env = extract(buf.text, "env {", "};\n\n");
	assert_string_equal(env, "env {\n"
	                         "\tdomain = \"ust\";\n"
	                         "\ttracer_name = \"lttng-ust\";\n"
	                         "\ttracer_major = 2;\n"
	                         "\ttracer_minor = 13;\n"
	                         "\ttracer_buffering_scheme = \"pid\";\n"
	                         "\ttracer_buffering_id = 4163;\n"
	                         "\tarchitecture_bit_width = 64;\n"
	                         "\ttrace_name = \"pidsess\";\n"
	                         "\ttrace_creation_datetime = \"20261122T204003+0000\";\n"
	                         "\thostname = \"vm\";\n"
	                         "\ttracer_patchlevel = 5;\n"
	                         "\tvpid = 4163;\n"
	                         "\tprocname = \"app\";\n"
	                         "\tvpid_datetime = \"20261122T204003+0000\";\n"
	                         "};\n\n");
	free(env);
	tsdl_buf_fini(&buf);
}

/* Session named uid"s\\ess gave trace_name = "uid\"s\\\\ess" (real trace). */
static void test_preamble_trace_name_escaped(void **state)
{
	struct tsdl_trace_info info = reference_info();
	struct tsdl_buf buf = {0};

	info.trace_name = "uid\"s\\\\ess\nx";
	assert_int_equal(tsdl_write_preamble(&buf, &info), 0);
	assert_non_null(strstr(buf.text, "\ttrace_name = \"uid\\\"s\\\\\\\\ess\\nx\";\n"));
	tsdl_buf_fini(&buf);
}

static void test_preamble_no_clock_uuid_negative_offset(void **state)
{
	struct tsdl_trace_info info = reference_info();
	struct tsdl_buf buf = {0};
	char *clock;

	info.clock_uuid = NULL;
	info.clock.offset = -1234;
	assert_int_equal(tsdl_write_preamble(&buf, &info), 0);
	clock = extract(buf.text, "clock {", "};\n\n");
	assert_string_equal(clock, "clock {\n"
	                           "\tname = \"monotonic\";\n"
	                           "\tdescription = \"Monotonic Clock\";\n"
	                           "\tfreq = 1000000000; /* Frequency, in Hz */\n"
	                           "\t/* clock value offset from Epoch is: offset * (1/freq) */\n"
	                           "\toffset = -1234;\n"
	                           "};\n\n");
	free(clock);
	tsdl_buf_fini(&buf);
}

/* TSC trace clock: measured frequency, Epoch offset as offset_s + offset cycles. */
static void test_preamble_tsc_clock(void **state)
{
	struct tsdl_trace_info info = reference_info();
	struct tsdl_buf buf = {0};
	char *clock;

	info.clock = (struct tsdl_clock){
	    .freq_hz = 2096004199, .offset_s = 1763845012, .offset = 1987654321};
	assert_int_equal(tsdl_write_preamble(&buf, &info), 0);
	clock = extract(buf.text, "clock {", "};\n\n");
	assert_string_equal(
	    clock, "clock {\n"
	           "\tname = \"monotonic\";\n"
	           "\tuuid = \"dbf06f81-6e48-41e7-a241-fdb2e991f954\";\n"
	           "\tdescription = \"Monotonic Clock\";\n"
	           "\tfreq = 2096004199; /* Frequency, in Hz */\n"
	           "\t/* clock value offset from Epoch is: offset_s + offset * (1/freq) */\n"
	           "\toffset_s = 1763845012;\n"
	           "\toffset = 1987654321;\n"
	           "};\n\n");
	free(clock);
	/* Everything else is the same as with CLOCK_MONOTONIC. */
	assert_non_null(
	    strstr(buf.text, "map = clock.monotonic.value;\n} := uint64_clock_monotonic_t;"));
	tsdl_buf_fini(&buf);
}

/* An arch with natural alignment and 32-bit long: every align comes from the app. */
static void test_preamble_alignments(void **state)
{
	struct tsdl_trace_info info = reference_info();
	struct tsdl_buf buf = {0};

	info.bits_per_long = 32;
	info.uint16_align_bits = 16;
	info.uint32_align_bits = 32;
	info.uint64_align_bits = 64;
	info.long_align_bits = 32;
	info.byte_order_le = false;
	assert_int_equal(tsdl_write_preamble(&buf, &info), 0);
	assert_non_null(strstr(
	    buf.text,
	    "typealias integer { size = 8; align = 8; signed = false; } := uint8_t;\n"
	    "typealias integer { size = 16; align = 16; signed = false; } := uint16_t;\n"
	    "typealias integer { size = 32; align = 32; signed = false; } := uint32_t;\n"
	    "typealias integer { size = 64; align = 64; signed = false; } := uint64_t;\n"
	    "typealias integer { size = 32; align = 32; signed = false; } := unsigned long;\n"));
	assert_non_null(strstr(buf.text, "\tbyte_order = be;\n"));
	assert_non_null(strstr(buf.text, "\tarchitecture_bit_width = 32;\n"));
	assert_non_null(strstr(buf.text, "\tsize = 32; align = 32; signed = false;\n"
	                                 "\tmap = clock.monotonic.value;\n"
	                                 "} := uint32_clock_monotonic_t;\n"));
	assert_non_null(strstr(buf.text, "\tsize = 64; align = 64; signed = false;\n"
	                                 "\tmap = clock.monotonic.value;\n"
	                                 "} := uint64_clock_monotonic_t;\n"));
	/* compact header aligned as uint32_t, large as uint16_t */
	assert_non_null(strstr(buf.text, "\t} v;\n} align(32);\n\nstruct event_header_large"));
	assert_non_null(strstr(buf.text, "\t} v;\n} align(16);\n\n"));
	tsdl_buf_fini(&buf);
}

static void test_preamble_invalid(void **state)
{
	struct tsdl_trace_info info = reference_info();
	struct tsdl_buf buf = {0};

	info.hostname = NULL;
	assert_int_equal(tsdl_write_preamble(&buf, &info), -EINVAL);
	info = reference_info();
	info.scheme = TSDL_BUFFERING_PID; /* without procname */
	assert_int_equal(tsdl_write_preamble(&buf, &info), -EINVAL);
	info = reference_info();
	info.clock.freq_hz = 0; /* e.g. a TSC that could not be calibrated */
	assert_int_equal(tsdl_write_preamble(&buf, &info), -EINVAL);
	assert_int_equal(buf.len, 0);
	tsdl_buf_fini(&buf);
}

static void test_stream_without_context(void **state)
{
	struct tsdl_buf buf = {0};

	assert_int_equal(tsdl_write_stream(&buf, 0, NULL, 0), 0);
	assert_string_equal(buf.text, "stream {\n"
	                              "\tid = 0;\n"
	                              "\tevent.header := struct event_header_large;\n"
	                              "\tpacket.context := struct packet_context;\n"
	                              "};\n"
	                              "\n");
	tsdl_buf_fini(&buf);
}

static void test_stream_with_contexts(void **state)
{
	static const struct tsdl_context_field contexts[] = {
	    {"vpid", INT(32, 1, 10), 0, false}, {"procname", TEXT, 17, false},
	    {"vtid", INT(32, 1, 10), 0, false}, {"pthread_id", INT(64, 0, 10), 0, false},
	    {"ip", INT(64, 0, 10), 0, false},   {"vuid", INT(32, 0, 10), 0, false},
	    {"vgid", INT(32, 0, 10), 0, false},
	};
	struct tsdl_buf buf = {0};

	assert_int_equal(tsdl_write_stream(&buf, 1, contexts, ARRAY_SIZE(contexts)), 0);
	assert_string_equal(
	    buf.text,
	    "stream {\n"
	    "\tid = 1;\n"
	    "\tevent.header := struct event_header_large;\n"
	    "\tpacket.context := struct packet_context;\n"
	    "\tevent.context := struct {\n"
	    "\t\tinteger { size = 32; align = 8; signed = 1; encoding = none; base = 10; } _vpid;\n"
	    "\t\tinteger { size = 8; align = 8; signed = 1; encoding = UTF8; base = 10; } "
	    "_procname[17];\n"
	    "\t\tinteger { size = 32; align = 8; signed = 1; encoding = none; base = 10; } _vtid;\n"
	    "\t\tinteger { size = 64; align = 8; signed = 0; encoding = none; base = 10; } "
	    "_pthread_id;\n"
	    "\t\tinteger { size = 64; align = 8; signed = 0; encoding = none; base = 10; } _ip;\n"
	    "\t\tinteger { size = 32; align = 8; signed = 0; encoding = none; base = 10; } _vuid;\n"
	    "\t\tinteger { size = 32; align = 8; signed = 0; encoding = none; base = 10; } _vgid;\n"
	    "\t};\n"
	    "};\n"
	    "\n");
	tsdl_buf_fini(&buf);
}

/* An application context, as lttng-sessiond 2.13 declares one (text of a real lttng trace). */
static void test_stream_with_app_context(void **state)
{
	static const struct tsdl_context_field contexts[] = {
	    {"vpid", INT(32, 1, 10), 0, false},
	    {"$app.myprov:s64", INT(8, 0, 10), 0, true},
	};
	struct tsdl_buf buf = {0};

	(void)state;
	assert_int_equal(tsdl_write_stream(&buf, 0, contexts, ARRAY_SIZE(contexts)), 0);
	assert_string_equal(
	    buf.text,
	    "stream {\n"
	    "\tid = 0;\n"
	    "\tevent.header := struct event_header_large;\n"
	    "\tpacket.context := struct packet_context;\n"
	    "\tevent.context := struct {\n"
	    "\t\tinteger { size = 32; align = 8; signed = 1; encoding = none; base = 10; } _vpid;\n"
	    "\t\tenum : integer { size = 8; align = 8; signed = 1; encoding = none; base = 10; } "
	    "{\n"
	    "\t\t\t\"_none\" = 0,\n"
	    "\t\t\t\"_int8\" = 1,\n"
	    "\t\t\t\"_int16\" = 2,\n"
	    "\t\t\t\"_int32\" = 3,\n"
	    "\t\t\t\"_int64\" = 4,\n"
	    "\t\t\t\"_uint8\" = 5,\n"
	    "\t\t\t\"_uint16\" = 6,\n"
	    "\t\t\t\"_uint32\" = 7,\n"
	    "\t\t\t\"_uint64\" = 8,\n"
	    "\t\t\t\"_float\" = 9,\n"
	    "\t\t\t\"_double\" = 10,\n"
	    "\t\t\t\"_string\" = 11,\n"
	    "\t\t} __app_myprov_s64_tag;\n"
	    "\t\tvariant <__app_myprov_s64_tag> {\n"
	    "\t\t\tstruct {} _none;\n"
	    "\t\t\tinteger { size = 8; align = 8; signed = 1; encoding = none; base = 10; } "
	    "_int8;\n"
	    "\t\t\tinteger { size = 16; align = 8; signed = 1; encoding = none; base = 10; } "
	    "_int16;\n"
	    "\t\t\tinteger { size = 32; align = 8; signed = 1; encoding = none; base = 10; } "
	    "_int32;\n"
	    "\t\t\tinteger { size = 64; align = 8; signed = 1; encoding = none; base = 10; } "
	    "_int64;\n"
	    "\t\t\tinteger { size = 8; align = 8; signed = 0; encoding = none; base = 10; } "
	    "_uint8;\n"
	    "\t\t\tinteger { size = 16; align = 8; signed = 0; encoding = none; base = 10; } "
	    "_uint16;\n"
	    "\t\t\tinteger { size = 32; align = 8; signed = 0; encoding = none; base = 10; } "
	    "_uint32;\n"
	    "\t\t\tinteger { size = 64; align = 8; signed = 0; encoding = none; base = 10; } "
	    "_uint64;\n"
	    "\t\t\tfloating_point { exp_dig = 8; mant_dig = 24; align = 8; } _float;\n"
	    "\t\t\tfloating_point { exp_dig = 11; mant_dig = 53; align = 8; } _double;\n"
	    "\t\t\tstring _string;\n"
	    "\t\t} __app_myprov_s64;\n"
	    "\t};\n"
	    "};\n"
	    "\n");
	tsdl_buf_fini(&buf);
}

static void test_stream_invalid_context(void **state)
{
	static const struct tsdl_context_field bad[] = {
	    {"vpid", INT(32, 1, 10), 0, false},
	    {"perf:cycles", INT(64, 0, 10), 0, false},
	};
	struct tsdl_buf buf = {0};

	assert_int_equal(tsdl_write_stream(&buf, 0, NULL, 0), 0);
	assert_int_equal(tsdl_write_stream(&buf, 1, bad, ARRAY_SIZE(bad)), -EINVAL);
	/* rolled back to the first stream */
	assert_string_equal(buf.text, "stream {\n"
	                              "\tid = 0;\n"
	                              "\tevent.header := struct event_header_large;\n"
	                              "\tpacket.context := struct packet_context;\n"
	                              "};\n"
	                              "\n");
	tsdl_buf_fini(&buf);
}

/*
 * Writes an event "p:e" (id 3, stream 2, no log level) with these fields and
 * checks the field lines.
 */
static void check_fields(const struct ringtrace_field_desc *fields, uint32_t nr_fields,
                         const char *expected_lines)
{
	const struct ringtrace_event_desc desc = {
	    .provider_name = "p",
	    .event_name = "e",
	    .fields = fields,
	    .nr_fields = nr_fields,
	    .loglevel = -1,
	};
	static const char head[] = "event {\n"
	                           "\tname = \"p:e\";\n"
	                           "\tid = 3;\n"
	                           "\tstream_id = 2;\n"
	                           "\tloglevel = 13;\n"
	                           "\tfields := struct {\n";
	static const char tail[] = "\t};\n"
	                           "};\n"
	                           "\n";
	struct tsdl_buf buf = {0};
	char *expected;

	assert_int_equal(tsdl_write_event(&buf, &desc, 3, 2), 0);
	assert_int_not_equal(asprintf(&expected, "%s%s%s", head, expected_lines, tail), -1);
	assert_string_equal(buf.text, expected);
	free(expected);
	tsdl_buf_fini(&buf);
}

static void test_field_integers(void **state)
{
	static const struct ringtrace_field_desc fields[] = {
	    {.name = "intfield", .kind = RINGTRACE_TYPE_INTEGER, .type.integer = INT(32, 1, 10)},
	    {.name = "u8field", .kind = RINGTRACE_TYPE_INTEGER, .type.integer = INT(8, 0, 10)},
	    {.name = "i64field", .kind = RINGTRACE_TYPE_INTEGER, .type.integer = INT(64, 1, 10)},
	    {.name = "u16field", .kind = RINGTRACE_TYPE_INTEGER, .type.integer = INT(16, 0, 10)},
	};

	check_fields(
	    fields, ARRAY_SIZE(fields),
	    "\t\tinteger { size = 32; align = 8; signed = 1; encoding = none; base = 10; } "
	    "_intfield;\n"
	    "\t\tinteger { size = 8; align = 8; signed = 0; encoding = none; base = 10; } "
	    "_u8field;\n"
	    "\t\tinteger { size = 64; align = 8; signed = 1; encoding = none; base = 10; } "
	    "_i64field;\n"
	    "\t\tinteger { size = 16; align = 8; signed = 0; encoding = none; base = 10; } "
	    "_u16field;\n");
}

static void test_field_integer_hex(void **state)
{
	static const struct ringtrace_field_desc fields[] = {
	    {.name = "hexfield", .kind = RINGTRACE_TYPE_INTEGER, .type.integer = INT(32, 1, 16)},
	    {.name = "hex64field", .kind = RINGTRACE_TYPE_INTEGER, .type.integer = INT(64, 0, 16)},
	};

	check_fields(
	    fields, ARRAY_SIZE(fields),
	    "\t\tinteger { size = 32; align = 8; signed = 1; encoding = none; base = 16; } "
	    "_hexfield;\n"
	    "\t\tinteger { size = 64; align = 8; signed = 0; encoding = none; base = 16; } "
	    "_hex64field;\n");
}

static void test_field_integer_network(void **state)
{
	static const struct ringtrace_field_desc fields[] = {
	    {.name = "netfield", .kind = RINGTRACE_TYPE_INTEGER, .type.integer = NET(32, 1, 10)},
	    {.name = "nethexfield", .kind = RINGTRACE_TYPE_INTEGER, .type.integer = NET(32, 1, 16)},
	    {.name = "net16field", .kind = RINGTRACE_TYPE_INTEGER, .type.integer = NET(16, 0, 10)},
	};

	check_fields(fields, ARRAY_SIZE(fields),
	             "\t\tinteger { size = 32; align = 8; signed = 1; encoding = none; base = 10; "
	             "byte_order = be; } _netfield;\n"
	             "\t\tinteger { size = 32; align = 8; signed = 1; encoding = none; base = 16; "
	             "byte_order = be; } _nethexfield;\n"
	             "\t\tinteger { size = 16; align = 8; signed = 0; encoding = none; base = 10; "
	             "byte_order = be; } _net16field;\n");
}

static void test_field_floats(void **state)
{
	static const struct ringtrace_field_desc fields[] = {
	    {.name = "dfield", .kind = RINGTRACE_TYPE_FLOAT, .type.fp = {11, 53, 8}},
	    {.name = "ffield", .kind = RINGTRACE_TYPE_FLOAT, .type.fp = {8, 24, 8}},
	};

	check_fields(fields, ARRAY_SIZE(fields),
	             "\t\tfloating_point { exp_dig = 11; mant_dig = 53; align = 8; } _dfield;\n"
	             "\t\tfloating_point { exp_dig = 8; mant_dig = 24; align = 8; } _ffield;\n");
}

static void test_field_string(void **state)
{
	static const struct ringtrace_field_desc fields[] = {
	    {.name = "strfield", .kind = RINGTRACE_TYPE_STRING},
	};

	check_fields(fields, ARRAY_SIZE(fields), "\t\tstring _strfield;\n");
}

static void test_field_arrays(void **state)
{
	static const struct ringtrace_field_desc fields[] = {
	    {.name = "arrfield", .kind = RINGTRACE_TYPE_ARRAY, .type.array = {INT(32, 1, 10), 3}},
	    {.name = "arrhex", .kind = RINGTRACE_TYPE_ARRAY, .type.array = {INT(32, 1, 16), 3}},
	    {.name = "arrnet", .kind = RINGTRACE_TYPE_ARRAY, .type.array = {NET(32, 1, 10), 3}},
	    {.name = "arrtext", .kind = RINGTRACE_TYPE_ARRAY, .type.array = {TEXT, 4}},
	};

	check_fields(
	    fields, ARRAY_SIZE(fields),
	    "\t\tinteger { size = 32; align = 8; signed = 1; encoding = none; base = 10; } "
	    "_arrfield[3];\n"
	    "\t\tinteger { size = 32; align = 8; signed = 1; encoding = none; base = 16; } "
	    "_arrhex[3];\n"
	    "\t\tinteger { size = 32; align = 8; signed = 1; encoding = none; base = 10; "
	    "byte_order = be; } _arrnet[3];\n"
	    "\t\tinteger { size = 8; align = 8; signed = 1; encoding = UTF8; base = 10; } "
	    "_arrtext[4];\n");
}

static void test_field_sequences(void **state)
{
	static const struct ringtrace_field_desc fields[] = {
	    {.name = "_seqfield_length",
	     .kind = RINGTRACE_TYPE_INTEGER,
	     .type.integer = INT(32, 0, 10)},
	    {.name = "seqfield",
	     .kind = RINGTRACE_TYPE_SEQUENCE,
	     .type.sequence = {INT(32, 1, 10), "_seqfield_length"}},
	    {.name = "_seqhex_length",
	     .kind = RINGTRACE_TYPE_INTEGER,
	     .type.integer = INT(16, 0, 10)},
	    {.name = "seqhex",
	     .kind = RINGTRACE_TYPE_SEQUENCE,
	     .type.sequence = {INT(8, 0, 16), "_seqhex_length"}},
	    {.name = "_seqnet_length",
	     .kind = RINGTRACE_TYPE_INTEGER,
	     .type.integer = INT(8, 0, 10)},
	    {.name = "seqnet",
	     .kind = RINGTRACE_TYPE_SEQUENCE,
	     .type.sequence = {NET(32, 1, 10), "_seqnet_length"}},
	};

	check_fields(
	    fields, ARRAY_SIZE(fields),
	    "\t\tinteger { size = 32; align = 8; signed = 0; encoding = none; base = 10; } "
	    "__seqfield_length;\n"
	    "\t\tinteger { size = 32; align = 8; signed = 1; encoding = none; base = 10; } "
	    "_seqfield[ __seqfield_length ];\n"
	    "\t\tinteger { size = 16; align = 8; signed = 0; encoding = none; base = 10; } "
	    "__seqhex_length;\n"
	    "\t\tinteger { size = 8; align = 8; signed = 0; encoding = none; base = 16; } "
	    "_seqhex[ __seqhex_length ];\n"
	    "\t\tinteger { size = 8; align = 8; signed = 0; encoding = none; base = 10; } "
	    "__seqnet_length;\n"
	    "\t\tinteger { size = 32; align = 8; signed = 1; encoding = none; base = 10; "
	    "byte_order = be; } _seqnet[ __seqnet_length ];\n");
}

static void test_field_sequence_text(void **state)
{
	static const struct ringtrace_field_desc fields[] = {
	    {.name = "_seqtext_length",
	     .kind = RINGTRACE_TYPE_INTEGER,
	     .type.integer = INT(64, 0, 10)},
	    {.name = "seqtext",
	     .kind = RINGTRACE_TYPE_SEQUENCE,
	     .type.sequence = {TEXT, "_seqtext_length"}},
	};

	check_fields(
	    fields, ARRAY_SIZE(fields),
	    "\t\tinteger { size = 64; align = 8; signed = 0; encoding = none; base = 10; } "
	    "__seqtext_length;\n"
	    "\t\tinteger { size = 8; align = 8; signed = 1; encoding = UTF8; base = 10; } "
	    "_seqtext[ __seqtext_length ];\n");
}

static const struct ringtrace_enum_entry myenum_entries[] = {
    {.start = 0, .end = 0, .label = "ZERO"},
    {.start = 1, .end = 10, .label = "RANGE"},
    {.label = "AUTO", .is_auto = 1},
    {.start = -5, .end = -5, .label = "NEG"},
    {.start = 100, .end = 100, .label = "quo\"te"},
};
static const struct ringtrace_enum_desc myenum = {"myprov_myenum", myenum_entries,
                                                  ARRAY_SIZE(myenum_entries)};
static const struct ringtrace_enum_entry uenum_entries[] = {
    {.start = 0, .end = 0, .label = "A"},
    {.start = 1000, .end = 4000000000, .label = "BIG"},
    {.start = -1, .end = -1, .label = "MAX"},
};
static const struct ringtrace_enum_desc uenum = {"myprov_uenum", uenum_entries,
                                                 ARRAY_SIZE(uenum_entries)};

static void test_field_enum_signed(void **state)
{
	static const struct ringtrace_field_desc fields[] = {
	    {.name = "enumfield",
	     .kind = RINGTRACE_TYPE_ENUM,
	     .type.enumeration = {INT(32, 1, 10), &myenum}},
	};

	check_fields(
	    fields, ARRAY_SIZE(fields),
	    "\t\tenum : integer { size = 32; align = 8; signed = 1; encoding = none; base = "
	    "10; } {\n"
	    "\t\t\t\"ZERO\" = 0,\n"
	    "\t\t\t\"RANGE\" = 1 ... 10,\n"
	    "\t\t\t\"AUTO\",\n"
	    "\t\t\t\"NEG\" = -5,\n"
	    "\t\t\t\"quo\\\"te\" = 100,\n"
	    "\t\t} _enumfield;\n");
}

static void test_field_enum_unsigned(void **state)
{
	static const struct ringtrace_field_desc fields[] = {
	    {.name = "uenumfield",
	     .kind = RINGTRACE_TYPE_ENUM,
	     .type.enumeration = {INT(32, 0, 10), &uenum}},
	};

	check_fields(
	    fields, ARRAY_SIZE(fields),
	    "\t\tenum : integer { size = 32; align = 8; signed = 0; encoding = none; base = "
	    "10; } {\n"
	    "\t\t\t\"A\" = 0,\n"
	    "\t\t\t\"BIG\" = 1000 ... 4000000000,\n"
	    "\t\t\t\"MAX\" = 18446744073709551615,\n"
	    "\t\t} _uenumfield;\n");
}

/* Only enum identifiers are sanitized; the container never gets a byte order. */
static void test_field_enum_identifier_sanitized(void **state)
{
	static const struct ringtrace_field_desc fields[] = {
	    {.name = "$app.p:e",
	     .kind = RINGTRACE_TYPE_ENUM,
	     .type.enumeration = {NET(8, 0, 16), &uenum}},
	};

	check_fields(
	    fields, ARRAY_SIZE(fields),
	    "\t\tenum : integer { size = 8; align = 8; signed = 0; encoding = none; base = "
	    "16; } {\n"
	    "\t\t\t\"A\" = 0,\n"
	    "\t\t\t\"BIG\" = 1000 ... 4000000000,\n"
	    "\t\t\t\"MAX\" = 18446744073709551615,\n"
	    "\t\t} __app_p_e;\n");
}

static void test_field_nowrite_skipped(void **state)
{
	static const struct ringtrace_field_desc fields[] = {
	    {.name = "nowritefield",
	     .kind = RINGTRACE_TYPE_INTEGER,
	     .nowrite = 1,
	     .type.integer = INT(32, 1, 10)},
	    {.name = "nowstr", .kind = RINGTRACE_TYPE_STRING, .nowrite = 1},
	    {.name = "_nseq_length",
	     .kind = RINGTRACE_TYPE_INTEGER,
	     .nowrite = 1,
	     .type.integer = INT(32, 0, 10)},
	    {.name = "nseq",
	     .kind = RINGTRACE_TYPE_SEQUENCE,
	     .nowrite = 1,
	     .type.sequence = {INT(8, 0, 10), "_nseq_length"}},
	    {.name = "after", .kind = RINGTRACE_TYPE_INTEGER, .type.integer = INT(32, 1, 10)},
	};

	check_fields(
	    fields, ARRAY_SIZE(fields),
	    "\t\tinteger { size = 32; align = 8; signed = 1; encoding = none; base = 10; } "
	    "_after;\n");
}

static void test_event_header_lines(void **state)
{
	static const struct ringtrace_field_desc fields[] = {
	    {.name = "v", .kind = RINGTRACE_TYPE_INTEGER, .type.integer = INT(32, 1, 10)},
	};
	const struct ringtrace_event_desc with_uri = {
	    .provider_name = "myprov",
	    .event_name = "allfields",
	    .fields = fields,
	    .nr_fields = 1,
	    .loglevel = RINGTRACE_LOGLEVEL_INFO,
	    .model_emf_uri = "http://example.com/path?a=1&b=2",
	};
	const struct ringtrace_event_desc empty = {
	    .provider_name = "myprov",
	    .event_name = "empty",
	    .loglevel = RINGTRACE_LOGLEVEL_EMERG,
	};
	struct tsdl_buf buf = {0};

	assert_int_equal(tsdl_write_event(&buf, &with_uri, 1, 1), 0);
	assert_int_equal(tsdl_write_event(&buf, &empty, 2, 1), 0);
	assert_string_equal(buf.text,
	                    "event {\n"
	                    "\tname = \"myprov:allfields\";\n"
	                    "\tid = 1;\n"
	                    "\tstream_id = 1;\n"
	                    "\tloglevel = 6;\n"
	                    "\tmodel.emf.uri = \"http://example.com/path?a=1&b=2\";\n"
	                    "\tfields := struct {\n"
	                    "\t\tinteger { size = 32; align = 8; signed = 1; encoding = none; "
	                    "base = 10; } _v;\n"
	                    "\t};\n"
	                    "};\n"
	                    "\n"
	                    "event {\n"
	                    "\tname = \"myprov:empty\";\n"
	                    "\tid = 2;\n"
	                    "\tstream_id = 1;\n"
	                    "\tloglevel = 0;\n"
	                    "\tfields := struct {\n"
	                    "\t};\n"
	                    "};\n"
	                    "\n");
	tsdl_buf_fini(&buf);
}

/* lttng-sessiond writes the URI raw, which breaks the metadata on a quote. */
static void test_event_uri_escaped(void **state)
{
	const struct ringtrace_event_desc desc = {
	    .provider_name = "p",
	    .event_name = "e",
	    .loglevel = -1,
	    .model_emf_uri = "a\"b\\c",
	};
	struct tsdl_buf buf = {0};

	assert_int_equal(tsdl_write_event(&buf, &desc, 0, 0), 0);
	assert_non_null(strstr(buf.text, "\tmodel.emf.uri = \"a\\\"b\\\\c\";\n"));
	tsdl_buf_fini(&buf);
}

static void check_event_rejected(const struct ringtrace_field_desc *fields, uint32_t nr_fields)
{
	const struct ringtrace_event_desc desc = {
	    .provider_name = "p",
	    .event_name = "e",
	    .fields = fields,
	    .nr_fields = nr_fields,
	    .loglevel = -1,
	};
	struct tsdl_buf buf = {0};

	assert_int_equal(tsdl_buf_append_str(&buf, "before\n"), 0);
	assert_int_equal(tsdl_write_event(&buf, &desc, 0, 0), -EINVAL);
	assert_string_equal(buf.text, "before\n");
	assert_int_equal(buf.len, 7);
	assert_int_equal(buf.error, 0);
	tsdl_buf_fini(&buf);
}

static void test_event_invalid(void **state)
{
	static const struct ringtrace_field_desc seq_without_length[] = {
	    {.name = "s",
	     .kind = RINGTRACE_TYPE_SEQUENCE,
	     .type.sequence = {INT(8, 0, 10), "_s_length"}},
	};
	static const struct ringtrace_field_desc seq_wrong_length[] = {
	    {.name = "_x_length", .kind = RINGTRACE_TYPE_INTEGER, .type.integer = INT(32, 0, 10)},
	    {.name = "s",
	     .kind = RINGTRACE_TYPE_SEQUENCE,
	     .type.sequence = {INT(8, 0, 10), "_s_length"}},
	};
	static const struct ringtrace_field_desc seq_length_nowrite[] = {
	    {.name = "_s_length",
	     .kind = RINGTRACE_TYPE_INTEGER,
	     .nowrite = 1,
	     .type.integer = INT(32, 0, 10)},
	    {.name = "s",
	     .kind = RINGTRACE_TYPE_SEQUENCE,
	     .type.sequence = {INT(8, 0, 10), "_s_length"}},
	};
	static const struct ringtrace_field_desc bad_name[] = {
	    {.name = "a", .kind = RINGTRACE_TYPE_INTEGER, .type.integer = INT(32, 1, 10)},
	    {.name = "x; } evil", .kind = RINGTRACE_TYPE_INTEGER, .type.integer = INT(32, 1, 10)},
	};
	static const struct ringtrace_field_desc bad_size[] = {
	    {.name = "a", .kind = RINGTRACE_TYPE_INTEGER, .type.integer = INT(65, 1, 10)},
	};
	static const struct ringtrace_field_desc bad_align[] = {
	    {.name = "a",
	     .kind = RINGTRACE_TYPE_INTEGER,
	     .type.integer = {.size_bits = 32, .align_bits = 12, .base = 10}},
	};
	static const struct ringtrace_field_desc bad_kind[] = {
	    {.name = "a", .kind = _RINGTRACE_TYPE_KIND_MAX},
	};
	static const struct ringtrace_field_desc enum_without_desc[] = {
	    {.name = "a", .kind = RINGTRACE_TYPE_ENUM, .type.enumeration = {INT(32, 1, 10), NULL}},
	};

	check_event_rejected(seq_without_length, ARRAY_SIZE(seq_without_length));
	check_event_rejected(seq_wrong_length, ARRAY_SIZE(seq_wrong_length));
	check_event_rejected(seq_length_nowrite, ARRAY_SIZE(seq_length_nowrite));
	check_event_rejected(bad_name, ARRAY_SIZE(bad_name));
	check_event_rejected(bad_size, ARRAY_SIZE(bad_size));
	check_event_rejected(bad_align, ARRAY_SIZE(bad_align));
	check_event_rejected(bad_kind, ARRAY_SIZE(bad_kind));
	check_event_rejected(enum_without_desc, ARRAY_SIZE(enum_without_desc));
}

/* An append failure (as after ENOMEM) makes the writer fail and roll back. */
static void test_event_rollback_on_append_error(void **state)
{
	const struct ringtrace_event_desc desc = {
	    .provider_name = "p",
	    .event_name = "e",
	    .loglevel = -1,
	};
	struct tsdl_buf buf = {0};

	assert_int_equal(tsdl_buf_append_str(&buf, "kept\n"), 0);
	buf.error = -ENOMEM;
	assert_int_equal(tsdl_write_event(&buf, &desc, 0, 0), -ENOMEM);
	assert_string_equal(buf.text, "kept\n");
	assert_int_equal(buf.error, 0);
	assert_int_equal(tsdl_write_event(&buf, &desc, 0, 0), 0);
	assert_non_null(strstr(buf.text, "kept\nevent {\n"));
	tsdl_buf_fini(&buf);
}

static void test_buf_growth_and_escape(void **state)
{
	struct tsdl_buf buf;
	size_t total = 0;

	tsdl_buf_init(&buf);
	for (int i = 0; i < 5000; i++) {
		assert_int_equal(tsdl_buf_appendf(&buf, "line %d\n", i), 0);
		total += (size_t)snprintf(NULL, 0, "line %d\n", i);
	}
	assert_int_equal(buf.len, total);
	assert_int_equal(strlen(buf.text), total);
	assert_true(buf.cap > total);
	tsdl_buf_reset(&buf);
	assert_int_equal(buf.len, 0);
	assert_string_equal(buf.text, "");
	assert_int_equal(tsdl_buf_append_escaped(&buf, "a\\b\"c\nd"), 0);
	assert_string_equal(buf.text, "a\\\\b\\\"c\\nd");
	tsdl_buf_fini(&buf);
	assert_null(buf.text);
}

/* Epoch time of a trace clock value per the description, in ns. */
static long double clock_to_epoch_ns(const struct tsdl_clock *clock, uint64_t value)
{
	return ((long double)clock->offset_s +
	        ((long double)clock->offset + (long double)value) / (long double)clock->freq_hz) *
	       1e9L;
}

/* Whichever source this machine gives the process, the description maps it to the Epoch. */
static void test_clock_describe(void **state)
{
	struct tsdl_clock clock;
	struct timespec real;
	long double diff;
	uint64_t value;

	assert_int_equal(tsdl_clock_describe(&clock), 0);
	value = rt_clock_read();
	clock_gettime(CLOCK_REALTIME, &real);
	diff = clock_to_epoch_ns(&clock, value) -
	       ((long double)real.tv_sec * 1e9L + (long double)real.tv_nsec);
	assert_true(diff > -10e6L && diff < 10e6L); /* 10 ms */

	if (rt_clock_source() == RT_CLOCK_SOURCE_MONOTONIC) {
		/* lttng's form: ns, offset = CLOCK_REALTIME - CLOCK_MONOTONIC. */
		assert_int_equal(clock.freq_hz, 1000000000);
		assert_int_equal(clock.offset_s, 0);
	} else {
		const struct rt_clock_calibration *cal = rt_clock_calibration();

		assert_int_equal(clock.freq_hz, cal->freq_hz);
		assert_true(clock.offset >= 0 && (uint64_t)clock.offset < clock.freq_hz);
		assert_true(clock.offset_s > 0);
		/* 100 ms against CLOCK_MONOTONIC: well within 100 ppm. */
		assert_true(cal->error_ppb < 100000);
	}
}

/* The measured frequency predicts the trace clock against CLOCK_MONOTONIC. */
static void test_clock_calibration(void **state)
{
	const struct rt_clock_calibration *cal = rt_clock_calibration();
	struct rt_clock_sample a, b;
	long double predicted, error_ppm;
	struct timespec pause = {.tv_nsec = 200000000};

	assert_true(cal->freq_hz > 0);
	assert_int_equal(rt_clock_sample(CLOCK_MONOTONIC, &a), 0);
	nanosleep(&pause, NULL);
	assert_int_equal(rt_clock_sample(CLOCK_MONOTONIC, &b), 0);
	predicted = (long double)(b.clock - a.clock) * 1e9L / (long double)cal->freq_hz;
	error_ppm = (predicted - (long double)(b.ref_ns - a.ref_ns)) /
	            (long double)(b.ref_ns - a.ref_ns) * 1e6L;
	/* Generous: calibration and this check both sample through a shared VM. */
	assert_true(error_ppm > -50 && error_ppm < 50);
}

static void test_datetime_and_boot_id(void **state)
{
	char datetime[TSDL_DATETIME_LEN];
	char boot_id[RT_UUID_STR_LEN];
	int ret;

	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(tsdl_format_datetime(1795371449, datetime), 0);
	assert_string_equal(datetime, "20261122T181729+0000");
	setenv("TZ", "UTC-2", 1);
	tzset();
	assert_int_equal(tsdl_format_datetime(1795371449, datetime), 0);
	assert_string_equal(datetime, "20261122T201729+0200");

	ret = tsdl_read_boot_id(boot_id);
	if (ret == -ENOENT)
		skip();
	assert_int_equal(ret, 0);
	assert_int_equal(strlen(boot_id), 36);
	assert_int_equal(boot_id[8], '-');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_preamble_uid),
	    cmocka_unit_test(test_preamble_pid_env),
	    cmocka_unit_test(test_preamble_trace_name_escaped),
	    cmocka_unit_test(test_preamble_no_clock_uuid_negative_offset),
	    cmocka_unit_test(test_preamble_tsc_clock),
	    cmocka_unit_test(test_preamble_alignments),
	    cmocka_unit_test(test_preamble_invalid),
	    cmocka_unit_test(test_stream_without_context),
	    cmocka_unit_test(test_stream_with_contexts),
	    cmocka_unit_test(test_stream_with_app_context),
	    cmocka_unit_test(test_stream_invalid_context),
	    cmocka_unit_test(test_field_integers),
	    cmocka_unit_test(test_field_integer_hex),
	    cmocka_unit_test(test_field_integer_network),
	    cmocka_unit_test(test_field_floats),
	    cmocka_unit_test(test_field_string),
	    cmocka_unit_test(test_field_arrays),
	    cmocka_unit_test(test_field_sequences),
	    cmocka_unit_test(test_field_sequence_text),
	    cmocka_unit_test(test_field_enum_signed),
	    cmocka_unit_test(test_field_enum_unsigned),
	    cmocka_unit_test(test_field_enum_identifier_sanitized),
	    cmocka_unit_test(test_field_nowrite_skipped),
	    cmocka_unit_test(test_event_header_lines),
	    cmocka_unit_test(test_event_uri_escaped),
	    cmocka_unit_test(test_event_invalid),
	    cmocka_unit_test(test_event_rollback_on_append_error),
	    cmocka_unit_test(test_buf_growth_and_escape),
	    cmocka_unit_test(test_clock_describe),
	    cmocka_unit_test(test_clock_calibration),
	    cmocka_unit_test(test_datetime_and_boot_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
