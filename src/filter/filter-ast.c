/* SPDX-License-Identifier: MIT */
#include "filter-ast.h"

#include <errno.h>
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK_BYTES 8192u

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	alignas(max_align_t) unsigned char bytes[];
};

struct filter_arena {
	struct arena_chunk *chunks; /* newest first; allocations come from the newest */
};

struct filter_arena *filter_arena_new(void)
{
	return calloc(1, sizeof(struct filter_arena));
}

void filter_arena_free(struct filter_arena *arena)
{
	if (!arena)
		return;
	while (arena->chunks) {
		struct arena_chunk *next = arena->chunks->next;

		free(arena->chunks);
		arena->chunks = next;
	}
	free(arena);
}

void *filter_arena_alloc(struct filter_arena *arena, size_t size)
{
	const size_t align = alignof(max_align_t);
	struct arena_chunk *chunk = arena->chunks;
	size_t start;
	void *p;

	size = (size + align - 1) & ~(align - 1);
	if (!chunk || chunk->size - chunk->used < size) {
		size_t chunk_size = size > ARENA_CHUNK_BYTES ? size : ARENA_CHUNK_BYTES;

		chunk = malloc(sizeof(*chunk) + chunk_size);
		if (!chunk)
			return NULL;
		chunk->used = 0;
		chunk->size = chunk_size;
		chunk->next = arena->chunks;
		arena->chunks = chunk;
	}
	start = chunk->used;
	chunk->used += size;
	p = chunk->bytes + start;
	memset(p, 0, size);
	return p;
}

char *filter_arena_strndup(struct filter_arena *arena, const char *s, size_t len)
{
	char *copy = filter_arena_alloc(arena, len + 1);

	if (!copy)
		return NULL;
	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

static const char *const op_texts[_FILTER_AST_OP_MAX] = {
    [FILTER_AST_PLUS] = "+",    [FILTER_AST_MINUS] = "-",   [FILTER_AST_NOT] = "!",
    [FILTER_AST_BIT_NOT] = "~", [FILTER_AST_MUL] = "*",     [FILTER_AST_DIV] = "/",
    [FILTER_AST_MOD] = "%",     [FILTER_AST_ADD] = "+",     [FILTER_AST_SUB] = "-",
    [FILTER_AST_RSHIFT] = ">>", [FILTER_AST_LSHIFT] = "<<", [FILTER_AST_BIT_AND] = "&",
    [FILTER_AST_BIT_OR] = "|",  [FILTER_AST_BIT_XOR] = "^", [FILTER_AST_EQ] = "==",
    [FILTER_AST_NE] = "!=",     [FILTER_AST_GT] = ">",      [FILTER_AST_LT] = "<",
    [FILTER_AST_GE] = ">=",     [FILTER_AST_LE] = "<=",     [FILTER_AST_AND] = "&&",
    [FILTER_AST_OR] = "||",
};

const char *filter_ast_op_text(enum filter_ast_op op)
{
	return op < _FILTER_AST_OP_MAX && op_texts[op] ? op_texts[op] : "?";
}

/* Where the walk is in a node: about to visit which child, or done. */
enum walk_step {
	WALK_ENTER,
	WALK_AFTER_FIRST, /* unary: after its child; binary: after the left one */
	WALK_AFTER_SECOND,
};

struct walk_frame {
	struct filter_node *node;
	enum walk_step step;
};

struct walk_stack {
	struct walk_frame *frames;
	size_t count, capacity;
};

static int walk_push(struct walk_stack *s, struct filter_node *node)
{
	if (s->count == s->capacity) {
		size_t capacity = s->capacity ? s->capacity * 2 : 64;
		struct walk_frame *frames = realloc(s->frames, capacity * sizeof(*frames));

		if (!frames)
			return -ENOMEM;
		s->frames = frames;
		s->capacity = capacity;
	}
	s->frames[s->count++] = (struct walk_frame){.node = node, .step = WALK_ENTER};
	return 0;
}

static int call(int (*fn)(struct filter_node *, void *), struct filter_node *node, void *userdata)
{
	return fn ? fn(node, userdata) : 0;
}

/* One step of the frame on top of the stack: a callback, a push or a pop. */
static int walk_step(struct walk_stack *s, const struct filter_ast_visitor *v, void *userdata)
{
	struct walk_frame *f = &s->frames[s->count - 1];
	struct filter_node *node = f->node;
	int r;

	switch (f->step) {
	case WALK_ENTER:
		r = call(v->enter, node, userdata);
		if (r < 0)
			return r;
		f->step = WALK_AFTER_FIRST;
		if (node->kind == FILTER_NODE_UNARY)
			return walk_push(s, node->u.unary.child);
		if (node->kind == FILTER_NODE_BINARY)
			return walk_push(s, node->u.binary.left);
		break;
	case WALK_AFTER_FIRST:
		if (node->kind == FILTER_NODE_BINARY) {
			r = call(v->between, node, userdata);
			if (r < 0)
				return r;
			f->step = WALK_AFTER_SECOND;
			return walk_push(s, node->u.binary.right);
		}
		break;
	case WALK_AFTER_SECOND:
		break;
	}
	s->count--;
	return call(v->leave, node, userdata);
}

int filter_ast_walk(struct filter_node *root, const struct filter_ast_visitor *visitor,
                    void *userdata)
{
	struct walk_stack stack = {0};
	int r;

	r = walk_push(&stack, root);
	while (r >= 0 && stack.count > 0)
		r = walk_step(&stack, visitor, userdata);
	free(stack.frames);
	return r < 0 ? r : 0;
}
