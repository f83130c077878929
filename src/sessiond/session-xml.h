/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * A session's configuration as session XML (src/common/session-xml), the
 * document `save` writes: one <sessions> holding this <session>, laid out
 * as lttng 2.13's sessiond lays it out (tab indentation, elements in its
 * order, empty agent domains beside the user space one) so that lttng
 * loads it and a diff against lttng's file shows only real differences.
 */

#include <stddef.h>

#include "session.h"

/* Called with session_list_lock() held. *ret_doc is malloc'd, not NUL-terminated. */
int session_xml_serialize(const struct session *s, char **ret_doc, size_t *ret_len);
