/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdint.h>

#define RT_UUID_LEN     16
#define RT_UUID_STR_LEN 37 /* with NUL */

/* Random (version 4) UUID from getrandom(). */
int rt_uuid_generate(uint8_t ret_uuid[RT_UUID_LEN]);
void rt_uuid_to_string(const uint8_t uuid[RT_UUID_LEN], char ret_str[RT_UUID_STR_LEN]);
