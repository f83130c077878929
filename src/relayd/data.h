/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The data port (5343): one-way, no handshake, no reply. Each packet is a
 * 32-byte header (stream handle, net_seq_num, data_size, padding_size) then
 * data_size bytes, moved from the socket straight to the stream's file as
 * they arrive (socket-to-file.h), then padding_size zero bytes. A connection serves the streams of
 * one session: the first packet binds it, a packet for a stream of another session closes it. A
 * connection cut in the middle of a packet leaves no partial packet in the file.
 */

#include "connection.h"

extern const struct conn_ops data_conn_ops;
