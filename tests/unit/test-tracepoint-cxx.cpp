// SPDX-License-Identifier: MIT
// test-tracepoint-compat, compiled as C++.
#include "test-tracepoint-compat.c"
