/* SPDX-License-Identifier: MIT */
#include "comm/ust-wire.h"

#include "macros.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- encoding --- */

/* Copies src into a fixed wire array; -ENAMETOOLONG when it does not fit with its NUL. */
static int wire_copy_name(char dst[RINGTRACE_SYM_NAME_LEN], const char *src)
{
	size_t len;

	if (!src)
		return -EINVAL;
	len = strnlen(src, RINGTRACE_SYM_NAME_LEN);
	if (len == RINGTRACE_SYM_NAME_LEN)
		return -ENAMETOOLONG;
	memcpy(dst, src, len + 1);
	return 0;
}

/*
 * An integer type has the same fields in a description and on the wire
 * (packed there): copied field by field, in either direction.
 */
#define INTEGER_TYPE_COPY(dst, src)                                                                \
	do {                                                                                       \
		(dst)->size_bits = (src)->size_bits;                                               \
		(dst)->align_bits = (src)->align_bits;                                             \
		(dst)->is_signed = (src)->is_signed;                                               \
		(dst)->base = (src)->base;                                                         \
		(dst)->reverse_byte_order = (src)->reverse_byte_order;                             \
		(dst)->encoding = (src)->encoding;                                                 \
	} while (0)

static void wire_integer_from_desc(struct ust_wire_integer *dst,
                                   const struct ringtrace_type_integer *src)
{
	INTEGER_TYPE_COPY(dst, src);
}

int ust_wire_event_name(const struct ringtrace_event_desc *desc,
                        char ret_name[RINGTRACE_SYM_NAME_LEN])
{
	char name[RINGTRACE_SYM_NAME_LEN];
	int n;

	if (!desc->provider_name || !desc->event_name || !*desc->provider_name ||
	    !*desc->event_name)
		return -EINVAL;
	n = snprintf(name, sizeof(name), "%s:%s", desc->provider_name, desc->event_name);
	if (n < 0 || (size_t)n >= sizeof(name))
		return -ENAMETOOLONG;
	memcpy(ret_name, name, (size_t)n + 1);
	return 0;
}

int ust_wire_encode_field(const struct ringtrace_field_desc *field, struct ust_wire_field *ret_wire)
{
	struct ust_wire_field wire;
	int r;

	memset(&wire, 0, sizeof(wire));
	r = wire_copy_name(wire.name, field->name);
	if (r < 0)
		return r;
	wire.kind = field->kind;
	wire.nowrite = field->nowrite;
	switch (field->kind) {
	case RINGTRACE_TYPE_INTEGER:
		wire_integer_from_desc(&wire.integer, &field->type.integer);
		break;
	case RINGTRACE_TYPE_FLOAT:
		wire.float_exp_dig = field->type.fp.exp_dig;
		wire.float_mant_dig = field->type.fp.mant_dig;
		wire.float_align_bits = field->type.fp.align_bits;
		break;
	case RINGTRACE_TYPE_STRING:
		break;
	case RINGTRACE_TYPE_ARRAY:
		wire_integer_from_desc(&wire.integer, &field->type.array.elem);
		wire.array_length = field->type.array.length;
		break;
	case RINGTRACE_TYPE_SEQUENCE:
		wire_integer_from_desc(&wire.integer, &field->type.sequence.elem);
		r = wire_copy_name(wire.sequence_length_name, field->type.sequence.length_name);
		if (r < 0)
			return r;
		break;
	case RINGTRACE_TYPE_ENUM:
		if (!field->type.enumeration.desc)
			return -EINVAL;
		wire_integer_from_desc(&wire.integer, &field->type.enumeration.container);
		r = wire_copy_name(wire.enum_name, field->type.enumeration.desc->name);
		if (r < 0)
			return r;
		wire.enum_nr_entries = field->type.enumeration.desc->nr_entries;
		break;
	default:
		return -EINVAL;
	}
	*ret_wire = wire;
	return 0;
}

static int wire_encode_entry(const struct ringtrace_enum_entry *entry,
                             struct ust_wire_enum_entry *ret_wire)
{
	struct ust_wire_enum_entry wire;
	int r;

	memset(&wire, 0, sizeof(wire));
	wire.start = entry->start;
	wire.end = entry->end;
	wire.is_auto = entry->is_auto;
	r = wire_copy_name(wire.label, entry->label);
	if (r < 0)
		return r;
	*ret_wire = wire;
	return 0;
}

