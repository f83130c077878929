/* SPDX-License-Identifier: MIT */
/*
 * ELF facts for the statedump (elf-info.h). The object is read through a
 * small source abstraction (a file read with pread, or a buffer) so that the
 * same checked parser serves the tracer and the fuzzer. Nothing is mapped:
 * a file truncated under us gives a short read, never a SIGBUS in the app.
 */
#include "lib/ust/elf-info.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/macros.h"

struct elf_src {
	int fd;              /* >= 0: read with pread */
	const uint8_t *data; /* else: size bytes here */
	uint64_t size;
};

/* Exactly len bytes at off, which must lie inside the object. */
static int src_read(const struct elf_src *src, uint64_t off, void *buf, size_t len)
{
	if (off > src->size || len > src->size - off)
		return -ENOEXEC;
	if (src->fd < 0) {
		memcpy(buf, src->data + off, len);
		return 0;
	}
	for (size_t done = 0; done < len;) {
		ssize_t n = pread(src->fd, (char *)buf + done, len - done, (off_t)(off + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return negative_errno();
		if (n == 0)
			return -ENOEXEC; /* shrank since we measured it */
		done += (size_t)n;
	}
	return 0;
}

static int read_ehdr(const struct elf_src *src, ElfW(Ehdr) * ret)
{
	int r = src_read(src, 0, ret, sizeof(*ret));

	if (r < 0)
		return r;
	if (memcmp(ret->e_ident, ELFMAG, SELFMAG) != 0 ||
	    ret->e_ident[EI_CLASS] != (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32) ||
	    ret->e_ident[EI_DATA] !=
	        (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB))
		return -ENOEXEC;
	if (ret->e_phnum && ret->e_phentsize != sizeof(ElfW(Phdr)))
		return -ENOEXEC;
	if (ret->e_shnum && ret->e_shentsize != sizeof(ElfW(Shdr)))
		return -ENOEXEC;
	return 0;
}

/* The program headers, malloc'd in *ret_phdrs (NULL when there are none). */
static int read_phdrs(const struct elf_src *src, const ElfW(Ehdr) * ehdr, ElfW(Phdr) * *ret_phdrs)
{
	size_t len = (size_t)ehdr->e_phnum * sizeof(ElfW(Phdr));
	_cleanup_free_ ElfW(Phdr) *phdrs = NULL;
	int r;

	*ret_phdrs = NULL;
	if (len == 0)
		return 0;
	phdrs = malloc(len);
	if (!phdrs)
		return -ENOMEM;
	r = src_read(src, ehdr->e_phoff, phdrs, len);
	if (r < 0)
		return r;
	*ret_phdrs = TAKE_PTR(phdrs);
	return 0;
}

static int read_memsz(const ElfW(Phdr) * phdrs, unsigned nr_phdrs, uint64_t *ret_memsz)
{
	uint64_t low = UINT64_MAX, high = 0;

	for (unsigned i = 0; i < nr_phdrs; i++) {
		uint64_t end;

		if (phdrs[i].p_type != PT_LOAD)
			continue;
		if (__builtin_add_overflow((uint64_t)phdrs[i].p_vaddr, (uint64_t)phdrs[i].p_memsz,
		                           &end))
			return -ENOEXEC;
		if (phdrs[i].p_vaddr < low)
			low = phdrs[i].p_vaddr;
		if (end > high)
			high = end;
	}
	if (high < low)
		return -ENOEXEC; /* no PT_LOAD segment */
	*ret_memsz = high - low;
	return 0;
}

static uint64_t align4(uint64_t v)
{
	return (v + 3) & ~(uint64_t)3;
}

/* Looks for the build id among the notes in [off, end). 1 found, 0 not there, < 0 malformed. */
static int find_build_id_note(const struct elf_src *src, uint64_t off, uint64_t end,
                              struct rt_elf_info *info)
{
	while (off < end && end - off >= sizeof(ElfW(Nhdr))) {
		ElfW(Nhdr) nhdr;
		uint64_t desc_off;
		int r = src_read(src, off, &nhdr, sizeof(nhdr));

		if (r < 0)
			return r;
		desc_off = align4(off + sizeof(nhdr) + nhdr.n_namesz);
		if (desc_off > end || nhdr.n_descsz > end - desc_off)
			return -ENOEXEC;
		if (nhdr.n_type == NT_GNU_BUILD_ID) {
			if (nhdr.n_descsz == 0 || nhdr.n_descsz > RT_ELF_MAX_BUILD_ID)
				return -ENOEXEC;
			info->build_id = malloc(nhdr.n_descsz);
			if (!info->build_id)
				return -ENOMEM;
			info->build_id_len = nhdr.n_descsz;
			r = src_read(src, desc_off, info->build_id, nhdr.n_descsz);
			return r < 0 ? r : 1;
		}
		off = align4(desc_off + nhdr.n_descsz);
	}
	return 0;
}

static int read_build_id(const struct elf_src *src, const ElfW(Phdr) * phdrs, unsigned nr_phdrs,
                         struct rt_elf_info *info)
{
	for (unsigned i = 0; i < nr_phdrs; i++) {
		uint64_t end;
		int r;

		if (phdrs[i].p_type != PT_NOTE)
			continue;
		if (__builtin_add_overflow((uint64_t)phdrs[i].p_offset, (uint64_t)phdrs[i].p_filesz,
		                           &end) ||
		    end > src->size)
			return -ENOEXEC;
		r = find_build_id_note(src, phdrs[i].p_offset, end, info);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	return 0;
}

static int read_shdr(const struct elf_src *src, const ElfW(Ehdr) * ehdr, unsigned i,
                     ElfW(Shdr) * ret)
{
	return src_read(src, (uint64_t)ehdr->e_shoff + (uint64_t)i * sizeof(*ret), ret,
	                sizeof(*ret));
}

/* Whether section sh is named name in the section name table strtab. */
static int section_is_named(const struct elf_src *src, const ElfW(Shdr) * strtab,
                            const ElfW(Shdr) * sh, const char *name)
{
	size_t len = strlen(name) + 1;
	char buf[32];
	int r;

	if (sh->sh_name >= strtab->sh_size || len > strtab->sh_size - sh->sh_name)
		return 0;
	r = src_read(src, (uint64_t)strtab->sh_offset + sh->sh_name, buf, len);
	if (r < 0)
		return r;
	return memcmp(buf, name, len) == 0;
}

static int parse_debug_link(const char *content, size_t size, struct rt_elf_info *info)
{
	size_t name_len = strnlen(content, size);
	uint64_t crc_off = align4(name_len + 1);

	if (name_len == size || name_len == 0 || crc_off + sizeof(uint32_t) > size)
		return -ENOEXEC;
	info->debug_link = strndup(content, name_len);
	if (!info->debug_link)
		return -ENOMEM;
	memcpy(&info->debug_link_crc, content + crc_off, sizeof(uint32_t));
	return 0;
}

static int read_debug_link(const struct elf_src *src, const ElfW(Ehdr) * ehdr,
                           struct rt_elf_info *info)
{
	static const char name[] = ".gnu_debuglink";
	unsigned strndx = ehdr->e_shstrndx;
	ElfW(Shdr) strtab;
	int r;

	if (ehdr->e_shnum == 0 || ehdr->e_shstrndx == SHN_UNDEF)
		return 0; /* stripped of its section headers: no link to find */
	STATIC_ASSERT(sizeof(name) <= 32, "section name buffer");
	if (strndx == SHN_XINDEX) {
		ElfW(Shdr) first;

		r = read_shdr(src, ehdr, 0, &first);
		if (r < 0)
			return r;
		strndx = first.sh_link;
	}
	if (strndx >= ehdr->e_shnum)
		return -ENOEXEC;
	r = read_shdr(src, ehdr, strndx, &strtab);
	if (r < 0)
		return r;
	for (unsigned i = 0; i < ehdr->e_shnum; i++) {
		_cleanup_free_ char *content = NULL;
		ElfW(Shdr) sh;

		r = read_shdr(src, ehdr, i, &sh);
		if (r < 0)
			return r;
		if (sh.sh_type == SHT_NOBITS)
			continue;
		r = section_is_named(src, &strtab, &sh, name);
		if (r <= 0) {
			if (r < 0)
				return r;
			continue;
		}
		if (sh.sh_size > RT_ELF_MAX_DEBUG_LINK)
			return -ENOEXEC;
		content = malloc(sh.sh_size + 1);
		if (!content)
			return -ENOMEM;
		r = src_read(src, sh.sh_offset, content, sh.sh_size);
		if (r < 0)
			return r;
		return parse_debug_link(content, sh.sh_size, info);
	}
	return 0;
}

static int elf_info_read(const struct elf_src *src, struct rt_elf_info *ret)
{
	_cleanup_free_ ElfW(Phdr) *phdrs = NULL;
	struct rt_elf_info info = {0};
	ElfW(Ehdr) ehdr;
	int r;

	r = read_ehdr(src, &ehdr);
	if (r >= 0)
		r = read_phdrs(src, &ehdr, &phdrs);
	if (r >= 0)
		r = read_memsz(phdrs, ehdr.e_phnum, &info.memsz);
	if (r >= 0)
		r = read_build_id(src, phdrs, ehdr.e_phnum, &info);
	if (r >= 0)
		r = read_debug_link(src, &ehdr, &info);
	if (r < 0) {
		rt_elf_info_clear(&info);
		return r;
	}
	info.is_pic = ehdr.e_type == ET_DYN;
	*ret = info;
	return 0;
}

int rt_elf_info_read_file(const char *path, struct rt_elf_info *ret)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct elf_src src = {.fd = fd};
	struct stat st;

	if (fd < 0)
		return negative_errno();
	if (fstat(fd, &st) < 0)
		return negative_errno();
	if (!S_ISREG(st.st_mode))
		return -ENOEXEC;
	src.size = (uint64_t)st.st_size;
	return elf_info_read(&src, ret);
}

int rt_elf_info_read_mem(const void *data, size_t size, struct rt_elf_info *ret)
{
	struct elf_src src = {.fd = -1, .data = data, .size = size};

	return elf_info_read(&src, ret);
}

void rt_elf_info_clear(struct rt_elf_info *info)
{
	free(info->build_id);
	free(info->debug_link);
	*info = (struct rt_elf_info){0};
}
