/* SPDX-License-Identifier: MIT */
#include "filter-check.h"

#include <stdbool.h>
#include <string.h>

#include "filter-bytecode.h"
#include "filter-string.h"

struct check_ctx {
	const char *expression;
	struct filter_error *err;
	/* The distinct $app paths met (their segments after "$app"). */
	const struct filter_path_segment *apps[FILTER_MAX_APP_CONTEXTS];
	uint32_t nr_apps;
};

static bool is_arithmetic(enum filter_ast_op op)
{
	return op == FILTER_AST_MUL || op == FILTER_AST_DIV || op == FILTER_AST_MOD ||
	       op == FILTER_AST_ADD || op == FILTER_AST_SUB;
}

static bool is_comparison(enum filter_ast_op op)
{
	return op == FILTER_AST_EQ || op == FILTER_AST_NE || op == FILTER_AST_GT ||
	       op == FILTER_AST_LT || op == FILTER_AST_GE || op == FILTER_AST_LE;
}

static bool is_logical(enum filter_ast_op op)
{
	return op == FILTER_AST_AND || op == FILTER_AST_OR;
}

static bool is_number(enum filter_value_type t)
{
	return t == FILTER_TYPE_NUMERIC || t == FILTER_TYPE_FLOAT;
}

/* lttng refuses arithmetic as soon as it meets the operator. */
static int types_enter(struct filter_node *node, void *userdata)
{
	struct check_ctx *c = userdata;

	if (node->kind == FILTER_NODE_BINARY && is_arithmetic(node->u.binary.op))
		return filter_error_set(c->err, c->expression, node->offset,
		                        "binary operator '%s' is not supported: expected a "
		                        "comparison (== != < > <= >=), logical (&& ||) or bitwise "
		                        "(& | ^ << >>) operator",
		                        filter_ast_op_text(node->u.binary.op));
	return 0;
}

static bool same_segments(const struct filter_path_segment *a, const struct filter_path_segment *b)
{
	for (; a && b; a = a->next, b = b->next)
		if (strcmp(a->name, b->name) != 0)
			return false;
	return !a && !b;
}

/* One more $app path: at most FILTER_MAX_APP_CONTEXTS distinct ones (a ringtrace limit). */
static int count_app_context(struct check_ctx *c, const struct filter_path_segment *seg)
{
	for (uint32_t i = 0; i < c->nr_apps; i++)
		if (same_segments(c->apps[i], seg->next))
			return 0;
	if (c->nr_apps == FILTER_MAX_APP_CONTEXTS)
		return filter_error_set(c->err, c->expression, seg->offset,
		                        "more than %d application contexts in one filter: "
		                        "ringtrace reads at most %d",
		                        FILTER_MAX_APP_CONTEXTS, FILTER_MAX_APP_CONTEXTS);
	c->apps[c->nr_apps++] = seg->next;
	return 0;
}

static int check_path(struct check_ctx *c, const struct filter_node *node)
{
	const struct filter_path_segment *seg = node->u.path.first;
	bool indexed = false;

	if (seg->global) {
		bool ctx = strcmp(seg->name, "$ctx") == 0;

		if (!ctx && strcmp(seg->name, "$app") != 0)
			return filter_error_set(c->err, c->expression, seg->offset,
			                        "unknown name '%s': expected $ctx.NAME (a context) "
			                        "or $app.PROVIDER:NAME (an application context)",
			                        seg->name);
		if (!seg->next)
			return filter_error_set(c->err, c->expression, seg->offset,
			                        "expected a name after '%s', as in %s", seg->name,
			                        ctx ? "$ctx.vpid" : "$app.provider:name");
		if (!ctx) {
			int r = count_app_context(c, seg);

			if (r < 0)
				return r;
		}
		/* Brackets on $ctx or $app themselves are ignored, as lttng does. */
		seg = seg->next;
	}
	for (const struct filter_path_segment *s = seg; s; s = s->next)
		indexed |= s->has_index;
	if (!indexed)
		return 0;
	for (const struct filter_path_segment *s = seg; s; s = s->next) {
		if (s->has_index && (s->index->kind != FILTER_NODE_INT || s->index->parenthesized))
			return filter_error_set(c->err, c->expression, s->index->offset,
			                        "array index must be an integer constant, as in "
			                        "%s[2]",
			                        s->name);
	}
	return 0;
}

static int check_binary_types(struct check_ctx *c, struct filter_node *node)
{
	enum filter_value_type l = node->u.binary.left->type, r = node->u.binary.right->type;
	const char *op = filter_ast_op_text(node->u.binary.op);

	node->type = FILTER_TYPE_NUMERIC;
	if (is_comparison(node->u.binary.op)) {
		if ((l == FILTER_TYPE_STRING && is_number(r)) ||
		    (r == FILTER_TYPE_STRING && is_number(l)))
			return filter_error_set(
			    c->err, c->expression, node->offset,
			    "operand type mismatch for '%s': a string cannot be "
			    "compared with a number",
			    op);
		return 0;
	}
	if (is_logical(node->u.binary.op)) {
		if (l == FILTER_TYPE_STRING || r == FILTER_TYPE_STRING)
			return filter_error_set(
			    c->err, c->expression, node->offset,
			    "logical operator '%s' cannot have a string operand: "
			    "expected a field, a number or a comparison",
			    op);
		return 0;
	}
	if (l == FILTER_TYPE_STRING || r == FILTER_TYPE_STRING)
		return filter_error_set(c->err, c->expression, node->offset,
		                        "bitwise operator '%s' cannot have a string operand: "
		                        "expected an integer",
		                        op);
	if (l == FILTER_TYPE_FLOAT || r == FILTER_TYPE_FLOAT)
		return filter_error_set(c->err, c->expression, node->offset,
		                        "bitwise operator '%s' cannot have a floating point "
		                        "operand: expected an integer",
		                        op);
	return 0;
}

