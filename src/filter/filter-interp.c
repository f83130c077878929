/* SPDX-License-Identifier: MIT */
/*
 * Running a linked program (filter-program.h). Types were resolved at
 * link time, so each operation knows its operands; the stack depth never
 * exceeds FILTER_STACK_MAX (validated) and every LOP_FIELD_* index is a
 * field of the event it was linked for.
 */
#include <byteswap.h>
#include <string.h>

#include "common/macros.h"
#include "filter/filter-program.h"
#include "filter/filter-validate.h"

static bool rel_holds(uint8_t rel, int c)
{
	switch (rel) {
	case REL_EQ:
		return c == 0;
	case REL_NE:
		return c != 0;
	case REL_GT:
		return c > 0;
	case REL_LT:
		return c < 0;
	case REL_GE:
		return c >= 0;
	default:
		return c <= 0;
	}
}

/* C's conversion, with what x86 gives where C leaves it undefined. */
static int64_t double_to_s64(double d)
{
	if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
		return INT64_MIN;
	return (int64_t)d;
}

static bool rel_holds_double(uint8_t rel, double b, double a)
{
	switch (rel) {
	case REL_EQ:
		return b == a;
	case REL_NE:
		return b != a;
	case REL_GT:
		return b > a;
	case REL_LT:
		return b < a;
	case REL_GE:
		return b >= a;
	default:
		return b <= a;
	}
}

enum lit_char {
	LIT_CHAR_PLAIN,      /* compare the character (escaped or not) */
	LIT_CHAR_STAR,       /* an unescaped '*': the rest matches */
	LIT_CHAR_BAD_ESCAPE, /* a backslash before anything but '*' or '\' */
};

/* Reads one character of a plain literal, moving past an escaping backslash. */
static enum lit_char lit_char(const char **p)
{
	if (**p == '*')
		return LIT_CHAR_STAR;
	if (**p != '\\')
		return LIT_CHAR_PLAIN;
	(*p)++;
	return **p == '*' || **p == '\\' ? LIT_CHAR_PLAIN : LIT_CHAR_BAD_ESCAPE;
}

static bool at_end(const struct filter_slot *s, const char *p)
{
	return (size_t)(p - s->str) >= s->len || *p == '\0';
}

/* Three-way comparison of b (below) with a (top), lttng-ust's rules. */
static int str_compare(const struct filter_slot *b, const struct filter_slot *a)
{
	const char *p = b->str, *q = a->str;

	for (;;) {
		bool bad_escape_p = false;
		int diff;

		if (at_end(b, p)) {
			if (at_end(a, q))
				return 0;
			return a->lit == LIT_PLAIN && lit_char(&q) == LIT_CHAR_STAR ? 0 : -1;
		}
		if (at_end(a, q))
			return b->lit == LIT_PLAIN && lit_char(&p) == LIT_CHAR_STAR ? 0 : 1;
		if (b->lit == LIT_PLAIN) {
			enum lit_char c = lit_char(&p);

			if (c == LIT_CHAR_STAR)
				return 0;
			bad_escape_p = c == LIT_CHAR_BAD_ESCAPE;
		}
		if (a->lit == LIT_PLAIN) {
			enum lit_char c = lit_char(&q);

			if (c == LIT_CHAR_STAR)
				return 0;
			if (c == LIT_CHAR_BAD_ESCAPE) {
				if (!bad_escape_p)
					return -1;
			} else if (bad_escape_p) {
				return 1;
			}
		} else if (bad_escape_p) {
			return 1;
		}
		diff = (int)(signed char)*p - (int)(signed char)*q;
		if (diff != 0)
			return diff;
		p++;
		q++;
	}
}

/*
 * Star-glob match of a candidate (len bytes at most, or up to its NUL)
 * against a NUL-terminated pattern: '*' matches any run, '\' makes the
 * next character literal. On a mismatch after a star, the star takes one
 * more candidate character and matching resumes after it.
 */
