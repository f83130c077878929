/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * One handler per session-daemon command (cmd-*.c), found through a table
 * indexed by the command number (comm-cmd.c). The dispatcher checks the
 * payload size and descriptor count against the table before calling the
 * handler, calls it with rt_ust_lock() held, closes whatever descriptors the
 * handler did not take, and sends the reply: the handler's return value as
 * status (0 or -errno) plus the reply payload it may have set.
 */

#include "comm-conn.h"

#include <stdbool.h>
#include <stdint.h>

struct rt_comm_cmd {
	struct rt_comm_target *target;
	const void *payload;  /* payload_len bytes, or NULL when 0 */
	uint32_t payload_len; /* desc->payload_len, or more when desc->payload_extensible */
	int *fds;             /* desc->nr_fds entries; set one to -1 to keep it */
	void *reply;          /* malloc'd reply payload, freed by the dispatcher */
	uint32_t reply_len;
	uint32_t reply_cap; /* allocated bytes of reply */
	/* Release the constructor once the reply is sent (REGISTER_DONE). */
	bool target_done_after_reply;
};

/*
 * Appends len bytes to the reply payload. -E2BIG past UST_MSG_MAX_PAYLOAD
 * (what sessiond accepts), -ENOMEM.
 */
int rt_comm_reply_append(struct rt_comm_cmd *cmd, const void *data, uint32_t len);

struct rt_comm_cmd_desc {
	const char *name; /* for debug messages */
	int (*handler)(struct rt_comm_cmd *cmd);
	uint32_t payload_len;    /* exact, or the minimum when payload_extensible */
	unsigned nr_fds;         /* exact */
	bool payload_extensible; /* the handler checks what follows payload_len */
};

extern const struct rt_comm_cmd_desc rt_cmd_register_done;
extern const struct rt_comm_cmd_desc rt_cmd_create_session;
extern const struct rt_comm_cmd_desc rt_cmd_create_channel;
extern const struct rt_comm_cmd_desc rt_cmd_add_stream;
extern const struct rt_comm_cmd_desc rt_cmd_create_enabler;
extern const struct rt_comm_cmd_desc rt_cmd_enable;
extern const struct rt_comm_cmd_desc rt_cmd_disable;
extern const struct rt_comm_cmd_desc rt_cmd_session_start;
extern const struct rt_comm_cmd_desc rt_cmd_session_stop;
extern const struct rt_comm_cmd_desc rt_cmd_release;
extern const struct rt_comm_cmd_desc rt_cmd_tracepoint_list;
extern const struct rt_comm_cmd_desc rt_cmd_field_list;
extern const struct rt_comm_cmd_desc rt_cmd_add_context;
extern const struct rt_comm_cmd_desc rt_cmd_set_filter;
extern const struct rt_comm_cmd_desc rt_cmd_session_statedump;
