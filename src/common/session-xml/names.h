/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The session configuration XML (session.xsd beside this file), shared by
 * its writer (ringtrace-sessiond's SAVE_SESSION) and its loader
 * (libringtrace-ctl): the words it uses for the enumerated values of the
 * control API. The document language is lttng 2.13's, so files go both
 * ways between the two tools.
 */

#include <stddef.h>

/* Name of a session file: <session name> + this suffix. */
#define SESSION_XML_FILE_SUFFIX ".lttng"
/* Folder of the per-user session files under the home directory. */
#define SESSION_XML_USER_DIR ".ringtrace/sessions"
/* Folder of the system's session files under the configuration directory. */
#define SESSION_XML_SYSTEM_DIR "ringtrace/sessions"
/* Sub-folder of both whose sessions the session daemon loads at start-up. */
#define SESSION_XML_AUTO_DIR "auto"

/* Values of <buffer_type>, indexed by enum ringtrace_buffer_type. */
extern const char *const session_xml_buffer_types[3];
/* Values of <loglevel_type>, indexed by enum ringtrace_loglevel_type. */
extern const char *const session_xml_loglevel_types[3];
/* Values of <overwrite_mode>, indexed by the channel's overwrite flag (0, 1). */
extern const char *const session_xml_overwrite_modes[2];
/* Values of <output_type>, indexed by enum ringtrace_event_output. */
extern const char *const session_xml_output_types[2];

/*
 * Values of a context's <type>, indexed by enum ringtrace_event_context_type;
 * NULL for the perf counters and application contexts, which have their
 * own elements (<perf>, <app>).
 */
extern const char *const session_xml_context_types[42];

/*
 * The process attribute trackers of user space, indexed by enum
 * ringtrace_tracker_type: "vpid" names <vpid_process_attr_tracker> and its
 * <vpid> values.
 */
extern const char *const session_xml_tracker_names[3];

/* Index of value in table[count], or -1. */
int session_xml_lookup(const char *const *table, size_t count, const char *value);
#define SESSION_XML_LOOKUP(table, value)                                                           \
	session_xml_lookup((table), sizeof(table) / sizeof((table)[0]), (value))
