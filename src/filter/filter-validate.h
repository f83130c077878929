/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Tracer-side validator of filter bytecode (filter-bytecode.h), run on the
 * untrusted bytes as they arrive, before anything else looks at them.
 *
 * A container passes when:
 *  - it holds the 48-byte header and exactly `len` bytes after it, with
 *    0 < len <= FILTER_BYTECODE_MAX_LEN and 0 < reloc_table_offset <= len;
 *  - the code (bytes [0, reloc_table_offset)) decodes into complete
 *    instructions of the opcodes a control side emits (the opcodes the
 *    tracer specializes into are refused: they carry internal offsets),
 *    literal strings NUL-terminated inside the code;
 *  - every AND/OR jumps forward to the start of an instruction, and each
 *    place where paths meet sees the same stack on every path (same depth,
 *    same abstract types below the top, a number on top);
 *  - the stack never underflows nor exceeds FILTER_STACK_MAX entries, and
 *    every operand type that is known before linking (literals, results of
 *    operators) fits its operator, as lttng-ust's validator demands;
 *  - the single RETURN is the last instruction, with exactly one value;
 *  - the relocation table decodes into entries {u16 offset, non-empty
 *    NUL-terminated name} up to its end; each names the start of a
 *    LOAD_FIELD_REF (plain name), GET_CONTEXT_REF ("$ctx."/"$app." name)
 *    or GET_SYMBOL instruction, at most once; every LOAD_FIELD_REF and
 *    GET_CONTEXT_REF has its entry and the unlinked operand 0xFFFF; every
 *    GET_SYMBOL operand names a NUL-terminated string inside the table.
 *
 * What it cannot know (field types, which fields exist) is the linker's.
 */

#include <stddef.h>
#include <stdint.h>

/* Largest evaluation stack, as lttng-ust 2.13's interpreter allows. */
#define FILTER_STACK_MAX 8

struct filter_validate_info {
	uint32_t code_len;    /* bytes of code = reloc_table_offset */
	uint32_t nr_insns;    /* instructions in the code */
	uint32_t max_depth;   /* deepest stack reached */
};

/*
 * Checks buf[0, size) as a whole container. Returns 0 and fills *ret_info
 * (may be NULL), or -EINVAL with *ret_reason (may be NULL) set to a static
 * string naming the first problem found.
 */
int filter_validate(const void *buf, size_t size, struct filter_validate_info *ret_info,
                    const char **ret_reason);
