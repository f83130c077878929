/* SPDX-License-Identifier: MIT */
/*
 * The ELF facts of the statedump (src/lib/ust/elf-info.c): a hand-built
 * object with every fact, then each way of breaking it, then real files.
 */
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/ust/elf-info.h"

/* Layout of the built object (offsets in the file). */
#define PH_OFF    64u
#define NR_PH     3u
#define NOTE_OFF  (PH_OFF + NR_PH * sizeof(ElfW(Phdr)))
#define LINK_OFF  (NOTE_OFF + 64u) /* room for one more note */
#define STR_OFF   (LINK_OFF + 16u)
#define SH_OFF    (STR_OFF + 32u)
#define NR_SH     3u
#define FILE_SIZE (SH_OFF + NR_SH * sizeof(ElfW(Shdr)))

static const uint8_t build_id[20] = {0xde, 0xad, 0xbe, 0xef, 1,  2,  3,  4,  5,  6,
                                     7,    8,    9,    10,   11, 12, 13, 14, 15, 16};
static const char shstrtab[] = "\0.shstrtab\0.gnu_debuglink";

static uint8_t image[FILE_SIZE];

static ElfW(Ehdr) * ehdr_of(void)
{
	return (ElfW(Ehdr) *)image;
}

static ElfW(Phdr) * phdr(unsigned i)
{
	return (ElfW(Phdr) *)(image + PH_OFF) + i;
}

static ElfW(Shdr) * shdr(unsigned i)
{
	return (ElfW(Shdr) *)(image + SH_OFF) + i;
}

/* A shared object: PT_LOAD 0x1000+0x500 and 0x3000+0x234, a build id note, a debug link. */
static void build_image(void)
{
	ElfW(Ehdr) *e = ehdr_of();
	ElfW(Nhdr) note = {.n_namesz = 4, .n_descsz = sizeof(build_id), .n_type = NT_GNU_BUILD_ID};
	uint32_t crc = 0x12345678;

	memset(image, 0, sizeof(image));
	memcpy(e->e_ident, ELFMAG, SELFMAG);
	e->e_ident[EI_CLASS] = sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32;
	e->e_ident[EI_DATA] = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB;
	e->e_ident[EI_VERSION] = EV_CURRENT;
	e->e_type = ET_DYN;
	e->e_phoff = PH_OFF;
	e->e_phentsize = sizeof(ElfW(Phdr));
	e->e_phnum = NR_PH;
	e->e_shoff = SH_OFF;
	e->e_shentsize = sizeof(ElfW(Shdr));
	e->e_shnum = NR_SH;
	e->e_shstrndx = 1;
	*phdr(0) = (ElfW(Phdr)){.p_type = PT_LOAD, .p_vaddr = 0x1000, .p_memsz = 0x500};
	*phdr(1) = (ElfW(Phdr)){.p_type = PT_NOTE, .p_offset = NOTE_OFF, .p_filesz = 16 + 20};
	*phdr(2) = (ElfW(Phdr)){.p_type = PT_LOAD, .p_vaddr = 0x3000, .p_memsz = 0x234};
	memcpy(image + NOTE_OFF, &note, sizeof(note));
	memcpy(image + NOTE_OFF + sizeof(note), "GNU", 4);
	memcpy(image + NOTE_OFF + 16, build_id, sizeof(build_id));
	memcpy(image + LINK_OFF, "app.debug", 10); /* 10 bytes, crc at 12 */
	memcpy(image + LINK_OFF + 12, &crc, sizeof(crc));
	memcpy(image + STR_OFF, shstrtab, sizeof(shstrtab));
	*shdr(1) = (ElfW(Shdr)){
	    .sh_name = 1, .sh_type = SHT_STRTAB, .sh_offset = STR_OFF, .sh_size = sizeof(shstrtab)};
	*shdr(2) = (ElfW(Shdr)){
	    .sh_name = 11, .sh_type = SHT_PROGBITS, .sh_offset = LINK_OFF, .sh_size = 16};
}

static int setup(void **state)
{
	(void)state;
	build_image();
	return 0;
}

static void every_fact(void **state)
{
	struct rt_elf_info info;

	(void)state;
	assert_int_equal(rt_elf_info_read_mem(image, sizeof(image), &info), 0);
	assert_int_equal(info.memsz, 0x3234 - 0x1000);
	assert_true(info.is_pic);
	assert_int_equal(info.build_id_len, sizeof(build_id));
	assert_memory_equal(info.build_id, build_id, sizeof(build_id));
	assert_string_equal(info.debug_link, "app.debug");
	assert_int_equal(info.debug_link_crc, 0x12345678);
	rt_elf_info_clear(&info);
	assert_null(info.build_id);
	assert_null(info.debug_link);
}

static void optional_facts_absent(void **state)
{
	struct rt_elf_info info;

	(void)state;
	ehdr_of()->e_type = ET_EXEC;
	phdr(1)->p_type = PT_NULL; /* no note segment */
	ehdr_of()->e_shnum = 0;    /* stripped of its section headers */
	assert_int_equal(rt_elf_info_read_mem(image, sizeof(image), &info), 0);
	assert_false(info.is_pic);
	assert_null(info.build_id);
	assert_null(info.debug_link);
	assert_int_equal(info.memsz, 0x2234);
	rt_elf_info_clear(&info);
}