static int types_leave(struct filter_node *node, void *userdata)
{
	struct check_ctx *c = userdata;

	switch (node->kind) {
	case FILTER_NODE_INT:
		node->type = FILTER_TYPE_NUMERIC;
		return 0;
	case FILTER_NODE_FLOAT:
		node->type = FILTER_TYPE_FLOAT;
		return 0;
	case FILTER_NODE_STRING:
		node->type = FILTER_TYPE_STRING;
		return 0;
	case FILTER_NODE_PATH:
		node->type = FILTER_TYPE_FIELD;
		return check_path(c, node);
	case FILTER_NODE_UNARY:
		node->type = node->u.unary.child->type;
		if (node->type == FILTER_TYPE_STRING)
			return filter_error_set(c->err, c->expression, node->offset,
			                        "unary operator '%s' cannot be applied to a string",
			                        filter_ast_op_text(node->u.unary.op));
		return 0;
	case FILTER_NODE_BINARY:
		return check_binary_types(c, node);
	}
	return 0;
}

static int check_root(struct check_ctx *c, const struct filter_node *root)
{
	if (root->type == FILTER_TYPE_STRING)
		return filter_error_set(c->err, c->expression, root->offset,
		                        "a string cannot be the whole filter: expected a "
		                        "comparison, as in field == \"text\"");
	if (root->type == FILTER_TYPE_FLOAT)
		return filter_error_set(c->err, c->expression, root->offset,
		                        "a floating point value cannot be the whole filter: "
		                        "expected a comparison, as in field > 1.5");
	return 0;
}

/* Offset in the expression of byte index of the content of a string token. */
static size_t string_source_offset(const char *expression, size_t token_offset, size_t index)
{
	const char *p = expression + token_offset;

	if (*p == 'L')
		p++;
	p++; /* the opening quote */
	for (;; p++) {
		if (*p == '\n')
			continue;
		if (index-- == 0)
			return (size_t)(p - expression);
	}
}

static int strings_leave(struct filter_node *node, void *userdata)
{
	struct check_ctx *c = userdata;
	size_t bad;

	if (node->kind != FILTER_NODE_STRING)
		return 0;
	bad = filter_string_bad_escape(node->u.string.text);
	if (bad != (size_t)-1 && node->u.string.text[bad + 1] == '\0')
		return filter_error_set(
		    c->err, c->expression, string_source_offset(c->expression, node->offset, bad),
		    "a string cannot end with a backslash (it does not escape the quote): "
		    "expected \\* (a star) or \\\\ (a backslash)");
	if (bad != (size_t)-1)
		return filter_error_set(
		    c->err, c->expression, string_source_offset(c->expression, node->offset, bad),
		    "unsupported escape '\\%c' in a string: expected \\* (a star) or \\\\ "
		    "(a backslash), the only escapes",
		    node->u.string.text[bad + 1]);
	node->u.string.glob = filter_string_glob_class(node->u.string.text);
	if (node->u.string.glob == FILTER_GLOB_FULL)
		filter_string_collapse_stars(node->u.string.text);
	return 0;
}

/* The glob class of a direct operand, or -1 when it is no string literal. */
static int operand_glob(const struct filter_node *node)
{
	return node->kind == FILTER_NODE_STRING ? (int)node->u.string.glob : -1;
}

static int globs_leave(struct filter_node *node, void *userdata)
{
	struct check_ctx *c = userdata;
	int l, r;

	if (node->kind != FILTER_NODE_BINARY || !is_comparison(node->u.binary.op))
		return 0;
	l = operand_glob(node->u.binary.left);
	r = operand_glob(node->u.binary.right);
	if ((l == FILTER_GLOB_FULL && r > FILTER_GLOB_NONE) ||
	    (r == FILTER_GLOB_FULL && l > FILTER_GLOB_NONE))
		return filter_error_set(c->err, c->expression, node->offset,
		                        "cannot compare two globbing patterns: expected a field on "
		                        "one side of '%s'",
		                        filter_ast_op_text(node->u.binary.op));
	if ((l == FILTER_GLOB_FULL || r == FILTER_GLOB_FULL) &&
	    node->u.binary.op != FILTER_AST_EQ && node->u.binary.op != FILTER_AST_NE)
		return filter_error_set(c->err, c->expression, node->offset,
		                        "a globbing pattern (a string with a '*' wildcard "
		                        "elsewhere than at its end) can only be compared with == "
		                        "or !=, not '%s'",
		                        filter_ast_op_text(node->u.binary.op));
	return 0;
}

int filter_check(const char *expression, struct filter_node *root, struct filter_error *err)
{
	static const struct filter_ast_visitor types = {.enter = types_enter, .leave = types_leave};
	static const struct filter_ast_visitor strings = {.leave = strings_leave};
	static const struct filter_ast_visitor globs = {.leave = globs_leave};
	struct check_ctx c = {.expression = expression, .err = err};
	int r;

	r = filter_ast_walk(root, &types, &c);
	if (r < 0)
		return r;
	r = check_root(&c, root);
	if (r < 0)
		return r;
	r = filter_ast_walk(root, &strings, &c);
	if (r < 0)
		return r;
	return filter_ast_walk(root, &globs, &c);
}
