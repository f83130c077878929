/* SPDX-License-Identifier: MIT */
#include "filter-parser.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "filter-lexer.h"

/* An operator waiting for its operands, or an open group. */
enum pending_kind {
	PENDING_UNARY,
	PENDING_BINARY,
	PENDING_PAREN,   /* "(" */
	PENDING_BRACKET, /* "[" of the path below it on the operand stack */
};

struct pending {
	enum pending_kind kind;
	enum filter_ast_op op;
	uint32_t offset;
};

struct parser {
	const char *text;
	struct filter_lexer lexer;
	struct filter_arena *arena;
	struct filter_error *err;
	struct filter_token tok;  /* the current token */
	struct filter_token prev; /* the one before, for messages */

	struct filter_node **operands;
	size_t n_operands, operands_capacity;
	struct pending *pendings;
	size_t n_pendings, pendings_capacity;
	size_t depth; /* bison states the pending entries stand for */

	/* The operand on top is a path that `.`, `->` or `[` may extend. */
	bool path_open;
};

static int grow(void **array, size_t *capacity, size_t count, size_t elem_size)
{
	size_t new_capacity;
	void *p;

	if (count < *capacity)
		return 0;
	new_capacity = *capacity ? *capacity * 2 : 32;
	p = realloc(*array, new_capacity * elem_size);
	if (!p)
		return -ENOMEM;
	*array = p;
	*capacity = new_capacity;
	return 0;
}

static int push_operand(struct parser *ps, struct filter_node *node)
{
	int r = grow((void **)&ps->operands, &ps->operands_capacity, ps->n_operands,
	             sizeof(*ps->operands));

	if (r < 0)
		return r;
	ps->operands[ps->n_operands++] = node;
	return 0;
}

/* How the current (or previous) token reads in a message. */
static const char *token_text(const struct parser *ps, const struct filter_token *tok, char *buf,
                              size_t size)
{
	unsigned char c = (unsigned char)ps->text[tok->offset];

	if (tok->kind == FILTER_TOK_END)
		return "the end of the expression";
	if (tok->kind == FILTER_TOK_INVALID && (c < 0x20 || c >= 0x7f))
		snprintf(buf, size, "the byte 0x%02x", c);
	else if (tok->length > 40)
		snprintf(buf, size, "'%.37s...'", ps->text + tok->offset);
	else
		snprintf(buf, size, "'%.*s'", (int)tok->length, ps->text + tok->offset);
	return buf;
}

/* A hint for the usual mistakes behind an unexpected token, or "". */
static const char *token_hint(const struct parser *ps)
{
	const struct filter_token *tok = &ps->tok, *prev = &ps->prev;
	char c = ps->text[tok->offset];

	if (tok->kind == FILTER_TOK_INVALID && c == '=')
		return " (to compare, use '==')";
	if (tok->kind == FILTER_TOK_INVALID && (c == '\r' || c == '\v' || c == '\f'))
		return " (only spaces, tabs and newlines separate tokens)";
	if (tok->kind == FILTER_TOK_INVALID && c == '$')
		return " ('$' starts $ctx.NAME or $app.PROVIDER:NAME)";
	if (tok->kind == FILTER_TOK_INT && prev->kind == FILTER_TOK_INT &&
	    prev->offset + prev->length == tok->offset && ps->text[prev->offset] == '0')
		return " (a constant starting with 0 is octal: digits 0 to 7)";
	return "";
}

static int error_here(struct parser *ps, const char *expected)
{
	char found[64], after[64];

	if (ps->prev.length == 0)
		return filter_error_set(
		    ps->err, ps->text, ps->tok.offset, "expected %s, found %s%s", expected,
		    token_text(ps, &ps->tok, found, sizeof(found)), token_hint(ps));
	return filter_error_set(ps->err, ps->text, ps->tok.offset,
	                        "expected %s after %s, found %s%s", expected,
	                        token_text(ps, &ps->prev, after, sizeof(after)),
	                        token_text(ps, &ps->tok, found, sizeof(found)), token_hint(ps));
}

