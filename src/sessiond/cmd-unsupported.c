/* SPDX-License-Identifier: MIT */
/*
 * Commands of the lttng protocol that this daemon knows but does not serve:
 * they get NOT_SUPPORTED and a log line saying why, rather than UND.
 */
#include "cmd.h"
#include "log.h"

int cmd_register_consumer(const struct cmd_ctx *ctx, struct cmd_reply *reply)
{
	log_warn("REGISTER_CONSUMER refused: ringtrace-sessiond spawns and manages its own "
	         "consumer daemon (see --consumerd64-path)");
	return -RINGTRACE_ERR_NOT_SUPPORTED;
}
