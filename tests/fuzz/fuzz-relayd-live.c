/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the live viewer protocol parsers (src/relayd/live-wire.h)
 * on arbitrary bytes, read as a stream of viewer requests: 16-byte header,
 * then the payload size the header claims (capped by what remains). Known
 * commands take exactly their fixed payload size; each payload is offered
 * to every parser, which must accept exactly their own sizes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/comm/relayd-wire.h"
#include "relayd/live-wire.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	while (size >= LIVE_HEADER_SIZE) {
		struct live_header h;
		struct live_connect c;
		struct live_attach a;
		struct live_get_packet g;
		uint8_t *payload;
		uint64_t id;
		size_t len;
		int expected;

		CHECK(live_header_parse(data, LIVE_HEADER_SIZE, &h) == 0);
		data += LIVE_HEADER_SIZE;
		size -= LIVE_HEADER_SIZE;
		expected = live_payload_size(h.cmd);
		CHECK(expected == -EINVAL || (expected >= 0 && expected <= 20));
		len = h.data_size < size ? (size_t)h.data_size : size;
		payload = malloc(len ? len : 1);
		CHECK(payload);
		memcpy(payload, data, len);
		CHECK((live_connect_parse(payload, len, &c) == 0) == (len == 20));
		CHECK((live_attach_parse(payload, len, &a) == 0) == (len == 20));
		CHECK((live_get_packet_parse(payload, len, &g) == 0) == (len == 20));
		CHECK((relayd_u64_parse(payload, len, &id) == 0) == (len == 8));
		free(payload);
		data += len;
		size -= len;
	}
	return 0;
}
