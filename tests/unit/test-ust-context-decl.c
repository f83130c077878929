/* SPDX-License-Identifier: MIT */
/*
 * The session daemon's view of the contexts (src/sessiond/ust-context.c):
 * which add-context types the user space domain has, their event.context
 * declarations (the exact TSDL lttng-sessiond 2.13.9 wrote for the same
 * add-context list, captured from a real trace), and agreement with what
 * libringtrace-ust records for each (src/lib/ust/context.c).
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ctf/tsdl.h"
#include "lib/ust/context.h"
#include "sessiond/ust-context.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* `lttng add-context -u` with these, in this order. */
static const enum ringtrace_event_context_type ust_types[] = {
    RINGTRACE_EVENT_CONTEXT_VPID,       RINGTRACE_EVENT_CONTEXT_VTID,
    RINGTRACE_EVENT_CONTEXT_PROCNAME,   RINGTRACE_EVENT_CONTEXT_IP,
    RINGTRACE_EVENT_CONTEXT_PTHREAD_ID, RINGTRACE_EVENT_CONTEXT_CGROUP_NS,
    RINGTRACE_EVENT_CONTEXT_IPC_NS,     RINGTRACE_EVENT_CONTEXT_MNT_NS,
    RINGTRACE_EVENT_CONTEXT_NET_NS,     RINGTRACE_EVENT_CONTEXT_PID_NS,
    RINGTRACE_EVENT_CONTEXT_TIME_NS,    RINGTRACE_EVENT_CONTEXT_USER_NS,
    RINGTRACE_EVENT_CONTEXT_UTS_NS,     RINGTRACE_EVENT_CONTEXT_VUID,
    RINGTRACE_EVENT_CONTEXT_VEUID,      RINGTRACE_EVENT_CONTEXT_VSUID,
    RINGTRACE_EVENT_CONTEXT_VGID,       RINGTRACE_EVENT_CONTEXT_VEGID,
    RINGTRACE_EVENT_CONTEXT_VSGID,
};

#define I(bits, sign, name)                                                                        \
	"\t\tinteger { size = " #bits "; align = 8; signed = " #sign                               \
	"; encoding = none; base = 10; } _" name ";\n"

/* lttng-sessiond 2.13.9, stream 0 of a trace with the contexts above plus two perf counters. */
/* clang-format off */
static const char lttng_stream[] =
    "stream {\n"
    "\tid = 0;\n"
    "\tevent.header := struct event_header_large;\n"
    "\tpacket.context := struct packet_context;\n"
    "\tevent.context := struct {\n"
    I(32, 1, "vpid")
    I(32, 1, "vtid")
    "\t\tinteger { size = 8; align = 8; signed = 1; encoding = UTF8; base = 10; } _procname[17];\n"
    I(64, 0, "ip")
    I(64, 0, "pthread_id")
    I(64, 0, "cgroup_ns")
    I(64, 0, "ipc_ns")
    I(64, 0, "mnt_ns")
    I(64, 0, "net_ns")
    I(64, 0, "pid_ns")
    I(64, 0, "time_ns")
    I(64, 0, "user_ns")
    I(64, 0, "uts_ns")
    I(32, 0, "vuid")
    I(32, 0, "veuid")
    I(32, 0, "vsuid")
    I(32, 0, "vgid")
    I(32, 0, "vegid")
    I(32, 0, "vsgid")
    I(64, 0, "perf_thread_task_clock")
    I(64, 0, "perf_thread_page_fault")
    "\t};\n"
    "};\n"
    "\n";
/* clang-format on */

static struct ringtrace_event_context perf_request(uint32_t type, uint64_t config, const char *name)
{
	struct ringtrace_event_context req = {.ctx = RINGTRACE_EVENT_CONTEXT_PERF_THREAD_COUNTER};

	req.perf_counter.type = type;
	req.perf_counter.config = config;
	snprintf(req.perf_counter.name, sizeof(req.perf_counter.name), "%s", name);
	return req;
}

