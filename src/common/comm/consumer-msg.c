/* SPDX-License-Identifier: MIT */
/*
 * Human-readable names of the consumer return codes (declared in
 * common/comm/consumer-msg.h). Accepts the code either as sent in a reply
 * status (negative) or as the enum value.
 */
#include "common/comm/consumer-msg.h"

#include "common/macros.h"

static const char *const return_code_strings[_CONSUMERD_RETURN_CODE_MAX] = {
    [CONSUMERD_SUCCESS] = "Success",
    [CONSUMERD_COMMAND_SOCK_READY] = "Consumer command socket ready",
    [CONSUMERD_SUCCESS_RECV_FD] = "Consumer successfully received file descriptors",
    [CONSUMERD_ERROR_RECV_FD] = "Consumer error receiving file descriptors",
    [CONSUMERD_ERROR_RECV_CMD] = "Consumer error receiving command (unknown or unsupported)",
    [CONSUMERD_POLL_ERROR] = "Consumer poll error",
    [CONSUMERD_POLL_NVAL] = "Consumer poll on closed file descriptor",
    [CONSUMERD_POLL_HUP] = "Consumer all file descriptors hung up",
    [CONSUMERD_EXIT_SUCCESS] = "Consumer exiting normally",
    [CONSUMERD_EXIT_FAILURE] = "Consumer exiting on error",
    [CONSUMERD_OUTFD_ERROR] = "Consumer error opening or writing an output file",
    [CONSUMERD_SPLICE_EBADF] = "Consumer splice: bad file descriptor",
    [CONSUMERD_SPLICE_EINVAL] = "Consumer splice: invalid argument",
    [CONSUMERD_SPLICE_ENOMEM] = "Consumer splice: out of memory",
    [CONSUMERD_SPLICE_ESPIPE] = "Consumer splice: illegal seek",
    [CONSUMERD_ENOMEM] = "Consumer out of memory",
    [CONSUMERD_ERROR_METADATA] = "Consumer error with metadata",
    [CONSUMERD_FATAL] = "Consumer fatal error",
    [CONSUMERD_RELAYD_FAIL] = "Consumer error on relay daemon connection",
    [CONSUMERD_CHANNEL_FAIL] = "Consumer channel creation failed",
    [CONSUMERD_CHAN_NOT_FOUND] = "Consumer channel not found",
    [CONSUMERD_ALREADY_SET] = "Consumer resource already set",
    [CONSUMERD_ROTATION_FAIL] = "Consumer rotation failed",
    [CONSUMERD_SNAPSHOT_FAILED] = "Consumer snapshot failed",
    [CONSUMERD_CREATE_TRACE_CHUNK_FAILED] = "Consumer trace chunk creation failed",
    [CONSUMERD_CLOSE_TRACE_CHUNK_FAILED] = "Consumer trace chunk close failed",
    [CONSUMERD_INVALID_PARAMETERS] = "Consumer received invalid parameters",
    [CONSUMERD_TRACE_CHUNK_EXISTS_LOCAL] = "Consumer trace chunk exists on local peer",
    [CONSUMERD_TRACE_CHUNK_EXISTS_REMOTE] = "Consumer trace chunk exists on remote peer",
    [CONSUMERD_UNKNOWN_TRACE_CHUNK] = "Consumer unknown trace chunk",
    [CONSUMERD_RELAYD_CLEAR_DISALLOWED] = "Relay daemon does not allow clear",
};

const char *consumer_return_code_str(int code)
{
	if (code < 0)
		code = -code;
	if (code >= (int)ARRAY_SIZE(return_code_strings) || !return_code_strings[code])
		return "Unknown consumer return code";
	return return_code_strings[code];
}
