/* SPDX-License-Identifier: MIT */
/*
 * Recognizing a linked program as a decision graph of clauses
 * (filter-clauses.h), and evaluating the clauses that need a call
 * (contexts, globs).
 *
 * The builder walks the program the way the interpreter runs it. A clause
 * starts on an empty stack and is a straight run of operations that leaves
 * one integer on it: `value`, `value constant COMPARE`, `constant value
 * COMPARE`, or a fused FIELD_CMP_IMM. After it come only AND, OR and
 * RETURN, whose effect on a known truth value is followed, jumps
 * included: each ends at the verdict or pops the value, leaving an empty
 * stack for the next clause. Any other operation on any path means the
 * program is not of that shape. Jumps only go forward, so the graph has no
 * cycle.
 */
#include "filter/filter-clauses.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "filter/filter-glob.h"
#include "filter/filter-program.h"

/* One operand of a comparison: a value to load, or a constant. */
struct operand {
	bool is_load;
	uint8_t load; /* enum filter_clause_load */
	uint8_t type; /* enum operand_type */
	uint8_t lit;  /* constant string: enum filter_lit */
	uint32_t index;
	const void *ctx;
	uint32_t ctx_kind;
	int64_t s64;
	double d;
	const char *str;
};

enum operand_type { OT_INT, OT_DOUBLE, OT_STRING };

struct builder {
	const struct filter_program *prog;
	int16_t *clause_at; /* per operation: 1 + index of the clause starting there, or 0 */
	uint32_t pc[FILTER_CLAUSES_MAX];
	struct filter_clause clause[FILTER_CLAUSES_MAX];
	uint32_t nr;
	size_t text_bytes; /* unescaped literals, NULs included */
};

static bool operand_parse(const struct lop_insn *insn, struct operand *o)
{
	static const uint8_t ctx_types[] = {[FILTER_CTX_INTEGER] = OT_INT,
	                                    [FILTER_CTX_DOUBLE] = OT_DOUBLE,
	                                    [FILTER_CTX_STRING] = OT_STRING};

	memset(o, 0, sizeof(*o));
	o->index = insn->arg;
	o->is_load = true;
	switch (insn->op) {
	case LOP_FIELD_INT:
		o->load = FILTER_CLAUSE_LOAD_INT;
		o->type = OT_INT;
		return true;
	case LOP_FIELD_DOUBLE:
		o->load = FILTER_CLAUSE_LOAD_DOUBLE;
		o->type = OT_DOUBLE;
		return true;
	case LOP_FIELD_STRING:
		o->load = FILTER_CLAUSE_LOAD_STRING;
		o->type = OT_STRING;
		return true;
	case LOP_FIELD_TEXT:
		o->load = FILTER_CLAUSE_LOAD_TEXT;
		o->type = OT_STRING;
		return true;
	case LOP_CONTEXT:
		if (insn->aux > FILTER_CTX_STRING)
			return false;
		o->load = FILTER_CLAUSE_LOAD_CONTEXT;
		o->ctx = insn->u.ctx;
		o->ctx_kind = insn->aux;
		o->type = ctx_types[insn->aux];
		return true;
	case LOP_PUSH_INT:
		o->is_load = false;
		o->type = OT_INT;
		o->s64 = insn->u.s64;
		return true;
	case LOP_PUSH_DOUBLE:
		o->is_load = false;
		o->type = OT_DOUBLE;
		o->d = insn->u.d;
		return true;
	case LOP_PUSH_STRING:
		o->is_load = false;
		o->type = OT_STRING;
		o->lit = insn->aux;
		o->str = insn->u.str;
		return true;
	default:
		return false;
	}
}

/* The outcomes of `b REL a` (enum filter_rel) as those of `a REL' b`. */
static uint8_t rel_swapped(uint8_t mask)
{
	return (uint8_t)((mask & ~(FILTER_OUTCOME_LESS | FILTER_OUTCOME_GREATER)) |
	                 ((mask & FILTER_OUTCOME_LESS) ? FILTER_OUTCOME_GREATER : 0) |
	                 ((mask & FILTER_OUTCOME_GREATER) ? FILTER_OUTCOME_LESS : 0));
}

static uint8_t rel_mask(uint8_t rel)
{
	static const uint8_t masks[] = {
	    [REL_EQ] = FILTER_OUTCOME_EQUAL,
	    [REL_NE] = FILTER_OUTCOME_LESS | FILTER_OUTCOME_GREATER | FILTER_OUTCOME_UNORDERED,
	    [REL_GT] = FILTER_OUTCOME_GREATER,
	    [REL_LT] = FILTER_OUTCOME_LESS,
	    [REL_GE] = FILTER_OUTCOME_GREATER | FILTER_OUTCOME_EQUAL,
	    [REL_LE] = FILTER_OUTCOME_LESS | FILTER_OUTCOME_EQUAL,
	};

	return rel <= REL_LE ? masks[rel] : 0;
}

