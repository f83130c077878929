/* SPDX-License-Identifier: MIT */
/*
 * The tracepoint record path end to end, without any daemon: a provider
 * (test-tracepoint-tp.h, lttng-ust style) compiled into this program, a real
 * shared-memory ring buffer with the CTF client, a session/channel/recorder
 * built with the functions the comm code uses; tracepoints fired with edge
 * values, the packet flushed and read back, and every record checked byte
 * for byte against what lttng-ust 2.13 writes.
 */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "test-tracepoint-tp.h"

#include <lttng/tracef.h>
#include <lttng/tracelog.h>

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "ctf/packet.h"
#include "lib/ust/probes.h"
#include "lib/ust/record.h"
#include "test-tracepoint-buffer.h"

struct fixture {
	struct rt_ust_session *session;
	struct tpb_channel buf[2];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	rt_ust_lock();
	assert_int_equal(rt_ust_session_create(1, &f->session), 0);
	rt_ust_session_set_active(f->session, true);
	rt_ust_unlock();
	tpb_channel_create(f->session, &f->buf[0], 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	rt_ust_lock();
	rt_ust_session_destroy(f->session);
	rt_ust_unlock();
	tpb_channel_unmap(&f->buf[0]);
	tpb_channel_unmap(&f->buf[1]);
	free(f);
	return 0;
}

/* --- tests --- */

static const char utf8[] = "h\xc3\xa9llo \xe2\x9c\x93";

static void test_allfields_bytes(void **state)
{
	struct fixture *f = *state;
	static const uint8_t bytes[] = {0xab, 0xcd};
	static const int16_t seq[] = {-1, 2, 32767};
	const uint16_t net_arr[] = {htons(0x0102), htons(0x0304)};
	struct unit_values v = {
	    .i8 = INT8_MIN,
	    .u8 = UINT8_MAX,
	    .i16 = INT16_MIN,
	    .u16 = UINT16_MAX,
	    .i32 = -1,
	    .u32 = UINT32_MAX,
	    .i64 = INT64_MIN,
	    .u64 = UINT64_MAX,
	    .l = -2,
	    .hex = 0xdeadbeef,
	    .net32 = htonl(0x01020304),
	    .net16 = htons(0x0a0b),
	    .f = 1.25f,
	    .d = -0.5,
	    .s = utf8,
	    .arr = {1, -2, INT32_MAX},
	    .bytes = bytes,
	    .bytes_len = 2,
	    .net_arr = net_arr,
	    .text = "hi",
	    .seq = seq,
	    .seq_len = 3,
	    .seqtext = "abcdef",
	    .seqtext_len = 3,
	    .color = 5,
	};
	struct tpb_bytes e = {.len = 0};

	tpb_record(&f->buf[0], "rt_unit", "allfields", 0);
	lttng_ust_tracepoint(rt_unit, allfields, &v);

	tpb_put_le(&e, 0x80, 1);
	tpb_put_le(&e, 0xff, 1);
	tpb_put_le(&e, 0x8000, 2);
	tpb_put_le(&e, 0xffff, 2);
	tpb_put_le(&e, UINT32_MAX, 4);
	tpb_put_le(&e, UINT32_MAX, 4);
	tpb_put_le(&e, 0x8000000000000000ull, 8);
	tpb_put_le(&e, UINT64_MAX, 8);
	tpb_put_le(&e, (uint64_t)-2, sizeof(long));
	tpb_put_le(&e, 0xdeadbeef, 4);
	tpb_put_be(&e, 0x01020304, 4); /* network fields: the program's bytes, big-endian */
	tpb_put_be(&e, 0x0a0b, 2);
	tpb_put_le(&e, 0x3fa00000, 4);            /* 1.25f */
	tpb_put_le(&e, 0xbfe0000000000000ull, 8); /* -0.5 */
	tpb_put_str(&e, utf8);
	tpb_put_le(&e, 1, 4);
	tpb_put_le(&e, (uint32_t)-2, 4);
	tpb_put_le(&e, INT32_MAX, 4);
	tpb_put(&e, bytes, 2);
	tpb_put_be(&e, 0x01020304, 4);
	tpb_put_be(&e, 0x0102, 2);
	tpb_put(&e, "hi\0\0", 4); /* array_text: up to the NUL, zero-filled */
	tpb_put_le(&e, 3, 8);     /* __seq_length (size_t) */
	tpb_put_le(&e, 0xffff, 2);
	tpb_put_le(&e, 2, 2);
	tpb_put_le(&e, 32767, 2);
	tpb_put_le(&e, 2, 1); /* __seqhex_length (uint8_t) */
	tpb_put(&e, bytes, 2);
	tpb_put_le(&e, 2, 2); /* __seqnet_length (uint16_t) */
	tpb_put_be(&e, 0x01020304, 4);
	tpb_put_le(&e, 1, 4); /* __seqnethex_length (int) */
	tpb_put_be(&e, 0x0102, 2);
	tpb_put_le(&e, 3, 4); /* __seqtext_length (unsigned int) */
	tpb_put(&e, "abc", 3);
	tpb_put_le(&e, 5, 4); /* color */

	/* The other edges: NULL string, truncated text, empty and NULL sequences. */
	v.i8 = INT8_MAX;
	v.u8 = 0;
	v.i16 = INT16_MAX;
	v.u16 = 0;
	v.i32 = INT32_MIN;
	v.u32 = 0;
	v.i64 = INT64_MAX;
	v.u64 = 0;
	v.l = 0;
	v.s = NULL;
	v.text = "hello";
	v.seq = NULL;
	v.seq_len = 0;
	v.bytes_len = 0;
	v.seqtext = NULL;
	v.seqtext_len = 2;
	lttng_ust_tracepoint(rt_unit, allfields, &v);

	struct tpb_bytes e2 = {.len = 0};

	tpb_put_le(&e2, 0x7f, 1);
	tpb_put_le(&e2, 0, 1);
	tpb_put_le(&e2, 0x7fff, 2);
	tpb_put_le(&e2, 0, 2);
	tpb_put_le(&e2, 0x80000000u, 4);
	tpb_put_le(&e2, 0, 4);
	tpb_put_le(&e2, INT64_MAX, 8);
	tpb_put_le(&e2, 0, 8);
	tpb_put_le(&e2, 0, sizeof(long));
	tpb_put_le(&e2, 0xdeadbeef, 4);
	tpb_put_be(&e2, 0x01020304, 4);
	tpb_put_be(&e2, 0x0a0b, 2);
	tpb_put_le(&e2, 0x3fa00000, 4);
	tpb_put_le(&e2, 0xbfe0000000000000ull, 8);
	tpb_put_str(&e2, "(null)");
	tpb_put_le(&e2, 1, 4);
	tpb_put_le(&e2, (uint32_t)-2, 4);
	tpb_put_le(&e2, INT32_MAX, 4);
	tpb_put(&e2, bytes, 2);
	tpb_put_be(&e2, 0x01020304, 4);
	tpb_put_be(&e2, 0x0102, 2);
	tpb_put(&e2, "hell", 4);
	tpb_put_le(&e2, 0, 8);
	tpb_put_le(&e2, 0, 1);
	tpb_put_le(&e2, 2, 2);
	tpb_put_be(&e2, 0x01020304, 4);
	tpb_put_le(&e2, 1, 4);
	tpb_put_be(&e2, 0x0102, 2);
	tpb_put_le(&e2, 2, 4);
	tpb_put(&e2, "\0\0", 2); /* NULL text: zeros */
	tpb_put_le(&e2, 5, 4);

	tpb_packet_open(&f->buf[0]);
	tpb_expect_record(&f->buf[0], 0, &e);
	tpb_expect_record(&f->buf[0], 0, &e2);
	tpb_packet_close(&f->buf[0]);
}

static void test_strings_and_empty(void **state)
{
	struct fixture *f = *state;
	struct tpb_bytes e1 = {.len = 0}, e2 = {.len = 0}, e3 = {.len = 0};

	tpb_record(&f->buf[0], "rt_unit", "strings", 3);
	tpb_record(&f->buf[0], "rt_unit", "empty", 4);
	lttng_ust_tracepoint(rt_unit, strings, "", NULL);
	lttng_ust_tracepoint(rt_unit, strings, utf8, "x");
	lttng_ust_tracepoint(rt_unit, empty, NULL, 0);

	tpb_put_str(&e1, "");
	tpb_put_str(&e1, "(null)");
	tpb_put_str(&e2, utf8);
	tpb_put_str(&e2, "x");
	tpb_put_le(&e3, 0, 8);     /* __seq_length, no element; arr[0]: nothing */
	tpb_put_le(&e3, 0, 4);     /* __seqtext_length */
	tpb_put(&e3, "\0\0\0", 3); /* text[3] from NULL */

	tpb_packet_open(&f->buf[0]);
	tpb_expect_record(&f->buf[0], 3, &e1);
	tpb_expect_record(&f->buf[0], 3, &e2);
	tpb_expect_record(&f->buf[0], 4, &e3);
	tpb_packet_close(&f->buf[0]);
}

static void test_class_instances_noargs_ten(void **state)
{
	struct fixture *f = *state;
	struct tpb_bytes first = {.len = 0}, second = {.len = 0}, noargs = {.len = 0},
	                 ten = {.len = 0};

	tpb_record(&f->buf[0], "rt_unit", "pair_first", 10);
	tpb_record(&f->buf[0], "rt_unit", "pair_second", 70000); /* past 65534: extended header */
	tpb_record(&f->buf[0], "rt_unit", "noargs", 12);
	tpb_record(&f->buf[0], "rt_unit", "ten", 13);
	lttng_ust_tracepoint(rt_unit, pair_first, 7, -1L);
	lttng_ust_tracepoint(rt_unit, pair_second, -7, 0x1122334455667788L);
	lttng_ust_tracepoint(rt_unit, noargs);
	lttng_ust_tracepoint(rt_unit, ten, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

	tpb_put_le(&first, 7, 4);
	tpb_put_le(&first, UINT64_MAX, 8);
	tpb_put_le(&second, (uint32_t)-7, 4);
	tpb_put_le(&second, 0x1122334455667788ull, 8);
	tpb_put_le(&noargs, 42, 4);
	tpb_put_le(&ten, 1, 1);
	tpb_put_le(&ten, 10, 1);
	tpb_put_le(&ten, 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9, 4);

	tpb_packet_open(&f->buf[0]);
	tpb_expect_record(&f->buf[0], 10, &first);
	/* tpb_expect_record() checks that 70000 came in the extended form. */
	tpb_expect_record(&f->buf[0], 70000, &second);
	tpb_expect_record(&f->buf[0], 12, &noargs);
	tpb_expect_record(&f->buf[0], 13, &ten);
	tpb_packet_close(&f->buf[0]);
}

static void test_tracef_tracelog(void **state)
{
	struct fixture *f = *state;
	struct tpb_bytes e1 = {.len = 0}, e2 = {.len = 0}, e3 = {.len = 0}, e4 = {.len = 0};
	char long_msg[1500];
	int line_warning, line_err;

	memset(long_msg, 'z', sizeof(long_msg) - 1);
	long_msg[sizeof(long_msg) - 1] = '\0';
	tpb_record(&f->buf[0], "lttng_ust_tracef", "event", 20);
	tpb_record(&f->buf[0], "lttng_ust_tracelog", "LTTNG_UST_TRACEPOINT_LOGLEVEL_WARNING", 21);
	tpb_record(&f->buf[0], "lttng_ust_tracelog", "LTTNG_UST_TRACEPOINT_LOGLEVEL_ERR", 22);

	tracef("x=%d %s", 42, "ok");
	lttng_ust_tracef("%s", long_msg); /* longer than the stack buffer */
	line_warning = __LINE__ + 1;
	tracelog(TRACE_WARNING, "warn %d", 1);
	line_err = __LINE__ + 1;
	lttng_ust_tracelog(LTTNG_UST_TRACEPOINT_LOGLEVEL_ERR, "err");
	/* Not recorded: no recorder for INFO. */
	lttng_ust_tracelog(LTTNG_UST_TRACEPOINT_LOGLEVEL_INFO, "info");

	tpb_put_le(&e1, 7, 4);
	tpb_put(&e1, "x=42 ok", 7);
	tpb_put_le(&e2, sizeof(long_msg) - 1, 4);
	tpb_put(&e2, long_msg, sizeof(long_msg) - 1);
	tpb_put_le(&e3, (uint32_t)line_warning, 4);
	tpb_put_str(&e3, __FILE__);
	tpb_put_str(&e3, __func__);
	tpb_put_le(&e3, 6, 4);
	tpb_put(&e3, "warn 1", 6);
	tpb_put_le(&e4, (uint32_t)line_err, 4);
	tpb_put_str(&e4, __FILE__);
	tpb_put_str(&e4, __func__);
	tpb_put_le(&e4, 3, 4);
	tpb_put(&e4, "err", 3);

	tpb_packet_open(&f->buf[0]);
	tpb_expect_record(&f->buf[0], 20, &e1);
	tpb_expect_record(&f->buf[0], 20, &e2);
	tpb_expect_record(&f->buf[0], 21, &e3);
	tpb_expect_record(&f->buf[0], 22, &e4);
	tpb_packet_close(&f->buf[0]);
}

static int evaluations;

static int evaluate(void)
{
	return ++evaluations;
}

static void test_disabled_does_not_evaluate(void **state)
{
	struct fixture *f = *state;
	struct rt_ust_recorder *rec;
	struct tpb_bytes e = {.len = 0};

	evaluations = 0;
	assert_false(lttng_ust_tracepoint_enabled(rt_unit, counted));
	lttng_ust_tracepoint(rt_unit, counted, evaluate());
	tracepoint(rt_unit, counted, evaluate());
	assert_int_equal(evaluations, 0);

	rec = tpb_record(&f->buf[0], "rt_unit", "counted", 5);
	assert_true(lttng_ust_tracepoint_enabled(rt_unit, counted));
	lttng_ust_tracepoint(rt_unit, counted, evaluate());
	assert_int_equal(evaluations, 1);

	rt_ust_lock();
	rt_ust_recorder_set_enabled(rec, false);
	rt_ust_unlock();
	assert_false(lttng_ust_tracepoint_enabled(rt_unit, counted));
	lttng_ust_tracepoint(rt_unit, counted, evaluate());
	assert_int_equal(evaluations, 1);

	/* An inactive session records nothing, though the call site is on. */
	rt_ust_lock();
	rt_ust_recorder_set_enabled(rec, true);
	rt_ust_session_set_active(f->session, false);
	rt_ust_unlock();
	lttng_ust_tracepoint(rt_unit, counted, evaluate());
	rt_ust_lock();
	rt_ust_session_set_active(f->session, true);
	rt_ust_recorder_detach(rec);
	rt_ust_unlock();
	assert_false(lttng_ust_tracepoint_enabled(rt_unit, counted));
	lttng_ust_tracepoint(rt_unit, counted, evaluate());
	assert_int_equal(evaluations, 2);

	tpb_put_le(&e, 1, 4);
	tpb_packet_open(&f->buf[0]);
	tpb_expect_record(&f->buf[0], 5, &e);
	tpb_packet_close(&f->buf[0]);
}

static void test_two_channels(void **state)
{
	struct fixture *f = *state;
	struct tpb_bytes e = {.len = 0};

	tpb_channel_create(f->session, &f->buf[1], 1);
	tpb_record(&f->buf[0], "rt_unit", "counted", 1);
	tpb_record(&f->buf[1], "rt_unit", "counted", 2);
	lttng_ust_tracepoint(rt_unit, counted, 99);
	rt_ust_lock();
	rt_ust_channel_set_enabled(f->buf[1].chan, false);
	rt_ust_unlock();
	lttng_ust_tracepoint(rt_unit, counted, 100);

	tpb_put_le(&e, 99, 4);
	tpb_packet_open(&f->buf[1]);
	tpb_expect_record(&f->buf[1], 2, &e);
	tpb_packet_close(&f->buf[1]);
	tpb_packet_open(&f->buf[0]);
	tpb_expect_record(&f->buf[0], 1, &e);
	e.len = 0;
	tpb_put_le(&e, 100, 4);
	tpb_expect_record(&f->buf[0], 1, &e);
	tpb_packet_close(&f->buf[0]);

	/* Destroying a channel detaches its recorders; the call site follows. */
	rt_ust_lock();
	rt_ust_channel_destroy(f->buf[0].chan);
	rt_ust_unlock();
	assert_true(lttng_ust_tracepoint_enabled(rt_unit, counted));
	rt_ust_lock();
	rt_ust_channel_destroy(f->buf[1].chan);
	rt_ust_unlock();
	assert_false(lttng_ust_tracepoint_enabled(rt_unit, counted));
}

static void test_full_buffer_discards(void **state)
{
	struct fixture *f = *state;
	static const int32_t v = 0;

	tpb_record(&f->buf[0], "rt_unit", "counted", 0);
	for (int i = 0; i < 20000; i++)
		lttng_ust_tracepoint(rt_unit, counted, v);
	assert_true(rb_stream_events_discarded(f->buf[0].consumer) > 0);
}

static void test_descriptors(void **state)
{
	const struct ringtrace_event_desc *all = rt_probes_find_event("rt_unit", "allfields");
	const struct ringtrace_event_desc *second = rt_probes_find_event("rt_unit", "pair_second");
	const struct ringtrace_event_desc *first = rt_probes_find_event("rt_unit", "pair_first");
	const struct ringtrace_event_desc *noargs = rt_probes_find_event("rt_unit", "noargs");
	const struct ringtrace_field_desc *fd;
	const struct ringtrace_enum_desc *ed;

	assert_non_null(all);
	assert_string_equal(all->signature, "const struct unit_values *, v");
	assert_int_equal(all->loglevel, RINGTRACE_LOGLEVEL_INFO);
	assert_null(all->model_emf_uri);
	assert_int_equal(all->nr_fields, 50);

	fd = &all->fields[0];
	assert_string_equal(fd->name, "i8");
	assert_int_equal(fd->kind, RINGTRACE_TYPE_INTEGER);
	assert_int_equal(fd->type.integer.size_bits, 8);
	assert_int_equal(fd->type.integer.align_bits, 8);
	assert_true(fd->type.integer.is_signed);
	assert_int_equal(fd->type.integer.base, 10);
	assert_false(fd->type.integer.reverse_byte_order);
	fd = &all->fields[7];
	assert_string_equal(fd->name, "u64");
	assert_int_equal(fd->type.integer.size_bits, 64);
	assert_false(fd->type.integer.is_signed);
	fd = &all->fields[9];
	assert_string_equal(fd->name, "hex");
	assert_int_equal(fd->type.integer.base, 16);
	fd = &all->fields[10];
	assert_string_equal(fd->name, "net32");
	assert_true(fd->type.integer.reverse_byte_order);
	assert_int_equal(fd->type.integer.base, 10);
	fd = &all->fields[11];
	assert_true(fd->type.integer.reverse_byte_order);
	assert_int_equal(fd->type.integer.base, 16);
	fd = &all->fields[12];
	assert_string_equal(fd->name, "hidden");
	assert_true(fd->nowrite);
	fd = &all->fields[13];
	assert_int_equal(fd->kind, RINGTRACE_TYPE_FLOAT);
	assert_int_equal(fd->type.fp.exp_dig, 8);
	assert_int_equal(fd->type.fp.mant_dig, 24);
	fd = &all->fields[14];
	assert_int_equal(fd->type.fp.exp_dig, 11);
	assert_int_equal(fd->type.fp.mant_dig, 53);
	fd = &all->fields[16];
	assert_string_equal(fd->name, "s");
	assert_int_equal(fd->kind, RINGTRACE_TYPE_STRING);
	assert_false(fd->nowrite);
	fd = &all->fields[22];
	assert_string_equal(fd->name, "text");
	assert_int_equal(fd->kind, RINGTRACE_TYPE_ARRAY);
	assert_int_equal(fd->type.array.length, 4);
	assert_int_equal(fd->type.array.elem.size_bits, 8);
	assert_true(fd->type.array.elem.is_signed);
	assert_int_equal(fd->type.array.elem.encoding, RINGTRACE_ENCODING_UTF8);
	fd = &all->fields[28];
	assert_string_equal(fd->name, "_seq_length");
	assert_int_equal(fd->kind, RINGTRACE_TYPE_INTEGER);
	assert_int_equal(fd->type.integer.size_bits, 64);
	assert_false(fd->type.integer.is_signed);
	fd = &all->fields[29];
	assert_string_equal(fd->name, "seq");
	assert_int_equal(fd->kind, RINGTRACE_TYPE_SEQUENCE);
	assert_string_equal(fd->type.sequence.length_name, "_seq_length");
	assert_int_equal(fd->type.sequence.elem.size_bits, 16);
	assert_int_equal(fd->type.sequence.elem.encoding, RINGTRACE_ENCODING_NONE);
	fd = &all->fields[37];
	assert_string_equal(fd->name, "seqtext");
	assert_int_equal(fd->type.sequence.elem.encoding, RINGTRACE_ENCODING_UTF8);
	fd = &all->fields[48];
	assert_string_equal(fd->name, "color");
	assert_int_equal(fd->kind, RINGTRACE_TYPE_ENUM);
	assert_int_equal(fd->type.enumeration.container.size_bits, 32);
	assert_true(fd->type.enumeration.container.is_signed);
	ed = fd->type.enumeration.desc;
	assert_string_equal(ed->name, "rt_unit_color");
	assert_int_equal(ed->nr_entries, 4);
	assert_string_equal(ed->entries[1].label, "GREENISH");
	assert_int_equal(ed->entries[1].start, 1);
	assert_int_equal(ed->entries[1].end, 10);
	assert_int_equal(ed->entries[2].start, 4000000000ll);
	assert_true(ed->entries[3].is_auto);
	assert_true(all->fields[49].nowrite);

	assert_non_null(first);
	assert_non_null(second);
	assert_ptr_equal(first->fields, second->fields);
	assert_ptr_equal(first->probe_callback, second->probe_callback);
	assert_int_equal(first->loglevel, -1);
	assert_int_equal(second->loglevel, RINGTRACE_LOGLEVEL_WARNING);
	assert_string_equal(second->model_emf_uri, "http://example.com/pair");

	assert_non_null(noargs);
	assert_string_equal(noargs->signature, "");

	assert_int_equal(rt_probes_find_event("lttng_ust_tracef", "event")->loglevel,
	                 RINGTRACE_LOGLEVEL_DEBUG);
	assert_int_equal(
	    rt_probes_find_event("lttng_ust_tracelog", "LTTNG_UST_TRACEPOINT_LOGLEVEL_NOTICE")
	        ->loglevel,
	    RINGTRACE_LOGLEVEL_NOTICE);
	(void)state;
}

static void test_registration_refusals(void **state)
{
	static const struct ringtrace_probe_desc dup = {
	    .abi_version = RINGTRACE_PROBE_ABI_VERSION,
	    .provider_name = "rt_unit",
	};
	static const struct ringtrace_probe_desc future = {
	    .abi_version = RINGTRACE_PROBE_ABI_VERSION + 1,
	    .provider_name = "rt_future",
	};
	const struct ringtrace_event_desc *before = rt_probes_find_event("rt_unit", "counted");

	assert_int_equal(ringtrace_probe_register(&dup), -EEXIST);
	assert_ptr_equal(rt_probes_find_event("rt_unit", "counted"), before);
	ringtrace_probe_unregister(&dup); /* not the registered one: no effect */
	assert_ptr_equal(rt_probes_find_event("rt_unit", "counted"), before);
	assert_int_equal(ringtrace_probe_register(&future), -EINVAL);
	(void)state;
}

static void test_call_site_signature(void **state)
{
	struct fixture *f = *state;
	struct ringtrace_tracepoint good = {
	    sizeof(struct ringtrace_tracepoint), 0, "rt_unit:counted", "int, v", NULL, NULL,
	};
	struct ringtrace_tracepoint bad = {
	    sizeof(struct ringtrace_tracepoint), 0, "rt_unit:counted", "long, v", NULL, NULL,
	};
	struct ringtrace_tracepoint late = {
	    sizeof(struct ringtrace_tracepoint), 0, "rt_unit:not_yet", "int, v", NULL, NULL,
	};
	struct ringtrace_tracepoint *sites[] = {&good, NULL, &bad, &late};

	assert_int_equal(ringtrace_tracepoint_module_register(sites, 4), 0);
	assert_non_null(good.probes);
	assert_null(bad.probes);
	assert_null(late.probes);
	assert_int_equal(good.state, 0);
	tpb_record(&f->buf[0], "rt_unit", "counted", 0);
	assert_int_equal(good.state, 1);
	assert_int_equal(bad.state, 0);
	assert_int_equal(ringtrace_tracepoint_module_unregister(sites), 0);
	assert_int_equal(good.state, 0);
	assert_null(good.probes);
	assert_int_equal(ringtrace_tracepoint_module_unregister(sites), -ENOENT);
}

/*
 * The comm code's atfork handlers hold rt_ust_lock() across fork(): the
 * child's only thread (a new thread id) must be able to nest and release it.
 */
static void test_lock_across_fork(void **state)
{
	pid_t pid;
	int status;

	rt_ust_lock();
	pid = fork();
	if (pid == 0) {
		alarm(5); /* a deadlock kills the child */
		rt_ust_lock();
		rt_ust_unlock();
		rt_ust_unlock();
		rt_ust_lock();
		rt_ust_unlock();
		_exit(0);
	}
	rt_ust_unlock();
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	(void)state;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_allfields_bytes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_strings_and_empty, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_class_instances_noargs_ten, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tracef_tracelog, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_disabled_does_not_evaluate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_two_channels, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_full_buffer_discards, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_call_site_signature, setup, teardown),
	    cmocka_unit_test(test_descriptors),
	    cmocka_unit_test(test_registration_refusals),
	    cmocka_unit_test(test_lock_across_fork),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