int ust_wire_encode_event(const struct ringtrace_event_desc *desc, uint32_t session_handle,
                          uint32_t channel_handle, void **ret_payload, uint32_t *ret_len)
{
	_cleanup_free_ uint8_t *buf = NULL;
	struct ust_notify_event hdr;
	struct ust_wire_field *wire_fields;
	struct ust_wire_enum_entry *wire_entries;
	uint64_t nr_entries = 0, len;
	uint32_t entry_idx = 0;
	int r;

	if (desc->nr_fields > UST_MAX_FIELDS)
		return -E2BIG;
	if (desc->nr_fields > 0 && !desc->fields)
		return -EINVAL;
	for (uint32_t i = 0; i < desc->nr_fields; i++) {
		const struct ringtrace_field_desc *f = &desc->fields[i];

		if (f->kind != RINGTRACE_TYPE_ENUM)
			continue;
		if (!f->type.enumeration.desc)
			return -EINVAL;
		nr_entries += f->type.enumeration.desc->nr_entries;
	}
	if (nr_entries > UST_MAX_ENUM_ENTRIES)
		return -E2BIG;
	len = sizeof(hdr) + (uint64_t)desc->nr_fields * sizeof(struct ust_wire_field) +
	      nr_entries * sizeof(struct ust_wire_enum_entry);
	if (len > UST_MSG_MAX_PAYLOAD)
		return -E2BIG;

	memset(&hdr, 0, sizeof(hdr));
	hdr.session_handle = session_handle;
	hdr.channel_handle = channel_handle;
	hdr.loglevel = desc->loglevel;
	r = ust_wire_event_name(desc, hdr.name);
	if (r < 0)
		return r;
	if (desc->signature) {
		/* Only informative: a long signature is cut rather than refused. */
		size_t n = strnlen(desc->signature, sizeof(hdr.signature) - 1);

		memcpy(hdr.signature, desc->signature, n);
	}
	if (desc->model_emf_uri) {
		r = wire_copy_name(hdr.model_emf_uri, desc->model_emf_uri);
		if (r < 0)
			return r;
	}
	hdr.nr_fields = desc->nr_fields;
	hdr.nr_enum_entries = (uint32_t)nr_entries;

	buf = calloc(1, (size_t)len);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, &hdr, sizeof(hdr));
	wire_fields = (struct ust_wire_field *)(buf + sizeof(hdr));
	wire_entries = (struct ust_wire_enum_entry *)(wire_fields + desc->nr_fields);
	for (uint32_t i = 0; i < desc->nr_fields; i++) {
		const struct ringtrace_field_desc *f = &desc->fields[i];

		r = ust_wire_encode_field(f, &wire_fields[i]);
		if (r < 0)
			return r;
		if (f->kind != RINGTRACE_TYPE_ENUM)
			continue;
		if (f->type.enumeration.desc->nr_entries > 0 && !f->type.enumeration.desc->entries)
			return -EINVAL;
		for (uint32_t j = 0; j < f->type.enumeration.desc->nr_entries; j++) {
			r = wire_encode_entry(&f->type.enumeration.desc->entries[j],
			                      &wire_entries[entry_idx++]);
			if (r < 0)
				return r;
		}
	}
	/* Refuse here what the daemon would refuse: the error is then local and precise. */
	r = ust_wire_check_event(buf, (size_t)len);
	if (r < 0)
		return r;
	*ret_payload = TAKE_PTR(buf);
	*ret_len = (uint32_t)len;
	return 0;
}

/* --- checking --- */

/* Length of a NUL-terminated string held in a fixed array, or -1 when unterminated. */
static ssize_t wire_strlen(const char *s, size_t size)
{
	const char *nul = memchr(s, '\0', size);

	return nul ? nul - s : -1;
}

static bool wire_name_ok(const char *s, size_t size)
{
	return wire_strlen(s, size) > 0;
}

static bool wire_align_ok(uint32_t align_bits)
{
	return align_bits == 8 || align_bits == 16 || align_bits == 32 || align_bits == 64;
}

static bool wire_integer_ok(const struct ust_wire_integer *in)
{
	uint16_t size = in->size_bits;

	if (size != 8 && size != 16 && size != 32 && size != 64)
		return false;
	if (!wire_align_ok(in->align_bits))
		return false;
	if (in->is_signed > 1 || in->reverse_byte_order > 1)
		return false;
	if (in->base != 2 && in->base != 8 && in->base != 10 && in->base != 16)
		return false;
	if (in->encoding > RINGTRACE_ENCODING_UTF8)
		return false;
	if (in->encoding == RINGTRACE_ENCODING_UTF8 && size != 8)
		return false;
	return true;
}

