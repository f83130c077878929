/* SPDX-License-Identifier: MIT */
/*
 * Error texts. Where lttng has the same error, the text is lttng's (users
 * and scripts know them); ringtrace's own codes say what was wrong and how
 * to fix it.
 */
#include <ringtrace/ctl.h>

static const char *const error_texts[_RINGTRACE_ERR_MAX] = {
    [RINGTRACE_OK] = "Success",
    [RINGTRACE_ERR_UNK] = "Unknown error",
    [RINGTRACE_ERR_UND] = "Undefined command",
    [RINGTRACE_ERR_UNKNOWN_DOMAIN] = "Unknown tracing domain",
    [RINGTRACE_ERR_NO_SESSION] = "No session found",
    [RINGTRACE_ERR_CREATE_DIR_FAIL] = "Create directory failed",
    [RINGTRACE_ERR_SESSION_FAIL] = "Create session failed",
    [RINGTRACE_ERR_NO_SESSIOND] = "No session daemon is available",
    [RINGTRACE_ERR_SESS_NOT_FOUND] = "Session name not found",
    [RINGTRACE_ERR_FATAL] = "Fatal error of the session daemon",
    [RINGTRACE_ERR_NOMEM] = "Not enough memory",
    [RINGTRACE_ERR_EXIST_SESS] = "Session name already exists",
    [RINGTRACE_ERR_NO_EVENT] = "Event not found",
    [RINGTRACE_ERR_CONNECT_FAIL] = "Unable to connect to Unix socket",
    [RINGTRACE_ERR_EPERM] = "Permission denied",
    [RINGTRACE_ERR_INVALID] = "Invalid parameter",
    [RINGTRACE_ERR_NO_USTCONSUMERD] = "No UST consumer detected",
    [RINGTRACE_ERR_UST_CHAN_EXIST] = "UST channel already exist",
    [RINGTRACE_ERR_UST_CHAN_NOT_FOUND] = "UST channel not found",
    [RINGTRACE_ERR_UST_CHAN_DISABLED] = "UST channel already disabled",
    [RINGTRACE_ERR_UST_CHAN_ENABLED] = "UST channel already enabled",
    [RINGTRACE_ERR_UST_EVENT_EXIST] = "UST event already exist",
    [RINGTRACE_ERR_UST_EVENT_NOT_FOUND] = "UST event not found",
    [RINGTRACE_ERR_UST_EVENT_ENABLED] = "UST event already enabled",
    [RINGTRACE_ERR_UST_LIST_FAIL] = "Listing UST events failed",
    [RINGTRACE_ERR_TRACE_ALREADY_STARTED] = "Tracing has already been started once",
    [RINGTRACE_ERR_TRACE_ALREADY_STOPPED] = "Tracing has already been stopped",
    [RINGTRACE_ERR_NEED_CHANNEL_NAME] = "Non-default channel exists within session: "
                                        "channel name needs to be specified with '-c name'",
    [RINGTRACE_ERR_FILTER_INVAL] = "Invalid filter bytecode",
    [RINGTRACE_ERR_FILTER_NOMEM] = "Not enough memory for filter bytecode",
    [RINGTRACE_ERR_SESSION_STARTED] = "Session is running",
    [RINGTRACE_ERR_NEED_ROOT_SESSIOND] =
        "Tracing the kernel requires a root ringtrace-sessiond daemon, as well as "
        "\"tracing\" group membership or root user ID for the ringtrace client",
    [RINGTRACE_ERR_CHAN_NOT_FOUND] = "Channel not found",
    [RINGTRACE_ERR_SESSION_INVALID_CHAR] = "Invalid character found in session name",
    [RINGTRACE_ERR_CONSUMERD_DIED] = "Consumer daemon died",
    [RINGTRACE_ERR_PROTOCOL] = "Protocol error occurred",
    [RINGTRACE_ERR_SUBBUF_SIZE] =
        "Invalid sub-buffer size (must be a power of 2, at least the page size)",
    [RINGTRACE_ERR_NUM_SUBBUF] = "Invalid sub-buffer count (must be a power of 2, at least 2)",
    [RINGTRACE_ERR_NAME_TOO_LONG] = "Name too long",
    [RINGTRACE_ERR_NOT_SUPPORTED] = "Operation not supported",
    [RINGTRACE_ERR_OUTPUT_PATH] = "Output path is not usable",
    [RINGTRACE_ERR_MIXED_BUFFER_TYPE] = "Buffer type mismatch for session",
    [RINGTRACE_ERR_PROCESS_ATTR_EXISTS] = "Process attribute is already tracked",
    [RINGTRACE_ERR_PROCESS_ATTR_MISSING] = "Process attribute was not tracked",
    [RINGTRACE_ERR_USER_NOT_FOUND] = "User not found",
    [RINGTRACE_ERR_GROUP_NOT_FOUND] = "Group not found",
    [RINGTRACE_ERR_SAVE_FILE_EXIST] = "Session file already exists",
    [RINGTRACE_ERR_SAVE_IO_FAIL] = "IO error while writing session configuration",
    [RINGTRACE_ERR_LOAD_INVALID_CONFIG] = "Invalid session configuration",
    [RINGTRACE_ERR_LOAD_IO_FAIL] = "IO error while reading a session configuration",
    [RINGTRACE_ERR_LOAD_SESSION_NOENT] = "Session file not found",
    [RINGTRACE_ERR_UST_CONTEXT_EXIST] = "UST context already exist",
    [RINGTRACE_ERR_UST_CONTEXT_INVAL] = "UST invalid context",
    [RINGTRACE_ERR_NOT_SNAPSHOT_SESSION] =
        "Snapshot command can't be applied to a non-snapshot session",
    [RINGTRACE_ERR_SNAPSHOT_OUTPUT_EXIST] = "Snapshot output already exists",
    [RINGTRACE_ERR_START_SESSION_ONCE] = "Session needs to be started once",
    [RINGTRACE_ERR_SNAPSHOT_FAIL] = "Snapshot record failed",
    [RINGTRACE_ERR_MAX_SIZE_INVALID] = "Snapshot max size is invalid",
    [RINGTRACE_ERR_SESSION_NOT_STARTED] = "Session not started",
    [RINGTRACE_ERR_PER_PID_SESSION] = "Per-PID recording sessions are not supported",
    [RINGTRACE_ERR_ROTATION_NOT_AVAILABLE] =
        "Rotation feature not available for this session's creation mode",
    [RINGTRACE_ERR_NO_SESSION_OUTPUT] = "Session has no output",
    [RINGTRACE_ERR_RELAYD_CONNECT_FAIL] = "Unable to connect to ringtrace-relayd",
    [RINGTRACE_ERR_RELAYD_VERSION_FAIL] = "Relay daemon not compatible",
    [RINGTRACE_ERR_RELAYD_LOST] =
        "Connection to the relay daemon lost: trace data could not all be sent",
    [RINGTRACE_ERR_APP_CONTEXT_NAME_TOO_LONG] =
        "Application context name too long (at most 255 bytes for $app.PROVIDER:CONTEXT)",
    [RINGTRACE_ERR_CONSUMER_LOST] =
        "The session's consumer daemon died: trace data not written by then is lost; "
        "destroy the session",
    [RINGTRACE_ERR_ROTATION_SCHEDULE_SET] =
        "A session rotation schedule of this type is already set on the session",
    [RINGTRACE_ERR_ROTATION_SCHEDULE_NOT_SET] =
        "No session rotation schedule of this type is set on the session",
    [RINGTRACE_ERR_ROTATION_MULTIPLE_AFTER_STOP] =
        "Session was already rotated once since it became inactive",
    [RINGTRACE_ERR_ROTATION_AFTER_STOP_CLEAR] =
        "Session was already cleared since it became inactive",
    [RINGTRACE_ERR_ROTATION_FAIL_CONSUMER] = "Rotation failure on consumer",
    [RINGTRACE_ERR_CLEAR_NOT_AVAILABLE_RELAY] =
        "Clearing a session is not supported by the relay daemon",
    [RINGTRACE_ERR_CONTEXT_UNAVAILABLE] =
        "Context unavailable on this kernel (perf_event_open() refuses this counter: "
        "no hardware PMU, or kernel.perf_event_paranoid too strict)",
};

const char *ringtrace_strerror(int code)
{
	/* Both lttng_strerror(-code) and lttng_strerror(code) styles. */
	if (code < 0)
		code = -code;
	if (code == 0)
		return error_texts[RINGTRACE_OK];
	if (code >= RINGTRACE_OK && code < _RINGTRACE_ERR_MAX && error_texts[code])
		return error_texts[code];
	return "Unknown error code";
}
