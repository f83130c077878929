/* SPDX-License-Identifier: MIT */
#include "tsdl.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/macros.h"

#define NSEC_PER_SEC 1000000000ull
#define BOOT_ID_PATH "/proc/sys/kernel/random/boot_id"

/* --- text buffer --- */

void tsdl_buf_init(struct tsdl_buf *buf)
{
	*buf = (struct tsdl_buf){0};
}

void tsdl_buf_fini(struct tsdl_buf *buf)
{
	free(buf->text);
	tsdl_buf_init(buf);
}

void tsdl_buf_reset(struct tsdl_buf *buf)
{
	buf->len = 0;
	buf->error = 0;
	if (buf->text)
		buf->text[0] = '\0';
}

/* Makes room for `extra` more bytes plus the NUL. */
static int tsdl_buf_reserve(struct tsdl_buf *buf, size_t extra)
{
	size_t need, cap;
	char *text;

	if (buf->error)
		return buf->error;
	if (extra > SIZE_MAX - buf->len - 1)
		return buf->error = -ENOMEM;
	need = buf->len + extra + 1;
	if (need <= buf->cap)
		return 0;
	cap = buf->cap ? buf->cap : 4096;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	text = realloc(buf->text, cap);
	if (!text)
		return buf->error = -ENOMEM;
	buf->text = text;
	buf->cap = cap;
	return 0;
}

int tsdl_buf_append(struct tsdl_buf *buf, const char *text, size_t len)
{
	if (tsdl_buf_reserve(buf, len) < 0)
		return buf->error;
	memcpy(buf->text + buf->len, text, len);
	buf->len += len;
	buf->text[buf->len] = '\0';
	return 0;
}

int tsdl_buf_append_str(struct tsdl_buf *buf, const char *str)
{
	return tsdl_buf_append(buf, str, strlen(str));
}

