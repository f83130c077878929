/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the relay data port framing (common/comm/relayd-wire.h)
 * on arbitrary bytes, read as a stream of packets: 32-byte header, then
 * data_size content bytes (capped by what remains). Each header must parse
 * back to exactly the bytes it came from, and each content block is also
 * offered to the SEND_INDEX parser, its partner on the control port.
 */
#include <endian.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/comm/relayd-wire.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct relayd_data_header h;
	struct relayd_index idx;

	/* Any other length than the header's is refused. */
	CHECK(relayd_data_header_parse(data, size < RELAYD_DATA_HEADER_SIZE ? size : 0, &h) ==
	      -EINVAL);
	while (size >= RELAYD_DATA_HEADER_SIZE) {
		uint8_t *header = malloc(RELAYD_DATA_HEADER_SIZE);
		uint64_t be64;
		uint32_t be32;
		size_t len;

		CHECK(header);
		memcpy(header, data, RELAYD_DATA_HEADER_SIZE);
		CHECK(relayd_data_header_parse(header, RELAYD_DATA_HEADER_SIZE, &h) == 0);
		be64 = htobe64(h.stream_handle);
		CHECK(!memcmp(header + 8, &be64, 8));
		be64 = htobe64(h.net_seq_num);
		CHECK(!memcmp(header + 16, &be64, 8));
		be32 = htobe32(h.data_size);
		CHECK(!memcmp(header + 24, &be32, 4));
		be32 = htobe32(h.padding_size);
		CHECK(!memcmp(header + 28, &be32, 4));
		free(header);
		data += RELAYD_DATA_HEADER_SIZE;
		size -= RELAYD_DATA_HEADER_SIZE;
		len = h.data_size < size ? h.data_size : size;
		if (relayd_index_parse(data, len, &idx) == 0)
			CHECK(idx.content_size_bits <= idx.packet_size_bits);
		data += len;
		size -= len;
	}
	return 0;
}
