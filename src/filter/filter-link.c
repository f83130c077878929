/* SPDX-License-Identifier: MIT */
/*
 * Linking a validated bytecode against one event: one forward pass over
 * the code with a static stack that knows, for each entry, its run-time
 * representation (rtype) and what lttng-ust's validator would know of it
 * (vtype: field references typed, paths and application contexts not).
 * The checks lttng-ust makes when it links (validator on vtypes,
 * specializer on rtypes) fail the link; what it would only detect while
 * running becomes an LOP_ERROR at that place, so short-circuits keep their
 * meaning. After an LOP_ERROR the code that follows is dead until a jump
 * from live code lands.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "filter/filter-insn.h"
#include "filter/filter-program.h"
#include "filter/filter-validate.h"

enum rtype { R_S64, R_U64, R_DOUBLE, R_STRING, R_GLOB, R_PTR, R_DEAD };
enum vtype { VT_S64, VT_U64, VT_DOUBLE, VT_STRING, VT_GLOB, VT_UNKNOWN, VT_PTR };
enum root { ROOT_PAYLOAD, ROOT_CONTEXT, ROOT_APP };

struct entry {
	uint8_t r, vt;
	/* R_PTR only */
	uint8_t root;
	bool indexed;
	int32_t field; /* payload field, -1 before GET_SYMBOL */
	const void *ctx;
	enum filter_ctx_kind ctx_kind;
	bool has_symbol;
	uint64_t index;
};

struct pending_jump {
	uint32_t depth;
	struct entry stack[FILTER_STACK_MAX];
};

struct linker {
	const char *code; /* the program's copy */
	uint32_t code_len;
	const char *table;
	uint32_t table_len;
	const struct ringtrace_field_desc *fields;
	uint32_t nr_fields;
	const struct filter_ctx_ops *ctx;
	struct entry stack[FILTER_STACK_MAX];
	uint32_t depth;
	bool dead;
	struct pending_jump **jumps; /* per code offset: what the first jump there carries */
	uint32_t *index_at;          /* per code offset: first lop emitted for it */
	uint32_t *target_off;        /* per lop: code offset of its jump target */
	struct filter_program *prog;
	/* First LOP a jump may land on: earlier ones may not be fused away. */
	uint32_t fuse_floor;
	/* Application contexts: names (in the table) and the kinds this variant gives them. */
	uint32_t nr_app;
	const char *app_names[FILTER_MAX_APP_CONTEXTS];
	uint8_t app_kinds[FILTER_MAX_APP_CONTEXTS];
	const char *reason;
};

static int link_fail(struct linker *l, const char *reason)
{
	l->reason = reason;
	return -EINVAL;
}

static struct lop_insn *emit(struct linker *l, uint8_t op)
{
	struct lop_insn *insn = &l->prog->insns[l->prog->nr_insns++];

	memset(insn, 0, sizeof(*insn));
	insn->op = op;
	return insn;
}

/* A run-time error here: everything after it is dead until a live jump lands. */
static void emit_error(struct linker *l)
{
	if (!l->dead)
		emit(l, LOP_ERROR);
	l->dead = true;
}

static struct entry *top(struct linker *l)
{
	return &l->stack[l->depth - 1];
}

static struct entry *below(struct linker *l)
{
	return &l->stack[l->depth - 2];
}

static void push(struct linker *l, uint8_t r, uint8_t vt)
{
	struct entry *e = &l->stack[l->depth++];

	memset(e, 0, sizeof(*e));
	e->r = l->dead ? R_DEAD : r;
	e->vt = vt;
	e->field = -1;
}

static bool r_int(uint8_t r)
{
	return r == R_S64 || r == R_U64;
}

static bool vt_int_or_unknown(uint8_t vt)
{
	return vt == VT_S64 || vt == VT_U64 || vt == VT_UNKNOWN;
}

/* --- fields and contexts --- */

/* A sequence's length field: not filterable, as lttng-ust's. */
static bool field_is_length(const struct linker *l, uint32_t i)
{
	const struct ringtrace_field_desc *next = i + 1 < l->nr_fields ? &l->fields[i + 1] : NULL;

	return next && next->kind == RINGTRACE_TYPE_SEQUENCE && next->type.sequence.length_name &&
	       strcmp(next->type.sequence.length_name, l->fields[i].name) == 0;
}