int tsdl_buf_appendf(struct tsdl_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (buf->error)
		return buf->error;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return buf->error = -EINVAL;
	if (tsdl_buf_reserve(buf, (size_t)n) < 0)
		return buf->error;
	va_start(ap, fmt);
	vsnprintf(buf->text + buf->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf->len += (size_t)n;
	return 0;
}

int tsdl_buf_append_escaped(struct tsdl_buf *buf, const char *str)
{
	for (;;) {
		size_t plain = strcspn(str, "\\\"\n");

		tsdl_buf_append(buf, str, plain);
		str += plain;
		if (*str == '\0')
			return buf->error;
		if (*str == '\n')
			tsdl_buf_append(buf, "\\n", 2);
		else
			tsdl_buf_appendf(buf, "\\%c", *str);
		str++;
	}
}

/*
 * Ends a writer: on failure (its own `ret` or an append error) the buffer is
 * cut back to `start`, so the declaration is all or nothing.
 */
static int tsdl_commit(struct tsdl_buf *buf, size_t start, int ret)
{
	if (ret == 0)
		ret = buf->error;
	if (ret == 0)
		return 0;
	buf->len = start;
	if (buf->text)
		buf->text[start] = '\0';
	buf->error = 0;
	return ret;
}

/* --- validation of what goes into the text --- */

static bool is_identifier_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Names are written as "_<name>", so a leading digit is fine. */
static bool identifier_is_valid(const char *name)
{
	if (!name || !name[0] || strlen(name) >= RINGTRACE_SYM_NAME_LEN)
		return false;
	for (const char *p = name; *p; p++)
		if (!is_identifier_char(*p))
			return false;
	return true;
}

/* Enum and variant identifiers: '.', '$' and ':' become '_' (as lttng-sessiond). */
static int sanitize_identifier(const char *name, char ret_out[RINGTRACE_SYM_NAME_LEN])
{
	size_t len;

	if (!name)
		return -EINVAL;
	len = strlen(name);
	if (len == 0 || len >= RINGTRACE_SYM_NAME_LEN)
		return -EINVAL;
	for (size_t i = 0; i <= len; i++)
		ret_out[i] = (name[i] == '.' || name[i] == '$' || name[i] == ':') ? '_' : name[i];
	return identifier_is_valid(ret_out) ? 0 : -EINVAL;
}

static bool is_power_of_two(uint32_t v)
{
	return v && !(v & (v - 1));
}

static bool integer_type_is_valid(const struct ringtrace_type_integer *t)
{
	return t->size_bits >= 1 && t->size_bits <= 64 && is_power_of_two(t->align_bits) &&
	       (t->base == 2 || t->base == 8 || t->base == 10 || t->base == 16) &&
	       (t->encoding == RINGTRACE_ENCODING_NONE || t->encoding == RINGTRACE_ENCODING_UTF8);
}

/* --- declarations --- */

static void append_tabs(struct tsdl_buf *buf, unsigned int nesting)
{
	for (unsigned int i = 0; i < nesting; i++)
		tsdl_buf_append(buf, "\t", 1);
}

/*
 * "integer { size = 32; align = 8; signed = 1; encoding = none; base = 10; }"
 * with the byte order clause only for reversed fields; enum containers never
 * carry it (lttng-sessiond omits it there too).
 */
static void append_integer(struct tsdl_buf *buf, const struct ringtrace_type_integer *t,
                           bool with_byte_order)
{
	const char *reversed = TSDL_HOST_BYTE_ORDER_LE ? " byte_order = be;" : " byte_order = le;";

	tsdl_buf_appendf(
	    buf, "integer { size = %u; align = %u; signed = %u; encoding = %s; base = %u;%s }",
	    t->size_bits, t->align_bits, t->is_signed ? 1u : 0u,
	    t->encoding == RINGTRACE_ENCODING_UTF8 ? "UTF8" : "none", t->base,
	    with_byte_order && t->reverse_byte_order ? reversed : "");
}

static void append_enum_entry(struct tsdl_buf *buf, const struct ringtrace_enum_entry *entry,
                              bool is_signed)
{
	append_tabs(buf, 3);
	tsdl_buf_append(buf, "\"", 1);
	tsdl_buf_append_escaped(buf, entry->label);
	tsdl_buf_append(buf, "\"", 1);
	if (entry->is_auto) {
		tsdl_buf_append_str(buf, ",\n");
		return;
	}
	if (is_signed)
		tsdl_buf_appendf(buf, " = %lld", (long long)entry->start);
	else
		tsdl_buf_appendf(buf, " = %llu", (unsigned long long)(uint64_t)entry->start);
	if (entry->start == entry->end)
		tsdl_buf_append_str(buf, ",\n");
	else if (is_signed)
		tsdl_buf_appendf(buf, " ... %lld,\n", (long long)entry->end);
	else
		tsdl_buf_appendf(buf, " ... %llu,\n", (unsigned long long)(uint64_t)entry->end);
}

static int append_enum_field(struct tsdl_buf *buf, const struct ringtrace_field_desc *field)
{
	const struct ringtrace_type_integer *container = &field->type.enumeration.container;
	const struct ringtrace_enum_desc *desc = field->type.enumeration.desc;
	char identifier[RINGTRACE_SYM_NAME_LEN];
	int ret;

	ret = sanitize_identifier(field->name, identifier);
	if (ret < 0)
		return ret;
	if (!integer_type_is_valid(container) || !desc || (desc->nr_entries && !desc->entries))
		return -EINVAL;
	for (uint32_t i = 0; i < desc->nr_entries; i++)
		if (!desc->entries[i].label)
			return -EINVAL;

	append_tabs(buf, 2);
	tsdl_buf_append_str(buf, "enum : ");
	append_integer(buf, container, false);
	tsdl_buf_append_str(buf, " {\n");
	for (uint32_t i = 0; i < desc->nr_entries; i++)
		append_enum_entry(buf, &desc->entries[i], container->is_signed);
	append_tabs(buf, 2);
	tsdl_buf_appendf(buf, "} _%s;\n", identifier);
	return 0;
}

/*
 * A sequence's length is the field just before it, written on its own line
 * as "__<seq>_length" when lttng-ust names it "_<seq>_length".
 */
static bool sequence_length_is_valid(const struct ringtrace_field_desc *fields, uint32_t index)
{
	const struct ringtrace_field_desc *seq = &fields[index], *len;

	if (!seq->type.sequence.length_name || index == 0)
		return false;
	len = &fields[index - 1];
	return len->kind == RINGTRACE_TYPE_INTEGER && !len->nowrite && len->name &&
	       strcmp(len->name, seq->type.sequence.length_name) == 0 &&
	       !len->type.integer.is_signed;
}

static int append_field(struct tsdl_buf *buf, const struct ringtrace_field_desc *fields,
                        uint32_t index)
{
	const struct ringtrace_field_desc *field = &fields[index];

	if (field->kind == RINGTRACE_TYPE_ENUM)
		return append_enum_field(buf, field);
	if (!identifier_is_valid(field->name))
		return -EINVAL;

	switch (field->kind) {
	case RINGTRACE_TYPE_INTEGER:
		if (!integer_type_is_valid(&field->type.integer))
			return -EINVAL;
		append_tabs(buf, 2);
		append_integer(buf, &field->type.integer, true);
		tsdl_buf_appendf(buf, " _%s;\n", field->name);
		return 0;
	case RINGTRACE_TYPE_FLOAT:
		if (!field->type.fp.exp_dig || !field->type.fp.mant_dig ||
		    !is_power_of_two(field->type.fp.align_bits))
			return -EINVAL;
		append_tabs(buf, 2);
		tsdl_buf_appendf(
		    buf, "floating_point { exp_dig = %u; mant_dig = %u; align = %u; } _%s;\n",
		    field->type.fp.exp_dig, field->type.fp.mant_dig, field->type.fp.align_bits,
		    field->name);
		return 0;
	case RINGTRACE_TYPE_STRING:
		append_tabs(buf, 2);
		tsdl_buf_appendf(buf, "string _%s;\n", field->name);
		return 0;
	case RINGTRACE_TYPE_ARRAY:
		if (!integer_type_is_valid(&field->type.array.elem))
			return -EINVAL;
		append_tabs(buf, 2);
		append_integer(buf, &field->type.array.elem, true);
		tsdl_buf_appendf(buf, " _%s[%u];\n", field->name, field->type.array.length);
		return 0;
	case RINGTRACE_TYPE_SEQUENCE:
		if (!integer_type_is_valid(&field->type.sequence.elem) ||
		    !sequence_length_is_valid(fields, index))
			return -EINVAL;
		append_tabs(buf, 2);
		append_integer(buf, &field->type.sequence.elem, true);
		tsdl_buf_appendf(buf, " _%s[ _%s ];\n", field->name,
		                 field->type.sequence.length_name);
		return 0;
	default:
		return -EINVAL;
	}
}

int tsdl_write_event(struct tsdl_buf *buf, const struct ringtrace_event_desc *desc,
                     uint32_t event_id, uint32_t stream_id)
{
	size_t start = buf->len;
	int ret = 0;

	if (!desc->provider_name || !desc->event_name || (desc->nr_fields && !desc->fields))
		return -EINVAL;

	tsdl_buf_append_str(buf, "event {\n\tname = \"");
	tsdl_buf_append_escaped(buf, desc->provider_name);
	tsdl_buf_append(buf, ":", 1);
	tsdl_buf_append_escaped(buf, desc->event_name);
	tsdl_buf_appendf(buf, "\";\n\tid = %u;\n\tstream_id = %u;\n\tloglevel = %d;\n", event_id,
	                 stream_id,
	                 desc->loglevel == -1 ? RINGTRACE_LOGLEVEL_DEFAULT : desc->loglevel);
	if (desc->model_emf_uri) {
		tsdl_buf_append_str(buf, "\tmodel.emf.uri = \"");
		tsdl_buf_append_escaped(buf, desc->model_emf_uri);
		tsdl_buf_append_str(buf, "\";\n");
	}
	tsdl_buf_append_str(buf, "\tfields := struct {\n");
	for (uint32_t i = 0; i < desc->nr_fields && ret == 0; i++)
		if (!desc->fields[i].nowrite)
			ret = append_field(buf, desc->fields, i);
	tsdl_buf_append_str(buf, "\t};\n};\n\n");
	return tsdl_commit(buf, start, ret);
}

/* The tag labels and variant choices of an application context, in tag order. */
static const char *const dynamic_choices[] = {
    "struct {} _none",
    "integer { size = 8; align = 8; signed = 1; encoding = none; base = 10; } _int8",
    "integer { size = 16; align = 8; signed = 1; encoding = none; base = 10; } _int16",
    "integer { size = 32; align = 8; signed = 1; encoding = none; base = 10; } _int32",
    "integer { size = 64; align = 8; signed = 1; encoding = none; base = 10; } _int64",
    "integer { size = 8; align = 8; signed = 0; encoding = none; base = 10; } _uint8",
    "integer { size = 16; align = 8; signed = 0; encoding = none; base = 10; } _uint16",
    "integer { size = 32; align = 8; signed = 0; encoding = none; base = 10; } _uint32",
    "integer { size = 64; align = 8; signed = 0; encoding = none; base = 10; } _uint64",
    "floating_point { exp_dig = 8; mant_dig = 24; align = 8; } _float",
    "floating_point { exp_dig = 11; mant_dig = 53; align = 8; } _double",
    "string _string",
};

int tsdl_dynamic_field_name(const char *name, char *ret, size_t size)
{
	size_t len = strlen(name);

	if (len == 0 || len >= size)
		return -EINVAL;
	for (size_t i = 0; i <= len; i++) {
		char c = name[i];

		ret[i] = (c == '\0' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c >= '0' && c <= '9') || c == '_')
		             ? c
		             : '_';
	}
	return 0;
}

