/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the ELF reader of the state dump (src/lib/ust/elf-info.h)
 * on arbitrary bytes, as if they were a loaded object's file. It must
 * either refuse them or give facts that stay inside what it was given: a
 * build id and a debug link file name no longer than their limits.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/ust/elf-info.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rt_elf_info info;
	int r = rt_elf_info_read_mem(data, size, &info);

	CHECK(r == 0 || r == -ENOEXEC || r == -ENOMEM);
	if (r < 0)
		return 0;
	CHECK(!info.build_id == !info.build_id_len);
	CHECK(info.build_id_len <= RT_ELF_MAX_BUILD_ID && info.build_id_len <= size);
	CHECK(!info.debug_link || strlen(info.debug_link) < RT_ELF_MAX_DEBUG_LINK);
	rt_elf_info_clear(&info);
	return 0;
}
