/* SPDX-License-Identifier: MIT */
#include "test-filter-util.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "filter/filter-compile.h"

static uint8_t hex_digit(char c)
{
	return (uint8_t)(c <= '9' ? c - '0' : c - 'a' + 10);
}

void filter_expect_bytes(const char *expression, uint32_t reloc_table_offset, const char *data_hex)
{
	size_t len = strlen(data_hex) / 2;
	uint8_t *expected = malloc(len + 1);
	struct filter_bytecode *b = NULL;
	struct filter_error err = {0};
	int r;

	assert_non_null(expected);
	for (size_t i = 0; i < len; i++)
		expected[i] =
		    (uint8_t)(hex_digit(data_hex[2 * i]) << 4 | hex_digit(data_hex[2 * i + 1]));
	r = filter_compile(expression, &b, &err);
	if (r != 0)
		fail_msg("'%s' refused (%d) at %zu: %s", expression, r, err.offset, err.message);
	if (b->len != len || memcmp(b->data, expected, len) != 0) {
		char got[2 * 1024 + 1] = "";

		for (size_t i = 0; i < b->len && i < 1024; i++)
			sprintf(got + 2 * i, "%02x", (uint8_t)b->data[i]);
		fail_msg("'%s':\n expected %s\n got      %s", expression, data_hex, got);
	}
	assert_int_equal(b->reloc_table_offset, reloc_table_offset);
	assert_int_equal(b->seqnum, 0);
	for (size_t i = 0; i < sizeof(b->padding); i++)
		assert_int_equal(b->padding[i], 0);
	assert_int_equal(filter_bytecode_size(b), 48 + len);
	free(b);
	free(expected);
}

void filter_expect_case(const struct filter_case *c)
{
	filter_expect_bytes(c->expression, c->reloc_table_offset, c->data_hex);
}

void filter_expect_error(const char *expression, size_t offset, const char *message_part)
{
	struct filter_bytecode *b = NULL;
	struct filter_error err = {0};
	int r;

	r = filter_compile(expression, &b, &err);
	if (r != -EINVAL)
		fail_msg("'%s': expected -EINVAL, got %d", expression, r);
	assert_null(b);
	if (err.offset != offset)
		fail_msg("'%s': error at %zu, expected %zu (%s)", expression, err.offset, offset,
		         err.message);
	if (!strstr(err.message, message_part))
		fail_msg("'%s': message \"%s\" lacks \"%s\"", expression, err.message,
		         message_part);
}