static int append_dynamic_context(struct tsdl_buf *buf, const char *name)
{
	char field[512];
	int r = tsdl_dynamic_field_name(name, field, sizeof(field));

	if (r < 0)
		return r;
	append_tabs(buf, 2);
	tsdl_buf_append_str(buf,
	                    "enum : integer { size = 8; align = 8; signed = 1; encoding = none; "
	                    "base = 10; } {\n");
	for (size_t i = 0; i < ARRAY_SIZE(dynamic_choices); i++) {
		const char *label = strrchr(dynamic_choices[i], ' ') + 1;

		append_tabs(buf, 3);
		tsdl_buf_appendf(buf, "\"%s\" = %zu,\n", label, i);
	}
	append_tabs(buf, 2);
	tsdl_buf_appendf(buf, "} _%s_tag;\n", field);
	append_tabs(buf, 2);
	tsdl_buf_appendf(buf, "variant <_%s_tag> {\n", field);
	for (size_t i = 0; i < ARRAY_SIZE(dynamic_choices); i++) {
		append_tabs(buf, 3);
		tsdl_buf_appendf(buf, "%s;\n", dynamic_choices[i]);
	}
	append_tabs(buf, 2);
	tsdl_buf_appendf(buf, "} _%s;\n", field);
	return 0;
}