static bool glob_match(const char *pattern, const char *cand, size_t len)
{
	const char *retry_c = cand, *retry_p = pattern, *c, *p;
	bool star = false;

retry:
	c = retry_c;
	p = retry_p;
	while ((size_t)(c - cand) < len && *c != '\0') {
		if (*p == '*') {
			star = true;
			retry_c = c;
			retry_p = p + 1;
			if (*retry_p == '\0')
				return true;
			goto retry;
		}
		if (*p == '\\')
			p++;
		if (*p == '\0' || *c != *p) {
			if (!star)
				return false;
			retry_c++;
			goto retry;
		}
		c++;
		p++;
	}
	return *p == '\0' || (p[0] == '*' && p[1] == '\0');
}

static bool glob_compare(const struct filter_slot *b, const struct filter_slot *a)
{
	const struct filter_slot *pat = a->lit == LIT_GLOB ? a : b, *cand = a->lit == LIT_GLOB ? b : a;

	return glob_match(pat->str, cand->str, cand->len);
}

/* Element u.index of an integer array or sequence; false on error. */
static bool load_elem(const struct lop_insn *insn, const union ringtrace_filter_value *v,
                      int64_t *ret)
{
	unsigned size = insn->aux & ELEM_SIZE_MASK;
	const char *ptr = v->seq.ptr;
	uint64_t raw = 0;

	if (!ptr || ((insn->aux & ELEM_SEQUENCE) && insn->u.index >= v->seq.len))
		return false;
	ptr += insn->u.index * size;
	switch (size) {
	case 1: {
		uint8_t x;

		memcpy(&x, ptr, 1);
		*ret = (insn->aux & ELEM_SIGNED) ? (int64_t)(int8_t)x : (int64_t)x;
		return true;
	}
	case 2: {
		uint16_t x;

		memcpy(&x, ptr, 2);
		if (insn->aux & ELEM_REVERSE)
			x = bswap_16(x);
		*ret = (insn->aux & ELEM_SIGNED) ? (int64_t)(int16_t)x : (int64_t)x;
		return true;
	}
	case 4: {
		uint32_t x;

		memcpy(&x, ptr, 4);
		if (insn->aux & ELEM_REVERSE)
			x = bswap_32(x);
		*ret = (insn->aux & ELEM_SIGNED) ? (int64_t)(int32_t)x : (int64_t)x;
		return true;
	}
	default:
		memcpy(&raw, ptr, 8);
		if (insn->aux & ELEM_REVERSE)
			raw = bswap_64(raw);
		*ret = (int64_t)raw;
		return true;
	}
}

static bool load_context(const struct filter_program *prog, const struct lop_insn *insn,
                         struct filter_slot *s)
{
	struct filter_ctx_value v;

	if (prog->ctx->get(insn->u.ctx, &v) != 0 || v.kind != (enum filter_ctx_kind)insn->aux)
		return false;
	switch (v.kind) {
	case FILTER_CTX_INTEGER:
		s->n.v = v.u.s64;
		return true;
	case FILTER_CTX_DOUBLE:
		s->n.d = v.u.d;
		return true;
	default:
		if (!v.u.str)
			return false;
		s->str = v.u.str;
		s->len = SIZE_MAX;
		s->lit = LIT_NONE;
		return true;
	}
}

