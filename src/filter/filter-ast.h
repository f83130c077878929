/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The syntax tree of a filter expression. Every node and string lives in
 * one arena, freed at once; nodes are never freed one by one.
 *
 * A field path (`a.b[2].c`, `$ctx.vpid`, `$app.prov:ctx`) is one leaf node
 * holding its segments: the passes after the parser never descend into it.
 * Only the first `[index]` of a segment is kept, as lttng 2.13 (it
 * ignores any further one, `a[1][2]` is `a[1]`).
 *
 * The tree can be as deep as the expression is long (`a&a&a&...` is a
 * left spine), so it is only ever walked with filter_ast_walk(), which
 * keeps its own stack on the heap.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum filter_node_kind {
	FILTER_NODE_INT,    /* integer literal, any base */
	FILTER_NODE_FLOAT,  /* floating point literal */
	FILTER_NODE_STRING, /* "..." or '...' literal */
	FILTER_NODE_PATH,   /* field, $ctx or $app path */
	FILTER_NODE_UNARY,
	FILTER_NODE_BINARY,
};

enum filter_ast_op {
	/* unary */
	FILTER_AST_PLUS,
	FILTER_AST_MINUS,
	FILTER_AST_NOT,
	FILTER_AST_BIT_NOT,
	/* binary, parsed but refused by the checker */
	FILTER_AST_MUL,
	FILTER_AST_DIV,
	FILTER_AST_MOD,
	FILTER_AST_ADD,
	FILTER_AST_SUB,
	/* binary */
	FILTER_AST_RSHIFT,
	FILTER_AST_LSHIFT,
	FILTER_AST_BIT_AND,
	FILTER_AST_BIT_OR,
	FILTER_AST_BIT_XOR,
	FILTER_AST_EQ,
	FILTER_AST_NE,
	FILTER_AST_GT,
	FILTER_AST_LT,
	FILTER_AST_GE,
	FILTER_AST_LE,
	FILTER_AST_AND,
	FILTER_AST_OR,
	_FILTER_AST_OP_MAX,
};

/*
 * What the checker infers of a node's value, as lttng's IR data types.
 * FIELD: known only at run time (a field or context load, or a unary
 * operator applied to one). NUMERIC: an integer literal or the result of a
 * comparison, logical or bitwise operator.
 */
enum filter_value_type {
	FILTER_TYPE_UNSET,
	FILTER_TYPE_FIELD,
	FILTER_TYPE_NUMERIC,
	FILTER_TYPE_FLOAT,
	FILTER_TYPE_STRING,
};

/* Wildcards of a string literal (filter-string.c). */
enum filter_glob_class {
	FILTER_GLOB_NONE,     /* no unescaped `*`: a plain string */
	FILTER_GLOB_STAR_END, /* its first unescaped `*` is its last character */
	FILTER_GLOB_FULL,     /* any other wildcard position: a globbing pattern */
};

struct filter_node;

struct filter_path_segment {
	struct filter_path_segment *next;
	const char *name;          /* as written: "a", "$ctx", "prov:ctx" */
	bool global;               /* name starts with `$` */
	bool has_index;            /* written with at least one `[...]` */
	struct filter_node *index; /* the first `[...]` expression, or NULL */
	uint32_t offset;           /* of the name in the expression */
};

struct filter_node {
	enum filter_node_kind kind;
	enum filter_value_type type; /* set by the checker */
	bool parenthesized;          /* written inside `( )` */
	uint32_t offset;             /* of the node's token (operator for unary/binary) */
	union {
		uint64_t integer;
		double floating;
		struct {
			char *text; /* raw, escapes kept; stars collapsed by the checker */
			enum filter_glob_class glob;
		} string;
		struct {
			struct filter_path_segment *first, *last;
		} path;
		struct {
			enum filter_ast_op op;
			struct filter_node *child;
		} unary;
		struct {
			enum filter_ast_op op;
			struct filter_node *left, *right;
		} binary;
	} u;
};

struct filter_arena;

struct filter_arena *filter_arena_new(void);
void filter_arena_free(struct filter_arena *arena);
/* Zeroed memory, aligned for any node; NULL when out of memory. */
void *filter_arena_alloc(struct filter_arena *arena, size_t size);
/* A NUL-terminated copy of len bytes of s; NULL when out of memory. */
char *filter_arena_strndup(struct filter_arena *arena, const char *s, size_t len);

/* How an operator is written: "==", "&&", "-"... */
const char *filter_ast_op_text(enum filter_ast_op op);

/*
 * Depth-first, left to right. For each node: enter (before its children),
 * between (binary nodes only, after the left child), leave (after its
 * children). Any callback may be NULL. A negative return of a callback
 * stops the walk and is returned; -ENOMEM when the walk's own stack cannot
 * grow. Path nodes are leaves: their index expressions are not visited.
 */
struct filter_ast_visitor {
	int (*enter)(struct filter_node *node, void *userdata);
	int (*between)(struct filter_node *node, void *userdata);
	int (*leave)(struct filter_node *node, void *userdata);
};

int filter_ast_walk(struct filter_node *root, const struct filter_ast_visitor *visitor,
                    void *userdata);
