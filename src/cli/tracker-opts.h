/* SPDX-License-Identifier: MIT */
#pragma once
/*
 * What track and untrack share: the options (-u, -s, --all, --pid, --vpid, --vuid,
 * --vgid) and their application to a session's process attribute trackers.
 */
#include <stdbool.h>

/* Runs `track` (track true) or `untrack` with argv; usage is its --help text. */
int tracker_cmd_run(int argc, char **argv, bool track, const char *usage);
