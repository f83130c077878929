/* SPDX-License-Identifier: MIT */
#include "session-wait.h"

#include <inttypes.h>
#include <ringtrace/ctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/macros.h"
#include "output.h"

static void print_part(const struct data_wait *w, const char *text)
{
	if (w->on_stderr)
		cli_note_partial("%s", text);
	else
		cli_msg_partial("%s", text);
}

int data_wait(const char *session_name, struct data_wait *w)
{
	int r;

	w->printed = false;
	if (w->header_always) {
		print_part(w, w->header);
		w->printed = true;
	}
	while ((r = ringtrace_data_pending(session_name)) == 1) {
		if (!w->printed) {
			print_part(w, w->header);
			w->printed = true;
		}
		usleep(RINGTRACE_DATA_AVAILABILITY_WAIT_US);
		print_part(w, ".");
	}
	if (w->header_always) {
		print_part(w, "\n");
		w->printed = false;
	}
	return r < 0 ? r : 0;
}

char *session_stats_warning(const char *session_name)
{
	_cleanup_free_ struct ringtrace_session *sessions = NULL;
	_cleanup_free_ struct ringtrace_domain *domains = NULL;
	uint64_t discarded = 0, lost = 0;
	bool snapshot = true;
	char *text = NULL;
	int n, nd, r = 0;

	n = ringtrace_list_sessions(&sessions);
	for (int i = 0; i < n; i++) {
		if (strcmp(sessions[i].name, session_name) == 0)
			snapshot = sessions[i].snapshot_mode;
	}
	if (snapshot)
		return NULL; /* overwritten data is expected there; also "not found" */

	nd = ringtrace_list_domains(session_name, &domains);
	for (int d = 0; d < nd; d++) {
		struct ringtrace_handle handle = {.domain = domains[d]};
		_cleanup_free_ struct ringtrace_channel *channels = NULL;
		int nc;

		snprintf(handle.session_name, sizeof(handle.session_name), "%s", session_name);
		nc = ringtrace_list_channels(&handle, &channels);
		for (int c = 0; c < nc; c++) {
			discarded += channels[c].discarded_events;
			lost += channels[c].lost_packets;
		}
	}

	if (discarded && lost)
		r = asprintf(&text,
		             "Warning: %" PRIu64 " events were discarded and %" PRIu64
		             " packets were lost, please refer to the documentation on channel "
		             "configuration.",
		             discarded, lost);
	else if (discarded)
		r = asprintf(&text,
		             "Warning: %" PRIu64 " events were discarded, please refer to the "
		             "documentation on channel configuration.",
		             discarded);
	else if (lost)
		r = asprintf(&text,
		             "Warning: %" PRIu64 " packets were lost, please refer to the "
		             "documentation on channel configuration.",
		             lost);
	return r < 0 ? NULL : text;
}
