/* SPDX-License-Identifier: MIT */
/*
 * lttng-ust's dynamic linkage to the letter: this program does not link
 * libringtrace-ust. Its call-site constructor dlopen()s the library by
 * soname (found through LD_LIBRARY_PATH here, as an installed library would
 * be), and the provider comes later in a dlopen()ed shared object. The call
 * site must connect to it, run its probe (the library's RCU read lock from
 * a dlopen()ed copy of liburcu-bp), and disconnect when it goes.
 */
#define LTTNG_UST_TRACEPOINT_DEFINE
#define LTTNG_UST_TRACEPOINT_PROBE_DYNAMIC_LINKAGE
#include "test-tracepoint-dl-tp.h"

#include <dlfcn.h>
#include <stdio.h>

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: %s is false\n", __FILE__, __LINE__, #cond);        \
			return 1;                                                                  \
		}                                                                                  \
	} while (0)

int main(void)
{
	void *provider;

	CHECK(dlsym(RTLD_DEFAULT, "ringtrace_tracepoint_module_register"));
	CHECK(!ringtrace__tp___rt_dl___ping.probes);
	provider = dlopen(DL_PROVIDER_PATH, RTLD_NOW);
	CHECK(provider);
	CHECK(ringtrace__tp___rt_dl___ping.probes);
	CHECK(!lttng_ust_tracepoint_enabled(rt_dl, ping));
	/* The whole enabled path, with no recorder to record into. */
	lttng_ust_do_tracepoint(rt_dl, ping, 1, "nolib");
	CHECK(dlclose(provider) == 0);
	CHECK(!ringtrace__tp___rt_dl___ping.probes);
	lttng_ust_do_tracepoint(rt_dl, ping, 2, "gone");
	return 0;
}
