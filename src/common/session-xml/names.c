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

const char *const session_xml_context_types[42] = {
    [RINGTRACE_EVENT_CONTEXT_PID] = "PID",
    [RINGTRACE_EVENT_CONTEXT_PROCNAME] = "PROCNAME",
    [RINGTRACE_EVENT_CONTEXT_PRIO] = "PRIO",
    [RINGTRACE_EVENT_CONTEXT_NICE] = "NICE",
    [RINGTRACE_EVENT_CONTEXT_VPID] = "VPID",
    [RINGTRACE_EVENT_CONTEXT_TID] = "TID",
    [RINGTRACE_EVENT_CONTEXT_VTID] = "VTID",
    [RINGTRACE_EVENT_CONTEXT_PPID] = "PPID",
    [RINGTRACE_EVENT_CONTEXT_VPPID] = "VPPID",
    [RINGTRACE_EVENT_CONTEXT_PTHREAD_ID] = "PTHREAD_ID",
    [RINGTRACE_EVENT_CONTEXT_HOSTNAME] = "HOSTNAME",
    [RINGTRACE_EVENT_CONTEXT_IP] = "IP",
    [RINGTRACE_EVENT_CONTEXT_INTERRUPTIBLE] = "INTERRUPTIBLE",
    [RINGTRACE_EVENT_CONTEXT_PREEMPTIBLE] = "PREEMPTIBLE",
    [RINGTRACE_EVENT_CONTEXT_NEED_RESCHEDULE] = "NEED_RESCHEDULE",
    [RINGTRACE_EVENT_CONTEXT_MIGRATABLE] = "MIGRATABLE",
    [RINGTRACE_EVENT_CONTEXT_CALLSTACK_KERNEL] = "CALLSTACK_KERNEL",
    [RINGTRACE_EVENT_CONTEXT_CALLSTACK_USER] = "CALLSTACK_USER",
    [RINGTRACE_EVENT_CONTEXT_CGROUP_NS] = "CGROUP_NS",
    [RINGTRACE_EVENT_CONTEXT_IPC_NS] = "IPC_NS",
    [RINGTRACE_EVENT_CONTEXT_MNT_NS] = "MNT_NS",
    [RINGTRACE_EVENT_CONTEXT_NET_NS] = "NET_NS",
    [RINGTRACE_EVENT_CONTEXT_PID_NS] = "PID_NS",
    [RINGTRACE_EVENT_CONTEXT_USER_NS] = "USER_NS",
    [RINGTRACE_EVENT_CONTEXT_UTS_NS] = "UTS_NS",
    [RINGTRACE_EVENT_CONTEXT_UID] = "UID",
    [RINGTRACE_EVENT_CONTEXT_EUID] = "EUID",
    [RINGTRACE_EVENT_CONTEXT_SUID] = "SUID",
    [RINGTRACE_EVENT_CONTEXT_GID] = "GID",
    [RINGTRACE_EVENT_CONTEXT_EGID] = "EGID",
    [RINGTRACE_EVENT_CONTEXT_SGID] = "SGID",
    [RINGTRACE_EVENT_CONTEXT_VUID] = "VUID",
    [RINGTRACE_EVENT_CONTEXT_VEUID] = "VEUID",
    [RINGTRACE_EVENT_CONTEXT_VSUID] = "VSUID",
    [RINGTRACE_EVENT_CONTEXT_VGID] = "VGID",
    [RINGTRACE_EVENT_CONTEXT_VEGID] = "VEGID",
    [RINGTRACE_EVENT_CONTEXT_VSGID] = "VSGID",
    [RINGTRACE_EVENT_CONTEXT_TIME_NS] = "TIME_NS",
};

_Static_assert(sizeof(session_xml_context_types) / sizeof(session_xml_context_types[0]) ==
                   _RINGTRACE_EVENT_CONTEXT_MAX,
               "one <type> word per context type");

int session_xml_lookup(const char *const *table, size_t count, const char *value)
{
	for (size_t i = 0; i < count; i++) {
		if (table[i] && strcmp(table[i], value) == 0)
			return (int)i;
	}
	return -1;
}
