/* SPDX-License-Identifier: MIT */
/* The provider (probes and descriptors) and the call sites of hello. */
#define LTTNG_UST_TRACEPOINT_CREATE_PROBES
#define LTTNG_UST_TRACEPOINT_DEFINE
#include "hello-tp.h"