/*
 * Bytes of a plain literal up to its first unescaped '*' once unescaped
 * (into out when not NULL), with *ret_star; -1 when it has an escape that
 * is not "\*" or "\\" before that star (such literals compare by other
 * rules: the interpreter keeps them).
 */
static ssize_t plain_unescape(const char *lit, char *out, bool *ret_star)
{
	size_t n = 0;

	for (const char *p = lit; *p; p++) {
		if (*p == '*') {
			*ret_star = true;
			return (ssize_t)n;
		}
		if (*p == '\\') {
			p++;
			if (*p != '*' && *p != '\\')
				return -1;
		}
		if (out)
			out[n] = *p;
		n++;
	}
	*ret_star = false;
	return (ssize_t)n;
}

/* The clause of a value and a constant (either first) compared by insn; false if not one. */
static bool comparison_parse(struct builder *b, const struct operand *below,
                             const struct operand *top, const struct lop_insn *insn,
                             struct filter_clause *cl)
{
	bool swapped = !below->is_load;
	const struct operand *load = swapped ? top : below, *c = swapped ? below : top;
	uint8_t rel;

	switch (insn->op) {
	case LOP_CMP_INT_EQ ... LOP_CMP_INT_LE:
		if (load->type != OT_INT || c->type != OT_INT)
			return false;
		cl->test = FILTER_CLAUSE_TEST_INT;
		rel = (uint8_t)(insn->op - LOP_CMP_INT_EQ);
		cl->k.s64 = c->s64;
		break;
	case LOP_CMP_DOUBLE:
	case LOP_CMP_DOUBLE_INT:
	case LOP_CMP_INT_DOUBLE:
		/* Operand types as the operation reads them: below, then top. */
		if (below->type != (insn->op == LOP_CMP_INT_DOUBLE ? OT_INT : OT_DOUBLE) ||
		    top->type != (insn->op == LOP_CMP_DOUBLE_INT ? OT_INT : OT_DOUBLE))
			return false;
		cl->test = FILTER_CLAUSE_TEST_DOUBLE;
		rel = insn->aux;
		cl->k.d = c->type == OT_INT ? (double)c->s64 : c->d;
		break;
	case LOP_CMP_STRING:
	case LOP_CMP_GLOB: {
		bool glob = insn->op == LOP_CMP_GLOB, star;
		ssize_t n = 0;

		rel = insn->aux;
		if (load->type != OT_STRING || c->type != OT_STRING ||
		    c->lit != (glob ? LIT_GLOB : LIT_PLAIN) || (rel != REL_EQ && rel != REL_NE))
			return false;
		if (!glob && (n = plain_unescape(c->str, NULL, &star)) < 0)
			return false;
		cl->test = glob ? FILTER_CLAUSE_TEST_GLOB : FILTER_CLAUSE_TEST_PREFIX;
		cl->k.str = c->str; /* PREFIX: replaced by its unescaped copy */
		cl->span = (uint64_t)n;
		cl->star = !glob && star;
		if (!glob)
			b->text_bytes += (size_t)n + 1;
		break;
	}
	default:
		return false;
	}
	cl->rel = rel_mask(rel);
	if (swapped)
		cl->rel = rel_swapped(cl->rel);
	return cl->rel != 0;
}

/* The clause starting at operation pc; its length, or 0 if there is none. */
static uint32_t clause_parse(struct builder *b, uint32_t pc, struct filter_clause *cl)
{
	const struct lop_insn *insns = b->prog->insns;
	uint32_t nr = b->prog->nr_insns;
	struct operand x, y;

	memset(cl, 0, sizeof(*cl));
	if (insns[pc].op >= LOP_FIELD_CMP_IMM_EQ && insns[pc].op <= LOP_FIELD_CMP_IMM_LE) {
		cl->load = FILTER_CLAUSE_LOAD_INT;
		cl->test = FILTER_CLAUSE_TEST_INT;
		cl->index = insns[pc].arg;
		cl->k.s64 = insns[pc].u.s64;
		cl->rel = rel_mask((uint8_t)(insns[pc].op - LOP_FIELD_CMP_IMM_EQ));
		return 1;
	}
	if (!operand_parse(&insns[pc], &x))
		return 0;
	if (pc + 2 < nr && operand_parse(&insns[pc + 1], &y) && x.is_load != y.is_load) {
		const struct operand *load = x.is_load ? &x : &y;

		cl->load = load->load;
		cl->index = load->index;
		cl->ctx = load->ctx;
		cl->ctx_kind = load->ctx_kind;
		return comparison_parse(b, &x, &y, &insns[pc + 2], cl) ? 3 : 0;
	}
	/* An integer alone: the connective that follows tests it for nonzero. */
	if (!x.is_load || x.type != OT_INT)
		return 0;
	cl->load = x.load;
	cl->index = x.index;
	cl->ctx = x.ctx;
	cl->ctx_kind = x.ctx_kind;
	cl->test = FILTER_CLAUSE_TEST_INT;
	cl->rel = FILTER_OUTCOME_LESS | FILTER_OUTCOME_GREATER;
	return 1;
}