static void test_stream_declaration_as_lttng(void **state)
{
	struct session_context ctxs[ARRAY_LEN(ust_types) + 2];
	struct tsdl_context_field fields[ARRAY_LEN(ctxs)];
	struct ringtrace_event_context req;
	struct tsdl_buf buf = {0};
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(ust_types); i++) {
		req = (struct ringtrace_event_context){.ctx = ust_types[i]};
		assert_int_equal(ust_context_from_request(&req, &ctxs[n++]), 0);
	}
	req = perf_request(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, "perf_thread_task_clock");
	assert_int_equal(ust_context_from_request(&req, &ctxs[n++]), 0);
	req = perf_request(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS, "perf_thread_page_fault");
	assert_int_equal(ust_context_from_request(&req, &ctxs[n++]), 0);
	for (size_t i = 0; i < n; i++)
		ust_context_tsdl_field(&ctxs[i], &fields[i]);
	assert_int_equal(tsdl_write_stream(&buf, 0, fields, n), 0);
	assert_string_equal(buf.text, lttng_stream);
	tsdl_buf_fini(&buf);
}

/* What sessiond declares is what the tracer records, byte for byte. */
static void test_declaration_matches_tracer(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(ust_types); i++) {
		struct ringtrace_event_context req = {.ctx = ust_types[i]};
		const struct rt_ust_context *tracer;
		struct tsdl_context_field field;
		struct session_context ctx;
		uint32_t count;

		assert_int_equal(ust_context_from_request(&req, &ctx), 0);
		ust_context_tsdl_field(&ctx, &field);
		tracer = rt_ust_context_find(ctx.name);
		assert_non_null(tracer);
		count = field.array_length ? field.array_length : 1;
		assert_int_equal(tracer->size_bytes * 8, field.type.size_bits * count);
		assert_int_equal(tracer->is_signed, field.type.is_signed);
		assert_int_equal(tracer->is_text, field.array_length > 0);
	}
}

static void test_refused_types(void **state)
{
	static const uint32_t kernel_only[] = {
	    RINGTRACE_EVENT_CONTEXT_PID,
	    RINGTRACE_EVENT_CONTEXT_PERF_COUNTER,
	    RINGTRACE_EVENT_CONTEXT_PRIO,
	    RINGTRACE_EVENT_CONTEXT_NICE,
	    RINGTRACE_EVENT_CONTEXT_TID,
	    RINGTRACE_EVENT_CONTEXT_PPID,
	    RINGTRACE_EVENT_CONTEXT_VPPID,
	    RINGTRACE_EVENT_CONTEXT_HOSTNAME,
	    RINGTRACE_EVENT_CONTEXT_PERF_CPU_COUNTER,
	    RINGTRACE_EVENT_CONTEXT_APP_CONTEXT,
	    RINGTRACE_EVENT_CONTEXT_INTERRUPTIBLE,
	    RINGTRACE_EVENT_CONTEXT_CALLSTACK_USER,
	    RINGTRACE_EVENT_CONTEXT_UID,
	    RINGTRACE_EVENT_CONTEXT_SGID,
	    _RINGTRACE_EVENT_CONTEXT_MAX,
	    1000,
	    UINT32_MAX,
	};
	struct session_context ctx;

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(kernel_only); i++) {
		struct ringtrace_event_context req = {.ctx = kernel_only[i]};

		assert_int_equal(ust_context_from_request(&req, &ctx),
		                 -RINGTRACE_ERR_UST_CONTEXT_INVAL);
	}
	static const char *const bad_names[] = {"", "perf thread", "perf:thread:x", "9lives",
	                                        "perf-x"};
	for (size_t i = 0; i < ARRAY_LEN(bad_names); i++) {
		struct ringtrace_event_context req =
		    perf_request(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK, bad_names[i]);

		assert_int_equal(ust_context_from_request(&req, &ctx),
		                 -RINGTRACE_ERR_UST_CONTEXT_INVAL);
	}
	struct ringtrace_event_context req = perf_request(PERF_TYPE_BREAKPOINT, 0, "perf_bp");
	assert_int_equal(ust_context_from_request(&req, &ctx), -RINGTRACE_ERR_UST_CONTEXT_INVAL);
}

