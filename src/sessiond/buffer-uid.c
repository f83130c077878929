/* SPDX-License-Identifier: MIT */
/*
 * Per-UID placement (buffer.h): every app of a uid and ABI shares one
 * buffer, made when the first of them needs it.
 */
#include <inttypes.h>
#include <stdio.h>

#include "buffer.h"

struct uid_key {
	uint32_t uid;
	uint32_t bits_per_long;
};

static bool uid_buffer_matches(const struct buffer *buf, const void *arg)
{
	const struct uid_key *key = arg;

	return buf->kind == BUFFER_PER_UID && buf->uid == key->uid &&
	       buf->bits_per_long == key->bits_per_long;
}

int buffer_uid_get(struct session *s, const struct buffer_owner *owner, struct buffer **ret_buf)
{
	struct uid_key key = {.uid = owner->uid, .bits_per_long = owner->bits_per_long};
	struct buffer *buf = buffer_find(s, uid_buffer_matches, &key);
	char dir[64];

	if (buf) {
		*ret_buf = buf;
		return 0;
	}
	snprintf(dir, sizeof(dir), "ust/uid/%" PRIu32 "/%" PRIu32 "-bit", owner->uid,
	         owner->bits_per_long);
	return buffer_create(s, BUFFER_PER_UID, owner, dir, ret_buf);
}