/* The index of the clause at operation pc, queued if new; -1 beyond FILTER_CLAUSES_MAX. */
static int clause_at(struct builder *b, uint32_t pc)
{
	if (pc >= b->prog->nr_insns)
		return -1;
	if (b->clause_at[pc] == 0) {
		if (b->nr == FILTER_CLAUSES_MAX)
			return -1;
		b->pc[b->nr] = pc;
		b->clause_at[pc] = (int16_t)++b->nr;
	}
	return b->clause_at[pc] - 1;
}

/*
 * Where the truth value holds leads from operation pc, with it alone on
 * the stack: a clause index or REJECT / ACCEPT in *ret_next; false when
 * something else than a connective uses it.
 */
static bool follow(struct builder *b, uint32_t pc, bool holds, int16_t *ret_next)
{
	const struct lop_insn *insns = b->prog->insns;
	int next;

	for (;;) {
		if (pc >= b->prog->nr_insns)
			return false;
		switch (insns[pc].op) {
		case LOP_RETURN:
			*ret_next = holds ? FILTER_CLAUSE_ACCEPT : FILTER_CLAUSE_REJECT;
			return true;
		case LOP_AND:
		case LOP_OR:
			if (holds == (insns[pc].op == LOP_OR)) {
				/* Jumps, the value kept (OR: as 1). */
				if (insns[pc].arg <= pc)
					return false;
				pc = insns[pc].arg;
				continue;
			}
			next = clause_at(b, pc + 1);
			if (next < 0)
				return false;
			*ret_next = (int16_t)next;
			return true;
		default:
			return false;
		}
	}
}

/*
 * Once its next[] are known: an integer relation becomes a range, and a
 * relation that holds outside it (!=, < INT64_MIN...) or a string !=
 * swaps next[], so that the test itself has no relation left.
 */
static void clause_finish(struct filter_clause *cl)
{
	uint8_t rel =
	    cl->rel & (FILTER_OUTCOME_LESS | FILTER_OUTCOME_EQUAL | FILTER_OUTCOME_GREATER);
	int64_t k = cl->k.s64;
	bool negate = false;

	switch (cl->test) {
	case FILTER_CLAUSE_TEST_INT:
		cl->k.s64 = INT64_MIN;
		cl->span = UINT64_MAX; /* every value */
		if (rel == FILTER_OUTCOME_EQUAL ||
		    rel == (FILTER_OUTCOME_LESS | FILTER_OUTCOME_GREATER)) {
			cl->k.s64 = k;
			cl->span = 0;
			negate = rel != FILTER_OUTCOME_EQUAL;
		} else if (rel == FILTER_OUTCOME_LESS) {
			negate = k == INT64_MIN; /* none */
			if (!negate)
				cl->span = (uint64_t)k - 1 - (uint64_t)INT64_MIN;
		} else if (rel == (FILTER_OUTCOME_LESS | FILTER_OUTCOME_EQUAL)) {
			cl->span = (uint64_t)k - (uint64_t)INT64_MIN;
		} else if (rel == FILTER_OUTCOME_GREATER) {
			negate = k == INT64_MAX; /* none */
			if (!negate) {
				cl->k.s64 = k + 1;
				cl->span = (uint64_t)INT64_MAX - (uint64_t)k - 1;
			}
		} else {
			cl->k.s64 = k;
			cl->span = (uint64_t)INT64_MAX - (uint64_t)k;
		}
		cl->kind = cl->load == FILTER_CLAUSE_LOAD_INT ? FILTER_CLAUSE_INT_FIELD
		                                              : FILTER_CLAUSE_CALL;
		break;
	case FILTER_CLAUSE_TEST_DOUBLE:
		cl->kind = cl->load == FILTER_CLAUSE_LOAD_CONTEXT ? FILTER_CLAUSE_CALL
		                                                  : FILTER_CLAUSE_DOUBLE_FIELD;
		break;
	default:
		negate = rel != FILTER_OUTCOME_EQUAL;
		cl->kind = cl->test == FILTER_CLAUSE_TEST_PREFIX &&
		                   (cl->load == FILTER_CLAUSE_LOAD_STRING ||
		                    cl->load == FILTER_CLAUSE_LOAD_TEXT)
		               ? FILTER_CLAUSE_PREFIX_FIELD
		               : FILTER_CLAUSE_CALL;
		break;
	}
	if (negate) {
		int16_t t = cl->next[0];

		cl->next[0] = cl->next[1];
		cl->next[1] = t;
	}
}

