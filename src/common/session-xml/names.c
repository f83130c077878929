/* SPDX-License-Identifier: MIT */
#include "names.h"

#include <ringtrace/ctl.h>
#include <string.h>

const char *const session_xml_buffer_types[3] = {
    [RINGTRACE_BUFFER_PER_PID] = "PER_PID",
    [RINGTRACE_BUFFER_PER_UID] = "PER_UID",
    [RINGTRACE_BUFFER_GLOBAL] = "GLOBAL",
};

const char *const session_xml_loglevel_types[3] = {
    [RINGTRACE_EVENT_LOGLEVEL_ALL] = "ALL",
    [RINGTRACE_EVENT_LOGLEVEL_RANGE] = "RANGE",
    [RINGTRACE_EVENT_LOGLEVEL_SINGLE] = "SINGLE",
};

const char *const session_xml_overwrite_modes[2] = {"DISCARD", "OVERWRITE"};

const char *const session_xml_output_types[2] = {
    [RINGTRACE_EVENT_SPLICE] = "SPLICE",
    [RINGTRACE_EVENT_MMAP] = "MMAP",
};

const char *const session_xml_tracker_names[3] = {
    [RINGTRACE_TRACKER_VPID] = "vpid",
    [RINGTRACE_TRACKER_VUID] = "vuid",
    [RINGTRACE_TRACKER_VGID] = "vgid",
};

int session_xml_lookup(const char *const *table, size_t count, const char *value)
{
	for (size_t i = 0; i < count; i++) {
		if (table[i] && strcmp(table[i], value) == 0)
			return (int)i;
	}
	return -1;
}
