/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Big-endian integers in byte buffers, for the network protocols (relayd,
 * live viewer) and index files. No alignment is assumed.
 */

#include <endian.h>
#include <stdint.h>
#include <string.h>

static inline uint32_t be32_get(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return be32toh(v);
}

static inline uint64_t be64_get(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return be64toh(v);
}

static inline void be32_put(uint8_t *p, uint32_t v)
{
	v = htobe32(v);
	memcpy(p, &v, sizeof(v));
}

static inline void be64_put(uint8_t *p, uint64_t v)
{
	v = htobe64(v);
	memcpy(p, &v, sizeof(v));
}