static int graph_build(struct builder *b)
{
	if (b->prog->nr_app != 0 || b->prog->nr_insns == 0)
		return -ENOTSUP;
	(void)clause_at(b, 0);
	for (uint32_t i = 0; i < b->nr; i++) {
		struct filter_clause *cl = &b->clause[i];
		uint32_t len = clause_parse(b, b->pc[i], cl);

		if (len == 0 || !follow(b, b->pc[i] + len, false, &cl->next[0]) ||
		    !follow(b, b->pc[i] + len, true, &cl->next[1]))
			return -ENOTSUP;
		clause_finish(cl);
	}
	return 0;
}

int filter_clauses_build(const struct filter_program *program, struct filter_clauses **ret_clauses)
{
	struct builder b = {.prog = program};
	struct filter_clauses *clauses;
	char *text;
	int r;

	b.clause_at = calloc(program->nr_insns ? program->nr_insns : 1, sizeof(*b.clause_at));
	if (!b.clause_at)
		return -ENOMEM;
	r = graph_build(&b);
	free(b.clause_at);
	if (r < 0)
		return r;
	clauses = malloc(sizeof(*clauses) + b.nr * sizeof(clauses->clause[0]) + b.text_bytes);
	if (!clauses)
		return -ENOMEM;
	clauses->ops = program->ctx;
	clauses->nr = b.nr;
	clauses->ints_only = true;
	memcpy(clauses->clause, b.clause, b.nr * sizeof(b.clause[0]));
	text = (char *)&clauses->clause[b.nr];
	for (uint32_t i = 0; i < b.nr; i++) {
		struct filter_clause *cl = &clauses->clause[i];
		bool star;

		if (cl->kind != FILTER_CLAUSE_INT_FIELD)
			clauses->ints_only = false;
		if (cl->test != FILTER_CLAUSE_TEST_PREFIX)
			continue;
		(void)plain_unescape(cl->k.str, text, &star);
		text[cl->span] = '\0';
		cl->k.str = text;
		text += cl->span + 1;
	}
	*ret_clauses = clauses;
	return 0;
}

/* The string, or NULL; *ret_len bytes at most (SIZE_MAX: up to its NUL). */
static const char *load_string(const struct filter_clauses *clauses, const struct filter_clause *c,
                               const union ringtrace_filter_value *values, size_t *ret_len)
{
	struct filter_ctx_value v;

	*ret_len = SIZE_MAX;
	switch (c->load) {
	case FILTER_CLAUSE_LOAD_STRING:
		return values[c->index].str;
	case FILTER_CLAUSE_LOAD_TEXT:
		*ret_len = values[c->index].seq.len;
		return values[c->index].seq.ptr;
	default:
		if (clauses->ops->get(c->ctx, &v) != 0 || v.kind != FILTER_CTX_STRING)
			return NULL;
		return v.u.str;
	}
}

/* Clauses of contexts and globs. */
int filter_clause_eval_call(const struct filter_clauses *clauses, const struct filter_clause *c,
                            const union ringtrace_filter_value *values)
{
	struct filter_ctx_value v;
	const char *s;
	size_t len;

	if (c->test == FILTER_CLAUSE_TEST_INT || c->test == FILTER_CLAUSE_TEST_DOUBLE) {
		/* A context: the link resolved its kind, which must not have changed. */
		if (clauses->ops->get(c->ctx, &v) != 0 ||
		    v.kind != (enum filter_ctx_kind)c->ctx_kind)
			return -1;
		if (c->test == FILTER_CLAUSE_TEST_INT)
			return (uint64_t)v.u.s64 - (uint64_t)c->k.s64 <= c->span;
		return filter_double_holds(v.kind == FILTER_CTX_INTEGER ? (double)v.u.s64 : v.u.d,
		                           c->k.d, c->rel);
	}
	s = load_string(clauses, c, values, &len);
	if (!s)
		return -1;
	if (c->test == FILTER_CLAUSE_TEST_PREFIX)
		return filter_clause_prefix_equal(c, s, len);
	return filter_glob_match(c->k.str, s, len);
}
