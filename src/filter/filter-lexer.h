/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Tokens of lttng 2.13's filter language (reference/ust-registration.md
 * section 3), as its flex lexer cuts them: longest match first.
 *
 *  - whitespace is space, tab and newline only (\r, \v, \f are errors);
 *    `/ * ... * /` (unterminated: to the end) and `//` (to the end of the
 *    line) are comments;
 *  - identifiers: [A-Za-z_:] or \uXXXX or \UXXXXXXXX, then the same or
 *    digits, kept verbatim; a lone `:` is not one; `$` + identifier is a
 *    global identifier;
 *  - integers: decimal, `0` octal, `0x` hexadecimal, with a C suffix
 *    (u, l, ll, ul, lu, ull, llu in either case, ll not mixed) that is
 *    ignored; floats: the C decimal and hexadecimal forms (plus lttng's
 *    `0x1.8` without exponent), suffix f or l;
 *  - strings: "..." (may be empty) or '...' (not empty), optionally
 *    prefixed with L; a backslash does not escape the closing quote;
 *    newlines inside are dropped; escapes are kept raw for the checker.
 *
 * Literal values follow lttng's conversions: a decimal constant reads at
 * most its first 20 digits, an octal one 22 digits after its leading 0, a
 * hexadecimal one 17 digits after "0x", each saturating at UINT64_MAX; a
 * float reads at most its first 4096 characters, as strtod in the C locale.
 * `0X...` (capital X) and a lone `0` with a suffix (`0u`) are tokens lttng
 * cannot convert: they carry an error, reported when parsed as an operand.
 */

#include <stddef.h>
#include <stdint.h>

#include "filter-ast.h"
#include "filter-error.h"

enum filter_token_kind {
	FILTER_TOK_END,
	FILTER_TOK_INVALID, /* a character no token starts with */
	FILTER_TOK_IDENT,
	FILTER_TOK_GLOBAL_IDENT,
	FILTER_TOK_INT,
	FILTER_TOK_FLOAT,
	FILTER_TOK_STRING,
	FILTER_TOK_LPAREN,
	FILTER_TOK_RPAREN,
	FILTER_TOK_LBRACKET,
	FILTER_TOK_RBRACKET,
	FILTER_TOK_DOT,
	FILTER_TOK_ARROW,
	FILTER_TOK_PLUS,
	FILTER_TOK_MINUS,
	FILTER_TOK_STAR,
	FILTER_TOK_SLASH,
	FILTER_TOK_PERCENT,
	FILTER_TOK_NOT,
	FILTER_TOK_TILDE,
	FILTER_TOK_LSHIFT,
	FILTER_TOK_RSHIFT,
	FILTER_TOK_LT,
	FILTER_TOK_GT,
	FILTER_TOK_LE,
	FILTER_TOK_GE,
	FILTER_TOK_EQ,
	FILTER_TOK_NE,
	FILTER_TOK_AMP,
	FILTER_TOK_CARET,
	FILTER_TOK_PIPE,
	FILTER_TOK_AND,
	FILTER_TOK_OR,
};

struct filter_token {
	enum filter_token_kind kind;
	size_t offset, length; /* in the expression */
	union {
		uint64_t integer;
		double floating;
		char *string; /* STRING: content in the arena, newlines dropped */
	} value;
	/* INT only: why lttng cannot convert it (then value is 0), or NULL. */
	const char *conversion_error;
};

struct filter_lexer {
	const char *text;
	size_t length, pos;
	struct filter_arena *arena;
};

void filter_lexer_init(struct filter_lexer *lx, const char *text, struct filter_arena *arena);

/*
 * The next token. Returns 0, or -EINVAL with err filled for an unterminated
 * or empty string literal, or -ENOMEM.
 */
int filter_lexer_next(struct filter_lexer *lx, struct filter_token *ret_token,
                      struct filter_error *err);

/* How a token kind is named in messages: "')'", "a number"... */
const char *filter_token_describe(enum filter_token_kind kind);
