/* SPDX-License-Identifier: MIT */
/*
 * A session's process attribute tracker: its policy and inclusion set. A
 * value is an id, or for vuid and vgid a user or group name kept as given
 * and resolved each time the tracker is applied to an app, as lttng-sessiond
 * does; a name and the id it resolves to are two distinct values.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

int session_tracker_resolve(enum ringtrace_tracker_type type, const char *name, int32_t *ret_id)
{
	char buf[16384];
	int r;

	if (type == RINGTRACE_TRACKER_VUID) {
		struct passwd pw, *found = NULL;

		r = getpwnam_r(name, &pw, buf, sizeof(buf), &found);
		if (r == 0 && found && found->pw_uid <= INT32_MAX) {
			*ret_id = (int32_t)found->pw_uid;
			return 0;
		}
	} else if (type == RINGTRACE_TRACKER_VGID) {
		struct group gr, *found = NULL;

		r = getgrnam_r(name, &gr, buf, sizeof(buf), &found);
		if (r == 0 && found && found->gr_gid <= INT32_MAX) {
			*ret_id = (int32_t)found->gr_gid;
			return 0;
		}
	}
	return -ENOENT;
}

static bool value_matches(enum ringtrace_tracker_type type, const struct ringtrace_tracker_value *v,
                          int32_t id)
{
	int32_t resolved;

	if (!v->name[0])
		return v->id == id;
	return session_tracker_resolve(type, v->name, &resolved) == 0 && resolved == id;
}

bool session_tracker_includes(const struct session_tracker *t, enum ringtrace_tracker_type type,
                              int32_t value)
{
	switch (t->policy) {
	case RINGTRACE_TRACKING_INCLUDE_ALL:
		return true;
	case RINGTRACE_TRACKING_INCLUDE_SET:
		for (uint32_t i = 0; i < t->count; i++) {
			if (value_matches(type, &t->values[i], value))
				return true;
		}
		return false;
	default:
		return false;
	}
}

static bool value_equal(const struct ringtrace_tracker_value *a,
                        const struct ringtrace_tracker_value *b)
{
	if (a->name[0] || b->name[0])
		return strcmp(a->name, b->name) == 0;
	return a->id == b->id;
}

/* The index of value in the inclusion set, or -1. */
static int64_t tracker_find(const struct session_tracker *t,
                            const struct ringtrace_tracker_value *value)
{
	if (t->policy != RINGTRACE_TRACKING_INCLUDE_SET)
		return -1;
	for (uint32_t i = 0; i < t->count; i++) {
		if (value_equal(&t->values[i], value))
			return i;
	}
	return -1;
}

int session_tracker_add(struct session_tracker *t, const struct ringtrace_tracker_value *value)
{
	struct ringtrace_tracker_value *grown;

	if (tracker_find(t, value) >= 0)
		return -EEXIST;
	if (t->policy != RINGTRACE_TRACKING_INCLUDE_SET)
		session_tracker_set_policy(t, RINGTRACE_TRACKING_INCLUDE_SET);
	grown = realloc(t->values, (t->count + 1) * sizeof(*t->values));
	if (!grown)
		return -ENOMEM;
	t->values = grown;
	t->values[t->count] = *value;
	if (value->name[0])
		t->values[t->count].id = 0;
	t->count++;
	return 0;
}

int session_tracker_remove(struct session_tracker *t, const struct ringtrace_tracker_value *value)
{
	int64_t i = tracker_find(t, value);

	if (i < 0)
		return -ENOENT;
	memmove(&t->values[i], &t->values[i + 1],
	        (t->count - (uint32_t)i - 1) * sizeof(*t->values));
	t->count--;
	return 0;
}

void session_tracker_set_policy(struct session_tracker *t, enum ringtrace_tracking_policy policy)
{
	free(t->values);
	t->values = NULL;
	t->count = 0;
	t->policy = policy;
}
