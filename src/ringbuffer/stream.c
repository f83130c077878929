/* SPDX-License-Identifier: MIT */
/*
 * Ring buffer backend: the memfd, its control area and the mapping. The
 * owner creates and seals the memfd; every mapper (producer or consumer)
 * validates the control area against the fd before trusting any size in it,
 * then works from its own copy of the sizes (see "Untrusted control area" in
 * ringbuffer.c).
 */

#include "ringbuffer/ringbuffer.h"

#include "common/clock.h"
#include "common/io.h"
#include "common/macros.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* The CAS of [W] and [L] (rb_head_cas()) needs cmpxchg16b, absent from the first x86-64 CPUs. */
static bool rb_cpu_supported(void)
{
#if defined(__x86_64__)
	unsigned int eax, ebx, ecx, edx;

	return __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_CMPXCHG16B);
#else
	return true;
#endif
}

static bool is_power_of_two(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

static int rb_attr_validate(const struct rb_stream_attr *attr)
{
	if (!is_power_of_two(attr->subbuf_size) || attr->subbuf_size < RB_MIN_SUBBUF_SIZE ||
	    attr->subbuf_size > RB_MAX_SUBBUF_SIZE)
		return -EINVAL;
	if (!is_power_of_two(attr->num_subbuf) || attr->num_subbuf < RB_MIN_NUM_SUBBUF ||
	    attr->num_subbuf > RB_MAX_NUM_SUBBUF)
		return -EINVAL;
	/* Both bounded above, the product cannot overflow. */
	if (attr->subbuf_size * attr->num_subbuf > RB_MAX_BUFFER_SIZE)
		return -EINVAL;
	if (attr->record_header_short == 0 ||
	    attr->record_header_short > attr->record_header_long ||
	    attr->record_header_long > RB_MAX_RECORD_HEADER)
		return -EINVAL;
	/* A packet must hold its header and one long-form record with a payload. */
	if ((uint64_t)attr->header_size + attr->record_header_long >= attr->subbuf_size)
		return -EINVAL;
	if (attr->timestamp_bits == 0 || attr->timestamp_bits > 64)
		return -EINVAL;
	if (attr->overwrite > 1)
		return -EINVAL;
	return 0;
}

/* Control area bytes for num_subbuf slots, rounded up to whole pages. */
static uint64_t rb_ctl_size(uint32_t num_subbuf)
{
	uint64_t page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t bytes = offsetof(struct rb_shm_ctl, subbuf) +
	                 (uint64_t)num_subbuf * sizeof(struct rb_shm_subbuf);

	return (bytes + page_size - 1) & ~(page_size - 1);
}

/* Sub-buffer pages: one per slot, plus the consumer's spare in overwrite mode. */
static uint64_t rb_pages_size(const struct rb_stream_attr *attr)
{
	return attr->subbuf_size * (attr->num_subbuf + attr->overwrite);
}

int rb_stream_create(const struct rb_stream_attr *attr, int *ret_shm_fd, int *ret_wakeup_fd)
{
	_cleanup_close_ int shm_fd = -1, wakeup_fd = -1;
	struct rb_shm_ctl head = {
	    .magic = RB_SHM_MAGIC,
	    .version = RB_LAYOUT_VERSION,
	    .attr = *attr,
	    .clock_source = (uint32_t)rt_clock_source(),
	};
	uint64_t total_size;
	int r;

	r = rb_attr_validate(attr);
	if (r < 0)
		return r;
	head.ctl_size = rb_ctl_size(attr->num_subbuf);
	total_size = head.ctl_size + rb_pages_size(attr);

	shm_fd = memfd_create("ringtrace-rb", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (shm_fd < 0)
		return negative_errno();
	if (ftruncate(shm_fd, (off_t)total_size) < 0)
		return negative_errno();
	/*
	 * Allocate every page now: a page first touched by a producer when
	 * memory is short would kill the traced program with SIGBUS.
	 */
	r = posix_fallocate(shm_fd, 0, (off_t)total_size);
	if (r != 0)
		return -r;
	/* The rest of the control area and the data start zeroed. */
	r = pwrite_full(shm_fd, &head, sizeof(head), 0);
	if (r < 0)
		return r;
	/* Nobody may shrink it under another mapper's feet (SIGBUS). */
	if (fcntl(shm_fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
		return negative_errno();

	wakeup_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (wakeup_fd < 0)
		return negative_errno();

	*ret_shm_fd = TAKE_FD(shm_fd);
	*ret_wakeup_fd = TAKE_FD(wakeup_fd);
	return 0;
}

/*
 * Reads and validates the fixed part of the control area into *ret_head.
 * Precondition: shm_fd is sealed against shrinking, so st_size is final.
 */
static int rb_read_ctl_head(int shm_fd, struct rb_shm_ctl *ret_head, size_t *ret_map_size)
{
	struct rb_shm_ctl head;
	struct stat st;
	ssize_t n;
	int seals;

	seals = fcntl(shm_fd, F_GET_SEALS);
	if (seals < 0 || !(seals & F_SEAL_SHRINK))
		return -EINVAL;
	if (fstat(shm_fd, &st) < 0)
		return negative_errno();
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size < sizeof(head))
		return -EINVAL;

	n = pread(shm_fd, &head, sizeof(head), 0);
	if (n < 0)
		return negative_errno();
	if ((size_t)n != sizeof(head))
		return -EINVAL;

	if (head.magic != RB_SHM_MAGIC || head.version != RB_LAYOUT_VERSION)
		return -EINVAL;
	if (head.clock_source != (uint32_t)rt_clock_source())
		return -EXDEV;
	if (rb_attr_validate(&head.attr) < 0)
		return -EINVAL;
	if (head.ctl_size != rb_ctl_size(head.attr.num_subbuf))
		return -EINVAL;
	if ((uint64_t)st.st_size != head.ctl_size + rb_pages_size(&head.attr))
		return -EINVAL;

	*ret_head = head;
	*ret_map_size = (size_t)st.st_size;
	return 0;
}

int rb_stream_map(int shm_fd, int wakeup_fd, const struct rb_client_ops *ops,
                  struct rb_stream **ret_stream)
{
	_cleanup_free_ struct rb_stream *stream = NULL;
	_cleanup_close_ int wakeup_dup = -1, shm_dup = -1;
	const struct rb_stream_attr *attr;
	struct rb_shm_ctl head;
	size_t map_size;
	void *mem;
	int r;

	if (!rb_cpu_supported())
		return -ENOTSUP;
	r = rb_read_ctl_head(shm_fd, &head, &map_size);
	if (r < 0)
		return r;

	stream = calloc(1, sizeof(*stream));
	if (!stream)
		return -ENOMEM;
	if (wakeup_fd >= 0) {
		wakeup_dup = fcntl(wakeup_fd, F_DUPFD_CLOEXEC, 3);
		if (wakeup_dup < 0)
			return negative_errno();
	}
	shm_dup = fcntl(shm_fd, F_DUPFD_CLOEXEC, 3);
	if (shm_dup < 0)
		return negative_errno();
	/* Populated: producers take no page fault on their first records. */
	mem = mmap(NULL, map_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, shm_fd, 0);
	if (mem == MAP_FAILED)
		return negative_errno();

	/* Everything below comes from the validated copy, never from shm again. */
	stream->attr = head.attr;
	attr = &stream->attr;
	stream->ctl = mem;
	stream->data = (uint8_t *)mem + head.ctl_size;
	stream->map_size = map_size;
	stream->subbuf_size = attr->subbuf_size;
	stream->offset_mask = attr->subbuf_size - 1;
	stream->buf_mask = attr->subbuf_size * attr->num_subbuf - 1;
	stream->subbuf_shift = (uint32_t)__builtin_ctzll(attr->subbuf_size);
	stream->buf_shift = (uint32_t)__builtin_ctzll(attr->subbuf_size * attr->num_subbuf);
	stream->ts_high_mask = attr->timestamp_bits >= 64 ? 0 : ~0ull << attr->timestamp_bits;
	stream->header_size = attr->header_size;
	stream->record_header_short = attr->record_header_short;
	stream->record_header_long = attr->record_header_long;
	stream->max_payload =
	    (uint32_t)(attr->subbuf_size - attr->header_size - attr->record_header_long);
	stream->fast_payload_limit = attr->overwrite ? 0 : stream->max_payload + 1;
	stream->spare_page = attr->num_subbuf; /* the extra page (overwrite mode only) */
	if (ops)
		stream->ops = *ops;
	stream->wakeup_fd = TAKE_FD(wakeup_dup);
	stream->shm_fd = TAKE_FD(shm_dup);
	stream->consumer_lock_fd = -1;
	stream->consumer_pos =
	    __atomic_load_n(&stream->ctl->consumed_pos, __ATOMIC_ACQUIRE) & ~stream->offset_mask;

	*ret_stream = TAKE_PTR(stream);
	return 0;
}

void rb_stream_unmap(struct rb_stream *stream)
{
	if (!stream)
		return;
	munmap(stream->ctl, stream->map_size);
	if (stream->wakeup_fd >= 0)
		close(stream->wakeup_fd);
	/* Releases [K] when we were the consumer. */
	if (stream->consumer_lock_fd >= 0)
		close(stream->consumer_lock_fd);
	close(stream->shm_fd);
	free(stream);
}

const struct rb_stream_attr *rb_stream_get_attr(const struct rb_stream *stream)
{
	return &stream->attr;
}

int rb_stream_wakeup_fd(const struct rb_stream *stream)
{
	return stream->wakeup_fd;
}
