/* SPDX-License-Identifier: MIT */
/*
 * One forward pass over the code with an abstract stack (types known
 * before linking), then the relocation table. Jumps only go forward, so a
 * place where paths meet is always reached last by falling through: the
 * stack each jump carries there is recorded when the jump is seen and
 * compared when the pass arrives.
 */
#include "filter/filter-validate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/macros.h"
#include "filter/filter-insn.h"

/* What is known of a stack entry before linking. */
enum vtype {
	V_NUM,     /* integer: literal, comparison, bitwise or cast result */
	V_DOUBLE,  /* floating literal or its negation */
	V_STRING,  /* plain string literal */
	V_GLOB,    /* star-glob literal */
	V_UNKNOWN, /* field or context value: typed at link */
	V_PTR,     /* field path being walked (ROOT / GET_SYMBOL / GET_INDEX) */
};

struct vstack {
	uint32_t depth;
	uint8_t types[FILTER_STACK_MAX];
};

/* A stack a jump carries to its target. */
struct merge {
	bool set;
	struct vstack stack;
};

struct validator {
	const char *code;
	uint32_t code_len;
	struct vstack stack;
	struct merge *merges; /* per code offset */
	uint8_t *kind;        /* per code offset: instruction start (its opcode + 1), else 0 */
	uint8_t *relocated;   /* per code offset: has a relocation entry */
	uint32_t max_depth;
	uint32_t nr_insns;
	const char *reason;
};

static int fail(struct validator *v, const char *reason)
{
	v->reason = reason;
	return -EINVAL;
}

static uint8_t *top(struct validator *v)
{
	return &v->stack.types[v->stack.depth - 1];
}

static int need(struct validator *v, uint32_t n)
{
	return v->stack.depth < n ? fail(v, "stack underflow") : 0;
}

static int push(struct validator *v, enum vtype t)
{
	if (v->stack.depth == FILTER_STACK_MAX)
		return fail(v, "stack deeper than the interpreter allows");
	v->stack.types[v->stack.depth++] = (uint8_t)t;
	if (v->stack.depth > v->max_depth)
		v->max_depth = v->stack.depth;
	return 0;
}

static bool is_value(uint8_t t)
{
	return t != V_PTR;
}

/* Comparison operand rules of lttng-ust's validator, on what is known. */
static int check_compare(struct validator *v, uint8_t op)
{
	uint8_t a = v->stack.types[v->stack.depth - 1], b = v->stack.types[v->stack.depth - 2];
	bool eq = op == FILTER_OP_EQ || op == FILTER_OP_NE;

	if (!is_value(a) || !is_value(b))
		return fail(v, "comparison of an incomplete field path");
	if (a == V_UNKNOWN || b == V_UNKNOWN)
		return 0;
	if (a == V_GLOB && b == V_GLOB)
		return fail(v, "comparison of two glob patterns");
	if ((a == V_GLOB || b == V_GLOB) && !eq)
		return fail(v, "glob pattern with an ordering comparison");
	if ((a == V_STRING || a == V_GLOB) != (b == V_STRING || b == V_GLOB))
		return fail(v, "comparison of a string with a number");
	return 0;
}

static bool integer_or_unknown(uint8_t t)
{
	return t == V_NUM || t == V_UNKNOWN;
}

static int binary(struct validator *v, uint8_t op)
{
	int r = need(v, 2);

	if (r < 0)
		return r;
	if (op >= FILTER_OP_EQ && op <= FILTER_OP_LE) {
		r = check_compare(v, op);
		if (r < 0)
			return r;
	} else if (!integer_or_unknown(v->stack.types[v->stack.depth - 1]) ||
	           !integer_or_unknown(v->stack.types[v->stack.depth - 2])) {
		return fail(v, "bitwise operator on a non-integer");
	}
	v->stack.depth--;
	*top(v) = V_NUM;
	return 0;
}

static int unary(struct validator *v, uint8_t op)
{
	int r = need(v, 1);
	uint8_t *t;

	if (r < 0)
		return r;
	t = top(v);
	if (*t == V_STRING || *t == V_GLOB || *t == V_PTR)
		return fail(v, "unary operator on a string or a field path");
	switch (op) {
	case FILTER_OP_UNARY_BIT_NOT:
		if (*t == V_DOUBLE)
			return fail(v, "bitwise operator on a non-integer");
		*t = V_NUM;
		break;
	case FILTER_OP_UNARY_NOT:
		*t = *t == V_UNKNOWN ? V_UNKNOWN : V_NUM;
		break;
	default: /* plus, minus: same type */
		break;
	}
	return 0;
}

static int cast(struct validator *v, uint8_t op)
{
	int r = need(v, 1);
	uint8_t *t;

	if (r < 0)
		return r;
	t = top(v);
	if (*t == V_STRING || *t == V_GLOB || *t == V_PTR)
		return fail(v, "cast of a string or a field path");
	if (op == FILTER_OP_CAST_DOUBLE_TO_S64 && *t != V_DOUBLE && *t != V_UNKNOWN)
		return fail(v, "double cast of a non-double");
	if (op != FILTER_OP_CAST_NOP)
		*t = V_NUM;
	return 0;
}