static void other_notes_skipped(void **state)
{
	struct rt_elf_info info;
	ElfW(Nhdr) abi = {.n_namesz = 4, .n_descsz = 0, .n_type = NT_GNU_ABI_TAG};

	(void)state;
	/* An empty note first: the build id note follows it, 16 bytes later. */
	memmove(image + NOTE_OFF + 16, image + NOTE_OFF, 16 + sizeof(build_id));
	memcpy(image + NOTE_OFF, &abi, sizeof(abi));
	memcpy(image + NOTE_OFF + sizeof(abi), "GNU", 4);
	phdr(1)->p_filesz = 16 + 16 + sizeof(build_id);
	assert_int_equal(rt_elf_info_read_mem(image, sizeof(image), &info), 0);
	assert_int_equal(info.build_id_len, sizeof(build_id));
	assert_memory_equal(info.build_id, "\xde\xad\xbe\xef", 4);
	rt_elf_info_clear(&info);
}

/* Every corruption gives -ENOEXEC and leaves the output alone. */
static void expect_refused(size_t size)
{
	struct rt_elf_info info = {.memsz = 77};

	assert_int_equal(rt_elf_info_read_mem(image, size, &info), -ENOEXEC);
	assert_int_equal(info.memsz, 77);
	assert_null(info.build_id);
}

static void malformed(void **state)
{
	(void)state;
	expect_refused(sizeof(ElfW(Ehdr)) - 1); /* truncated header */
	expect_refused(SH_OFF);                 /* section headers cut off */

	ehdr_of()->e_ident[EI_CLASS] = sizeof(void *) == 8 ? ELFCLASS32 : ELFCLASS64;
	expect_refused(sizeof(image));
	build_image();
	ehdr_of()->e_phentsize = 1;
	expect_refused(sizeof(image));
	build_image();
	ehdr_of()->e_phoff = UINT64_MAX - 8; /* offset overflow */
	expect_refused(sizeof(image));
	build_image();
	phdr(0)->p_type = PT_NULL;
	phdr(2)->p_type = PT_NULL; /* no PT_LOAD */
	expect_refused(sizeof(image));
	build_image();
	phdr(2)->p_memsz = UINT64_MAX; /* segment end overflow */
	expect_refused(sizeof(image));
	build_image();
	((ElfW(Nhdr) *)(image + NOTE_OFF))->n_descsz = 1000; /* past its segment */
	expect_refused(sizeof(image));
	build_image();
	phdr(1)->p_filesz = sizeof(image); /* note segment past the file */
	expect_refused(sizeof(image));
	build_image();
	memset(image + LINK_OFF, 'x', 16); /* debug link without its NUL */
	expect_refused(sizeof(image));
	build_image();
	shdr(2)->sh_size = 11; /* no room for the CRC */
	expect_refused(sizeof(image));
	build_image();
	ehdr_of()->e_shstrndx = NR_SH; /* name table out of range */
	expect_refused(sizeof(image));
	build_image();
	shdr(1)->sh_size = 5; /* the names past the end of their table */
	{
		struct rt_elf_info info;

		/* Unnamed sections are not the link: found nothing, not an error. */
		assert_int_equal(rt_elf_info_read_mem(image, sizeof(image), &info), 0);
		assert_null(info.debug_link);
		rt_elf_info_clear(&info);
	}
}

/* The build id of this very program, from its loaded notes. */
static int own_build_id(struct dl_phdr_info *dl, size_t size, void *arg)
{
	const uint8_t **ret = arg;

	(void)size;
	for (unsigned i = 0; i < dl->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &dl->dlpi_phdr[i];
		const uint8_t *p = (const uint8_t *)(dl->dlpi_addr + ph->p_vaddr);

		if (ph->p_type != PT_NOTE)
			continue;
		for (const uint8_t *end = p + ph->p_memsz; p + sizeof(ElfW(Nhdr)) <= end;) {
			const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
			const uint8_t *desc = p + sizeof(*n) + ((n->n_namesz + 3) & ~3u);

			if (n->n_type == NT_GNU_BUILD_ID && n->n_descsz == 20) {
				*ret = desc;
				return 1;
			}
			p = desc + ((n->n_descsz + 3) & ~3u);
		}
	}
	return 1; /* the first object is the program */
}

static void real_files(void **state)
{
	const uint8_t *loaded_id = NULL;
	struct rt_elf_info info;

	(void)state;
	dl_iterate_phdr(own_build_id, &loaded_id);
	assert_int_equal(rt_elf_info_read_file("/proc/self/exe", &info), 0);
	assert_true(info.memsz > 0);
	if (loaded_id) {
		assert_int_equal(info.build_id_len, 20);
		assert_memory_equal(info.build_id, loaded_id, 20);
	}
	rt_elf_info_clear(&info);
	assert_int_equal(rt_elf_info_read_file("/nonexistent/lib.so", &info), -ENOENT);
	assert_int_equal(rt_elf_info_read_file("/", &info), -ENOEXEC);
	assert_int_equal(rt_elf_info_read_file("/proc/self/status", &info), -ENOEXEC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(every_fact, setup),
	    cmocka_unit_test_setup(optional_facts_absent, setup),
	    cmocka_unit_test_setup(other_notes_skipped, setup),
	    cmocka_unit_test_setup(malformed, setup),
	    cmocka_unit_test(real_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
