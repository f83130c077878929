/* SPDX-License-Identifier: MIT */
/* The provider object, as lttng-gen-tp writes it. */
#define TRACEPOINT_CREATE_PROBES
#define TRACEPOINT_DEFINE
#include "test-tracepoint-compat-tp.h"
