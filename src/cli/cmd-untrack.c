/* SPDX-License-Identifier: MIT */
/*
 * ringtrace untrack -u [-s SESSION] (--vpid|--vuid|--vgid) (VALUE[,VALUE...] | --all)
 */
#include "cli.h"
#include "tracker-opts.h"

static const char usage[] =
    "Usage: ringtrace [GENERAL OPTIONS] untrack -u [-s SESSION]\n"
    "                 (--vpid=VPID[,VPID...] | --vuid=VUID[,VUID...] | --vgid=VGID[,VGID...]\n"
    "                  | --all --vpid | --all --vuid | --all --vgid)\n"
    "\n"
    "Remove values from the inclusion sets of a session's process attribute\n"
    "trackers (default: the current session).\n"
    "\n"
    "Options:\n"
    "  -u, --userspace         User space domain\n"
    "  -s, --session=SESSION   Session instead of the current one\n"
    "  -a, --all               Track no value at all (policy `exclude all`)\n"
    "  -p, --pid[=PID,...]     Same as --vpid (user space has virtual IDs only)\n"
    "      --vpid[=VPID,...]   Virtual process IDs\n"
    "      --vuid[=VUID,...]   Virtual user IDs (or user names)\n"
    "      --vgid[=VGID,...]   Virtual group IDs (or group names)\n"
    "  -h, --help              Show this help\n";

int cmd_untrack(int argc, char **argv)
{
	return tracker_cmd_run(argc, argv, false, usage);
}
