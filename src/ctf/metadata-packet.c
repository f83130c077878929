/* SPDX-License-Identifier: MIT */
#include "metadata-packet.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/io.h"
#include "common/macros.h"

STATIC_ASSERT(sizeof(struct ctf_metadata_packet_header) == CTF_METADATA_HEADER_SIZE,
              "metadata packet header is 37 bytes");

size_t ctf_metadata_packet_build(void *ret_packet, const uint8_t uuid[RT_UUID_LEN],
                                 const char *text, size_t len)
{
	size_t payload = len < CTF_METADATA_PAYLOAD_MAX ? len : CTF_METADATA_PAYLOAD_MAX;
	struct ctf_metadata_packet_header header = {
	    .magic = CTF_METADATA_MAGIC,
	    .content_size_bits = (uint32_t)((CTF_METADATA_HEADER_SIZE + payload) * 8),
	    .packet_size_bits = CTF_METADATA_PACKET_SIZE * 8,
	    .major = 1,
	    .minor = 8,
	};
	uint8_t *packet = ret_packet;

	memcpy(header.uuid, uuid, RT_UUID_LEN);
	memcpy(packet, &header, sizeof(header));
	memcpy(packet + CTF_METADATA_HEADER_SIZE, text, payload);
	memset(packet + CTF_METADATA_HEADER_SIZE + payload, 0, CTF_METADATA_PAYLOAD_MAX - payload);
	return payload;
}

size_t ctf_metadata_packet_count(size_t len)
{
	return len / CTF_METADATA_PAYLOAD_MAX + (len % CTF_METADATA_PAYLOAD_MAX != 0);
}

int ctf_metadata_write(int fd, const uint8_t uuid[RT_UUID_LEN], const char *text, size_t len)
{
	uint8_t packet[CTF_METADATA_PACKET_SIZE];

	while (len > 0) {
		size_t used = ctf_metadata_packet_build(packet, uuid, text, len);
		int ret = write_full(fd, packet, sizeof(packet));

		if (ret < 0)
			return ret;
		text += used;
		len -= used;
	}
	return 0;
}

static bool header_is_valid(const struct ctf_metadata_packet_header *h, size_t remaining)
{
	return h->magic == CTF_METADATA_MAGIC && h->major == 1 && h->minor == 8 &&
	       h->content_size_bits % 8 == 0 && h->packet_size_bits % 8 == 0 &&
	       h->content_size_bits >= CTF_METADATA_HEADER_SIZE * 8 &&
	       h->content_size_bits <= h->packet_size_bits && h->packet_size_bits / 8 <= remaining;
}

int ctf_metadata_read_text(const void *data, size_t size, char **ret_text, size_t *ret_len,
                           uint8_t ret_uuid[RT_UUID_LEN])
{
	const uint8_t *bytes = data;
	uint8_t uuid[RT_UUID_LEN] = {0};
	_cleanup_free_ char *text = NULL;
	size_t offset = 0, len = 0;

	/* The text is never longer than the input. */
	text = malloc(size + 1);
	if (!text)
		return -ENOMEM;
	while (offset < size) {
		struct ctf_metadata_packet_header h;

		if (size - offset < CTF_METADATA_HEADER_SIZE)
			return -EINVAL;
		memcpy(&h, bytes + offset, sizeof(h));
		if (!header_is_valid(&h, size - offset))
			return -EINVAL;
		if (offset == 0)
			memcpy(uuid, h.uuid, RT_UUID_LEN);
		else if (memcmp(uuid, h.uuid, RT_UUID_LEN) != 0)
			return -EINVAL;
		memcpy(text + len, bytes + offset + CTF_METADATA_HEADER_SIZE,
		       h.content_size_bits / 8 - CTF_METADATA_HEADER_SIZE);
		len += h.content_size_bits / 8 - CTF_METADATA_HEADER_SIZE;
		offset += h.packet_size_bits / 8;
	}
	text[len] = '\0';
	if (ret_uuid)
		memcpy(ret_uuid, uuid, RT_UUID_LEN);
	*ret_len = len;
	*ret_text = TAKE_PTR(text);
	return 0;
}