/* Without a hardware PMU the kernel refuses hardware counters: told at add-context time. */
static void test_hardware_counter_availability(void **state)
{
	struct ringtrace_event_context req =
	    perf_request(PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES, "perf_thread_cycles");
	struct session_context ctx;
	int expected = access("/sys/bus/event_source/devices/cpu", F_OK) == 0
	                   ? 0
	                   : -RINGTRACE_ERR_CONTEXT_UNAVAILABLE;

	(void)state;
	assert_int_equal(ust_context_from_request(&req, &ctx), expected);
}

static struct ringtrace_event_context app_request(const char *provider, const char *name)
{
	struct ringtrace_event_context req = {.ctx = RINGTRACE_EVENT_CONTEXT_APP_CONTEXT};

	snprintf(req.app_ctx.provider_name, sizeof(req.app_ctx.provider_name), "%s", provider);
	snprintf(req.app_ctx.ctx_name, sizeof(req.app_ctx.ctx_name), "%s", name);
	return req;
}

/* "$app.PROVIDER:CTX": named as such, declared as a dynamic (tag + variant) field. */
static void test_app_contexts(void **state)
{
	struct ringtrace_event_context req = app_request("my.prov", "a:b");
	struct tsdl_context_field field;
	struct session_context ctx;
	char name[64], tsdl[64];

	(void)state;
	assert_int_equal(ust_context_from_request(&req, &ctx), 0);
	assert_string_equal(ctx.name, "$app.my.prov:a:b");
	ust_context_tsdl_field(&ctx, &field);
	assert_true(field.is_dynamic);
	assert_string_equal(field.name, "$app.my.prov:a:b");
	assert_int_equal(tsdl_dynamic_field_name(field.name, tsdl, sizeof(tsdl)), 0);
	assert_string_equal(tsdl, "_app_my_prov_a_b");
	assert_int_equal(tsdl_dynamic_field_name(field.name, tsdl, 16), -EINVAL);

	static const char *const refused[][2] = {{"", "c"}, {"p", ""}, {"p:q", "c"}};
	for (size_t i = 0; i < ARRAY_LEN(refused); i++) {
		req = app_request(refused[i][0], refused[i][1]);
		assert_int_equal(ust_context_from_request(&req, &ctx),
		                 -RINGTRACE_ERR_UST_CONTEXT_INVAL);
	}
	req = app_request("p", "c");
	memset(req.app_ctx.ctx_name, 'c', sizeof(req.app_ctx.ctx_name)); /* unterminated */
	assert_int_equal(ust_context_from_request(&req, &ctx), -RINGTRACE_ERR_UST_CONTEXT_INVAL);

	/* "$app." + provider + ":" + name: 255 bytes at most. */
	memset(name, 'n', sizeof(name));
	name[sizeof(name) - 1] = '\0';
	char provider[256];
	memset(provider, 'p', sizeof(provider));
	provider[255 - strlen("$app.:") - (sizeof(name) - 1)] = '\0';
	req = app_request(provider, name);
	assert_int_equal(ust_context_from_request(&req, &ctx), 0);
	assert_int_equal(strlen(ctx.name), 255);
	provider[strlen(provider)] = 'p';
	provider[255 - strlen("$app.:") - (sizeof(name) - 1) + 1] = '\0';
	req = app_request(provider, name);
	assert_int_equal(ust_context_from_request(&req, &ctx),
	                 -RINGTRACE_ERR_APP_CONTEXT_NAME_TOO_LONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stream_declaration_as_lttng),
	    cmocka_unit_test(test_declaration_matches_tracer),
	    cmocka_unit_test(test_refused_types),
	    cmocka_unit_test(test_app_contexts),
	    cmocka_unit_test(test_hardware_counter_availability),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