static int field_find(const struct linker *l, const char *name)
{
	for (uint32_t i = 0; i < l->nr_fields; i++) {
		if (!field_is_length(l, i) && strcmp(l->fields[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

static bool field_is_text(const struct ringtrace_field_desc *f)
{
	if (f->kind == RINGTRACE_TYPE_ARRAY)
		return f->type.array.elem.encoding != RINGTRACE_ENCODING_NONE;
	if (f->kind == RINGTRACE_TYPE_SEQUENCE)
		return f->type.sequence.elem.encoding != RINGTRACE_ENCODING_NONE;
	return false;
}

/* Pushes a whole field's value (legacy reference, or a path without index). */
static int load_field(struct linker *l, uint32_t i, bool legacy)
{
	const struct ringtrace_field_desc *f = &l->fields[i];
	struct lop_insn *insn;
	uint8_t lop, r, vt;

	switch (f->kind) {
	case RINGTRACE_TYPE_INTEGER:
	case RINGTRACE_TYPE_ENUM: {
		const struct ringtrace_type_integer *it = f->kind == RINGTRACE_TYPE_INTEGER
		                                              ? &f->type.integer
		                                              : &f->type.enumeration.container;

		lop = LOP_FIELD_INT;
		r = legacy || it->is_signed ? R_S64 : R_U64;
		vt = VT_S64;
		break;
	}
	case RINGTRACE_TYPE_FLOAT:
		lop = LOP_FIELD_DOUBLE;
		r = R_DOUBLE;
		vt = VT_DOUBLE;
		break;
	case RINGTRACE_TYPE_STRING:
		lop = LOP_FIELD_STRING;
		r = R_STRING;
		vt = VT_STRING;
		break;
	case RINGTRACE_TYPE_ARRAY:
	case RINGTRACE_TYPE_SEQUENCE:
		if (!field_is_text(f))
			return link_fail(l, "integer array or sequence used as a value");
		lop = LOP_FIELD_TEXT;
		r = R_STRING;
		vt = VT_STRING;
		break;
	default:
		return link_fail(l, "field of an unknown type");
	}
	if (!l->dead) {
		insn = emit(l, lop);
		insn->arg = i;
	}
	push(l, r, legacy ? vt : VT_UNKNOWN);
	return 0;
}

static int load_context(struct linker *l, const void *handle, enum filter_ctx_kind kind,
                        bool legacy)
{
	static const uint8_t rtypes[] = {[FILTER_CTX_INTEGER] = R_S64,
	                                 [FILTER_CTX_DOUBLE] = R_DOUBLE,
	                                 [FILTER_CTX_STRING] = R_STRING};
	static const uint8_t vtypes[] = {[FILTER_CTX_INTEGER] = VT_S64,
	                                 [FILTER_CTX_DOUBLE] = VT_DOUBLE,
	                                 [FILTER_CTX_STRING] = VT_STRING};

	if (!l->dead) {
		struct lop_insn *insn = emit(l, LOP_CONTEXT);

		insn->u.ctx = handle;
		insn->aux = (uint8_t)kind;
	}
	push(l, rtypes[kind], legacy ? vtypes[kind] : VT_UNKNOWN);
	return 0;
}

static int context_resolve(struct linker *l, const char *name, const void **ret_handle,
                           enum filter_ctx_kind *ret_kind)
{
	if (!l->ctx || l->ctx->resolve(name, ret_handle, ret_kind) < 0 ||
	    (unsigned)*ret_kind > FILTER_CTX_STRING)
		return link_fail(l, "unknown context");
	return 0;
}

/* The relocation symbol of the instruction at pc (the validator guarantees it). */
static const char *reloc_symbol(const struct linker *l, uint32_t pc)
{
	uint32_t off = 0;

	while (off < l->table_len) {
		uint16_t insn_off;
		const char *name = l->table + off + sizeof(insn_off);

		memcpy(&insn_off, l->table + off, sizeof(insn_off));
		if (insn_off == pc)
			return name;
		off += (uint32_t)(sizeof(insn_off) + strlen(name) + 1);
	}
	return NULL;
}

static int field_ref(struct linker *l, uint32_t pc)
{
	const char *name = reloc_symbol(l, pc);
	int i = name ? field_find(l, name) : -1;

	if (i < 0)
		return link_fail(l, "no such field in this event");
	return load_field(l, (uint32_t)i, true);
}

/*
 * "$app.PROVIDER:CTX": its value, of the kind this variant is linked for.
 * lttng-ust's validator does not know the type of a dynamic context.
 */
static int app_context_ref(struct linker *l, const char *name)
{
	static const uint8_t rtypes[] = {[FILTER_CTX_INTEGER] = R_S64,
	                                 [FILTER_CTX_DOUBLE] = R_DOUBLE,
	                                 [FILTER_CTX_STRING] = R_STRING};
	uint32_t i = 0;

	while (i < l->nr_app && strcmp(l->app_names[i], name) != 0)
		i++;
	if (i == l->nr_app || l->app_kinds[i] == APP_KIND_ERROR) {
		emit_error(l);
		push(l, R_DEAD, VT_UNKNOWN);
		return 0;
	}
	if (!l->dead)
		emit(l, LOP_APP_CONTEXT)->arg = i;
	push(l, rtypes[l->app_kinds[i]], VT_UNKNOWN);
	return 0;
}

static int context_ref(struct linker *l, uint32_t pc)
{
	const char *name = reloc_symbol(l, pc);
	const void *handle;
	enum filter_ctx_kind kind;
	int r;

	if (!name)
		return link_fail(l, "context reference without name");
	if (strncmp(name, "$app.", 5) == 0)
		return app_context_ref(l, name);
	r = context_resolve(l, name + strlen("$ctx."), &handle, &kind);
	if (r < 0)
		return r;
	return load_context(l, handle, kind, true);
}

/* --- field paths: ROOT, GET_SYMBOL, GET_INDEX, LOAD_FIELD --- */

static int path_symbol(struct linker *l, uint16_t sym)
{
	struct entry *e = top(l);
	const char *name = l->table + sym;
	int i;

	if (e->has_symbol)
		return link_fail(l, "nested fields are not supported");
	e->has_symbol = true;
	switch (e->root) {
	case ROOT_PAYLOAD:
		i = field_find(l, name);
		if (i < 0)
			return link_fail(l, "no such field in this event");
		e->field = i;
		return 0;
	case ROOT_CONTEXT:
		return context_resolve(l, name, &e->ctx, &e->ctx_kind);
	default:
		return 0;
	}
}

static int path_index(struct linker *l, uint64_t index)
{
	struct entry *e = top(l);
	const struct ringtrace_field_desc *f;

	if (e->root != ROOT_PAYLOAD || e->field < 0 || e->indexed)
		return link_fail(l, "index of something that is not an array or a sequence");
	f = &l->fields[e->field];
	if ((f->kind != RINGTRACE_TYPE_ARRAY && f->kind != RINGTRACE_TYPE_SEQUENCE) ||
	    field_is_text(f))
		return link_fail(l, "index of something that is not an integer array or sequence");
	if (f->kind == RINGTRACE_TYPE_ARRAY && index >= f->type.array.length)
		return link_fail(l, "index past the end of the array");
	e->indexed = true;
	e->index = index;
	return 0;
}

static int path_load(struct linker *l)
{
	struct entry e = *top(l);
	const struct ringtrace_field_desc *f;
	const struct ringtrace_type_integer *it;
	struct lop_insn *insn;

	l->depth--;
	if (!e.has_symbol)
		return link_fail(l, "field path without a name");
	if (e.root == ROOT_APP) {
		emit_error(l);
		push(l, R_DEAD, VT_UNKNOWN);
		return 0;
	}
	if (e.root == ROOT_CONTEXT)
		return load_context(l, e.ctx, e.ctx_kind, false);
	if (!e.indexed)
		return load_field(l, (uint32_t)e.field, false);
	f = &l->fields[e.field];
	it = f->kind == RINGTRACE_TYPE_ARRAY ? &f->type.array.elem : &f->type.sequence.elem;
	if (it->size_bits != 8 && it->size_bits != 16 && it->size_bits != 32 && it->size_bits != 64)
		return link_fail(l, "element size not supported");
	if (!l->dead) {
		insn = emit(l, LOP_FIELD_ELEM);
		insn->arg = (uint32_t)e.field;
		insn->u.index = e.index;
		insn->aux = (uint8_t)((it->size_bits / 8) | (it->is_signed ? ELEM_SIGNED : 0) |
		                      (it->reverse_byte_order ? ELEM_REVERSE : 0) |
		                      (f->kind == RINGTRACE_TYPE_SEQUENCE ? ELEM_SEQUENCE : 0));
	}
	push(l, it->is_signed ? R_S64 : R_U64, VT_UNKNOWN);
	return 0;
}

/* --- operators --- */

/* lttng-ust's validator on the types it knows. */
static int compare_vcheck(struct linker *l, uint8_t op)
{
	uint8_t a = top(l)->vt, b = below(l)->vt;
	bool eq = op == FILTER_OP_EQ || op == FILTER_OP_NE;
	bool a_str = a == VT_STRING || a == VT_GLOB, b_str = b == VT_STRING || b == VT_GLOB;

	if (a == VT_UNKNOWN || b == VT_UNKNOWN)
		return 0;
	if (a == VT_PTR || b == VT_PTR)
		return link_fail(l, "comparison of a field path");
	if (a_str != b_str)
		return link_fail(l, "comparison of a string with a number");
	if (a == VT_GLOB && b == VT_GLOB)
		return link_fail(l, "comparison of two glob patterns");
	if ((a == VT_GLOB || b == VT_GLOB) && !eq)
		return link_fail(l, "glob pattern with an ordering comparison");
	return 0;
}

/*
 * FIELD_INT, PUSH_INT, CMP_INT (`field < 3`, the most common clause) become
 * one FIELD_CMP_IMM: a third of the dispatches. Only when no jump lands on
 * the second or third of them.
 */
static bool try_fuse_field_compare(struct linker *l, uint8_t rel)
{
	struct lop_insn *insns = l->prog->insns;
	uint32_t n = l->prog->nr_insns;
	int64_t imm;

	if (n < 2 || n - 2 < l->fuse_floor || insns[n - 2].op != LOP_FIELD_INT ||
	    insns[n - 1].op != LOP_PUSH_INT)
		return false;
	imm = insns[n - 1].u.s64;
	insns[n - 2].op = (uint8_t)(LOP_FIELD_CMP_IMM_EQ + rel);
	insns[n - 2].u.s64 = imm;
	l->prog->nr_insns--;
	return true;
}

static void compare_emit(struct linker *l, uint8_t op)
{
	uint8_t a = top(l)->r, b = below(l)->r;
	uint8_t rel = (uint8_t)(op - FILTER_OP_EQ);
	struct lop_insn *insn;
	uint8_t lop;

	if (a == R_DEAD || b == R_DEAD)
		return;
	if (r_int(a) && r_int(b))
		lop = (uint8_t)(LOP_CMP_INT_EQ + rel);
	else if (a == R_DOUBLE && b == R_DOUBLE)
		lop = LOP_CMP_DOUBLE;
	else if (r_int(a) && b == R_DOUBLE)
		lop = LOP_CMP_DOUBLE_INT;
	else if (a == R_DOUBLE && r_int(b))
		lop = LOP_CMP_INT_DOUBLE;
	else if (a == R_STRING && b == R_STRING)
		lop = LOP_CMP_STRING;
	else if (((a == R_GLOB && b == R_STRING) || (a == R_STRING && b == R_GLOB)) &&
	         (rel == REL_EQ || rel == REL_NE))
		lop = LOP_CMP_GLOB;
	else {
		emit_error(l);
		return;
	}
	if (lop == LOP_CMP_INT_EQ + rel && try_fuse_field_compare(l, rel))
		return;
	insn = emit(l, lop);
	insn->aux = rel;
}

static int binary(struct linker *l, uint8_t op)
{
	static const uint8_t bit_lops[] = {
	    [FILTER_OP_BIT_RSHIFT] = LOP_BIT_RSHIFT, [FILTER_OP_BIT_LSHIFT] = LOP_BIT_LSHIFT,
	    [FILTER_OP_BIT_AND] = LOP_BIT_AND,       [FILTER_OP_BIT_OR] = LOP_BIT_OR,
	    [FILTER_OP_BIT_XOR] = LOP_BIT_XOR,
	};
	bool is_compare = op >= FILTER_OP_EQ && op <= FILTER_OP_LE;
	int r;

	if (is_compare) {
		r = compare_vcheck(l, op);
		if (r < 0)
			return r;
		compare_emit(l, op);
	} else {
		if (!vt_int_or_unknown(top(l)->vt) || !vt_int_or_unknown(below(l)->vt))
			return link_fail(l, "bitwise operator on a non-integer");
		if (!l->dead) {
			if (r_int(top(l)->r) && r_int(below(l)->r))
				emit(l, bit_lops[op]);
			else
				emit_error(l);
		}
	}
	l->depth -= 2;
	push(l, is_compare ? R_S64 : R_U64, is_compare ? VT_S64 : VT_U64);
	return 0;
}

/*
 * A negated constant (`value != -1`: the literal 1, then a minus) becomes
 * the negative constant, so that the comparison can fuse. Only when no
 * jump lands on the minus.
 */
static bool try_fold_negation(struct linker *l)
{
	uint32_t n = l->prog->nr_insns;
	struct lop_insn *last;

	if (n < 1 || n - 1 < l->fuse_floor)
		return false;
	last = &l->prog->insns[n - 1];
	if (last->op == LOP_PUSH_INT)
		last->u.s64 = (int64_t)(0 - (uint64_t)last->u.s64);
	else if (last->op == LOP_PUSH_DOUBLE)
		last->u.d = -last->u.d;
	else
		return false;
	return true;
}

static int unary(struct linker *l, uint8_t op)
{
	struct entry *e = top(l);
	bool is_int = r_int(e->r), is_double = e->r == R_DOUBLE;

	if (e->vt == VT_STRING || e->vt == VT_GLOB || e->vt == VT_PTR ||
	    (op == FILTER_OP_UNARY_BIT_NOT && e->vt == VT_DOUBLE))
		return link_fail(l, "unary operator on a string or a double");
	if (!l->dead && !is_int && !(is_double && op != FILTER_OP_UNARY_BIT_NOT)) {
		emit_error(l);
		e->r = R_DEAD;
	}
	if (l->dead)
		e->r = R_DEAD;
	switch (op) {
	case FILTER_OP_UNARY_PLUS:
		e->vt = VT_UNKNOWN;
		break;
	case FILTER_OP_UNARY_MINUS:
		if (!l->dead && !try_fold_negation(l))
			emit(l, is_int ? LOP_NEG_INT : LOP_NEG_DOUBLE);
		e->vt = VT_UNKNOWN;
		break;
	case FILTER_OP_UNARY_NOT:
		if (!l->dead) {
			emit(l, is_int ? LOP_NOT_INT : LOP_NOT_DOUBLE);
			e->r = R_S64;
		}
		break;
	default: /* BIT_NOT */
		if (!l->dead) {
			emit(l, LOP_BIT_NOT);
			e->r = R_U64;
		}
		e->vt = VT_U64;
		break;
	}
	return 0;
}

static int cast(struct linker *l, uint8_t op)
{
	struct entry *e = top(l);

	if (op == FILTER_OP_CAST_NOP)
		return 0;
	if (e->vt == VT_STRING || e->vt == VT_GLOB || e->vt == VT_PTR || e->r == R_STRING ||
	    e->r == R_GLOB)
		return link_fail(l, "cast of a string");
	if (op == FILTER_OP_CAST_DOUBLE_TO_S64 && e->vt != VT_DOUBLE)
		return link_fail(l, "double cast of a non-double");
	if (!l->dead) {
		if (e->r == R_DOUBLE)
			emit(l, LOP_DOUBLE_TO_INT);
		else if (e->r == R_U64)
			emit_error(l); /* lttng-ust 2.13 refuses to cast an unsigned value */
	}
	e->r = l->dead ? R_DEAD : R_S64;
	e->vt = VT_S64;
	return 0;
}

static int jump(struct linker *l, uint8_t op, uint32_t target)
{
	struct entry *e = top(l);

	if (!vt_int_or_unknown(e->vt))
		return link_fail(l, "logical operator on a non-integer");
	if (!l->dead && !r_int(e->r))
		emit_error(l);
	if (!l->dead) {
		emit(l, op == FILTER_OP_AND ? LOP_AND : LOP_OR);
		l->target_off[l->prog->nr_insns - 1] = target;
		if (!l->jumps[target]) {
			struct pending_jump *j = malloc(sizeof(*j));

			if (!j) {
				l->reason = "out of memory";
				return -ENOMEM;
			}
			j->depth = l->depth;
			memcpy(j->stack, l->stack, sizeof(l->stack));
			l->jumps[target] = j;
		}
	}
	l->depth--;
	return 0;
}

/* lttng-ust's merge rule: same depth, and known types equal. */
static int merge(struct linker *l, uint32_t pc)
{
	const struct pending_jump *j = l->jumps[pc];
	struct entry *t;

	if (!j)
		return 0;
	if (j->depth != l->depth)
		return link_fail(l, "paths meet with different stacks");
	for (uint32_t i = 0; i < l->depth; i++) {
		uint8_t a = j->stack[i].vt, b = l->stack[i].vt;

		if (a != VT_UNKNOWN && b != VT_UNKNOWN && a != b)
			return link_fail(l, "paths meet with different types");
	}
	t = top(l);
	if (l->dead) {
		memcpy(l->stack, j->stack, sizeof(l->stack));
		l->dead = false;
		return 0;
	}
	if (r_int(t->r) != r_int(j->stack[l->depth - 1].r))
		return link_fail(l, "paths meet with different representations");
	return 0;
}

static int insn_link(struct linker *l, uint32_t pc, const struct filter_insn *insn)
{
	switch (insn->op) {
	case FILTER_OP_RETURN:
		if (top(l)->vt == VT_GLOB)
			return link_fail(l, "RETURN of a glob pattern");
		if (!l->dead)
			r_int(top(l)->r) ? (void)emit(l, LOP_RETURN) : emit_error(l);
		return 0;
	case FILTER_OP_BIT_RSHIFT ... FILTER_OP_LE:
		return binary(l, insn->op);
	case FILTER_OP_UNARY_PLUS:
	case FILTER_OP_UNARY_MINUS:
	case FILTER_OP_UNARY_NOT:
	case FILTER_OP_UNARY_BIT_NOT:
		return unary(l, insn->op);
	case FILTER_OP_AND:
	case FILTER_OP_OR:
		return jump(l, insn->op, insn->u.u16);
	case FILTER_OP_LOAD_FIELD_REF:
		return field_ref(l, pc);
	case FILTER_OP_GET_CONTEXT_REF:
		return context_ref(l, pc);
	case FILTER_OP_LOAD_STRING:
	case FILTER_OP_LOAD_STAR_GLOB_STRING: {
		bool glob = insn->op == FILTER_OP_LOAD_STAR_GLOB_STRING;

		if (!l->dead) {
			struct lop_insn *li = emit(l, LOP_PUSH_STRING);

			li->u.str = insn->u.str;
			li->aux = glob ? LIT_GLOB : LIT_PLAIN;
		}
		push(l, glob ? R_GLOB : R_STRING, glob ? VT_GLOB : VT_STRING);
		return 0;
	}
	case FILTER_OP_LOAD_S64:
		if (!l->dead)
			emit(l, LOP_PUSH_INT)->u.s64 = insn->u.s64;
		push(l, R_S64, VT_S64);
		return 0;
	case FILTER_OP_LOAD_DOUBLE:
		if (!l->dead)
			emit(l, LOP_PUSH_DOUBLE)->u.d = insn->u.d;
		push(l, R_DOUBLE, VT_DOUBLE);
		return 0;
	case FILTER_OP_CAST_TO_S64:
	case FILTER_OP_CAST_DOUBLE_TO_S64:
	case FILTER_OP_CAST_NOP:
		return cast(l, insn->op);
	case FILTER_OP_GET_CONTEXT_ROOT:
	case FILTER_OP_GET_APP_CONTEXT_ROOT:
	case FILTER_OP_GET_PAYLOAD_ROOT:
		push(l, R_PTR, VT_PTR);
		top(l)->r = R_PTR;
		top(l)->root = insn->op == FILTER_OP_GET_PAYLOAD_ROOT   ? ROOT_PAYLOAD
		               : insn->op == FILTER_OP_GET_CONTEXT_ROOT ? ROOT_CONTEXT
		                                                        : ROOT_APP;
		return 0;
	case FILTER_OP_GET_SYMBOL:
		return path_symbol(l, insn->u.u16);
	case FILTER_OP_GET_INDEX_U16:
		return path_index(l, insn->u.u16);
	case FILTER_OP_GET_INDEX_U64:
		return path_index(l, insn->u.u64);
	case FILTER_OP_LOAD_FIELD:
		return path_load(l);
	default:
		return link_fail(l, "unknown opcode");
	}
}

static int code_link(struct linker *l)
{
	uint32_t pc = 0;

	while (pc < l->code_len) {
		struct filter_insn insn;
		int r;

		r = filter_insn_decode(l->code, l->code_len, pc, &insn, &l->reason);
		if (r < 0)
			return r;
		r = merge(l, pc);
		if (r < 0)
			return r;
		l->index_at[pc] = l->prog->nr_insns;
		if (l->jumps[pc])
			l->fuse_floor = l->prog->nr_insns;
		r = insn_link(l, pc, &insn);
		if (r < 0)
			return r;
		pc += insn.size;
	}
	for (uint32_t i = 0; i < l->prog->nr_insns; i++) {
		struct lop_insn *insn = &l->prog->insns[i];

		if (insn->op == LOP_AND || insn->op == LOP_OR)
			insn->arg = l->index_at[l->target_off[i]];
	}
	return 0;
}

/* Links one program: the variant for l->app_kinds when there are application contexts. */
static int link_one(struct linker *l, const struct filter_validate_info *info, char *strings,
                    struct filter_program **ret_program)
{
	int r = 0;

	/* Every instruction gives at most one LOP, plus one error. */
	l->prog =
	    calloc(1, sizeof(*l->prog) + ((size_t)info->nr_insns + 1) * sizeof(struct lop_insn));
	l->jumps = calloc(info->code_len, sizeof(*l->jumps));
	l->index_at = calloc(info->code_len, sizeof(*l->index_at));
	l->target_off = calloc((size_t)info->nr_insns + 1, sizeof(*l->target_off));
	l->dead = false;
	l->depth = 0;
	l->fuse_floor = 0;
	if (!l->prog || !l->jumps || !l->index_at || !l->target_off) {
		r = -ENOMEM;
		l->reason = "out of memory";
	} else {
		l->prog->strings = strings;
		l->prog->ctx = l->ctx;
		r = code_link(l);
	}
	for (uint32_t i = 0; l->jumps && i < info->code_len; i++)
		free(l->jumps[i]);
	free(l->jumps);
	free(l->index_at);
	free(l->target_off);
	if (r < 0) {
		free(l->prog);
		return r;
	}
	*ret_program = l->prog;
	return 0;
}

/* The distinct "$app." names of the relocation table, in order. */
static int app_names_collect(struct linker *l)
{
	uint32_t off = 0;

	while (off < l->table_len) {
		const char *name = l->table + off + sizeof(uint16_t);
		uint32_t i = 0;

		off += (uint32_t)(sizeof(uint16_t) + strlen(name) + 1);
		if (strncmp(name, "$app.", 5) != 0)
			continue;
		while (i < l->nr_app && strcmp(l->app_names[i], name) != 0)
			i++;
		if (i < l->nr_app)
			continue;
		if (l->nr_app == FILTER_MAX_APP_CONTEXTS) {
			l->reason = "more than 3 application contexts in one filter";
			return -E2BIG;
		}
		l->app_names[l->nr_app++] = name;
	}
	return 0;
}

/* One variant per combination of the application contexts' kinds. */
static int link_app_variants(struct linker *l, const struct filter_validate_info *info,
                             struct filter_program *top)
{
	uint32_t n = 1;
	int r;

	for (uint32_t i = 0; i < l->nr_app; i++)
		n *= APP_NR_KINDS;
	if ((uint64_t)n * (info->nr_insns + 1) * sizeof(struct lop_insn) >
	    FILTER_APP_VARIANTS_MAX_BYTES) {
		l->reason = "filter too long for the application contexts it reads";
		return -E2BIG;
	}
	for (uint32_t i = 0; i < l->nr_app; i++) {
		if (!l->ctx || !l->ctx->resolve_app) {
			top->app[i] = NULL;
			continue;
		}
		/* One that cannot be resolved reads as without provider: an error. */
		r = l->ctx->resolve_app(l->app_names[i], &top->app[i]);
		if (r == -ENOMEM) {
			l->reason = "out of memory";
			return r;
		}
		if (r < 0)
			top->app[i] = NULL;
	}
	top->variants = calloc(n, sizeof(*top->variants));
	if (!top->variants) {
		l->reason = "out of memory";
		return -ENOMEM;
	}
	top->nr_app = l->nr_app;
	for (uint32_t k = 0; k < n; k++) {
		for (uint32_t i = 0, rest = k; i < l->nr_app; i++, rest /= APP_NR_KINDS)
			l->app_kinds[i] =
			    top->app[i] ? (uint8_t)(rest % APP_NR_KINDS) : APP_KIND_ERROR;
		r = link_one(l, info, top->strings, &top->variants[k]);
		if (r < 0)
			return r;
	}
	return 0;
}

int filter_link(const void *buf, size_t size, const struct ringtrace_field_desc *fields,
                uint32_t nr_fields, const struct filter_ctx_ops *ctx,
                struct filter_program **ret_program, const char **ret_reason)
{
	struct filter_validate_info info;
	struct filter_bytecode head;
	struct filter_program *top = NULL;
	struct linker l = {0};
	char *strings;
	int r;

	r = filter_validate(buf, size, &info, ret_reason);
	if (r < 0)
		return r;
	memcpy(&head, buf, sizeof(head));
	strings = malloc(head.len);
	if (!strings) {
		if (ret_reason)
			*ret_reason = "out of memory";
		return -ENOMEM;
	}
	memcpy(strings, (const char *)buf + sizeof(head), head.len);
	l.code = strings;
	l.code_len = head.reloc_table_offset;
	l.table = l.code + l.code_len;
	l.table_len = head.len - head.reloc_table_offset;
	l.fields = fields;
	l.nr_fields = nr_fields;
	l.ctx = ctx;
	r = app_names_collect(&l);
	if (r == 0 && l.nr_app == 0) {
		r = link_one(&l, &info, strings, &top);
	} else if (r == 0) {
		top = calloc(1, sizeof(*top));
		if (!top) {
			r = -ENOMEM;
			l.reason = "out of memory";
		} else {
			top->strings = strings;
			top->owns_strings = true;
			top->ctx = ctx;
			r = link_app_variants(&l, &info, top);
		}
	}
	if (r < 0) {
		if (top)
			filter_program_free(top);
		else
			free(strings);
		if (ret_reason)
			*ret_reason = l.reason;
		return r;
	}
	top->owns_strings = true;
	*ret_program = top;
	return 0;
}

void filter_program_free(struct filter_program *program)
{
	uint32_t n = 1;

	if (!program)
		return;
	for (uint32_t i = 0; program->variants && i < program->nr_app; i++)
		n *= APP_NR_KINDS;
	for (uint32_t k = 0; program->variants && k < n; k++)
		filter_program_free(program->variants[k]);
	free(program->variants);
	if (program->owns_strings)
		free(program->strings);
	free(program);
}
