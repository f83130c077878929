/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Exported to libringtrace-ust-dl.so (src/lib/ust-dl): records the objects
 * loaded and unloaded since the previous call as lttng_ust_lib events, ip
 * being the address of the dlopen()/dlclose() call. The first call records
 * nothing. Does nothing when LTTNG_UST_WITHOUT_BADDR_STATEDUMP is set, as
 * lttng-ust. Call it without rt_ust_lock held.
 */
void ringtrace_ust_dl_update(const void *ip);