static int jump(struct validator *v, uint32_t pc, uint32_t target)
{
	struct merge *m;
	int r = need(v, 1);

	if (r < 0)
		return r;
	if (!integer_or_unknown(*top(v)))
		return fail(v, "logical operator on a non-integer");
	if (target <= pc || target >= v->code_len)
		return fail(v, "jump not forward inside the code");
	m = &v->merges[target];
	if (m->set) {
		if (m->stack.depth != v->stack.depth ||
		    memcmp(m->stack.types, v->stack.types, v->stack.depth - 1) != 0)
			return fail(v, "paths meet with different stacks");
		return 0;
	}
	m->set = true;
	m->stack = v->stack;
	return 0;
}

/* Falling through into an offset that jumps reach: the stacks must agree. */
static int merge(struct validator *v, uint32_t pc)
{
	const struct merge *m = &v->merges[pc];
	uint32_t d = v->stack.depth;

	if (!m->set)
		return 0;
	if (m->stack.depth != d || d == 0 ||
	    memcmp(m->stack.types, v->stack.types, d - 1) != 0)
		return fail(v, "paths meet with different stacks");
	if (!integer_or_unknown(v->stack.types[d - 1]))
		return fail(v, "paths meet with a non-integer on the stack");
	if (m->stack.types[d - 1] != v->stack.types[d - 1])
		v->stack.types[d - 1] = V_UNKNOWN;
	return 0;
}

static int path_step(struct validator *v)
{
	int r = need(v, 1);

	if (r < 0)
		return r;
	if (*top(v) != V_PTR)
		return fail(v, "field path step on a value");
	return 0;
}

static int insn_apply(struct validator *v, uint32_t pc, const struct filter_insn *insn)
{
	uint8_t op = insn->op;

	switch (op) {
	case FILTER_OP_RETURN:
		if (pc + insn->size != v->code_len)
			return fail(v, "RETURN before the end of the code");
		if (v->stack.depth != 1)
			return fail(v, "RETURN without exactly one value on the stack");
		if (*top(v) == V_STRING || *top(v) == V_GLOB || *top(v) == V_PTR)
			return fail(v, "RETURN of a string or a field path");
		return 0;
	case FILTER_OP_BIT_RSHIFT ... FILTER_OP_LE:
		return binary(v, op);
	case FILTER_OP_UNARY_PLUS:
	case FILTER_OP_UNARY_MINUS:
	case FILTER_OP_UNARY_NOT:
	case FILTER_OP_UNARY_BIT_NOT:
		return unary(v, op);
	case FILTER_OP_AND:
	case FILTER_OP_OR: {
		int r = jump(v, pc, insn->u.u16);

		if (r < 0)
			return r;
		v->stack.depth--; /* when the jump is not taken */
		return 0;
	}
	case FILTER_OP_LOAD_FIELD_REF:
	case FILTER_OP_GET_CONTEXT_REF:
		if (insn->u.u16 != FILTER_FIELD_REF_UNLINKED)
			return fail(v, "field reference already linked");
		return push(v, V_UNKNOWN);
	case FILTER_OP_LOAD_STRING:
		return push(v, V_STRING);
	case FILTER_OP_LOAD_STAR_GLOB_STRING:
		return push(v, V_GLOB);
	case FILTER_OP_LOAD_S64:
		return push(v, V_NUM);
	case FILTER_OP_LOAD_DOUBLE:
		return push(v, V_DOUBLE);
	case FILTER_OP_CAST_TO_S64:
	case FILTER_OP_CAST_DOUBLE_TO_S64:
	case FILTER_OP_CAST_NOP:
		return cast(v, op);
	case FILTER_OP_GET_CONTEXT_ROOT:
	case FILTER_OP_GET_APP_CONTEXT_ROOT:
	case FILTER_OP_GET_PAYLOAD_ROOT:
		return push(v, V_PTR);
	case FILTER_OP_GET_SYMBOL:
	case FILTER_OP_GET_INDEX_U16:
	case FILTER_OP_GET_INDEX_U64:
		return path_step(v);
	case FILTER_OP_LOAD_FIELD: {
		int r = path_step(v);

		if (r == 0)
			*top(v) = V_UNKNOWN;
		return r;
	}
	default:
		return fail(v, "unknown opcode");
	}
}

