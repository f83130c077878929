/* SPDX-License-Identifier: MIT */
#include "live-wire.h"

#include <errno.h>

#include "common/be-bytes.h"

static const int payload_sizes[_LIVE_COMMAND_MAX] = {
    [LIVE_CONNECT] = 20,        [LIVE_LIST_SESSIONS] = 0,  [LIVE_ATTACH_SESSION] = 20,
    [LIVE_GET_NEXT_INDEX] = 8,  [LIVE_GET_PACKET] = 20,    [LIVE_GET_METADATA] = 8,
    [LIVE_GET_NEW_STREAMS] = 8, [LIVE_CREATE_SESSION] = 0, [LIVE_DETACH_SESSION] = 8,
};

int live_header_parse(const uint8_t *buf, size_t len, struct live_header *ret)
{
	if (len != LIVE_HEADER_SIZE)
		return -EINVAL;
	ret->data_size = be64_get(buf);
	ret->cmd = be32_get(buf + 8);
	ret->cmd_version = be32_get(buf + 12);
	return 0;
}

int live_payload_size(uint32_t cmd)
{
	if (cmd == 0 || cmd >= _LIVE_COMMAND_MAX)
		return -EINVAL;
	return payload_sizes[cmd];
}

int live_connect_parse(const uint8_t *buf, size_t len, struct live_connect *ret)
{
	if (len != 20)
		return -EINVAL;
	ret->viewer_session_id = be64_get(buf);
	ret->major = be32_get(buf + 8);
	ret->minor = be32_get(buf + 12);
	ret->type = be32_get(buf + 16);
	return 0;
}

int live_attach_parse(const uint8_t *buf, size_t len, struct live_attach *ret)
{
	if (len != 20)
		return -EINVAL;
	ret->session_id = be64_get(buf);
	ret->offset = be64_get(buf + 8);
	ret->seek = be32_get(buf + 16);
	return 0;
}

int live_get_packet_parse(const uint8_t *buf, size_t len, struct live_get_packet *ret)
{
	if (len != 20)
		return -EINVAL;
	ret->stream_id = be64_get(buf);
	ret->offset = be64_get(buf + 8);
	ret->len = be32_get(buf + 16);
	return 0;
}