bool filter_program_run(const struct filter_program *prog, const union ringtrace_filter_value *values)
{
	/* stack[0] is never used: sp starts there, on an empty stack. */
	struct filter_slot stack[FILTER_STACK_MAX + 1];
	struct filter_slot *sp = stack; /* top */
	uint32_t pc = 0;

	for (;;) {
		const struct lop_insn *insn = &prog->insns[pc++];

		switch (insn->op) {
		case LOP_ERROR:
			return false;
		case LOP_RETURN:
			return sp->n.v != 0;
		case LOP_AND:
			if (sp->n.v == 0)
				pc = insn->arg;
			else
				sp--;
			break;
		case LOP_OR:
			if (sp->n.v != 0) {
				sp->n.v = 1;
				pc = insn->arg;
			} else {
				sp--;
			}
			break;
		case LOP_PUSH_INT:
			(++sp)->n.v = insn->u.s64;
			break;
		case LOP_PUSH_DOUBLE:
			(++sp)->n.d = insn->u.d;
			break;
		case LOP_PUSH_STRING:
			++sp;
			sp->str = insn->u.str;
			sp->len = SIZE_MAX;
			sp->lit = insn->aux;
			break;
		case LOP_FIELD_INT:
			(++sp)->n.v = values[insn->arg].s64;
			break;
		case LOP_FIELD_DOUBLE:
			(++sp)->n.d = values[insn->arg].d;
			break;
		case LOP_FIELD_STRING:
			++sp;
			sp->str = values[insn->arg].str;
			if (unlikely(!sp->str))
				return false;
			sp->len = SIZE_MAX;
			sp->lit = LIT_NONE;
			break;
		case LOP_FIELD_TEXT:
			++sp;
			sp->str = values[insn->arg].seq.ptr;
			if (unlikely(!sp->str))
				return false;
			sp->len = values[insn->arg].seq.len;
			sp->lit = LIT_NONE;
			break;
		case LOP_FIELD_ELEM:
			++sp;
			if (!load_elem(insn, &values[insn->arg], &sp->n.v))
				return false;
			break;
		case LOP_CONTEXT:
			++sp;
			if (!load_context(prog, insn, sp))
				return false;
			break;
		case LOP_CMP_INT:
			sp--;
			sp->n.v = rel_holds(insn->aux, (sp->n.v > sp[1].n.v) - (sp->n.v < sp[1].n.v));
			break;
		case LOP_CMP_DOUBLE:
			sp--;
			sp->n.v = rel_holds_double(insn->aux, sp->n.d, sp[1].n.d);
			break;
		case LOP_CMP_DOUBLE_INT:
			sp--;
			sp->n.v = rel_holds_double(insn->aux, sp->n.d, (double)sp[1].n.v);
			break;
		case LOP_CMP_INT_DOUBLE:
			sp--;
			sp->n.v = rel_holds_double(insn->aux, (double)sp->n.v, sp[1].n.d);
			break;
		case LOP_CMP_STRING:
			sp--;
			sp->n.v = rel_holds(insn->aux, str_compare(sp, sp + 1));
			break;
		case LOP_CMP_GLOB: {
			bool match = glob_compare(sp - 1, sp);

			sp--;
			sp->n.v = insn->aux == REL_EQ ? match : !match;
			break;
		}
		case LOP_BIT_RSHIFT:
		case LOP_BIT_LSHIFT: {
			int64_t count = sp->n.v;
			uint64_t v = (uint64_t)sp[-1].n.v;

			if (count < 0 || count >= 64)
				return false;
			sp--;
			sp->n.v = (int64_t)(insn->op == LOP_BIT_RSHIFT ? v >> count : v << count);
			break;
		}
		case LOP_BIT_AND:
			sp--;
			sp->n.v = (int64_t)((uint64_t)sp->n.v & (uint64_t)sp[1].n.v);
			break;
		case LOP_BIT_OR:
			sp--;
			sp->n.v = (int64_t)((uint64_t)sp->n.v | (uint64_t)sp[1].n.v);
			break;
		case LOP_BIT_XOR:
			sp--;
			sp->n.v = (int64_t)((uint64_t)sp->n.v ^ (uint64_t)sp[1].n.v);
			break;
		case LOP_NEG_INT:
			sp->n.v = (int64_t)(0 - (uint64_t)sp->n.v);
			break;
		case LOP_NEG_DOUBLE:
			sp->n.d = -sp->n.d;
			break;
		case LOP_NOT_INT:
			sp->n.v = !sp->n.v;
			break;
		case LOP_NOT_DOUBLE:
			sp->n.v = !sp->n.d;
			break;
		case LOP_BIT_NOT:
			sp->n.v = (int64_t)~(uint64_t)sp->n.v;
			break;
		case LOP_DOUBLE_TO_INT:
			sp->n.v = double_to_s64(sp->n.d);
			break;
		default:
			return false;
		}
	}
}
