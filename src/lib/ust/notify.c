/* SPDX-License-Identifier: MIT */
/*
 * App -> sessiond notifications on the notify socket. Each request waits for
 * its reply under rt_ust_lock (which serializes the socket), bounded by the
 * socket's send/receive timeouts. A timeout or a garbled reply leaves the
 * stream in an unknown state (a late reply would be taken for the next
 * one), so any such failure breaks the whole connection: the command socket
 * is shut down, which wakes the listener thread to drop everything and
 * reconnect later.
 */
#include "comm-conn.h"

#include "common/comm/frame.h"
#include "common/comm/ust-wire.h"
#include "common/macros.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static int notify_break(struct rt_comm_target *target, int error)
{
	rt_comm_debug("%s: notify socket failed (%d), dropping the connection", target->label,
	              error);
	target->broken = true;
	if (target->cmd_fd >= 0)
		shutdown(target->cmd_fd, SHUT_RDWR);
	return error < 0 ? error : -EPROTO;
}

int rt_comm_notify_register_event(struct rt_comm_target *target,
                                  const struct ringtrace_event_desc *desc,
                                  const struct rt_comm_channel *chan, uint32_t *ret_event_id)
{
	_cleanup_free_ void *payload = NULL;
	_cleanup_free_ void *reply = NULL;
	struct ust_notify_event_reply event_reply;
	struct comm_frame frame;
	uint32_t len;
	int r;

	if (target->broken || target->notify_fd < 0)
		return -EPIPE;
	r = ust_wire_encode_event(desc, chan->session->obj->handle, chan->obj->handle, &payload,
	                          &len);
	if (r < 0)
		return r; /* this event cannot be described; the connection is fine */
	r = comm_send(target->notify_fd, UST_NOTIFY_REGISTER_EVENT, 0, payload, len, NULL, 0);
	if (r < 0)
		return notify_break(target, r);
	r = comm_recv(target->notify_fd, &frame, &reply, sizeof(event_reply), NULL, 0);
	if (r < 0)
		return notify_break(target, r);
	if (frame.type != UST_NOTIFY_REGISTER_EVENT)
		return notify_break(target, -EPROTO);
	if (frame.status < 0)
		return frame.status; /* refused by sessiond, nothing more to read */
	if (frame.status > 0 || frame.payload_len != sizeof(event_reply))
		return notify_break(target, -EPROTO);
	memcpy(&event_reply, reply, sizeof(event_reply));
	*ret_event_id = event_reply.event_id;
	return 0;
}
