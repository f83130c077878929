/* SPDX-License-Identifier: MIT */
#include "filter-codegen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct byte_buf {
	uint8_t *data;
	size_t len, capacity;
};

struct codegen {
	struct byte_buf code, reloc;
	/* Code offsets of the u16 operands of AND/OR waiting for their target. */
	size_t *jumps;
	size_t n_jumps, jumps_capacity;
};

static int buf_append(struct byte_buf *b, const void *bytes, size_t n)
{
	if (n > FILTER_BYTECODE_MAX_LEN - b->len)
		return -E2BIG;
	if (b->len + n > b->capacity) {
		size_t capacity = b->capacity ? b->capacity : 256;
		uint8_t *data;

		while (capacity < b->len + n)
			capacity *= 2;
		data = realloc(b->data, capacity);
		if (!data)
			return -ENOMEM;
		b->data = data;
		b->capacity = capacity;
	}
	memcpy(b->data + b->len, bytes, n);
	b->len += n;
	return 0;
}

static int emit_op(struct codegen *g, enum filter_opcode op)
{
	uint8_t byte = (uint8_t)op;

	return buf_append(&g->code, &byte, 1);
}

/* An opcode and its operand, in host order. */
static int emit_op_operand(struct codegen *g, enum filter_opcode op, const void *operand,
                           size_t size)
{
	int r = emit_op(g, op);

	return r < 0 ? r : buf_append(&g->code, operand, size);
}

/* A relocation entry for the instruction at code_offset; name is the concatenation. */
static int reloc_begin(struct codegen *g, size_t code_offset)
{
	uint16_t offset = (uint16_t)code_offset;

	return buf_append(&g->reloc, &offset, sizeof(offset));
}

static int reloc_text(struct codegen *g, const char *text)
{
	return buf_append(&g->reloc, text, strlen(text));
}

static int reloc_end(struct codegen *g)
{
	return buf_append(&g->reloc, "", 1);
}

static int emit_legacy_path(struct codegen *g, const struct filter_node *node)
{
	const struct filter_path_segment *seg = node->u.path.first;
	uint16_t unlinked = FILTER_FIELD_REF_UNLINKED;
	enum filter_opcode op = seg->global ? FILTER_OP_GET_CONTEXT_REF : FILTER_OP_LOAD_FIELD_REF;
	int r;

	r = reloc_begin(g, g->code.len);
	for (; r >= 0 && seg; seg = seg->next) {
		r = reloc_text(g, seg->name);
		if (r >= 0 && seg->next)
			r = reloc_text(g, ".");
	}
	if (r >= 0)
		r = reloc_end(g);
	return r < 0 ? r : emit_op_operand(g, op, &unlinked, sizeof(unlinked));
}

static int emit_get_symbol(struct codegen *g, const char *name)
{
	uint16_t symbol_offset = (uint16_t)(g->reloc.len + sizeof(uint16_t));
	int r;

	r = reloc_begin(g, g->code.len);
	if (r >= 0)
		r = reloc_text(g, name);
	if (r >= 0)
		r = reloc_end(g);
	return r < 0 ? r
	             : emit_op_operand(g, FILTER_OP_GET_SYMBOL, &symbol_offset,
	                               sizeof(symbol_offset));
}

static int emit_indexed_path(struct codegen *g, const struct filter_node *node)
{
	const struct filter_path_segment *seg = node->u.path.first;
	enum filter_opcode root = FILTER_OP_GET_PAYLOAD_ROOT;
	int r;

	if (seg->global) {
		root = strcmp(seg->name, "$ctx") == 0 ? FILTER_OP_GET_CONTEXT_ROOT
		                                      : FILTER_OP_GET_APP_CONTEXT_ROOT;
		seg = seg->next;
	}
	r = emit_op(g, root);
	for (; r >= 0 && seg; seg = seg->next) {
		uint64_t index;

		r = emit_get_symbol(g, seg->name);
		if (r < 0 || !seg->has_index)
			continue;
		index = seg->index->u.integer;
		r = emit_op_operand(g, FILTER_OP_GET_INDEX_U64, &index, sizeof(index));
	}
	return r < 0 ? r : emit_op(g, FILTER_OP_LOAD_FIELD);
}

static int emit_path(struct codegen *g, const struct filter_node *node)
{
	const struct filter_path_segment *seg = node->u.path.first;

	if (seg->global)
		seg = seg->next; /* brackets on $ctx / $app themselves do not count */
	for (; seg; seg = seg->next) {
		if (seg->has_index)
			return emit_indexed_path(g, node);
	}
	return emit_legacy_path(g, node);
}

static int emit_string(struct codegen *g, const struct filter_node *node)
{
	const char *text = node->u.string.text;
	enum filter_opcode op = node->u.string.glob == FILTER_GLOB_FULL
	                            ? FILTER_OP_LOAD_STAR_GLOB_STRING
	                            : FILTER_OP_LOAD_STRING;

	return emit_op_operand(g, op, text, strlen(text) + 1);
}

/* Operands of && and || are made integers first. */
static int emit_logical_cast(struct codegen *g, const struct filter_node *operand)
{
	if (operand->type == FILTER_TYPE_FIELD)
		return emit_op(g, FILTER_OP_CAST_TO_S64);
	if (operand->type == FILTER_TYPE_FLOAT)
		return emit_op(g, FILTER_OP_CAST_DOUBLE_TO_S64);
	return 0;
}