int tsdl_write_stream(struct tsdl_buf *buf, uint32_t stream_id,
                      const struct tsdl_context_field *contexts, size_t nr_contexts)
{
	size_t start = buf->len;
	int ret = 0;

	if (nr_contexts && !contexts)
		return -EINVAL;

	tsdl_buf_appendf(buf,
	                 "stream {\n"
	                 "\tid = %u;\n"
	                 "\tevent.header := struct event_header_large;\n"
	                 "\tpacket.context := struct packet_context;\n",
	                 stream_id);
	if (nr_contexts > 0)
		tsdl_buf_append_str(buf, "\tevent.context := struct {\n");
	for (size_t i = 0; i < nr_contexts; i++) {
		const struct tsdl_context_field *ctx = &contexts[i];

		if (ctx->is_dynamic) {
			ret = append_dynamic_context(buf, ctx->name);
			if (ret < 0)
				break;
			continue;
		}
		if (!identifier_is_valid(ctx->name) || !integer_type_is_valid(&ctx->type)) {
			ret = -EINVAL;
			break;
		}
		append_tabs(buf, 2);
		append_integer(buf, &ctx->type, true);
		if (ctx->array_length > 0)
			tsdl_buf_appendf(buf, " _%s[%u];\n", ctx->name, ctx->array_length);
		else
			tsdl_buf_appendf(buf, " _%s;\n", ctx->name);
	}
	if (nr_contexts > 0)
		tsdl_buf_append_str(buf, "\t};\n");
	tsdl_buf_append_str(buf, "};\n\n");
	return tsdl_commit(buf, start, ret);
}

