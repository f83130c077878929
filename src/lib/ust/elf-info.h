/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * What the statedump says about a loaded ELF object (the facts lttng-ust
 * 2.13 reports in lttng_ust_statedump:bin_info, build_id and debug_link):
 * - memsz: from the lowest PT_LOAD address to the end of the highest one;
 * - is_pic: the object is ET_DYN;
 * - build_id: the descriptor of the first NT_GNU_BUILD_ID note of a PT_NOTE
 *   segment;
 * - debug_link: the file name in the .gnu_debuglink section and the CRC-32
 *   stored after it (at the next 4-byte boundary).
 *
 * Only objects of the process's own class and byte order (ElfW) are read:
 * those are the only ones it can have loaded. The input is an untrusted
 * file: every offset and size is checked against the file's size before
 * use; a malformed file gives -ENOEXEC and nothing else.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RT_ELF_MAX_BUILD_ID   1024u /* longer notes are taken as malformed */
#define RT_ELF_MAX_DEBUG_LINK 4096u /* .gnu_debuglink section size limit */

struct rt_elf_info {
	uint64_t memsz;
	bool is_pic;
	uint8_t *build_id; /* malloc'd, NULL when the object has none */
	size_t build_id_len;
	char *debug_link; /* malloc'd file name, NULL when the object has none */
	uint32_t debug_link_crc;
};

/*
 * Reads the object at path (opened read-only, close-on-exec). -errno of
 * open/read, -ENOEXEC for a file that is not a well-formed ELF object of
 * our class, -ENOMEM. *ret is set only on success; free it with
 * rt_elf_info_clear().
 */
int rt_elf_info_read_file(const char *path, struct rt_elf_info *ret);
/* The same from an object already in memory (size bytes at data). */
int rt_elf_info_read_mem(const void *data, size_t size, struct rt_elf_info *ret);
void rt_elf_info_clear(struct rt_elf_info *info);
