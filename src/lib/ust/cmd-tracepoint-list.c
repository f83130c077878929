/* SPDX-License-Identifier: MIT */
/*
 * UST_CMD_TRACEPOINT_LIST: every registered event, "provider:event" and its
 * log level (an event declared without one is listed with
 * RINGTRACE_LOGLEVEL_DEFAULT, as lttng-ust lists it), in lttng-ust's order.
 */
#include "comm-cmd.h"
#include "lib/ust/probes.h"
#include "lib/ust/record.h"

#include "common/comm/ust-wire.h"

#include <string.h>

struct list_ctx {
	struct rt_comm_cmd *cmd;
	int error;
};

static int list_event(const struct ringtrace_event_desc *desc, void *data)
{
	struct list_ctx *ctx = data;
	struct ust_tracepoint_info info;

	if (ctx->error)
		return ctx->error;
	memset(&info, 0, sizeof(info));
	if (ust_wire_event_name(desc, info.name) < 0)
		return 0; /* never recordable, not worth listing */
	info.loglevel = desc->loglevel < 0 ? RINGTRACE_LOGLEVEL_DEFAULT : desc->loglevel;
	ctx->error = rt_comm_reply_append(ctx->cmd, &info, sizeof(info));
	return ctx->error;
}

static int cmd_tracepoint_list(struct rt_comm_cmd *cmd)
{
	struct list_ctx ctx = {.cmd = cmd};

	return rt_probes_for_each_event_newest_first(list_event, &ctx);
}

const struct rt_comm_cmd_desc rt_cmd_tracepoint_list = {
    .name = "TRACEPOINT_LIST",
    .handler = cmd_tracepoint_list,
    .payload_len = 0,
    .nr_fds = 0,
};
