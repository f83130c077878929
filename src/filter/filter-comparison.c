/* SPDX-License-Identifier: MIT */
#include "filter/filter-comparison.h"

#include "filter/filter-program.h"

struct filter_comparison filter_program_comparison(const struct filter_program *program)
{
	static const uint32_t rels[] = {
	    [LOP_FIELD_CMP_IMM_EQ - LOP_FIELD_CMP_IMM_EQ] = FILTER_COMPARISON_EQ,
	    [LOP_FIELD_CMP_IMM_NE - LOP_FIELD_CMP_IMM_EQ] = FILTER_COMPARISON_NE,
	    [LOP_FIELD_CMP_IMM_GT - LOP_FIELD_CMP_IMM_EQ] = FILTER_COMPARISON_GT,
	    [LOP_FIELD_CMP_IMM_LT - LOP_FIELD_CMP_IMM_EQ] = FILTER_COMPARISON_LT,
	    [LOP_FIELD_CMP_IMM_GE - LOP_FIELD_CMP_IMM_EQ] = FILTER_COMPARISON_GE,
	    [LOP_FIELD_CMP_IMM_LE - LOP_FIELD_CMP_IMM_EQ] = FILTER_COMPARISON_LE,
	};
	const struct lop_insn *insns = program->insns;

	/* Exactly: push (field REL constant), return it. */
	if (program->nr_insns != 2 || insns[1].op != LOP_RETURN ||
	    insns[0].op < LOP_FIELD_CMP_IMM_EQ || insns[0].op > LOP_FIELD_CMP_IMM_LE)
		return (struct filter_comparison){.rel = FILTER_COMPARISON_NONE};
	return (struct filter_comparison){
	    .rel = rels[insns[0].op - LOP_FIELD_CMP_IMM_EQ],
	    .value_index = insns[0].arg,
	    .constant = insns[0].u.s64,
	};
}