int ust_wire_check_field(const struct ust_wire_field *field)
{
	if (!wire_name_ok(field->name, sizeof(field->name)))
		return -EINVAL;
	if (field->nowrite > 1)
		return -EINVAL;
	switch (field->kind) {
	case RINGTRACE_TYPE_INTEGER:
		return wire_integer_ok(&field->integer) ? 0 : -EINVAL;
	case RINGTRACE_TYPE_FLOAT:
		if (!((field->float_exp_dig == 8 && field->float_mant_dig == 24) ||
		      (field->float_exp_dig == 11 && field->float_mant_dig == 53)))
			return -EINVAL;
		return wire_align_ok(field->float_align_bits) ? 0 : -EINVAL;
	case RINGTRACE_TYPE_STRING:
		return 0;
	case RINGTRACE_TYPE_ARRAY:
		if (field->array_length > UST_WIRE_MAX_ARRAY_LENGTH)
			return -EINVAL;
		return wire_integer_ok(&field->integer) ? 0 : -EINVAL;
	case RINGTRACE_TYPE_SEQUENCE:
		if (!wire_name_ok(field->sequence_length_name, sizeof(field->sequence_length_name)))
			return -EINVAL;
		return wire_integer_ok(&field->integer) ? 0 : -EINVAL;
	case RINGTRACE_TYPE_ENUM:
		if (!wire_name_ok(field->enum_name, sizeof(field->enum_name)))
			return -EINVAL;
		if (field->enum_nr_entries == 0 || field->enum_nr_entries > UST_MAX_ENUM_ENTRIES)
			return -EINVAL;
		return wire_integer_ok(&field->integer) ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

/* Whether v (an int64 read as signed or unsigned per the container) fits in it. */
static bool wire_value_fits(int64_t v, const struct ust_wire_integer *container)
{
	unsigned bits = container->size_bits;

	if (bits == 64)
		return true;
	if (container->is_signed) {
		int64_t max = (int64_t)((UINT64_C(1) << (bits - 1)) - 1);

		return v >= -max - 1 && v <= max;
	}
	return (uint64_t)v < (UINT64_C(1) << bits);
}

static int wire_check_entry(const struct ust_wire_enum_entry *entry,
                            const struct ust_wire_integer *container)
{
	if (wire_strlen(entry->label, sizeof(entry->label)) < 0)
		return -EINVAL;
	if (entry->is_auto > 1)
		return -EINVAL;
	if (entry->is_auto)
		return 0; /* the reader assigns the value: start/end are not used */
	if (!wire_value_fits(entry->start, container) || !wire_value_fits(entry->end, container))
		return -EINVAL;
	if (container->is_signed ? entry->start > entry->end
	                         : (uint64_t)entry->start > (uint64_t)entry->end)
		return -EINVAL;
	return 0;
}

static bool wire_event_name_ok(const char *name, size_t size)
{
	ssize_t len = wire_strlen(name, size);
	const char *colon;

	if (len < 3)
		return false;
	colon = strchr(name, ':');
	return colon && colon != name && colon[1] != '\0';
}

static const struct ust_wire_field *wire_fields_of(const void *payload)
{
	return (const struct ust_wire_field *)((const uint8_t *)payload +
	                                       sizeof(struct ust_notify_event));
}

static const struct ust_wire_enum_entry *wire_entries_of(const void *payload, uint32_t nr_fields)
{
	return (const struct ust_wire_enum_entry *)(wire_fields_of(payload) + nr_fields);
}

/* The rules between fields: unique names, sequence after its length field. */
static int wire_check_field_links(const struct ust_wire_field *fields, uint32_t i)
{
	const struct ust_wire_field *f = &fields[i];

	for (uint32_t j = 0; j < i; j++)
		if (strcmp(fields[j].name, f->name) == 0)
			return -EINVAL;
	if (f->kind == RINGTRACE_TYPE_SEQUENCE) {
		const struct ust_wire_field *len_field = i > 0 ? &fields[i - 1] : NULL;

		if (!len_field || len_field->kind != RINGTRACE_TYPE_INTEGER)
			return -EINVAL;
		if (strcmp(len_field->name, f->sequence_length_name) != 0)
			return -EINVAL;
		if (!f->nowrite && len_field->nowrite)
			return -EINVAL;
	}
	return 0;
}

int ust_wire_check_event(const void *payload, size_t len)
{
	const struct ust_notify_event *hdr = payload;
	const struct ust_wire_field *fields;
	const struct ust_wire_enum_entry *entries;
	uint64_t expected, entry_idx = 0;

	if (!payload || len < sizeof(*hdr))
		return -EINVAL;
	if (hdr->nr_fields > UST_MAX_FIELDS || hdr->nr_enum_entries > UST_MAX_ENUM_ENTRIES)
		return -EINVAL;
	expected = sizeof(*hdr) + (uint64_t)hdr->nr_fields * sizeof(struct ust_wire_field) +
	           (uint64_t)hdr->nr_enum_entries * sizeof(struct ust_wire_enum_entry);
	if (expected != len)
		return -EINVAL;
	if (!wire_event_name_ok(hdr->name, sizeof(hdr->name)))
		return -EINVAL;
	if (wire_strlen(hdr->signature, sizeof(hdr->signature)) < 0 ||
	    wire_strlen(hdr->model_emf_uri, sizeof(hdr->model_emf_uri)) < 0)
		return -EINVAL;
	if (hdr->loglevel < -1 || hdr->loglevel >= _RINGTRACE_LOGLEVEL_MAX)
		return -EINVAL;

	fields = wire_fields_of(payload);
	entries = wire_entries_of(payload, hdr->nr_fields);
	for (uint32_t i = 0; i < hdr->nr_fields; i++) {
		const struct ust_wire_field *f = &fields[i];

		if (ust_wire_check_field(f) < 0 || wire_check_field_links(fields, i) < 0)
			return -EINVAL;
		if (f->kind != RINGTRACE_TYPE_ENUM)
			continue;
		if (f->enum_nr_entries > hdr->nr_enum_entries - entry_idx)
			return -EINVAL;
		for (uint32_t j = 0; j < f->enum_nr_entries; j++)
			if (wire_check_entry(&entries[entry_idx + j], &f->integer) < 0)
				return -EINVAL;
		entry_idx += f->enum_nr_entries;
	}
	return entry_idx == hdr->nr_enum_entries ? 0 : -EINVAL;
}

/* --- decoding --- */

/*
 * Everything goes in one block: the ust_wire_event, the field array, the
 * enum descriptions, the enum entries, then the strings. The checks above
 * guarantee every string is terminated within its array, so an upper bound
 * of the size is known before copying.
 */
struct wire_arena {
	uint8_t *base;
	size_t used;
	size_t size;
};

static void *arena_take(struct wire_arena *arena, size_t size)
{
	void *p = arena->base + arena->used;

	arena->used += size;
	return p;
}

static const char *arena_strdup(struct wire_arena *arena, const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(arena_take(arena, n), s, n);
}

static void integer_from_wire(struct ringtrace_type_integer *dst,
                              const struct ust_wire_integer *src)
{
	INTEGER_TYPE_COPY(dst, src);
}

static size_t wire_strings_size(const struct ust_notify_event *hdr,
                                const struct ust_wire_field *fields,
                                const struct ust_wire_enum_entry *entries, uint32_t *ret_nr_enums)
{
	/* name twice: the full name and the provider/event pair (":" becomes NUL). */
	size_t size = 2 * (strlen(hdr->name) + 1) + strlen(hdr->signature) + 1 +
	              strlen(hdr->model_emf_uri) + 1;
	uint32_t nr_enums = 0;

	for (uint32_t i = 0; i < hdr->nr_fields; i++) {
		size += strlen(fields[i].name) + 1;
		if (fields[i].kind == RINGTRACE_TYPE_SEQUENCE)
			size += strlen(fields[i].sequence_length_name) + 1;
		if (fields[i].kind == RINGTRACE_TYPE_ENUM) {
			size += strlen(fields[i].enum_name) + 1;
			nr_enums++;
		}
	}
	for (uint32_t i = 0; i < hdr->nr_enum_entries; i++)
		size += strlen(entries[i].label) + 1;
	*ret_nr_enums = nr_enums;
	return size;
}

static void field_from_wire(struct ringtrace_field_desc *dst, const struct ust_wire_field *src,
                            struct wire_arena *arena)
{
	memset(dst, 0, sizeof(*dst));
	dst->name = arena_strdup(arena, src->name);
	dst->kind = src->kind;
	dst->nowrite = src->nowrite;
	switch (src->kind) {
	case RINGTRACE_TYPE_INTEGER:
		integer_from_wire(&dst->type.integer, &src->integer);
		break;
	case RINGTRACE_TYPE_FLOAT:
		dst->type.fp.exp_dig = src->float_exp_dig;
		dst->type.fp.mant_dig = src->float_mant_dig;
		dst->type.fp.align_bits = src->float_align_bits;
		break;
	case RINGTRACE_TYPE_ARRAY:
		integer_from_wire(&dst->type.array.elem, &src->integer);
		dst->type.array.length = src->array_length;
		break;
	case RINGTRACE_TYPE_SEQUENCE:
		integer_from_wire(&dst->type.sequence.elem, &src->integer);
		dst->type.sequence.length_name = arena_strdup(arena, src->sequence_length_name);
		break;
	case RINGTRACE_TYPE_ENUM:
		integer_from_wire(&dst->type.enumeration.container, &src->integer);
		break;
	default:
		break;
	}
}

int ust_wire_decode_event(const void *payload, size_t len, struct ust_wire_event **ret_event)
{
	const struct ust_notify_event *hdr = payload;
	const struct ust_wire_field *fields;
	const struct ust_wire_enum_entry *entries;
	struct ringtrace_field_desc *out_fields;
	struct ringtrace_enum_desc *out_enums;
	struct ringtrace_enum_entry *out_entries;
	struct ust_wire_event *event;
	struct wire_arena arena;
	uint32_t nr_enums, enum_idx = 0, entry_idx = 0;
	char *pair;
	int r;

	r = ust_wire_check_event(payload, len);
	if (r < 0)
		return r;
	fields = wire_fields_of(payload);
	entries = wire_entries_of(payload, hdr->nr_fields);
	arena.size = wire_strings_size(hdr, fields, entries, &nr_enums);
	/* Bounded by the checks: at most a few tens of MiB. */
	arena.size += sizeof(*event) + hdr->nr_fields * sizeof(*out_fields) +
	              nr_enums * sizeof(*out_enums) + hdr->nr_enum_entries * sizeof(*out_entries);
	arena.base = calloc(1, arena.size);
	if (!arena.base)
		return -ENOMEM;
	arena.used = 0;

	/* Structures first (all 8-byte aligned sizes), strings after. */
	event = arena_take(&arena, sizeof(*event));
	out_fields = arena_take(&arena, hdr->nr_fields * sizeof(*out_fields));
	out_enums = arena_take(&arena, nr_enums * sizeof(*out_enums));
	out_entries = arena_take(&arena, hdr->nr_enum_entries * sizeof(*out_entries));

	event->session_handle = hdr->session_handle;
	event->channel_handle = hdr->channel_handle;
	event->name = arena_strdup(&arena, hdr->name);
	pair = (char *)arena_strdup(&arena, hdr->name);
	*strchr(pair, ':') = '\0';
	event->desc.provider_name = pair;
	event->desc.event_name = pair + strlen(pair) + 1;
	event->desc.loglevel = hdr->loglevel;
	event->desc.signature = arena_strdup(&arena, hdr->signature);
	event->desc.model_emf_uri =
	    hdr->model_emf_uri[0] ? arena_strdup(&arena, hdr->model_emf_uri) : NULL;
	event->desc.nr_fields = hdr->nr_fields;
	event->desc.fields = hdr->nr_fields ? out_fields : NULL;

	for (uint32_t i = 0; i < hdr->nr_fields; i++) {
		struct ringtrace_enum_desc *e;

		field_from_wire(&out_fields[i], &fields[i], &arena);
		if (fields[i].kind != RINGTRACE_TYPE_ENUM)
			continue;
		e = &out_enums[enum_idx++];
		e->name = arena_strdup(&arena, fields[i].enum_name);
		e->nr_entries = fields[i].enum_nr_entries;
		e->entries = &out_entries[entry_idx];
		for (uint32_t j = 0; j < e->nr_entries; j++, entry_idx++) {
			out_entries[entry_idx].start = entries[entry_idx].start;
			out_entries[entry_idx].end = entries[entry_idx].end;
			out_entries[entry_idx].is_auto = entries[entry_idx].is_auto;
			out_entries[entry_idx].label =
			    arena_strdup(&arena, entries[entry_idx].label);
		}
		out_fields[i].type.enumeration.desc = e;
	}
	*ret_event = event;
	return 0;
}

void ust_wire_event_free(struct ust_wire_event *event)
{
	/* The event is the start of its single allocation. */
	free(event);
}