static int advance(struct parser *ps)
{
	ps->prev = ps->tok;
	return filter_lexer_next(&ps->lexer, &ps->tok, ps->err);
}

static size_t pending_depth(enum pending_kind kind)
{
	return kind == PENDING_BINARY || kind == PENDING_BRACKET ? 2 : 1;
}

/* Refuses the token when bison's stack would need more than it has. */
static int check_depth(struct parser *ps, size_t extra)
{
	if (1 + ps->depth + extra <= FILTER_MAX_PARSER_DEPTH)
		return 0;
	return filter_error_set(ps->err, ps->text, ps->tok.offset,
	                        "expression nested too deeply (as lttng, at most about 10000 "
	                        "pending operators, parentheses and brackets)");
}

static int push_pending(struct parser *ps, enum pending_kind kind, enum filter_ast_op op)
{
	int r;

	ps->depth += pending_depth(kind);
	r = check_depth(ps, 0);
	if (r < 0)
		return r;
	r = grow((void **)&ps->pendings, &ps->pendings_capacity, ps->n_pendings,
	         sizeof(*ps->pendings));
	if (r < 0)
		return r;
	ps->pendings[ps->n_pendings++] =
	    (struct pending){.kind = kind, .op = op, .offset = (uint32_t)ps->tok.offset};
	return 0;
}

static struct filter_node *new_node(struct parser *ps, enum filter_node_kind kind, size_t offset)
{
	struct filter_node *node = filter_arena_alloc(ps->arena, sizeof(*node));

	if (node) {
		node->kind = kind;
		node->offset = (uint32_t)offset;
	}
	return node;
}

/* Builds the operator on top of the pending stack from its operands. */
static int reduce_one(struct parser *ps)
{
	struct pending p = ps->pendings[--ps->n_pendings];
	struct filter_node *node;

	if (p.kind == PENDING_UNARY) {
		node = new_node(ps, FILTER_NODE_UNARY, p.offset);
		if (!node)
			return -ENOMEM;
		node->u.unary.op = p.op;
		node->u.unary.child = ps->operands[ps->n_operands - 1];
		ps->operands[ps->n_operands - 1] = node;
		ps->depth -= pending_depth(p.kind);
		return 0;
	}
	node = new_node(ps, FILTER_NODE_BINARY, p.offset);
	if (!node)
		return -ENOMEM;
	node->u.binary.op = p.op;
	node->u.binary.left = ps->operands[ps->n_operands - 2];
	node->u.binary.right = ps->operands[ps->n_operands - 1];
	ps->n_operands--;
	ps->operands[ps->n_operands - 1] = node;
	ps->depth -= pending_depth(p.kind);
	return 0;
}

static int precedence(enum filter_ast_op op)
{
	switch (op) {
	case FILTER_AST_OR:
		return 1;
	case FILTER_AST_AND:
		return 2;
	case FILTER_AST_EQ:
	case FILTER_AST_NE:
		return 3;
	case FILTER_AST_LT:
	case FILTER_AST_GT:
	case FILTER_AST_LE:
	case FILTER_AST_GE:
		return 4;
	case FILTER_AST_BIT_OR:
		return 5;
	case FILTER_AST_BIT_XOR:
		return 6;
	case FILTER_AST_BIT_AND:
		return 7;
	case FILTER_AST_LSHIFT:
	case FILTER_AST_RSHIFT:
		return 8;
	case FILTER_AST_ADD:
	case FILTER_AST_SUB:
		return 9;
	default: /* * / % */
		return 10;
	}
}

/*
 * Builds every pending operator that binds at least as tightly as one of
 * precedence min_prec (0: all of them) down to the innermost open group.
 */
