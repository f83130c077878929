/* SPDX-License-Identifier: MIT */
/*
 * Listing the loaded objects (loaded-objects.h). objects_lock is held by
 * callers around a listing and what they do with it; nothing but the
 * loader's lock is taken under it (the records are the fast path). fork()
 * takes it first (pthread_atfork).
 */
#include "lib/ust/loaded-objects.h"

#include <errno.h>
#include <limits.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/macros.h"
#include "lib/ust/comm-conn.h"

struct listing {
	struct rt_loaded_objects *list;
	bool exec_found;
	int error;
};

/* Not recursive: a fork child must be able to unlock it (new thread id). */
static pthread_mutex_t objects_lock = PTHREAD_MUTEX_INITIALIZER;

int rt_loaded_objects_append(struct rt_loaded_objects *list, struct rt_loaded_object *obj)
{
	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? list->capacity * 2 : 16;
		struct rt_loaded_object *p = reallocarray(list->objects, capacity, sizeof(*p));

		if (!p)
			return -ENOMEM;
		list->objects = p;
		list->capacity = capacity;
	}
	list->objects[list->count++] = *obj;
	*obj = (struct rt_loaded_object){0};
	return 0;
}

static int objects_add(struct rt_loaded_objects *list, uintptr_t baddr, char *path, bool vdso)
{
	struct rt_loaded_object obj = {.baddr = baddr, .path = path, .vdso = vdso};
	int r;

	if (!path)
		return -ENOMEM;
	r = rt_loaded_objects_append(list, &obj);
	if (r < 0)
		free(path);
	return r;
}

/*
 * The object's path (loaded-objects.h), malloc'd; NULL on ENOMEM or, with
 * *ret_skip, when the executable's path cannot be read.
 */
static char *object_path(struct listing *listing, const char *name, bool *ret_vdso, bool *ret_skip)
{
	char buf[PATH_MAX];
	char *path;

	*ret_vdso = false;
	*ret_skip = false;
	if (!name || !name[0]) {
		ssize_t len;

		if (listing->exec_found) {
			*ret_vdso = true;
			return strdup("[vdso]");
		}
		listing->exec_found = true;
		len = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
		if (len <= 0) {
			*ret_skip = true;
			return NULL;
		}
		buf[len] = '\0';
		return strdup(buf);
	}
	path = realpath(name, NULL);
	if (path)
		return path;
	*ret_vdso = true;
	return asprintf(&path, "[%s]", name) < 0 ? NULL : path;
}

static int list_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct listing *listing = arg;

	(void)size;
	for (unsigned i = 0; i < info->dlpi_phnum; i++) {
		bool vdso, skip;
		char *path;

		if (info->dlpi_phdr[i].p_type != PT_LOAD)
			continue;
		path = object_path(listing, info->dlpi_name, &vdso, &skip);
		if (skip)
			return 0;
		listing->error = objects_add(
		    listing->list, (uintptr_t)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr), path,
		    vdso);
		return listing->error < 0;
	}
	return 0;
}

int rt_loaded_objects_list(struct rt_loaded_objects *ret)
{
	struct listing listing = {.list = ret};

	rt_loaded_objects_clear(ret);
	dl_iterate_phdr(list_object, &listing);
	return listing.error;
}

int rt_loaded_object_read_elf(struct rt_loaded_object *obj)
{
	return obj->vdso ? 0 : rt_elf_info_read_file(obj->path, &obj->elf);
}

void rt_loaded_objects_read_elf(struct rt_loaded_objects *list)
{
	for (size_t i = 0; i < list->count;) {
		int r = rt_loaded_object_read_elf(&list->objects[i]);

		if (r < 0) {
			rt_comm_debug("%s left out of the loaded objects: not readable as ELF (%s)",
			              list->objects[i].path, strerror(-r));
			rt_loaded_object_clear(&list->objects[i]);
			rt_loaded_objects_remove(list, i);
			continue;
		}
		i++;
	}
}

void rt_loaded_objects_remove(struct rt_loaded_objects *list, size_t i)
{
	memmove(&list->objects[i], &list->objects[i + 1],
	        (list->count - i - 1) * sizeof(list->objects[0]));
	list->count--;
}

void rt_loaded_object_clear(struct rt_loaded_object *obj)
{
	free(obj->path);
	rt_elf_info_clear(&obj->elf);
	*obj = (struct rt_loaded_object){0};
}

void rt_loaded_objects_clear(struct rt_loaded_objects *list)
{
	for (size_t i = 0; i < list->count; i++)
		rt_loaded_object_clear(&list->objects[i]);
	free(list->objects);
	*list = (struct rt_loaded_objects){0};
}

void rt_loaded_objects_lock(void)
{
	pthread_mutex_lock(&objects_lock);
}

void rt_loaded_objects_unlock(void)
{
	pthread_mutex_unlock(&objects_lock);
}

__attribute__((constructor)) static void loaded_objects_init(void)
{
	pthread_atfork(rt_loaded_objects_lock, rt_loaded_objects_unlock, rt_loaded_objects_unlock);
}
