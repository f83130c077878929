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
#include "filter/filter-glob.h"
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

static bool glob_compare(const struct filter_slot *b, const struct filter_slot *a)
{
	const struct filter_slot *pat = a->lit == LIT_GLOB ? a : b,
	                         *cand = a->lit == LIT_GLOB ? b : a;

	return filter_glob_match(pat->str, cand->str, cand->len);
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

/*
 * Threaded dispatch (labels as values): each operation jumps straight to
 * the next one's code, which keeps the branch predictor per operation.
 */
#define NEXT                                                                                       \
	do {                                                                                       \
		insn = &prog->insns[pc++];                                                         \
		goto *dispatch[insn->op];                                                          \
	} while (0)

#define CMP_INT(rel_op)                                                                            \
	do {                                                                                       \
		sp--;                                                                              \
		sp->n.v = sp->n.v rel_op sp[1].n.v;                                                \
		NEXT;                                                                              \
	} while (0)

#define FIELD_CMP_IMM(rel_op)                                                                      \
	do {                                                                                       \
		(++sp)->n.v = values[insn->arg].s64 rel_op insn->u.s64;                            \
		NEXT;                                                                              \
	} while (0)

#define BIT_OP(bit_op)                                                                             \
	do {                                                                                       \
		sp--;                                                                              \
		sp->n.v = (int64_t)((uint64_t)sp->n.v bit_op(uint64_t) sp[1].n.v);                 \
		NEXT;                                                                              \
	} while (0)

/* An application context's value, read before the run, onto the stack. */
static void load_app_context(const struct filter_ctx_value *v, struct filter_slot *s)
{
	switch (v->kind) {
	case FILTER_CTX_INTEGER:
		s->n.v = v->u.s64;
		break;
	case FILTER_CTX_DOUBLE:
		s->n.d = v->u.d;
		break;
	default:
		s->str = v->u.str;
		s->len = SIZE_MAX;
		s->lit = LIT_NONE;
		break;
	}
}

static bool program_run(const struct filter_program *prog,
                        const union ringtrace_filter_value *values,
                        const struct filter_ctx_value *app_values)
{
	static const void *const dispatch[256] = {
	    [LOP_ERROR] = &&op_error,
	    [LOP_RETURN] = &&op_return,
	    [LOP_AND] = &&op_and,
	    [LOP_OR] = &&op_or,
	    [LOP_PUSH_INT] = &&op_push_int,
	    [LOP_PUSH_DOUBLE] = &&op_push_double,
	    [LOP_PUSH_STRING] = &&op_push_string,
	    [LOP_FIELD_INT] = &&op_field_int,
	    [LOP_FIELD_DOUBLE] = &&op_field_double,
	    [LOP_FIELD_STRING] = &&op_field_string,
	    [LOP_FIELD_TEXT] = &&op_field_text,
	    [LOP_FIELD_ELEM] = &&op_field_elem,
	    [LOP_CONTEXT] = &&op_context,
	    [LOP_APP_CONTEXT] = &&op_app_context,
	    [LOP_CMP_INT_EQ] = &&op_cmp_int_eq,
	    [LOP_CMP_INT_NE] = &&op_cmp_int_ne,
	    [LOP_CMP_INT_GT] = &&op_cmp_int_gt,
	    [LOP_CMP_INT_LT] = &&op_cmp_int_lt,
	    [LOP_CMP_INT_GE] = &&op_cmp_int_ge,
	    [LOP_CMP_INT_LE] = &&op_cmp_int_le,
	    [LOP_FIELD_CMP_IMM_EQ] = &&op_field_cmp_imm_eq,
	    [LOP_FIELD_CMP_IMM_NE] = &&op_field_cmp_imm_ne,
	    [LOP_FIELD_CMP_IMM_GT] = &&op_field_cmp_imm_gt,
	    [LOP_FIELD_CMP_IMM_LT] = &&op_field_cmp_imm_lt,
	    [LOP_FIELD_CMP_IMM_GE] = &&op_field_cmp_imm_ge,
	    [LOP_FIELD_CMP_IMM_LE] = &&op_field_cmp_imm_le,
	    [LOP_CMP_DOUBLE] = &&op_cmp_double,
	    [LOP_CMP_DOUBLE_INT] = &&op_cmp_double_int,
	    [LOP_CMP_INT_DOUBLE] = &&op_cmp_int_double,
	    [LOP_CMP_STRING] = &&op_cmp_string,
	    [LOP_CMP_GLOB] = &&op_cmp_glob,
	    [LOP_BIT_RSHIFT] = &&op_shift,
	    [LOP_BIT_LSHIFT] = &&op_shift,
	    [LOP_BIT_AND] = &&op_bit_and,
	    [LOP_BIT_OR] = &&op_bit_or,
	    [LOP_BIT_XOR] = &&op_bit_xor,
	    [LOP_NEG_INT] = &&op_neg_int,
	    [LOP_NEG_DOUBLE] = &&op_neg_double,
	    [LOP_NOT_INT] = &&op_not_int,
	    [LOP_NOT_DOUBLE] = &&op_not_double,
	    [LOP_BIT_NOT] = &&op_bit_not,
	    [LOP_DOUBLE_TO_INT] = &&op_double_to_int,
	};
	/* stack[0] is never used: sp starts there, on an empty stack. */
	struct filter_slot stack[FILTER_STACK_MAX + 1];
	struct filter_slot *sp = stack; /* top */
	const struct lop_insn *insn;
	uint32_t pc = 0;

	_Static_assert(_LOP_MAX <= 256, "every operation has its dispatch entry");
	NEXT;

op_error:
	return false;
op_return:
	return sp->n.v != 0;
op_and:
	if (sp->n.v == 0)
		pc = insn->arg;
	else
		sp--;
	NEXT;
op_or:
	if (sp->n.v != 0) {
		sp->n.v = 1;
		pc = insn->arg;
	} else {
		sp--;
	}
	NEXT;
op_push_int:
	(++sp)->n.v = insn->u.s64;
	NEXT;
op_push_double:
	(++sp)->n.d = insn->u.d;
	NEXT;
op_push_string:
	++sp;
	sp->str = insn->u.str;
	sp->len = SIZE_MAX;
	sp->lit = insn->aux;
	NEXT;
op_field_int:
	(++sp)->n.v = values[insn->arg].s64;
	NEXT;
op_field_double:
	(++sp)->n.d = values[insn->arg].d;
	NEXT;
op_field_string:
	++sp;
	sp->str = values[insn->arg].str;
	if (unlikely(!sp->str))
		return false;
	sp->len = SIZE_MAX;
	sp->lit = LIT_NONE;
	NEXT;
op_field_text:
	++sp;
	sp->str = values[insn->arg].seq.ptr;
	if (unlikely(!sp->str))
		return false;
	sp->len = values[insn->arg].seq.len;
	sp->lit = LIT_NONE;
	NEXT;
op_field_elem:
	++sp;
	if (!load_elem(insn, &values[insn->arg], &sp->n.v))
		return false;
	NEXT;
op_context:
	++sp;
	if (!load_context(prog, insn, sp))
		return false;
	NEXT;
op_app_context:
	load_app_context(&app_values[insn->arg], ++sp);
	NEXT;
op_cmp_int_eq:
	CMP_INT(==);
op_cmp_int_ne:
	CMP_INT(!=);
op_cmp_int_gt:
	CMP_INT(>);
op_cmp_int_lt:
	CMP_INT(<);
op_cmp_int_ge:
	CMP_INT(>=);
op_cmp_int_le:
	CMP_INT(<=);
op_field_cmp_imm_eq:
	FIELD_CMP_IMM(==);
op_field_cmp_imm_ne:
	FIELD_CMP_IMM(!=);
op_field_cmp_imm_gt:
	FIELD_CMP_IMM(>);
op_field_cmp_imm_lt:
	FIELD_CMP_IMM(<);
op_field_cmp_imm_ge:
	FIELD_CMP_IMM(>=);
op_field_cmp_imm_le:
	FIELD_CMP_IMM(<=);
op_cmp_double:
	sp--;
	sp->n.v = rel_holds_double(insn->aux, sp->n.d, sp[1].n.d);
	NEXT;
op_cmp_double_int:
	sp--;
	sp->n.v = rel_holds_double(insn->aux, sp->n.d, (double)sp[1].n.v);
	NEXT;
op_cmp_int_double:
	sp--;
	sp->n.v = rel_holds_double(insn->aux, (double)sp->n.v, sp[1].n.d);
	NEXT;
op_cmp_string:
	sp--;
	sp->n.v = rel_holds(insn->aux, str_compare(sp, sp + 1));
	NEXT;
op_cmp_glob : {
	bool match = glob_compare(sp - 1, sp);

	sp--;
	sp->n.v = insn->aux == REL_EQ ? match : !match;
	NEXT;
}
op_shift : {
	int64_t count = sp->n.v;
	uint64_t v = (uint64_t)sp[-1].n.v;

	if (count < 0 || count >= 64)
		return false;
	sp--;
	sp->n.v = (int64_t)(insn->op == LOP_BIT_RSHIFT ? v >> count : v << count);
	NEXT;
}
op_bit_and:
	BIT_OP(&);
op_bit_or:
	BIT_OP(|);
op_bit_xor:
	BIT_OP(^);
op_neg_int:
	sp->n.v = (int64_t)(0 - (uint64_t)sp->n.v);
	NEXT;
op_neg_double:
	sp->n.d = -sp->n.d;
	NEXT;
op_not_int:
	sp->n.v = !sp->n.v;
	NEXT;
op_not_double:
	sp->n.v = !sp->n.d;
	NEXT;
op_bit_not:
	sp->n.v = (int64_t) ~(uint64_t)sp->n.v;
	NEXT;
op_double_to_int:
	sp->n.v = double_to_s64(sp->n.d);
	NEXT;
}

/*
 * Reads the application contexts once, then runs the variant linked for
 * the kinds of their values (filter-program.h). A value that cannot be
 * compared (no provider, a type lttng-ust's filters do not read, a NULL
 * string) selects a variant where reading it is an error.
 */
static __attribute__((noinline)) bool app_program_run(const struct filter_program *prog,
                                                      const union ringtrace_filter_value *values)
{
	struct filter_ctx_value app_values[FILTER_MAX_APP_CONTEXTS];
	uint32_t k = 0, scale = 1;

	for (uint32_t i = 0; i < prog->nr_app; i++, scale *= APP_NR_KINDS) {
		uint32_t kind = APP_KIND_ERROR;

		if (prog->app[i] && prog->ctx->get_app(prog->app[i], &app_values[i]) == 0 &&
		    (unsigned)app_values[i].kind <= FILTER_CTX_STRING &&
		    (app_values[i].kind != FILTER_CTX_STRING || app_values[i].u.str))
			kind = app_values[i].kind;
		k += kind * scale;
	}
	return program_run(prog->variants[k], values, app_values);
}

bool filter_program_run(const struct filter_program *prog,
                        const union ringtrace_filter_value *values)
{
	if (__builtin_expect(prog->nr_app != 0, 0))
		return app_program_run(prog, values);
	return program_run(prog, values, NULL);
}