static enum filter_opcode unary_opcode(enum filter_ast_op op)
{
	switch (op) {
	case FILTER_AST_MINUS:
		return FILTER_OP_UNARY_MINUS;
	case FILTER_AST_NOT:
		return FILTER_OP_UNARY_NOT;
	case FILTER_AST_BIT_NOT:
		return FILTER_OP_UNARY_BIT_NOT;
	default: /* lttng emits nothing for the unary + */
		return FILTER_OP_UNKNOWN;
	}
}

static enum filter_opcode binary_opcode(enum filter_ast_op op)
{
	switch (op) {
	case FILTER_AST_RSHIFT:
		return FILTER_OP_BIT_RSHIFT;
	case FILTER_AST_LSHIFT:
		return FILTER_OP_BIT_LSHIFT;
	case FILTER_AST_BIT_AND:
		return FILTER_OP_BIT_AND;
	case FILTER_AST_BIT_OR:
		return FILTER_OP_BIT_OR;
	case FILTER_AST_BIT_XOR:
		return FILTER_OP_BIT_XOR;
	case FILTER_AST_EQ:
		return FILTER_OP_EQ;
	case FILTER_AST_NE:
		return FILTER_OP_NE;
	case FILTER_AST_GT:
		return FILTER_OP_GT;
	case FILTER_AST_LT:
		return FILTER_OP_LT;
	case FILTER_AST_GE:
		return FILTER_OP_GE;
	case FILTER_AST_LE:
		return FILTER_OP_LE;
	case FILTER_AST_AND:
		return FILTER_OP_AND;
	case FILTER_AST_OR:
		return FILTER_OP_OR;
	default: /* arithmetic: refused by the checker */
		return FILTER_OP_UNKNOWN;
	}
}

static bool is_logical(const struct filter_node *node)
{
	return node->kind == FILTER_NODE_BINARY &&
	       (node->u.binary.op == FILTER_AST_AND || node->u.binary.op == FILTER_AST_OR);
}

/* After the left operand of && / ||: its cast, then the jump with a hole. */
static int codegen_between(struct filter_node *node, void *userdata)
{
	struct codegen *g = userdata;
	uint16_t hole = 0;
	int r;

	if (!is_logical(node))
		return 0;
	r = emit_logical_cast(g, node->u.binary.left);
	if (r < 0)
		return r;
	if (g->n_jumps == g->jumps_capacity) {
		size_t capacity = g->jumps_capacity ? g->jumps_capacity * 2 : 16;
		size_t *jumps = realloc(g->jumps, capacity * sizeof(*jumps));

		if (!jumps)
			return -ENOMEM;
		g->jumps = jumps;
		g->jumps_capacity = capacity;
	}
	g->jumps[g->n_jumps++] = g->code.len + 1;
	return emit_op_operand(g, binary_opcode(node->u.binary.op), &hole, sizeof(hole));
}

static int codegen_leave(struct filter_node *node, void *userdata)
{
	struct codegen *g = userdata;
	int r;

	switch (node->kind) {
	case FILTER_NODE_INT:
		return emit_op_operand(g, FILTER_OP_LOAD_S64, &node->u.integer,
		                       sizeof(node->u.integer));
	case FILTER_NODE_FLOAT:
		return emit_op_operand(g, FILTER_OP_LOAD_DOUBLE, &node->u.floating,
		                       sizeof(node->u.floating));
	case FILTER_NODE_STRING:
		return emit_string(g, node);
	case FILTER_NODE_PATH:
		return emit_path(g, node);
	case FILTER_NODE_UNARY:
		if (node->u.unary.op == FILTER_AST_PLUS)
			return 0;
		return emit_op(g, unary_opcode(node->u.unary.op));
	case FILTER_NODE_BINARY:
		if (is_logical(node)) {
			uint16_t target;

			r = emit_logical_cast(g, node->u.binary.right);
			if (r < 0)
				return r;
			/* The code is at most FILTER_BYTECODE_MAX_LEN bytes: the target fits. */
			target = (uint16_t)g->code.len;
			memcpy(g->code.data + g->jumps[--g->n_jumps], &target, sizeof(target));
			return 0;
		}
		return emit_op(g, binary_opcode(node->u.binary.op));
	}
	return 0;
}

static int assemble(struct codegen *g, struct filter_bytecode **ret_bytecode)
{
	struct filter_bytecode *b;
	size_t len = g->code.len + g->reloc.len;

	if (len > FILTER_BYTECODE_MAX_LEN)
		return -E2BIG;
	b = calloc(1, sizeof(*b) + len);
	if (!b)
		return -ENOMEM;
	b->len = (uint32_t)len;
	b->reloc_table_offset = (uint32_t)g->code.len;
	memcpy(b->data, g->code.data, g->code.len);
	if (g->reloc.len)
		memcpy(b->data + g->code.len, g->reloc.data, g->reloc.len);
	*ret_bytecode = b;
	return 0;
}

int filter_codegen(struct filter_node *root, struct filter_bytecode **ret_bytecode)
{
	static const struct filter_ast_visitor visitor = {.between = codegen_between,
	                                                  .leave = codegen_leave};
	struct codegen g = {0};
	int r;

	r = filter_ast_walk(root, &visitor, &g);
	if (r >= 0)
		r = emit_op(&g, FILTER_OP_RETURN);
	if (r >= 0)
		r = assemble(&g, ret_bytecode);
	free(g.code.data);
	free(g.reloc.data);
	free(g.jumps);
	return r;
}