/* --- preamble --- */

static void append_base_typealiases(struct tsdl_buf *buf, const struct tsdl_trace_info *info)
{
	tsdl_buf_appendf(
	    buf,
	    "typealias integer { size = 8; align = %u; signed = false; } := uint8_t;\n"
	    "typealias integer { size = 16; align = %u; signed = false; } := uint16_t;\n"
	    "typealias integer { size = 32; align = %u; signed = false; } := uint32_t;\n"
	    "typealias integer { size = 64; align = %u; signed = false; } := uint64_t;\n"
	    "typealias integer { size = %u; align = %u; signed = false; } := unsigned long;\n"
	    "typealias integer { size = 5; align = 1; signed = false; } := uint5_t;\n"
	    "typealias integer { size = 27; align = 1; signed = false; } := uint27_t;\n"
	    "\n",
	    info->uint8_align_bits, info->uint16_align_bits, info->uint32_align_bits,
	    info->uint64_align_bits, info->bits_per_long, info->long_align_bits);
}

static void append_trace_block(struct tsdl_buf *buf, const struct tsdl_trace_info *info)
{
	char uuid[RT_UUID_STR_LEN];

	rt_uuid_to_string(info->uuid, uuid);
	tsdl_buf_appendf(buf,
	                 "trace {\n"
	                 "\tmajor = 1;\n"
	                 "\tminor = 8;\n"
	                 "\tuuid = \"%s\";\n"
	                 "\tbyte_order = %s;\n"
	                 "\tpacket.header := struct {\n"
	                 "\t\tuint32_t magic;\n"
	                 "\t\tuint8_t  uuid[16];\n"
	                 "\t\tuint32_t stream_id;\n"
	                 "\t\tuint64_t stream_instance_id;\n"
	                 "\t};\n"
	                 "};\n\n",
	                 uuid, info->byte_order_le ? "le" : "be");
}

static void append_env_string(struct tsdl_buf *buf, const char *key, const char *value)
{
	tsdl_buf_appendf(buf, "\t%s = \"", key);
	tsdl_buf_append_escaped(buf, value);
	tsdl_buf_append_str(buf, "\";\n");
}

static void append_env_block(struct tsdl_buf *buf, const struct tsdl_trace_info *info)
{
	bool per_pid = info->scheme == TSDL_BUFFERING_PID;

	tsdl_buf_append_str(buf, "env {\n\tdomain = \"ust\";\n");
	append_env_string(buf, "tracer_name", info->tracer_name);
	tsdl_buf_appendf(buf,
	                 "\ttracer_major = %u;\n"
	                 "\ttracer_minor = %u;\n"
	                 "\ttracer_buffering_scheme = \"%s\";\n"
	                 "\ttracer_buffering_id = %u;\n"
	                 "\tarchitecture_bit_width = %u;\n",
	                 info->tracer_major, info->tracer_minor, per_pid ? "pid" : "uid",
	                 info->buffering_id, info->bits_per_long);
	append_env_string(buf, "trace_name", info->trace_name);
	append_env_string(buf, "trace_creation_datetime", info->creation_datetime);
	append_env_string(buf, "hostname", info->hostname);
	if (per_pid) {
		tsdl_buf_appendf(buf, "\ttracer_patchlevel = %u;\n\tvpid = %d;\n",
		                 info->tracer_patchlevel, info->vpid);
		append_env_string(buf, "procname", info->procname);
		append_env_string(buf, "vpid_datetime", info->vpid_datetime);
	}
	tsdl_buf_append_str(buf, "};\n\n");
}

