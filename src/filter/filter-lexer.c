/* SPDX-License-Identifier: MIT */
#include "filter-lexer.h"

#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* lttng reads constants with sscanf and these field widths. */
#define DECIMAL_MAX_DIGITS 20
#define OCTAL_MAX_DIGITS   22 /* after the leading 0 */
#define HEX_MAX_DIGITS     17 /* after "0x" */
#define FLOAT_MAX_CHARS    4096

void filter_lexer_init(struct filter_lexer *lx, const char *text, struct filter_arena *arena)
{
	*lx = (struct filter_lexer){.text = text, .length = strlen(text), .arena = arena};
}

/* ASCII only: the lexer must not depend on the locale. */
static bool is_dec(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_oct(char c)
{
	return c >= '0' && c <= '7';
}

static bool is_hex(char c)
{
	return is_dec(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
	       is_dec(c);
}

static size_t count_while(const char *s, size_t i, bool (*pred)(char))
{
	size_t start = i;

	while (pred(s[i]))
		i++;
	return i - start;
}

/* A universal character name, \uXXXX or \UXXXXXXXX: its length, or 0. */
static size_t ucn_length(const char *s, size_t i)
{
	size_t digits;

	if (s[i] != '\\' || (s[i + 1] != 'u' && s[i + 1] != 'U'))
		return 0;
	digits = s[i + 1] == 'u' ? 4 : 8;
	for (size_t k = 0; k < digits; k++) {
		if (!is_hex(s[i + 2 + k]))
			return 0;
	}
	return 2 + digits;
}

/* The identifier starting at i (its first character is not a digit), or 0. */
static size_t ident_length(const char *s, size_t i)
{
	size_t start = i, ucn;

	if (is_dec(s[i]))
		return 0;
	for (;;) {
		if (is_ident_char(s[i])) {
			i++;
		} else if ((ucn = ucn_length(s, i)) > 0) {
			i += ucn;
		} else {
			return i - start;
		}
	}
}

/* [eE][+-]?[0-9]+ (or [pP]... for hexadecimal floats) at i: its length, or 0. */
static size_t exponent_length(const char *s, size_t i, char letter)
{
	size_t j = i + 1, digits;

	if (s[i] != letter && s[i] != letter - 'a' + 'A')
		return 0;
	if (s[j] == '+' || s[j] == '-')
		j++;
	digits = count_while(s, j, is_dec);
	return digits ? j + digits - i : 0;
}

static size_t float_suffix_length(const char *s, size_t i)
{
	return s[i] == 'f' || s[i] == 'F' || s[i] == 'l' || s[i] == 'L';
}

static size_t long_suffix_length(const char *s, size_t i)
{
	if ((s[i] == 'l' && s[i + 1] == 'l') || (s[i] == 'L' && s[i + 1] == 'L'))
		return 2;
	return s[i] == 'l' || s[i] == 'L';
}

/* u, l, ll, ul, ull, lu, llu in either case, never a mixed-case ll. */
static size_t int_suffix_length(const char *s, size_t i)
{
	size_t j = i;

	if (s[j] == 'u' || s[j] == 'U')
		return 1 + long_suffix_length(s, j + 1);
	j += long_suffix_length(s, j);
	if (j > i && (s[j] == 'u' || s[j] == 'U'))
		j++;
	return j - i;
}

/*
 * The float starting at p (digits and/or '.'), or 0:
 * D+ E FS? | D* . D+ E? FS? | D+ . E? FS? (and with 'p' exponents for
 * hexadecimal mantissas, whose prefix the caller has skipped).
 */
static size_t float_length(const char *s, size_t p, bool (*digit)(char), char exponent)
{
	size_t d1 = count_while(s, p, digit), i = p + d1;

	if (s[i] == '.') {
		size_t d2 = count_while(s, i + 1, digit);

		if (d1 == 0 && d2 == 0)
			return 0;
		i += 1 + d2;
		i += exponent_length(s, i, exponent);
	} else {
		size_t e = d1 ? exponent_length(s, i, exponent) : 0;

		if (e == 0)
			return 0;
		i += e;
	}
	return i + float_suffix_length(s, i) - p;
}

/* Saturating conversion of n digits, as strtoull on them. */
static uint64_t digits_value(const char *s, size_t n, unsigned int base)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned int d = is_dec(s[i])                   ? (unsigned int)(s[i] - '0')
		                 : (s[i] >= 'a' && s[i] <= 'f') ? (unsigned int)(s[i] - 'a' + 10)
		                                                : (unsigned int)(s[i] - 'A' + 10);

		if (v > (UINT64_MAX - d) / base)
			return UINT64_MAX;
		v = v * base + d;
	}
	return v;
}

