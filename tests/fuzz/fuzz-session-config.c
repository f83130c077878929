/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the session configuration loader's parser
 * (session_config_parse) on arbitrary bytes. It must never crash, leak or
 * read out of bounds, and what it returns must hold together:
 *  - a refusal is one of the documented codes, with a message naming the file;
 *  - an accepted document has NUL-terminated names within their arrays,
 *    known enumerated values, and tracker sets as long as they say.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/ctl/session-config.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

static void check_session(const struct config_session *s)
{
	CHECK(memchr(s->name, '\0', sizeof(s->name)));
	CHECK(s->buffer_type == RINGTRACE_BUFFER_PER_UID ||
	      s->buffer_type == RINGTRACE_BUFFER_PER_PID);
	for (size_t i = 0; i < s->channel_count; i++) {
		const struct config_channel *ch = &s->channels[i];

		CHECK(memchr(ch->chan.name, '\0', sizeof(ch->chan.name)));
		CHECK(ch->chan.attr.output <= RINGTRACE_EVENT_MMAP);
		CHECK(ch->chan.attr.overwrite >= -1 && ch->chan.attr.overwrite <= 1);
		for (size_t j = 0; j < ch->event_count; j++) {
			const struct config_event *ev = &ch->events[j];

			CHECK(memchr(ev->event.name, '\0', sizeof(ev->event.name)));
			CHECK(ev->event.loglevel_type >= RINGTRACE_EVENT_LOGLEVEL_ALL &&
			      ev->event.loglevel_type <= RINGTRACE_EVENT_LOGLEVEL_SINGLE);
			for (uint32_t k = 0; k < ev->exclusion_count; k++)
				CHECK(strlen(ev->exclusions[k]) < RINGTRACE_SYMBOL_NAME_LEN);
		}
	}
	for (int t = 0; t < _RINGTRACE_TRACKER_MAX; t++)
		CHECK(s->trackers[t].count == 0 ||
		      (s->trackers[t].present && s->trackers[t].values));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_document doc;
	struct config_error err;
	int r;

	r = session_config_parse("fuzz.lttng", data, size, &doc, &err);
	if (r < 0) {
		CHECK(r == -RINGTRACE_ERR_LOAD_IO_FAIL || r == -RINGTRACE_ERR_LOAD_INVALID_CONFIG ||
		      r == -RINGTRACE_ERR_NOT_SUPPORTED || r == -RINGTRACE_ERR_NOMEM);
		CHECK(strncmp(err.text, "fuzz.lttng:", strlen("fuzz.lttng:")) == 0);
		return 0;
	}
	for (size_t i = 0; i < doc.count; i++)
		check_session(&doc.sessions[i]);
	session_config_document_free(&doc);
	return 0;
}