static int reduce(struct parser *ps, int min_prec)
{
	while (ps->n_pendings > 0) {
		const struct pending *top = &ps->pendings[ps->n_pendings - 1];
		int r;

		if (top->kind == PENDING_PAREN || top->kind == PENDING_BRACKET)
			return 0;
		if (top->kind == PENDING_BINARY && precedence(top->op) < min_prec)
			return 0;
		r = reduce_one(ps);
		if (r < 0)
			return r;
	}
	return 0;
}

static const struct pending *innermost_group(const struct parser *ps)
{
	return ps->n_pendings > 0 ? &ps->pendings[ps->n_pendings - 1] : NULL;
}

static bool unary_op(enum filter_token_kind kind, enum filter_ast_op *ret_op)
{
	switch (kind) {
	case FILTER_TOK_PLUS:
		*ret_op = FILTER_AST_PLUS;
		return true;
	case FILTER_TOK_MINUS:
		*ret_op = FILTER_AST_MINUS;
		return true;
	case FILTER_TOK_NOT:
		*ret_op = FILTER_AST_NOT;
		return true;
	case FILTER_TOK_TILDE:
		*ret_op = FILTER_AST_BIT_NOT;
		return true;
	default:
		return false;
	}
}

static bool binary_op(enum filter_token_kind kind, enum filter_ast_op *ret_op)
{
	static const struct {
		enum filter_token_kind tok;
		enum filter_ast_op op;
	} table[] = {
	    {FILTER_TOK_OR, FILTER_AST_OR},         {FILTER_TOK_AND, FILTER_AST_AND},
	    {FILTER_TOK_EQ, FILTER_AST_EQ},         {FILTER_TOK_NE, FILTER_AST_NE},
	    {FILTER_TOK_LT, FILTER_AST_LT},         {FILTER_TOK_GT, FILTER_AST_GT},
	    {FILTER_TOK_LE, FILTER_AST_LE},         {FILTER_TOK_GE, FILTER_AST_GE},
	    {FILTER_TOK_PIPE, FILTER_AST_BIT_OR},   {FILTER_TOK_CARET, FILTER_AST_BIT_XOR},
	    {FILTER_TOK_AMP, FILTER_AST_BIT_AND},   {FILTER_TOK_LSHIFT, FILTER_AST_LSHIFT},
	    {FILTER_TOK_RSHIFT, FILTER_AST_RSHIFT}, {FILTER_TOK_PLUS, FILTER_AST_ADD},
	    {FILTER_TOK_MINUS, FILTER_AST_SUB},     {FILTER_TOK_STAR, FILTER_AST_MUL},
	    {FILTER_TOK_SLASH, FILTER_AST_DIV},     {FILTER_TOK_PERCENT, FILTER_AST_MOD},
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (table[i].tok == kind) {
			*ret_op = table[i].op;
			return true;
		}
	}
	return false;
}

static struct filter_path_segment *new_segment(struct parser *ps)
{
	struct filter_path_segment *seg = filter_arena_alloc(ps->arena, sizeof(*seg));

	if (!seg)
		return NULL;
	seg->name = filter_arena_strndup(ps->arena, ps->text + ps->tok.offset, ps->tok.length);
	if (!seg->name)
		return NULL;
	seg->global = ps->tok.kind == FILTER_TOK_GLOBAL_IDENT;
	seg->offset = (uint32_t)ps->tok.offset;
	return seg;
}

/* A literal or the first name of a path; the current token is one. */
static int parse_operand_token(struct parser *ps)
{
	struct filter_node *node = new_node(ps, FILTER_NODE_INT, ps->tok.offset);
	struct filter_path_segment *seg;

	int r;

	if (!node)
		return -ENOMEM;
	r = check_depth(ps, 1);
	if (r < 0)
		return r;
	ps->path_open = false;
	switch (ps->tok.kind) {
	case FILTER_TOK_INT:
		if (ps->tok.conversion_error)
			return filter_error_set(ps->err, ps->text, ps->tok.offset,
			                        "invalid integer constant: %s",
			                        ps->tok.conversion_error);
		node->u.integer = ps->tok.value.integer;
		break;
	case FILTER_TOK_FLOAT:
		node->kind = FILTER_NODE_FLOAT;
		node->u.floating = ps->tok.value.floating;
		break;
	case FILTER_TOK_STRING:
		node->kind = FILTER_NODE_STRING;
		node->u.string.text = ps->tok.value.string;
		break;
	default: /* IDENT, GLOBAL_IDENT */
		seg = new_segment(ps);
		if (!seg)
			return -ENOMEM;
		node->kind = FILTER_NODE_PATH;
		node->u.path.first = node->u.path.last = seg;
		ps->path_open = true;
		break;
	}
	return push_operand(ps, node);
}