static void append_clock_block(struct tsdl_buf *buf, const struct tsdl_trace_info *info)
{
	tsdl_buf_append_str(buf, "clock {\n\tname = \"monotonic\";\n");
	if (info->clock_uuid)
		append_env_string(buf, "uuid", info->clock_uuid);
	tsdl_buf_appendf(buf,
	                 "\tdescription = \"Monotonic Clock\";\n"
	                 "\tfreq = %" PRIu64 "; /* Frequency, in Hz */\n",
	                 info->clock.freq_hz);
	if (info->clock.offset_s == 0)
		tsdl_buf_appendf(buf,
		                 "\t/* clock value offset from Epoch is: offset * (1/freq) */\n"
		                 "\toffset = %" PRId64 ";\n",
		                 info->clock.offset);
	else
		tsdl_buf_appendf(
		    buf,
		    "\t/* clock value offset from Epoch is: offset_s + offset * (1/freq) */\n"
		    "\toffset_s = %" PRId64 ";\n"
		    "\toffset = %" PRId64 ";\n",
		    info->clock.offset_s, info->clock.offset);
	tsdl_buf_append_str(buf, "};\n\n");
	tsdl_buf_appendf(buf,
	                 "typealias integer {\n"
	                 "\tsize = 27; align = 1; signed = false;\n"
	                 "\tmap = clock.monotonic.value;\n"
	                 "} := uint27_clock_monotonic_t;\n"
	                 "\n"
	                 "typealias integer {\n"
	                 "\tsize = 32; align = %u; signed = false;\n"
	                 "\tmap = clock.monotonic.value;\n"
	                 "} := uint32_clock_monotonic_t;\n"
	                 "\n"
	                 "typealias integer {\n"
	                 "\tsize = 64; align = %u; signed = false;\n"
	                 "\tmap = clock.monotonic.value;\n"
	                 "} := uint64_clock_monotonic_t;\n\n",
	                 info->uint32_align_bits, info->uint64_align_bits);
}

static void append_header_structs(struct tsdl_buf *buf, const struct tsdl_trace_info *info)
{
	tsdl_buf_append_str(buf, "struct packet_context {\n"
	                         "\tuint64_clock_monotonic_t timestamp_begin;\n"
	                         "\tuint64_clock_monotonic_t timestamp_end;\n"
	                         "\tuint64_t content_size;\n"
	                         "\tuint64_t packet_size;\n"
	                         "\tuint64_t packet_seq_num;\n"
	                         "\tunsigned long events_discarded;\n"
	                         "\tuint32_t cpu_id;\n"
	                         "};\n\n");
	/* The compact header aligns like uint32_t, the large one like uint16_t. */
	tsdl_buf_appendf(buf,
	                 "struct event_header_compact {\n"
	                 "\tenum : uint5_t { compact = 0 ... 30, extended = 31 } id;\n"
	                 "\tvariant <id> {\n"
	                 "\t\tstruct {\n"
	                 "\t\t\tuint27_clock_monotonic_t timestamp;\n"
	                 "\t\t} compact;\n"
	                 "\t\tstruct {\n"
	                 "\t\t\tuint32_t id;\n"
	                 "\t\t\tuint64_clock_monotonic_t timestamp;\n"
	                 "\t\t} extended;\n"
	                 "\t} v;\n"
	                 "} align(%u);\n\n"
	                 "struct event_header_large {\n"
	                 "\tenum : uint16_t { compact = 0 ... 65534, extended = 65535 } id;\n"
	                 "\tvariant <id> {\n"
	                 "\t\tstruct {\n"
	                 "\t\t\tuint32_clock_monotonic_t timestamp;\n"
	                 "\t\t} compact;\n"
	                 "\t\tstruct {\n"
	                 "\t\t\tuint32_t id;\n"
	                 "\t\t\tuint64_clock_monotonic_t timestamp;\n"
	                 "\t\t} extended;\n"
	                 "\t} v;\n"
	                 "} align(%u);\n\n",
	                 info->uint32_align_bits, info->uint16_align_bits);
}

