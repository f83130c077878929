/* SPDX-License-Identifier: MIT */
/* The provider shared object: probes only, as lttng-ust's dynamic linking has it. */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#include "test-tracepoint-dl-tp.h"