static const char *const expected_operand =
    "an operand (a field, $ctx.NAME, $app.PROVIDER:NAME, a number, a string, '(' or + - ! ~)";

/* Expecting an operand: a unary operator, '(' or an operand token. */
static int parse_operand_step(struct parser *ps, bool *ret_have_operand)
{
	enum filter_ast_op op;

	*ret_have_operand = false;
	if (unary_op(ps->tok.kind, &op))
		return push_pending(ps, PENDING_UNARY, op);
	switch (ps->tok.kind) {
	case FILTER_TOK_LPAREN:
		return push_pending(ps, PENDING_PAREN, 0);
	case FILTER_TOK_INT:
	case FILTER_TOK_FLOAT:
	case FILTER_TOK_STRING:
	case FILTER_TOK_IDENT:
	case FILTER_TOK_GLOBAL_IDENT:
		*ret_have_operand = true;
		return parse_operand_token(ps);
	case FILTER_TOK_END:
		if (ps->prev.length == 0)
			return filter_error_set(ps->err, ps->text, ps->tok.offset,
			                        "empty filter expression: expected a condition "
			                        "such as 'field == 1'");
		return error_here(ps, expected_operand);
	default:
		return error_here(ps, expected_operand);
	}
}

static int close_group(struct parser *ps, enum pending_kind kind)
{
	const struct pending *group;
	unsigned int line, column;
	int r;

	r = reduce(ps, 0);
	if (r >= 0)
		r = check_depth(ps, 2);
	if (r < 0)
		return r;
	group = innermost_group(ps);
	if (!group)
		return filter_error_set(
		    ps->err, ps->text, ps->tok.offset, "unexpected '%c': no '%c' to close",
		    kind == PENDING_PAREN ? ')' : ']', kind == PENDING_PAREN ? '(' : '[');
	if (group->kind != kind) {
		filter_error_locate(ps->text, group->offset, &line, &column);
		return filter_error_set(ps->err, ps->text, ps->tok.offset,
		                        "expected '%c' to close the '%c' at column %u, found '%c'",
		                        group->kind == PENDING_PAREN ? ')' : ']',
		                        group->kind == PENDING_PAREN ? '(' : '[', column,
		                        kind == PENDING_PAREN ? ')' : ']');
	}
	ps->depth -= pending_depth(ps->pendings[--ps->n_pendings].kind);
	return 0;
}

/* `]`: the index expression goes to the last segment of the path below it. */
static int close_bracket(struct parser *ps)
{
	struct filter_node *index, *path;
	struct filter_path_segment *seg;
	int r;

	r = close_group(ps, PENDING_BRACKET);
	if (r < 0)
		return r;
	index = ps->operands[--ps->n_operands];
	path = ps->operands[ps->n_operands - 1];
	seg = path->u.path.last;
	/* lttng uses the first index of a segment and ignores the others. */
	if (!seg->has_index) {
		seg->has_index = true;
		seg->index = index;
	}
	ps->path_open = true;
	return 0;
}

static int extend_path(struct parser *ps)
{
	struct filter_node *path = ps->operands[ps->n_operands - 1];
	struct filter_path_segment *seg;
	int r;

	r = advance(ps);
	if (r < 0)
		return r;
	if (ps->tok.kind != FILTER_TOK_IDENT && ps->tok.kind != FILTER_TOK_GLOBAL_IDENT)
		return error_here(ps, "a field name");
	r = check_depth(ps, 3); /* the path so far, the '.' and this name */
	if (r < 0)
		return r;
	seg = new_segment(ps);
	if (!seg)
		return -ENOMEM;
	path->u.path.last->next = seg;
	path->u.path.last = seg;
	return 0;
}

