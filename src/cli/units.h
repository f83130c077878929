/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Numbers with units on the command line, accepted as lttng accepts them.
 * Both return 0 or -1 (the caller prints lttng's "Wrong value" message).
 */

#include <stdint.h>

/* Bytes: decimal, 0x hex or 0 octal, optional k/K (KiB), M (MiB), G (GiB); no sign. */
int parse_size(const char *str, uint64_t *ret_bytes);

/* Microseconds: decimal, optional us, ms, s, m (minutes), h; no sign. */
int parse_time_us(const char *str, uint64_t *ret_us);

/* A decimal, 0x or 0 count starting with a digit ("Wrong value" otherwise). */
int parse_count(const char *str, uint64_t *ret_count);