static int code_check(struct validator *v)
{
	uint32_t pc = 0;
	bool returned = false;

	while (pc < v->code_len) {
		struct filter_insn insn;
		int r;

		r = filter_insn_decode(v->code, v->code_len, pc, &insn, &v->reason);
		if (r < 0)
			return r;
		r = merge(v, pc);
		if (r < 0)
			return r;
		r = insn_apply(v, pc, &insn);
		if (r < 0)
			return r;
		v->kind[pc] = (uint8_t)(insn.op + 1);
		v->nr_insns++;
		returned = insn.op == FILTER_OP_RETURN;
		pc += insn.size;
	}
	if (!returned)
		return fail(v, "code does not end with RETURN");
	/* Every jump target was checked when reached, and only starts are reached. */
	for (uint32_t i = 0; i < v->code_len; i++)
		if (v->merges[i].set && !v->kind[i])
			return fail(v, "jump into the middle of an instruction");
	return 0;
}

static bool name_has_prefix(const char *name, const char *prefix)
{
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

static int reloc_check(struct validator *v, const char *table, uint32_t table_len)
{
	uint32_t off = 0;

	while (off < table_len) {
		const char *name, *nul;
		uint16_t insn_off;
		uint8_t op;

		if (table_len - off < sizeof(insn_off) + 1)
			return fail(v, "relocation entry truncated");
		memcpy(&insn_off, table + off, sizeof(insn_off));
		name = table + off + sizeof(insn_off);
		nul = memchr(name, '\0', table_len - off - sizeof(insn_off));
		if (!nul)
			return fail(v, "relocation name not terminated");
		if (nul == name)
			return fail(v, "empty relocation name");
		if (insn_off >= v->code_len || !v->kind[insn_off])
			return fail(v, "relocation not at the start of an instruction");
		if (v->relocated[insn_off])
			return fail(v, "two relocations for one instruction");
		op = (uint8_t)(v->kind[insn_off] - 1);
		switch (op) {
		case FILTER_OP_LOAD_FIELD_REF:
			if (name[0] == '$')
				return fail(v, "field relocation names a context");
			break;
		case FILTER_OP_GET_CONTEXT_REF:
			if (!name_has_prefix(name, "$ctx.") && !name_has_prefix(name, "$app."))
				return fail(v, "context relocation does not name a context");
			break;
		case FILTER_OP_GET_SYMBOL:
			break;
		default:
			return fail(v, "relocation of an instruction that takes none");
		}
		v->relocated[insn_off] = 1;
		off = (uint32_t)(nul - table) + 1;
	}
	return 0;
}

/* Every reference has its relocation, every symbol its name in the table. */
static int refs_check(struct validator *v, const char *table, uint32_t table_len)
{
	for (uint32_t pc = 0; pc < v->code_len; pc++) {
		uint8_t op;
		uint16_t sym;

		if (!v->kind[pc])
			continue;
		op = (uint8_t)(v->kind[pc] - 1);
		if ((op == FILTER_OP_LOAD_FIELD_REF || op == FILTER_OP_GET_CONTEXT_REF) &&
		    !v->relocated[pc])
			return fail(v, "field reference without relocation");
		if (op != FILTER_OP_GET_SYMBOL)
			continue;
		memcpy(&sym, v->code + pc + 1, sizeof(sym));
		if (sym >= table_len || !memchr(table + sym, '\0', table_len - sym) ||
		    table[sym] == '\0')
			return fail(v, "symbol name outside the relocation table");
	}
	return 0;
}

int filter_validate(const void *buf, size_t size, struct filter_validate_info *ret_info,
                    const char **ret_reason)
{
	struct filter_bytecode head;
	struct validator v = {0};
	const char *data;
	int r;

	if (size < sizeof(head)) {
		v.reason = "shorter than the bytecode header";
		r = -EINVAL;
		goto out;
	}
	memcpy(&head, buf, sizeof(head));
	data = (const char *)buf + sizeof(head);
	if (head.len == 0 || head.len > FILTER_BYTECODE_MAX_LEN) {
		r = fail(&v, "length zero or above the 64 KiB limit");
		goto out;
	}
	if (head.len != size - sizeof(head)) {
		r = fail(&v, "length does not match the bytes received");
		goto out;
	}
	if (head.reloc_table_offset == 0 || head.reloc_table_offset > head.len) {
		r = fail(&v, "relocation table offset outside the bytecode");
		goto out;
	}
	v.code = data;
	v.code_len = head.reloc_table_offset;
	v.merges = calloc(v.code_len, sizeof(*v.merges));
	v.kind = calloc(v.code_len, 1);
	v.relocated = calloc(v.code_len, 1);
	if (!v.merges || !v.kind || !v.relocated) {
		v.reason = "out of memory";
		r = -ENOMEM;
		goto out;
	}
	r = code_check(&v);
	if (r == 0)
		r = reloc_check(&v, data + v.code_len, head.len - v.code_len);
	if (r == 0)
		r = refs_check(&v, data + v.code_len, head.len - v.code_len);
	if (r == 0 && ret_info) {
		ret_info->code_len = v.code_len;
		ret_info->nr_insns = v.nr_insns;
		ret_info->max_depth = v.max_depth;
	}
out:
	free(v.merges);
	free(v.kind);
	free(v.relocated);
	if (r < 0 && ret_reason)
		*ret_reason = v.reason;
	return r;
}
