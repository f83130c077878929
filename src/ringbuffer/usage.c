/* SPDX-License-Identifier: MIT */
/*
 * Buffer usage, sampled by the consumer's monitor timer: [W] minus the
 * consumer's own copy of [R] (see ringbuffer.c). The sample writes nothing
 * and takes no lock, so producers are neither locked out nor slowed (no
 * store to a line they write). [W] is loaded relaxed: it is a statistic
 * here and orders no access to packet memory. The consumer position is
 * loaded first; since [W] >= [R] at every instant and both only grow, the
 * later [W] is never below it, except in a control area some mapper
 * scribbled over, which reads as empty. Overwrite mode lets [W] lap the
 * consumer: usage is clamped to the ring size.
 */
#include "ringbuffer/ringbuffer.h"

uint64_t rb_stream_usage_bytes(const struct rb_stream *stream)
{
	uint64_t consumed = __atomic_load_n(&stream->consumer_pos, __ATOMIC_RELAXED);
	uint64_t written = __atomic_load_n(&stream->ctl->write_pos, __ATOMIC_RELAXED);
	uint64_t ring_bytes = stream->buf_mask + 1;

	if (written < consumed)
		return 0;
	return written - consumed > ring_bytes ? ring_bytes : written - consumed;
}
