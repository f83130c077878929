/* SPDX-License-Identifier: MIT */
/*
 * UST_CMD_FIELD_LIST: one struct ust_field_info per field of every
 * registered event (nowrite fields included, flagged), with the event's
 * name and log level as in TRACEPOINT_LIST, in lttng-ust's order (as
 * TRACEPOINT_LIST, each event's fields last to first). An event without
 * fields is one entry whose field has an empty name, as lttng-ust lists it.
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

static int list_event_fields(const struct ringtrace_event_desc *desc, void *data)
{
	struct list_ctx *ctx = data;
	struct ust_field_info info;

	if (ctx->error)
		return ctx->error;
	memset(&info, 0, sizeof(info));
	if (ust_wire_event_name(desc, info.event_name) < 0)
		return 0;
	info.loglevel = desc->loglevel < 0 ? RINGTRACE_LOGLEVEL_DEFAULT : desc->loglevel;
	if (desc->nr_fields == 0)
		ctx->error = rt_comm_reply_append(ctx->cmd, &info, sizeof(info));
	for (uint32_t i = desc->nr_fields; i > 0 && !ctx->error; i--) {
		if (ust_wire_encode_field(&desc->fields[i - 1], &info.field) < 0)
			continue;
		ctx->error = rt_comm_reply_append(ctx->cmd, &info, sizeof(info));
	}
	return ctx->error;
}

static int cmd_field_list(struct rt_comm_cmd *cmd)
{
	struct list_ctx ctx = {.cmd = cmd};

	return rt_probes_for_each_event_newest_first(list_event_fields, &ctx);
}

const struct rt_comm_cmd_desc rt_cmd_field_list = {
    .name = "FIELD_LIST",
    .handler = cmd_field_list,
    .payload_len = 0,
    .nr_fds = 0,
};
