/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The manual pages of ringtrace, opened the way lttng's `help` opens its
 * own: man(1) is executed on PAGE in the installed manual directory
 * ($RINGTRACE_MANPATH, default $prefix/share/man), with the manual pager
 * of $RINGTRACE_MAN_BIN_PATH (default: `man` found in PATH).
 */

/*
 * Replaces the process with man(1) showing PAGE(SECTION). Returns only when
 * that cannot be done: -ENOENT when the page is not installed, else the
 * errno of the failed exec (no manual pager). Nothing is printed then, so
 * the caller can fall back to its short help.
 */
int man_page_show(const char *page, unsigned section);
