/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Internal to src/ringbuffer: overwrite (flight recorder) mode, the page
 * table [T] and the consumer's spare page ("Overwrite mode" at the top of
 * ringbuffer.c).
 */

#include <stdbool.h>
#include <stdint.h>

struct rb_stream;
struct rb_subbuf;

/*
 * Producer side (any role that writes into a packet: reserver, closer,
 * deliverer, flush): the page of the packet holding pos, after making [T]
 * of its slot name that packet (O1).
 */
uint8_t *rb_ow_packet(struct rb_stream *stream, uint64_t pos);
/* O2: may the packet starting at begin be opened (its slot's previous packet delivered)? */
bool rb_ow_slot_reusable(const struct rb_stream *stream, uint64_t begin);
/*
 * O3: takes delivered packet pos out of its slot in exchange for the spare
 * page. 0 (the packet's page in *ret_page), -EAGAIN when it is not opened or
 * not delivered yet, -ESTALE when a later packet claimed its slot.
 */
int rb_ow_take(struct rb_stream *stream, uint64_t pos, struct rb_subbuf *ret_subbuf,
               uint64_t *ret_page);
/*
 * Snapshot release (S2, S3 in snapshot.c): puts page back in packet pos's
 * slot if no producer claimed the slot since rb_ow_take(); true if it did.
 * Otherwise the page becomes the spare.
 */
bool rb_ow_give_back(struct rb_stream *stream, uint64_t pos, uint64_t page);
/* Consumer side (O3..O5): same contract as rb_consumer_get_subbuf() / put. */
int rb_ow_consumer_get_subbuf(struct rb_stream *stream, struct rb_subbuf *ret_subbuf);
void rb_ow_consumer_put_subbuf(struct rb_stream *stream, const struct rb_subbuf *subbuf);
