/* SPDX-License-Identifier: MIT */
#include "uuid.h"

#include <errno.h>
#include <stdio.h>
#include <sys/random.h>

int rt_uuid_generate(uint8_t ret_uuid[RT_UUID_LEN])
{
	ssize_t n = getrandom(ret_uuid, RT_UUID_LEN, 0);

	if (n != RT_UUID_LEN)
		return n < 0 ? -errno : -EIO;
	ret_uuid[6] = (uint8_t)((ret_uuid[6] & 0x0f) | 0x40);
	ret_uuid[8] = (uint8_t)((ret_uuid[8] & 0x3f) | 0x80);
	return 0;
}

void rt_uuid_to_string(const uint8_t u[RT_UUID_LEN], char ret_str[RT_UUID_STR_LEN])
{
	snprintf(ret_str, RT_UUID_STR_LEN,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
		 u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
		 u[15]);
}
