// SPDX-License-Identifier: MIT
// The provider of test-tracepoint-compat, compiled as C++ (lttng-ust supports C++ providers).
#include "test-tracepoint-compat-tp.c"