static bool trace_info_is_valid(const struct tsdl_trace_info *info)
{
	if (info->scheme < 0 || info->scheme >= _TSDL_BUFFERING_MAX)
		return false;
	if (!info->trace_name || !info->creation_datetime || !info->hostname || !info->tracer_name)
		return false;
	if (info->clock.freq_hz == 0)
		return false;
	if (info->scheme == TSDL_BUFFERING_PID && (!info->procname || !info->vpid_datetime))
		return false;
	return true;
}

int tsdl_write_preamble(struct tsdl_buf *buf, const struct tsdl_trace_info *info)
{
	size_t start = buf->len;

	if (!trace_info_is_valid(info))
		return -EINVAL;

	tsdl_buf_append_str(buf, "/* CTF 1.8 */\n\n");
	append_base_typealiases(buf, info);
	append_trace_block(buf, info);
	append_env_block(buf, info);
	append_clock_block(buf, info);
	append_header_structs(buf, info);
	return tsdl_commit(buf, start, 0);
}

/* --- clock and environment helpers --- */

/* floor(a / b) for b > 0. */
static __int128 floor_div(__int128 a, __int128 b)
{
	__int128 q = a / b;

	return q * b > a ? q - 1 : q;
}

int tsdl_clock_describe(struct tsdl_clock *ret_clock)
{
	const struct rt_clock_calibration *cal = rt_clock_calibration();
	struct rt_clock_sample now;
	__int128 cycles, offset_s;
	int r;

	if (cal->freq_hz == 0)
		return -EIO;
	r = rt_clock_sample(CLOCK_REALTIME, &now);
	if (r < 0)
		return r;
	/* Epoch time of clock value 0, in cycles: realtime * freq - clock. */
	cycles = ((__int128)now.ref_ns * cal->freq_hz + NSEC_PER_SEC / 2) / NSEC_PER_SEC -
	         (__int128)now.clock;
	if (rt_clock_source() == RT_CLOCK_SOURCE_MONOTONIC) {
		*ret_clock =
		    (struct tsdl_clock){.freq_hz = cal->freq_hz, .offset = (int64_t)cycles};
		return 0;
	}
	offset_s = floor_div(cycles, cal->freq_hz);
	*ret_clock = (struct tsdl_clock){
	    .freq_hz = cal->freq_hz,
	    .offset_s = (int64_t)offset_s,
	    .offset = (int64_t)(cycles - offset_s * cal->freq_hz),
	};
	return 0;
}

static bool uuid_string_is_valid(const char *s)
{
	for (int i = 0; i < RT_UUID_STR_LEN - 1; i++) {
		bool hyphen = i == 8 || i == 13 || i == 18 || i == 23;
		char c = s[i];

		if (hyphen ? c != '-'
		           : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		               (c >= 'A' && c <= 'F')))
			return false;
	}
	return s[RT_UUID_STR_LEN - 1] == '\0';
}

int tsdl_read_boot_id(char ret_uuid[RT_UUID_STR_LEN])
{
	_cleanup_close_ int fd = -1;
	char text[RT_UUID_STR_LEN + 1] = {0};
	ssize_t n;

	fd = open(BOOT_ID_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do
		n = read(fd, text, sizeof(text) - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n >= RT_UUID_STR_LEN - 1 && text[RT_UUID_STR_LEN - 1] == '\n')
		text[RT_UUID_STR_LEN - 1] = '\0';
	if (!uuid_string_is_valid(text))
		return -EINVAL;
	memcpy(ret_uuid, text, RT_UUID_STR_LEN);
	return 0;
}

int tsdl_format_datetime(time_t when, char ret_str[TSDL_DATETIME_LEN])
{
	char text[TSDL_DATETIME_LEN];
	struct tm tm;

	if (!localtime_r(&when, &tm))
		return -EINVAL;
	if (strftime(text, sizeof(text), "%Y%m%dT%H%M%S%z", &tm) == 0)
		return -EINVAL;
	memcpy(ret_str, text, sizeof(text));
	return 0;
}