static size_t min_size(size_t a, size_t b)
{
	return a < b ? a : b;
}

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void c_locale_init(void)
{
	c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

static int float_value(struct filter_lexer *lx, size_t p, size_t len, double *ret_value)
{
	char *copy = filter_arena_strndup(lx->arena, lx->text + p, min_size(len, FLOAT_MAX_CHARS));

	if (!copy)
		return -ENOMEM;
	pthread_once(&c_locale_once, c_locale_init);
	if (!c_locale)
		return -ENOMEM;
	*ret_value = strtod_l(copy, NULL, c_locale);
	return 0;
}

static int lex_number(struct filter_lexer *lx, size_t p, struct filter_token *tok)
{
	const char *s = lx->text;
	size_t int_len = 0, flt_len, digits;
	bool hex = s[p] == '0' && (s[p + 1] == 'x' || s[p + 1] == 'X');

	if (hex) {
		digits = count_while(s, p + 2, is_hex);
		flt_len = float_length(s, p + 2, is_hex, 'p');
		flt_len = flt_len ? flt_len + 2 : 0;
		if (digits)
			int_len = 2 + digits + int_suffix_length(s, p + 2 + digits);
	}
	if (!hex || (int_len == 0 && flt_len == 0)) {
		/* Not hexadecimal after all ("0x", "0x.p1"): a 0 then an identifier. */
		hex = false;
		digits = count_while(s, p, is_dec);
		flt_len = float_length(s, p, is_dec, 'e');
		if (digits && s[p] == '0')
			digits = 1 + count_while(s, p + 1, is_oct);
		if (digits)
			int_len = digits + int_suffix_length(s, p + digits);
	}

	tok->offset = p;
	if (flt_len > int_len) {
		tok->kind = FILTER_TOK_FLOAT;
		tok->length = flt_len;
		return float_value(lx, p, flt_len, &tok->value.floating);
	}
	tok->kind = FILTER_TOK_INT;
	tok->length = int_len;
	if (hex) {
		if (s[p + 1] == 'X')
			tok->conversion_error = "a hexadecimal constant must start with \"0x\", "
			                        "lowercase";
		else
			tok->value.integer =
			    digits_value(s + p + 2, min_size(digits, HEX_MAX_DIGITS), 16);
	} else if (s[p] == '0') {
		if (digits == 1 && int_len > 1)
			tok->conversion_error = "the constant 0 cannot have a suffix";
		else
			tok->value.integer =
			    digits_value(s + p + 1, min_size(digits - 1, OCTAL_MAX_DIGITS), 8);
	} else {
		tok->value.integer = digits_value(s + p, min_size(digits, DECIMAL_MAX_DIGITS), 10);
	}
	return 0;
}

/* "..." or '...' whose opening quote is at q; the token starts at p (L prefix). */
static int lex_string(struct filter_lexer *lx, size_t p, size_t q, struct filter_token *tok,
                      struct filter_error *err)
{
	const char *s = lx->text, *end;
	char quote = s[q], *content;
	size_t n = 0;

	end = strchr(s + q + 1, quote);
	if (!end)
		return filter_error_set(err, s, q,
		                        "unterminated string: expected a closing %c before the end "
		                        "of the expression (a backslash does not escape it)",
		                        quote);
	content = filter_arena_alloc(lx->arena, (size_t)(end - (s + q)));
	if (!content)
		return -ENOMEM;
	for (const char *c = s + q + 1; c < end; c++) {
		if (*c != '\n')
			content[n++] = *c;
	}
	content[n] = '\0';
	if (quote == '\'' && n == 0)
		return filter_error_set(
		    err, s, q,
		    "empty single-quoted string: expected at least one character "
		    "(use \"\" for an empty string)");
	tok->kind = FILTER_TOK_STRING;
	tok->offset = p;
	tok->length = (size_t)(end - s) + 1 - p;
	tok->value.string = content;
	return 0;
}

/* Skips whitespace and comments. */
static void skip_blanks(struct filter_lexer *lx)
{
	const char *s = lx->text;

	for (;;) {
		char c = s[lx->pos];

		if (c == ' ' || c == '\t' || c == '\n') {
			lx->pos++;
		} else if (c == '/' && s[lx->pos + 1] == '*') {
			const char *close = strstr(s + lx->pos + 2, "*/");

			lx->pos = close ? (size_t)(close - s) + 2 : lx->length;
		} else if (c == '/' && s[lx->pos + 1] == '/') {
			const char *eol = strchr(s + lx->pos + 2, '\n');

			lx->pos = eol ? (size_t)(eol - s) + 1 : lx->length;
		} else {
			return;
		}
	}
}

struct punctuator {
	const char text[3];
	enum filter_token_kind kind;
};

/* Two-character ones first: the longest match wins. */
static const struct punctuator punctuators[] = {
    {"->", FILTER_TOK_ARROW},   {"<<", FILTER_TOK_LSHIFT}, {">>", FILTER_TOK_RSHIFT},
    {"<=", FILTER_TOK_LE},      {">=", FILTER_TOK_GE},     {"==", FILTER_TOK_EQ},
    {"!=", FILTER_TOK_NE},      {"&&", FILTER_TOK_AND},    {"||", FILTER_TOK_OR},
    {"(", FILTER_TOK_LPAREN},   {")", FILTER_TOK_RPAREN},  {"[", FILTER_TOK_LBRACKET},
    {"]", FILTER_TOK_RBRACKET}, {".", FILTER_TOK_DOT},     {"+", FILTER_TOK_PLUS},
    {"-", FILTER_TOK_MINUS},    {"*", FILTER_TOK_STAR},    {"/", FILTER_TOK_SLASH},
    {"%", FILTER_TOK_PERCENT},  {"!", FILTER_TOK_NOT},     {"~", FILTER_TOK_TILDE},
    {"<", FILTER_TOK_LT},       {">", FILTER_TOK_GT},      {"&", FILTER_TOK_AMP},
    {"^", FILTER_TOK_CARET},    {"|", FILTER_TOK_PIPE},
};

static void lex_punctuator(const char *s, size_t p, struct filter_token *tok)
{
	tok->kind = FILTER_TOK_INVALID;
	tok->length = 1;
	for (size_t i = 0; i < sizeof(punctuators) / sizeof(punctuators[0]); i++) {
		size_t n = strlen(punctuators[i].text);

		if (strncmp(s + p, punctuators[i].text, n) == 0) {
			tok->kind = punctuators[i].kind;
			tok->length = n;
			return;
		}
	}
}

int filter_lexer_next(struct filter_lexer *lx, struct filter_token *ret_token,
                      struct filter_error *err)
{
	const char *s = lx->text;
	struct filter_token tok = {0};
	size_t p, n;
	int r = 0;

	skip_blanks(lx);
	p = lx->pos;
	tok.offset = p;
	if (p >= lx->length) {
		tok.kind = FILTER_TOK_END;
	} else if (is_dec(s[p]) || (s[p] == '.' && is_dec(s[p + 1]))) {
		r = lex_number(lx, p, &tok);
	} else if (s[p] == 'L' && (s[p + 1] == '"' || s[p + 1] == '\'')) {
		r = lex_string(lx, p, p + 1, &tok, err);
	} else if (s[p] == '"' || s[p] == '\'') {
		r = lex_string(lx, p, p, &tok, err);
	} else if ((n = ident_length(s, p)) > 0) {
		/* A lone ':' is lttng's COLON token, which no rule accepts. */
		tok.kind = n == 1 && s[p] == ':' ? FILTER_TOK_INVALID : FILTER_TOK_IDENT;
		tok.length = n;
	} else if (s[p] == '$' && (n = ident_length(s, p + 1)) > 0) {
		tok.kind = FILTER_TOK_GLOBAL_IDENT;
		tok.length = 1 + n;
	} else {
		lex_punctuator(s, p, &tok);
	}
	if (r < 0)
		return r;
	lx->pos = tok.offset + tok.length;
	*ret_token = tok;
	return 0;
}

const char *filter_token_describe(enum filter_token_kind kind)
{
	switch (kind) {
	case FILTER_TOK_END:
		return "the end of the expression";
	case FILTER_TOK_INVALID:
		return "an unexpected character";
	case FILTER_TOK_IDENT:
		return "a field name";
	case FILTER_TOK_GLOBAL_IDENT:
		return "a $ name";
	case FILTER_TOK_INT:
		return "an integer";
	case FILTER_TOK_FLOAT:
		return "a floating point number";
	case FILTER_TOK_STRING:
		return "a string";
	default:
		return "an operator";
	}
}
