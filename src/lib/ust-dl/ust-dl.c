/* SPDX-License-Identifier: MIT */
/*
 * libringtrace-ust-dl.so, lttng-ust's liblttng-ust-dl.so for ringtrace:
 * preloaded (LD_PRELOAD), it stands in for the program's dlopen(),
 * dlmopen() and dlclose(), calls the C library's, and records
 *   - lttng_ust_dl:dlopen / dlmopen (+ build_id, debug_link) for the object
 *     a call opened, lttng_ust_dl:dlclose before one is closed;
 *   - the lttng_ust_lib events of libringtrace-ust for every object that
 *     came or went with it (lib-events.h).
 * With the state dump, this lets trace readers (babeltrace2's debug-info)
 * resolve addresses in objects loaded while tracing.
 *
 * Nothing here may change what the program sees: the C library's result
 * and errno are returned as they were, whatever the recording does. An
 * object without a load address (the main program of a non-PIE
 * executable) is not recorded, as lttng-ust.
 */
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/ust/elf-info.h"
#include "lib/ust/lib-events.h"

#define RINGTRACE_TRACEPOINT_CREATE_PROBES
#define RINGTRACE_TRACEPOINT_DEFINE
#define RINGTRACE_TRACEPOINT_HIDDEN_DEFINITION
#define RINGTRACE_TRACEPOINT_PROVIDER_HIDDEN_DEFINITION
#define RINGTRACE_TP_IP_PARAM         ip
#define RINGTRACE_TRACEPOINT_PROVIDER lttng_ust_dl
#define RINGTRACE_TRACEPOINT_INCLUDE  "tp-dl.h"
#include "tp-dl.h"
#include <ringtrace/tracepoint-event.h>

/*
 * The C library's functions, found at first use (RTLD_NEXT: the next object
 * after us): the program's libraries may call dlopen() from their
 * constructors, before ours has run.
 */
static void *libc_dlopen, *libc_dlmopen, *libc_dlclose;

static void *libc_symbol(void **cache, const char *name)
{
	void *sym = __atomic_load_n(cache, __ATOMIC_ACQUIRE);

	if (sym)
		return sym;
	sym = dlsym(RTLD_NEXT, name);
	if (!sym) {
		fprintf(stderr, "libringtrace-ust-dl: %s not found: %s\n", name, dlerror());
		return NULL;
	}
	__atomic_store_n(cache, sym, __ATOMIC_RELEASE);
	return sym;
}

/* Learns what is loaded, so that later calls record only what changes. */
__attribute__((constructor)) static void ust_dl_init(void)
{
	ringtrace_ust_dl_update(__builtin_return_address(0));
}

/* The load address and name of what a handle opened; false when it has no load address. */
static bool handle_object(void *handle, uintptr_t *ret_baddr, const char **ret_name)
{
	struct link_map *map = NULL;

	if (dlinfo(handle, RTLD_DI_LINKMAP, &map) < 0 || !map || map->l_addr == 0)
		return false;
	*ret_baddr = (uintptr_t)map->l_addr;
	*ret_name = map->l_name;
	return true;
}

/* dlopen (nsid < 0) or dlmopen (nsid >= 0) of handle: its events. */
static void record_open(const void *ip, void *handle, Lmid_t nsid, int flags)
{
	struct rt_elf_info elf;
	uintptr_t baddr;
	const char *name;
	char *path;

	if (!handle_object(handle, &baddr, &name))
		return;
	path = realpath(name, NULL);
	if (!path)
		return;
	if (rt_elf_info_read_file(path, &elf) == 0) {
		if (nsid < 0)
			ringtrace_tracepoint(lttng_ust_dl, dlopen, ip, baddr, path, flags,
			                     elf.memsz, elf.build_id != NULL,
			                     elf.debug_link != NULL);
		else
			ringtrace_tracepoint(lttng_ust_dl, dlmopen, ip, baddr, nsid, path, flags,
			                     elf.memsz, elf.build_id != NULL,
			                     elf.debug_link != NULL);
		if (elf.build_id)
			ringtrace_tracepoint(lttng_ust_dl, build_id, ip, baddr, elf.build_id,
			                     elf.build_id_len);
		if (elf.debug_link)
			ringtrace_tracepoint(lttng_ust_dl, debug_link, ip, baddr, elf.debug_link,
			                     elf.debug_link_crc);
		rt_elf_info_clear(&elf);
	}
	free(path);
}

/* Whether some event of an opening is recorded (else its ELF file is not read). */
static bool open_events_enabled(void)
{
	return ringtrace_tracepoint_enabled(lttng_ust_dl, dlopen) ||
	       ringtrace_tracepoint_enabled(lttng_ust_dl, dlmopen) ||
	       ringtrace_tracepoint_enabled(lttng_ust_dl, build_id) ||
	       ringtrace_tracepoint_enabled(lttng_ust_dl, debug_link);
}

/* After the C library's call: the events, errno kept as it left it. */
static void after_open(const void *ip, void *handle, Lmid_t nsid, int flags)
{
	int saved_errno = errno;

	if (handle && open_events_enabled())
		record_open(ip, handle, nsid, flags);
	ringtrace_ust_dl_update(ip);
	errno = saved_errno;
}

void *dlopen(const char *filename, int flags)
{
	const void *ip = __builtin_return_address(0);
	void *(*real)(const char *, int) = libc_symbol(&libc_dlopen, "dlopen");
	void *handle;

	if (!real)
		return NULL;
	handle = real(filename, flags);
	after_open(ip, handle, -1, flags);
	return handle;
}

void *dlmopen(Lmid_t nsid, const char *filename, int flags)
{
	const void *ip = __builtin_return_address(0);
	void *(*real)(Lmid_t, const char *, int) = libc_symbol(&libc_dlmopen, "dlmopen");
	void *handle;

	if (!real)
		return NULL;
	handle = real(nsid, filename, flags);
	after_open(ip, handle, nsid, flags);
	return handle;
}

int dlclose(void *handle)
{
	const void *ip = __builtin_return_address(0);
	int (*real)(void *) = libc_symbol(&libc_dlclose, "dlclose");
	uintptr_t baddr;
	const char *name;
	int saved_errno, r;

	if (!real)
		return -1;
	saved_errno = errno;
	if (handle_object(handle, &baddr, &name))
		ringtrace_tracepoint(lttng_ust_dl, dlclose, ip, baddr);
	errno = saved_errno;
	r = real(handle);
	saved_errno = errno;
	ringtrace_ust_dl_update(ip);
	errno = saved_errno;
	return r;
}
