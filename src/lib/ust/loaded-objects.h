/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The objects loaded in the process (executable, shared objects, vDSO), as
 * lttng-ust 2.13 names and places them in its state dump and lib events:
 * - baddr: the address of the object's first PT_LOAD segment;
 * - path: the executable's /proc/self/exe; a shared object's real path, or
 *   "[name]" when its name does not resolve (the vDSO, "linux-vdso.so.1");
 *   "[vdso]" for a later nameless object;
 * - its ELF facts (elf-info.h), read separately; none for "[...]" objects.
 *
 * Listing takes the dynamic loader's lock (dl_iterate_phdr): call it
 * without rt_ust_lock held (a provider's constructor takes rt_ust_lock
 * while dlopen() holds the loader's). A fork waits until a listing is over,
 * so that no child starts with the loader's lock held by a thread it does
 * not have.
 */

/*
 * The listing lock, held around each listing (and what the caller does with
 * it, lib-events.c keeping its listings in step): a fork waits for it.
 * Take no other lock under it than a listing does (the loader's); records
 * (the fast path) and file reads are fine.
 */
void rt_loaded_objects_lock(void);
void rt_loaded_objects_unlock(void);

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/ust/elf-info.h"

struct rt_loaded_object {
	uintptr_t baddr;
	char *path;
	bool vdso; /* no file behind it (a "[...]" path): its ELF facts stay empty */
	struct rt_elf_info elf;
};

struct rt_loaded_objects {
	struct rt_loaded_object *objects;
	size_t count;
	size_t capacity;
};

/*
 * Lists the loaded objects, in the loader's order (the executable first),
 * into *ret (emptied first), without their ELF facts. -ENOMEM. Call with
 * the listing lock held.
 */
int rt_loaded_objects_list(struct rt_loaded_objects *ret);
/*
 * Reads the ELF facts of every object that has a file; an object whose file
 * cannot be read as ELF is dropped from the list (lttng-ust stops its own
 * listing there instead).
 */
void rt_loaded_objects_read_elf(struct rt_loaded_objects *list);
/* Reads one object's ELF facts (nothing for the vDSO); < 0 as rt_elf_info_read_file(). */
int rt_loaded_object_read_elf(struct rt_loaded_object *obj);
/* Moves *obj to the end of the list (*obj emptied). -ENOMEM (*obj left as it was). */
int rt_loaded_objects_append(struct rt_loaded_objects *list, struct rt_loaded_object *obj);
/* Removes objects[i], keeping the order; the caller owns what it held. */
void rt_loaded_objects_remove(struct rt_loaded_objects *list, size_t i);
void rt_loaded_object_clear(struct rt_loaded_object *obj);
void rt_loaded_objects_clear(struct rt_loaded_objects *list);
