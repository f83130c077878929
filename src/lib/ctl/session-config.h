/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Loading session configurations (session XML, src/common/session-xml), in
 * two steps so that a bad file changes nothing:
 *  - session_config_parse() reads a document, validates it against the
 *    schema and turns it into the descriptions below, refusing what
 *    ringtrace cannot apply (a kernel domain, network snapshot outputs...)
 *    with an error naming the element and its line;
 *  - session_config_apply() issues the ordinary control commands that
 *    recreate one session, and destroys it again if any of them fails.
 */

#include <ringtrace/ctl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What went wrong, for the user: "FILE:LINE: element <x>: reason". */
struct config_error {
	char text[1024];
};

struct config_event {
	struct ringtrace_event event; /* name, loglevel type and level */
	bool enabled;
	char *filter; /* NULL when none */
	uint32_t exclusion_count;
	char **exclusions;
	int line;
};

struct config_context {
	struct ringtrace_event_context ctx; /* a built-in type or a per-thread perf counter */
	char symbol[2 * RINGTRACE_SYMBOL_NAME_LEN + 16]; /* how the file names it, for messages */
	int line;
};

struct config_channel {
	struct ringtrace_channel chan; /* name, attributes (defaults where absent) */
	bool enabled;
	struct config_event *events;
	size_t event_count;
	struct config_context *contexts; /* in the file's order */
	size_t context_count;
	int line;
};

struct config_tracker {
	bool present; /* restricts: an inclusion set (possibly empty) */
	uint32_t count;
	struct ringtrace_tracker_value *values; /* ids and names, in the file's order */
	int line;
};

/* A snapshot session's output (<snapshot_outputs>: one at most, as lttng). */
struct config_snapshot_output {
	bool present;
	char name[RINGTRACE_NAME_MAX + 1];
	uint64_t max_size;
	char *path; /* NULL: the daemon's default */
	int line;
};

struct config_session {
	char name[RINGTRACE_NAME_MAX + 1];
	bool started;
	bool snapshot_mode;
	char *output_path; /* NULL: the daemon's default; unused in snapshot mode */
	/* <net_output>: the relay daemon's endpoints (output_path NULL), else NULL. */
	char *control_uri;
	char *data_uri;
	uint32_t live_timer_us; /* <live_timer_interval> of the session, 0: not live */
	struct config_snapshot_output snapshot;
	uint64_t rotation_timer_us;   /* <rotation_schedules>, 0: none */
	uint64_t rotation_size_bytes; /* 0: none */
	int rotation_line;
	bool has_ust_domain;
	enum ringtrace_buffer_type buffer_type;
	struct config_channel *channels;
	size_t channel_count;
	struct config_tracker trackers[_RINGTRACE_TRACKER_MAX];
	char file[RINGTRACE_PATH_MAX];
	int line;
};

struct config_document {
	struct config_session *sessions;
	size_t count;
};

/*
 * Parses the document data[size] read from file (named in messages).
 * Returns 0, or -RINGTRACE_ERR_LOAD_IO_FAIL (not well-formed XML),
 * -RINGTRACE_ERR_LOAD_INVALID_CONFIG (not valid against the schema, or a
 * value out of range), -RINGTRACE_ERR_NOT_SUPPORTED (valid, but asking for
 * something ringtrace cannot do), -RINGTRACE_ERR_NOMEM, with *err set.
 */
int session_config_parse(const char *file, const void *data, size_t size,
                         struct config_document *ret_doc, struct config_error *err);
void session_config_document_free(struct config_document *doc);

/*
 * Creates session s as described (its name replaced by name when not NULL,
 * its output by output_url when not NULL) and starts it if it was started.
 * On failure, whatever was created is destroyed and *err says which element
 * could not be applied.
 */
int session_config_apply(const struct config_session *s, const char *name, const char *output_url,
                         struct config_error *err);

/*
 * Whether the session daemon accepts everything session_config_apply()
 * would ask for, by applying s (not started) to a scratch session of
 * another name, destroyed afterwards: before a session is replaced by a
 * loaded one, so that a refused file leaves the old session in place. A
 * session streamed to a relay daemon is checked as a local one (the relay
 * never sees the scratch session): its relay is reached by the apply only.
 */
int session_config_check(const struct config_session *s, const char *name, const char *output_url,
                         struct config_error *err);

/* The schema every document is validated against (session.xsd, embedded). */
extern const unsigned char session_xsd_data[];
extern const size_t session_xsd_size;
