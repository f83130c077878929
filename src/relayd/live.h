/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The live viewer port (5344): what babeltrace2's lttng-live source needs to
 * follow a session while it is recorded (reference/live-protocol.md).
 *
 * A viewer connection holds a reference on each session it attached, and a
 * viewer stream per relay stream it was told about, with its own position:
 * the next index entry to hand out (data) or the metadata bytes already sent
 * (metadata). Indexes and packets are read back from the files the relay
 * writes (index entries are written only once their packet is complete), so
 * a viewer only ever sees whole packets, and metadata only in the units the
 * consumer sent (each SEND_METADATA is appended at once).
 *
 * Rotations and size-limited trace files: the viewer gets RETRY while a
 * stream moves to a new trace chunk, then the new file's packets from its
 * first one (the same when a stream moves to its next trace file). Packets
 * of the old file the viewer had not asked for yet are not sent.
 */

#include "connection.h"

extern const struct conn_ops live_conn_ops;
