/* SPDX-License-Identifier: MIT */
/*
 * Dynamic linkage: this program's call sites (TRACEPOINT_PROBE_DYNAMIC_LINKAGE)
 * are registered at start-up, before their provider exists; the provider is
 * a shared object, dlopen()ed and dlclose()d here, or preloaded
 * (LD_PRELOAD, second meson test). Its events must come and go with it, and
 * the call sites connect, record and disconnect accordingly.
 */
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_PROBE_DYNAMIC_LINKAGE
#include "test-tracepoint-dl-tp.h"

#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lib/ust/probes.h"
#include "test-tracepoint-buffer.h"

struct fixture {
	struct rt_ust_session *session;
	struct tpb_channel buf;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	rt_ust_lock();
	assert_int_equal(rt_ust_session_create(1, &f->session), 0);
	rt_ust_session_set_active(f->session, true);
	rt_ust_unlock();
	tpb_channel_create(f->session, &f->buf, 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	rt_ust_lock();
	rt_ust_session_destroy(f->session);
	rt_ust_unlock();
	tpb_channel_unmap(&f->buf);
	free(f);
	return 0;
}

static void expect_ping(struct tpb_channel *cb, int n, const char *who)
{
	struct tpb_bytes e = {.len = 0};

	tpb_put_le(&e, (uint32_t)n, 4);
	tpb_put_str(&e, who);
	tpb_expect_record(cb, 7, &e);
}

static void test_dlopen_dlclose(void **state)
{
	struct fixture *f = *state;
	void *provider;

	if (rt_probes_find_event("rt_dl", "ping"))
		skip(); /* preloaded: see test_preloaded */

	/* Not loaded: a disconnected call site, nothing recorded, nothing evaluated. */
	lttng_ust_tracepoint(rt_dl, ping, 0, "nobody");
	assert_false(lttng_ust_tracepoint_enabled(rt_dl, ping));

	for (int round = 1; round <= 2; round++) {
		provider = dlopen(DL_PROVIDER_PATH, RTLD_NOW);
		assert_non_null(provider);
		assert_non_null(rt_probes_find_event("rt_dl", "ping"));
		tpb_record(&f->buf, "rt_dl", "ping", 7);
		assert_true(lttng_ust_tracepoint_enabled(rt_dl, ping));
		lttng_ust_tracepoint(rt_dl, ping, round, "dlopen");

		assert_int_equal(dlclose(provider), 0);
		assert_null(rt_probes_find_event("rt_dl", "ping"));
		assert_false(lttng_ust_tracepoint_enabled(rt_dl, ping));
		/* A stale do_tracepoint() finds no probe, and does not crash. */
		lttng_ust_do_tracepoint(rt_dl, ping, -1, "gone");
	}

	tpb_packet_open(&f->buf);
	expect_ping(&f->buf, 1, "dlopen");
	expect_ping(&f->buf, 2, "dlopen");
	tpb_packet_close(&f->buf);
}

static void test_preloaded(void **state)
{
	struct fixture *f = *state;

	if (!rt_probes_find_event("rt_dl", "ping"))
		skip(); /* not preloaded: see test_dlopen_dlclose */
	tpb_record(&f->buf, "rt_dl", "ping", 7);
	lttng_ust_tracepoint(rt_dl, ping, 3, "preload");
	tpb_packet_open(&f->buf);
	expect_ping(&f->buf, 3, "preload");
	tpb_packet_close(&f->buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_dlopen_dlclose, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_preloaded, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
