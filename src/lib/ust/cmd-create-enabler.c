/* SPDX-License-Identifier: MIT */
/*
 * UST_CMD_CREATE_ENABLER: a new event rule on a channel, with the exclusion
 * names that may follow the request (ust-msg.h). It starts disabled, as
 * lttng-ust's: sessiond may attach a filter (UST_CMD_SET_FILTER) before it
 * enables it (UST_CMD_ENABLE), so no event is ever recorded unfiltered.
 * Once enabled, every registered event it matches gets registered with
 * sessiond (notify socket) and a recorder in the channel (comm-sync.c);
 * providers registering later are matched when they register.
 */
#include "comm-cmd.h"

#include <errno.h>

#define EXCLUSIONS_HEAD_LEN sizeof(struct ust_cmd_enabler_exclusions)

static int cmd_create_enabler(struct rt_comm_cmd *cmd)
{
	const struct ust_cmd_enabler *req = cmd->payload;
	struct rt_ust_enabler *enabler;
	const char *tail = (const char *)cmd->payload + sizeof(*req);
	size_t tail_len = cmd->payload_len - sizeof(*req);
	struct rt_comm_channel *chan;
	uint32_t exclusion_count;
	int r;

	r = rt_enabler_check(req);
	if (r < 0)
		return r;
	r = rt_enabler_exclusions_check(tail, tail_len, &exclusion_count);
	if (r < 0)
		return r;
	chan = rt_comm_find_channel(cmd->target, req->channel_handle);
	if (!chan)
		return -ENOENT;
	if (rt_comm_handle_in_use(cmd->target, req->enabler_handle))
		return -EEXIST;
	r = rt_enabler_new(req, exclusion_count ? (const void *)(tail + EXCLUSIONS_HEAD_LEN) : NULL,
	                   exclusion_count, chan->obj, &enabler);
	if (r < 0)
		return r;
	cds_list_add_tail(&enabler->node, &cmd->target->enablers);
	return 0;
}

const struct rt_comm_cmd_desc rt_cmd_create_enabler = {
    .name = "CREATE_ENABLER",
    .handler = cmd_create_enabler,
    .payload_len = sizeof(struct ust_cmd_enabler),
    .nr_fds = 0,
    .payload_extensible = true,
};