static const char *expected_after_operand(const struct parser *ps)
{
	const struct pending *group = innermost_group(ps);

	if (group && group->kind == PENDING_BRACKET)
		return ps->path_open ? "'.', '[' or ']' (an array index is a single integer)"
		                     : "']' (an array index is a single integer)";
	if (group && group->kind == PENDING_PAREN)
		return ps->path_open ? "'.', '[', a binary operator or ')'"
		                     : "a binary operator or ')'";
	return ps->path_open ? "'.', '[', a binary operator or the end of the expression"
	                     : "a binary operator or the end of the expression";
}

/* Expecting an operator after a complete operand. Sets *ret_done at the end. */
static int parse_operator_step(struct parser *ps, bool *ret_expect_operand, bool *ret_done)
{
	const struct pending *group;
	enum filter_ast_op op;
	int r;

	*ret_expect_operand = false;
	*ret_done = false;
	switch (ps->tok.kind) {
	case FILTER_TOK_DOT:
	case FILTER_TOK_ARROW:
		if (!ps->path_open)
			break;
		return extend_path(ps);
	case FILTER_TOK_LBRACKET:
		if (!ps->path_open)
			break;
		ps->path_open = false;
		*ret_expect_operand = true;
		return push_pending(ps, PENDING_BRACKET, 0);
	case FILTER_TOK_RPAREN:
		r = close_group(ps, PENDING_PAREN);
		if (r < 0)
			return r;
		ps->operands[ps->n_operands - 1]->parenthesized = true;
		ps->path_open = false;
		return 0;
	case FILTER_TOK_RBRACKET:
		return close_bracket(ps);
	case FILTER_TOK_END:
		r = reduce(ps, 0);
		if (r < 0)
			return r;
		group = innermost_group(ps);
		if (group) {
			unsigned int line, column;

			filter_error_locate(ps->text, group->offset, &line, &column);
			return filter_error_set(
			    ps->err, ps->text, ps->tok.offset,
			    "expected '%c' to close the '%c' at column %u, found "
			    "the end of the expression",
			    group->kind == PENDING_PAREN ? ')' : ']',
			    group->kind == PENDING_PAREN ? '(' : '[', column);
		}
		*ret_done = true;
		return 0;
	default:
		if (!binary_op(ps->tok.kind, &op))
			break;
		r = reduce(ps, precedence(op));
		if (r < 0)
			return r;
		group = innermost_group(ps);
		if (group && group->kind == PENDING_BRACKET)
			break;
		*ret_expect_operand = true;
		return push_pending(ps, PENDING_BINARY, op);
	}
	return error_here(ps, expected_after_operand(ps));
}

static int parse(struct parser *ps, struct filter_node **ret_root)
{
	bool expect_operand = true, done = false;
	int r;

	r = advance(ps);
	ps->prev.length = 0;
	while (r >= 0 && !done) {
		if (expect_operand) {
			bool have_operand;

			r = parse_operand_step(ps, &have_operand);
			expect_operand = !have_operand;
		} else {
			r = parse_operator_step(ps, &expect_operand, &done);
		}
		if (r >= 0 && !done)
			r = advance(ps);
	}
	if (r < 0)
		return r;
	*ret_root = ps->operands[0];
	return 0;
}

int filter_parse(const char *expression, struct filter_arena *arena, struct filter_node **ret_root,
                 struct filter_error *err)
{
	struct parser ps = {.text = expression, .arena = arena, .err = err};
	int r;

	filter_lexer_init(&ps.lexer, expression, arena);
	r = parse(&ps, ret_root);
	free(ps.operands);
	free(ps.pendings);
	return r;
}
