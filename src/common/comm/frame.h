/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Framing shared by every UNIX-socket protocol of ringtrace (client ->
 * sessiond, app <-> sessiond, sessiond <-> consumerd). A message is a fixed
 * 16-byte frame followed by payload_len bytes; up to 4 descriptors travel
 * with the frame. A reply echoes the request's type and carries a status:
 * 0 on success, else a negative error code of the protocol (see each
 * protocol header). Every receiver bounds payload_len before reading it and
 * checks nr_fds against the descriptors actually received.
 */

#include <stdint.h>

struct comm_frame {
	uint32_t type;        /* command number */
	int32_t status;       /* replies: 0 or negative error code; requests: 0 */
	uint32_t payload_len; /* bytes following the frame */
	uint32_t nr_fds;      /* descriptors attached to the frame */
};

_Static_assert(sizeof(struct comm_frame) == 16, "frame layout");

int comm_send(int fd, uint32_t type, int32_t status, const void *payload, uint32_t payload_len,
	      const int *fds, unsigned nr_fds);

/*
 * Receives one message. The payload (if any) is read into a malloc'd buffer
 * returned in *ret_payload (NULL when payload_len is 0); a payload longer
 * than max_payload_len gives -EMSGSIZE and the connection must be closed.
 * Received fds are stored in fds (max_fds slots); a count different from the
 * frame's nr_fds gives -EPROTO. On error every received fd is closed.
 */
int comm_recv(int fd, struct comm_frame *ret_frame, void **ret_payload, uint32_t max_payload_len,
	      int *fds, unsigned max_fds);
