/* SPDX-License-Identifier: MIT */
#include "comm-cmd.h"
#include "statedump.h"

#include "common/comm/frame.h"
#include "common/macros.h"
#include "common/unix-sock.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int rt_comm_reply_append(struct rt_comm_cmd *cmd, const void *data, uint32_t len)
{
	uint64_t need = (uint64_t)cmd->reply_len + len;

	if (need > UST_MSG_MAX_PAYLOAD)
		return -E2BIG;
	if (need > cmd->reply_cap) {
		uint64_t cap = cmd->reply_cap ? cmd->reply_cap : 4096;
		void *p;

		while (cap < need)
			cap *= 2;
		if (cap > UST_MSG_MAX_PAYLOAD)
			cap = UST_MSG_MAX_PAYLOAD;
		p = realloc(cmd->reply, (size_t)cap);
		if (!p)
			return -ENOMEM;
		cmd->reply = p;
		cmd->reply_cap = (uint32_t)cap;
	}
	memcpy((uint8_t *)cmd->reply + cmd->reply_len, data, len);
	cmd->reply_len = (uint32_t)need;
	return 0;
}

static const struct rt_comm_cmd_desc *const cmd_table[_UST_CMD_MAX] = {
    [UST_CMD_REGISTER_DONE] = &rt_cmd_register_done,
    [UST_CMD_CREATE_SESSION] = &rt_cmd_create_session,
    [UST_CMD_CREATE_CHANNEL] = &rt_cmd_create_channel,
    [UST_CMD_ADD_STREAM] = &rt_cmd_add_stream,
    [UST_CMD_CREATE_ENABLER] = &rt_cmd_create_enabler,
    [UST_CMD_ENABLE] = &rt_cmd_enable,
    [UST_CMD_DISABLE] = &rt_cmd_disable,
    [UST_CMD_SESSION_START] = &rt_cmd_session_start,
    [UST_CMD_SESSION_STOP] = &rt_cmd_session_stop,
    [UST_CMD_RELEASE] = &rt_cmd_release,
    [UST_CMD_TRACEPOINT_LIST] = &rt_cmd_tracepoint_list,
    [UST_CMD_FIELD_LIST] = &rt_cmd_field_list,
    [UST_CMD_ADD_CONTEXT] = &rt_cmd_add_context,
    [UST_CMD_SET_FILTER] = &rt_cmd_set_filter,
    [UST_CMD_SESSION_STATEDUMP] = &rt_cmd_session_statedump,
};

static int cmd_apply(struct rt_comm_target *target, const struct comm_frame *frame,
                     const void *payload, int *fds, struct rt_comm_cmd *cmd)
{
	const struct rt_comm_cmd_desc *desc =
	    frame->type < ARRAY_SIZE(cmd_table) ? cmd_table[frame->type] : NULL;
	int status;

	if (!desc) {
		rt_comm_debug("%s: unknown command %u", target->label, frame->type);
		return -ENOSYS;
	}
	if (frame->payload_len < desc->payload_len ||
	    (frame->payload_len != desc->payload_len && !desc->payload_extensible) ||
	    frame->nr_fds != desc->nr_fds) {
		rt_comm_debug("%s: %s: malformed (%u bytes, %u fds)", target->label, desc->name,
		              frame->payload_len, frame->nr_fds);
		return -EINVAL;
	}
	cmd->target = target;
	cmd->payload = payload;
	cmd->payload_len = frame->payload_len;
	cmd->fds = fds;
	rt_comm_listener_lock();
	status = desc->handler(cmd);
	rt_ust_unlock();
	if (status < 0)
		rt_comm_debug("%s: %s: error %d", target->label, desc->name, status);
	return status;
}

int rt_comm_handle_one_command(struct rt_comm_target *target)
{
	struct comm_frame frame;
	_cleanup_free_ void *payload = NULL;
	int fds[UNIX_SOCK_MAX_FDS];
	struct rt_comm_cmd cmd = {0};
	bool broken;
	int status, r;

	r = comm_recv(target->cmd_fd, &frame, &payload, UST_MSG_MAX_PAYLOAD, fds, ARRAY_SIZE(fds));
	if (r < 0)
		return r;
	status = cmd_apply(target, &frame, payload, fds, &cmd);
	if (status < 0)
		cmd.reply_len = 0; /* an error reply carries no payload */
	for (unsigned i = 0; i < frame.nr_fds; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	r = comm_send(target->cmd_fd, frame.type, status, cmd.reply, cmd.reply_len, NULL, 0);
	free(cmd.reply);
	/* Dumps the command asked for run after its reply, as in lttng-ust. */
	if (r >= 0)
		rt_statedump_run_pending(target);
	/*
	 * After the reply: once released, the app may run to its end at once,
	 * and sessiond must not see it vanish before the answer. After the
	 * state dumps too: they precede the program's events.
	 */
	if (cmd.target_done_after_reply)
		rt_comm_target_done(target);
	if (r < 0)
		return r;
	rt_comm_listener_lock();
	broken = target->broken;
	rt_ust_unlock();
	return broken ? -EPIPE : 0;
}
