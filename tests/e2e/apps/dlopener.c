/* SPDX-License-Identifier: MIT */
/*
 * dlopener MODULE: dlopen()s the shared object MODULE, records
 * rt_test:tick with what its rt_dl_module_answer() returns, dlclose()s it.
 * Exits 1 when any step fails. For the lttng_ust_dl / lttng_ust_lib events
 * of the dl preload (tests/e2e/test_statedump.py).
 */
#include <dlfcn.h>
#include <stdio.h>

#include "rt_test_tp.h"

int main(int argc, char **argv)
{
	int (*answer)(void);
	void *module;

	if (argc != 2)
		return 1;
	module = dlopen(argv[1], RTLD_NOW);
	if (!module) {
		fprintf(stderr, "dlopener: %s\n", dlerror());
		return 1;
	}
	answer = (int (*)(void))dlsym(module, "rt_dl_module_answer");
	if (!answer)
		return 1;
	lttng_ust_tracepoint(rt_test, tick, answer());
	return dlclose(module) == 0 ? 0 : 1;
}
