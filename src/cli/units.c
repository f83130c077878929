/* SPDX-License-Identifier: MIT */
#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int parse_size(const char *str, uint64_t *ret_bytes)
{
	unsigned shift = 0;
	unsigned long long base;
	char *end;

	if (!str || strchr(str, '-'))
		return -1;
	errno = 0;
	base = strtoull(str, &end, 0);
	if (errno != 0 || end == str)
		return -1;
	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		end++;
		break;
	case 'M':
		shift = 20;
		end++;
		break;
	case 'G':
		shift = 30;
		end++;
		break;
	default:
		break;
	}
	if (*end != '\0' || ((base << shift) >> shift) != base)
		return -1;
	*ret_bytes = (uint64_t)base << shift;
	return 0;
}

int parse_time_us(const char *str, uint64_t *ret_us)
{
	static const struct {
		const char *suffix;
		uint64_t multiplier;
	} units[] = {
	    {"", 1},        {"us", 1},          {"ms", 1000},
	    {"s", 1000000}, {"m", 60000000ULL}, {"h", 3600000000ULL},
	};
	unsigned long long base;
	char *end;

	if (!str || strchr(str, '-'))
		return -1;
	errno = 0;
	base = strtoull(str, &end, 10);
	if (errno != 0 || end == str)
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix) != 0)
			continue;
		if (base > UINT64_MAX / units[i].multiplier)
			return -1;
		*ret_us = base * units[i].multiplier;
		return 0;
	}
	return -1;
}

int parse_count(const char *str, uint64_t *ret_count)
{
	unsigned long long v;
	char *end;

	if (!str || !isdigit((unsigned char)str[0]))
		return -1;
	errno = 0;
	v = strtoull(str, &end, 0);
	if (errno != 0 || *end != '\0')
		return -1;
	*ret_count = v;
	return 0;
}
