/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Flat wire form of an event description (UST_NOTIFY_REGISTER_EVENT, see
 * ust-msg.h), shared by the tracer (encoder) and the session daemon
 * (decoder). The payload is
 *
 *   struct ust_notify_event
 *   struct ust_wire_field       x nr_fields
 *   struct ust_wire_enum_entry  x nr_enum_entries (the entries of the enum
 *                                fields, in field order)
 *
 * For each field only the members of its kind are meaningful (the encoder
 * zeroes the others, the decoder ignores them):
 *   INTEGER   integer
 *   FLOAT     float_exp_dig, float_mant_dig, float_align_bits
 *   STRING    -
 *   ARRAY     integer (element), array_length
 *   SEQUENCE  integer (element), sequence_length_name
 *   ENUM      integer (container), enum_name, enum_nr_entries
 *
 * The decoder treats its input as hostile: every rule listed at
 * ust_wire_check_event() is checked before anything is allocated, and
 * whatever it returns is self-contained (no pointer into the payload).
 */

#include "common/comm/ust-msg.h"

#include <ringtrace/event-desc.h>
#include <stddef.h>
#include <stdint.h>

/* Largest array length accepted (elements), so sizes never overflow downstream. */
#define UST_WIRE_MAX_ARRAY_LENGTH (1u << 24)

/*
 * "provider:event" of desc into ret_name. -ENAMETOOLONG when it does not fit
 * in RINGTRACE_SYM_NAME_LEN bytes, -EINVAL when a part is missing or empty.
 */
int ust_wire_event_name(const struct ringtrace_event_desc *desc,
                        char ret_name[RINGTRACE_SYM_NAME_LEN]);

/*
 * One field in wire form (enum entries are not part of it). -ENAMETOOLONG
 * when a name does not fit, -EINVAL for an unknown kind or an enum field
 * without description.
 */
int ust_wire_encode_field(const struct ringtrace_field_desc *field,
                          struct ust_wire_field *ret_wire);

/*
 * Encodes desc for the channel (session_handle, channel_handle) into a
 * malloc'd payload. The signature is truncated if longer than the wire
 * array; any other name that does not fit gives -ENAMETOOLONG. -E2BIG when
 * the counts exceed UST_MAX_FIELDS / UST_MAX_ENUM_ENTRIES or the payload
 * UST_MSG_MAX_PAYLOAD; -EINVAL when the result would not pass
 * ust_wire_check_event() (the app sends nothing the daemon would refuse).
 */
int ust_wire_encode_event(const struct ringtrace_event_desc *desc, uint32_t session_handle,
                          uint32_t channel_handle, void **ret_payload, uint32_t *ret_len);

/*
 * Checks one wire field on its own: name non-empty and NUL-terminated, kind
 * known, nowrite 0/1, the type members of its kind valid (integer sizes
 * 8/16/32/64, alignments 8/16/32/64 bits, base 2/8/10/16, UTF-8 encoding
 * only on 8-bit integers; float 8/24 or 11/53; array length at most
 * UST_WIRE_MAX_ARRAY_LENGTH; sequence length name and enum name non-empty
 * and NUL-terminated; enum with 1 to UST_MAX_ENUM_ENTRIES entries).
 * Returns 0 or -EINVAL. Also usable on UST_CMD_FIELD_LIST replies.
 */
int ust_wire_check_field(const struct ust_wire_field *field);

/*
 * Checks a whole REGISTER_EVENT payload of len bytes; 0 or -EINVAL:
 * - len is exactly header + nr_fields fields + nr_enum_entries entries,
 *   with nr_fields <= UST_MAX_FIELDS and nr_enum_entries <= UST_MAX_ENUM_ENTRIES;
 * - name is "provider:event" (both parts non-empty), signature and
 *   model_emf_uri NUL-terminated, loglevel -1 or a known level;
 * - every field passes ust_wire_check_field(), field names are unique;
 * - a sequence's length_name names the field just before it, which is an
 *   integer (written whenever the sequence is);
 * - the enum fields' entry counts sum to nr_enum_entries; every label is
 *   NUL-terminated, is_auto is 0/1, and a non-auto entry has start <= end,
 *   both representable in its container.
 */
int ust_wire_check_event(const void *payload, size_t len);

/* A decoded REGISTER_EVENT, in one allocation: free with ust_wire_event_free(). */
struct ust_wire_event {
	uint32_t session_handle;
	uint32_t channel_handle;
	const char *name; /* "provider:event" */
	/*
	 * Ready for the metadata writer: provider_name, event_name, fields
	 * (enum fields point at their own ringtrace_enum_desc), nr_fields,
	 * loglevel, model_emf_uri (NULL when the wire has ""), signature.
	 * probe_callback and runtime are NULL.
	 */
	struct ringtrace_event_desc desc;
};

/* Checks (ust_wire_check_event) then decodes. 0, -EINVAL or -ENOMEM. */
int ust_wire_decode_event(const void *payload, size_t len, struct ust_wire_event **ret_event);
void ust_wire_event_free(struct ust_wire_event *event);
