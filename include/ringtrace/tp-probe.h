/* SPDX-License-Identifier: MIT */
/*
 * Internal piece of <ringtrace/tracepoint-event.h> (no include guard: one
 * reading per provider). Generates, for provider P = RINGTRACE_TRACEPOINT_PROVIDER,
 * by reading its header once per pass with the per-pass macros redefined:
 *
 *  1. checks: every event belongs to P (link error otherwise, see 9), names
 *     fit, instances take the same arguments as their class;
 *  2. enums: struct ringtrace_enum_desc ringtrace__enum___P___<name>;
 *  3. per class: the field descriptors (a sequence gives two: its length
 *     field "_<item>_length", then itself);
 *  4. per class: the lengths measured before writing (strings, sequences);
 *  5. per class: the payload size, an always-inline function;
 *  6. per class: the filter values of a call (union ringtrace_filter_value
 *     per field descriptor), an always-inline function;
 *  7. per class: the probe, void probe(void *desc, args...): when a
 *     filter of the event needs them, the filter values and the first
 *     recorder that accepts them (none: return); the payload size; then
 *     for each recorder that is on (and whose filters accept): reserve,
 *     write every field, commit;
 *  8. per instance: its struct ringtrace_event_desc;
 *  9. the provider: its event list and struct ringtrace_probe_desc;
 * 10. a constructor that applies log levels and model URIs to the event
 *     descriptors and registers the provider, and the destructor that
 *     unregisters it; the symbol ringtrace__provider___P that call sites of
 *     statically linked programs refer to.
 */

#include <float.h>
#include <limits.h>

#include <ringtrace/tp-record.h>

#define _RT_PROVIDER_SYM(prefix) _RT_CAT(prefix, RINGTRACE_TRACEPOINT_PROVIDER)

#ifndef _RT_PROBE_HELPERS
#define _RT_PROBE_HELPERS

#define _RT_IS_SIGNED(type) ((type)-1 < (type)1)
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define _RT_REVERSE(network) (network)
#else
#define _RT_REVERSE(network) 0
#endif

/* Every field is byte aligned: records are packed (see tp-record.h). */
#define _RT_INT_TYPE(type_, network_, base_, text_)                                                \
	{                                                                                          \
		.size_bits = (uint16_t)(sizeof(type_) * CHAR_BIT), .align_bits = 8,                \
		.is_signed = _RT_IS_SIGNED(type_), .base = (base_),                                \
		.reverse_byte_order = _RT_REVERSE(network_),                                       \
		.encoding = (text_) ? RINGTRACE_ENCODING_UTF8 : RINGTRACE_ENCODING_NONE,           \
	}

/* C++ warns about members a designated initializer leaves out. */
#ifdef __cplusplus
#define _RT_NO_TYPE , .type = {}
#else
#define _RT_NO_TYPE
#endif

#define _RT_MANT_DIG(type)                                                                         \
	(sizeof(type) == sizeof(float)    ? FLT_MANT_DIG                                           \
	 : sizeof(type) == sizeof(double) ? DBL_MANT_DIG                                           \
	                                  : LDBL_MANT_DIG)

#ifdef __cplusplus
#define _RT_CONSTRUCTOR_DESTRUCTOR(provider, init, fini)                                           \
	namespace                                                                                  \
	{                                                                                          \
	struct ringtrace__registration___##provider {                                              \
		ringtrace__registration___##provider()                                             \
		{                                                                                  \
			init();                                                                    \
		}                                                                                  \
		~ringtrace__registration___##provider()                                            \
		{                                                                                  \
			fini();                                                                    \
		}                                                                                  \
	} ringtrace__registration_instance___##provider;                                           \
	}
#else
#define _RT_CONSTRUCTOR_DESTRUCTOR(provider, init, fini)                                           \
	static void ringtrace__constructor___##provider(void) __attribute__((constructor));        \
	static void ringtrace__constructor___##provider(void)                                      \
	{                                                                                          \
		init();                                                                            \
	}                                                                                          \
	static void ringtrace__destructor___##provider(void) __attribute__((destructor));          \
	static void ringtrace__destructor___##provider(void)                                       \
	{                                                                                          \
		fini();                                                                            \
	}
#endif
#define _RT_CONSTRUCTOR_DESTRUCTOR_(provider, init, fini)                                          \
	_RT_CONSTRUCTOR_DESTRUCTOR(provider, init, fini)

#ifdef __cplusplus
extern "C" {
#endif
int ringtrace_probe_register(const struct ringtrace_probe_desc *desc);
void ringtrace_probe_unregister(const struct ringtrace_probe_desc *desc);
#ifdef __cplusplus
}
#endif

#endif /* _RT_PROBE_HELPERS */

/* --- pass 1: checks --- */

#include <ringtrace/tp-reset.h>

static inline void _RT_PROVIDER_SYM(ringtrace__provider_mismatch___)(void)
{
}

#undef _RT_EVENT_CLASS
#define _RT_EVENT_CLASS(provider, name, args, fields) ringtrace__provider_mismatch___##provider();
#undef _RT_EVENT_INSTANCE
#define _RT_EVENT_INSTANCE(class_provider, class_name, provider, name, ...)                        \
	ringtrace__provider_mismatch___##provider();

static inline void _RT_PROVIDER_SYM(ringtrace__provider_check___)(void)
{
#include RINGTRACE_TRACEPOINT_INCLUDE
}

#include <ringtrace/tp-reset.h>

#undef _RT_EVENT_CLASS
#define _RT_EVENT_CLASS(provider, name, args, fields)                                              \
	void ringtrace__class_proto___##provider##___##name(_RT_ARGS_DATA_PROTO(args));
#undef _RT_EVENT_INSTANCE
#define _RT_EVENT_INSTANCE(class_provider, class_name, provider, name, ...)                        \
	_RT_VALIDATE_NAME_LEN(provider, name);                                                     \
	void ringtrace__class_proto___##class_provider##___##class_name(                           \
	    _RT_ARGS_DATA_PROTO(__VA_ARGS__));

#include RINGTRACE_TRACEPOINT_INCLUDE

/* --- pass 2: enums --- */

#include <ringtrace/tp-reset.h>

#undef _RT_ENUM_VALUE
#define _RT_ENUM_VALUE(label_, value)                                                              \
	{.start = (int64_t)(value), .end = (int64_t)(value), .label = (label_), .is_auto = 0},
#undef _RT_ENUM_RANGE
#define _RT_ENUM_RANGE(label_, first, last)                                                        \
	{.start = (int64_t)(first), .end = (int64_t)(last), .label = (label_), .is_auto = 0},
#undef _RT_ENUM_AUTO
#define _RT_ENUM_AUTO(label_) {.start = -1, .end = -1, .label = (label_), .is_auto = 1},

#undef _RT_ENUM
#define _RT_ENUM(provider_, name_, values_)                                                        \
	static const struct ringtrace_enum_entry                                                   \
	    ringtrace__enum_entries___##provider_##___##name_[] = {                                \
	        values_{.start = 0, .end = 0, .label = NULL, .is_auto = 0}};                       \
	static const struct ringtrace_enum_desc ringtrace__enum___##provider_##___##name_ = {      \
	    .name = #provider_ "_" #name_,                                                         \
	    .entries = ringtrace__enum_entries___##provider_##___##name_,                          \
	    .nr_entries = (uint32_t)(sizeof(ringtrace__enum_entries___##provider_##___##name_) /   \
	                                 sizeof(struct ringtrace_enum_entry) -                     \
	                             1),                                                           \
	};

#include RINGTRACE_TRACEPOINT_INCLUDE

/* --- pass 3: field descriptors --- */

#include <ringtrace/tp-reset.h>

/* Parameters end in _ so that they never replace a designator. */
#undef _RT_FIELD_INT
#define _RT_FIELD_INT(type_, item_, src_, network_, base_, nowrite_)                               \
	{.name = #item_,                                                                           \
	 .kind = RINGTRACE_TYPE_INTEGER,                                                           \
	 .nowrite = (nowrite_),                                                                    \
	 .type = {.integer = _RT_INT_TYPE(type_, network_, base_, 0)}},
#undef _RT_FIELD_FLOAT
#define _RT_FIELD_FLOAT(type_, item_, src_, nowrite_)                                              \
	{.name = #item_,                                                                           \
	 .kind = RINGTRACE_TYPE_FLOAT,                                                             \
	 .nowrite = (nowrite_),                                                                    \
	 .type = {.fp = {.exp_dig = (uint8_t)(sizeof(type_) * CHAR_BIT - _RT_MANT_DIG(type_)),     \
	                 .mant_dig = (uint8_t)_RT_MANT_DIG(type_),                                 \
	                 .align_bits = 8}}},
#undef _RT_FIELD_ARRAY
#define _RT_FIELD_ARRAY(type_, item_, src_, length_, network_, base_, text_, nowrite_)             \
	{.name = #item_,                                                                           \
	 .kind = RINGTRACE_TYPE_ARRAY,                                                             \
	 .nowrite = (nowrite_),                                                                    \
	 .type = {.array = {.elem = _RT_INT_TYPE(type_, network_, base_, text_),                   \
	                    .length = (uint32_t)(length_)}}},
#undef _RT_FIELD_SEQ
#define _RT_FIELD_SEQ(type_, item_, src_, length_type_, length_, network_, base_, text_, nowrite_) \
	{.name = "_" #item_ "_length",                                                             \
	 .kind = RINGTRACE_TYPE_INTEGER,                                                           \
	 .nowrite = (nowrite_),                                                                    \
	 .type = {.integer = _RT_INT_TYPE(length_type_, 0, 10, 0)}},                               \
	    {.name = #item_,                                                                       \
	     .kind = RINGTRACE_TYPE_SEQUENCE,                                                      \
	     .nowrite = (nowrite_),                                                                \
	     .type = {.sequence = {.elem = _RT_INT_TYPE(type_, network_, base_, text_),            \
	                           .length_name = "_" #item_ "_length"}}},
#undef _RT_FIELD_STRING
#define _RT_FIELD_STRING(item_, src_, nowrite_)                                                    \
	{.name = #item_, .kind = RINGTRACE_TYPE_STRING, .nowrite = (nowrite_)_RT_NO_TYPE},
#undef _RT_FIELD_ENUM
#define _RT_FIELD_ENUM(provider_, name_, type_, item_, src_, nowrite_)                             \
	{.name = #item_,                                                                           \
	 .kind = RINGTRACE_TYPE_ENUM,                                                              \
	 .nowrite = (nowrite_),                                                                    \
	 .type = {.enumeration = {.container = _RT_INT_TYPE(type_, 0, 10, 0),                      \
	                          .desc = &ringtrace__enum___##provider_##___##name_}}},

#undef _RT_EVENT_CLASS
#define _RT_EVENT_CLASS(provider_, name_, args_, fields_)                                          \
	static const struct ringtrace_field_desc ringtrace__fields___##provider_##___##name_[] = { \
	    fields_{.name = NULL, .kind = 0, .nowrite = 0 _RT_NO_TYPE}};

#include RINGTRACE_TRACEPOINT_INCLUDE

/* --- pass 4: lengths measured for the payload size, kept for the writes --- */

#include <ringtrace/tp-reset.h>

#undef _RT_FIELD_SEQ
#define _RT_FIELD_SEQ(type, item, src, length_type, length, network, base, text, nowrite)          \
	size_t item;
#undef _RT_FIELD_STRING
#define _RT_FIELD_STRING(item, src, nowrite) size_t item;

#undef _RT_EVENT_CLASS
#define _RT_EVENT_CLASS(provider, name, args, fields)                                              \
	struct ringtrace__dyn___##provider##___##name {                                            \
		char __rt_unused;                                                                  \
		fields                                                                             \
	};

#include RINGTRACE_TRACEPOINT_INCLUDE

/* --- pass 5: payload size --- */

#include <ringtrace/tp-reset.h>

#undef _RT_FIELD_INT
#define _RT_FIELD_INT(type, item, src, network, base, nowrite)                                     \
	if (0)                                                                                     \
		(void)(src);                                                                       \
	if (!(nowrite))                                                                            \
		__rt_len = ringtrace_size_add(__rt_len, sizeof(type));
#undef _RT_FIELD_FLOAT
#define _RT_FIELD_FLOAT(type, item, src, nowrite) _RT_FIELD_INT(type, item, src, 0, 10, nowrite)
#undef _RT_FIELD_ENUM
#define _RT_FIELD_ENUM(provider, name, type, item, src, nowrite)                                   \
	_RT_FIELD_INT(type, item, src, 0, 10, nowrite)
#undef _RT_FIELD_ARRAY
#define _RT_FIELD_ARRAY(type, item, src, length, network, base, text, nowrite)                     \
	if (0)                                                                                     \
		(void)(src);                                                                       \
	if (!(nowrite))                                                                            \
		__rt_len = ringtrace_size_add_array(__rt_len, sizeof(type), (size_t)(length));
/* A count its length type cannot hold would make a corrupt record: not recorded. */
#undef _RT_FIELD_SEQ
#define _RT_FIELD_SEQ(type, item, src, length_type, length, network, base, text, nowrite)          \
	if (0)                                                                                     \
		(void)(src);                                                                       \
	if (!(nowrite)) {                                                                          \
		__rt_dyn->item = (size_t)(length);                                                 \
		if ((uint64_t)(length_type)__rt_dyn->item != (uint64_t)__rt_dyn->item)             \
			__rt_len = SIZE_MAX;                                                       \
		__rt_len = ringtrace_size_add(__rt_len, sizeof(length_type));                      \
		__rt_len = ringtrace_size_add_array(__rt_len, sizeof(type), __rt_dyn->item);       \
	}
#undef _RT_FIELD_STRING
#define _RT_FIELD_STRING(item, src, nowrite)                                                       \
	if (!(nowrite)) {                                                                          \
		const char *__rt_s = (const char *)(src);                                          \
		__rt_dyn->item = strlen(__rt_s ? __rt_s : RINGTRACE_NULL_STRING) + 1;              \
		__rt_len = ringtrace_size_add(__rt_len, __rt_dyn->item);                           \
	}
#undef _RT_FIELD_UNUSED
#define _RT_FIELD_UNUSED(src)                                                                      \
	if (0)                                                                                     \
		(void)(src);

#undef _RT_EVENT_CLASS
#define _RT_EVENT_CLASS(provider, name, args, fields)                                              \
	static inline size_t ringtrace__size___##provider##___##name(                              \
	    struct ringtrace__dyn___##provider##___##name *__rt_dyn, _RT_ARGS_DATA_PROTO(args))    \
	    __attribute__((always_inline));                                                        \
	static inline size_t ringtrace__size___##provider##___##name(                              \
	    struct ringtrace__dyn___##provider##___##name *__rt_dyn, _RT_ARGS_DATA_PROTO(args))    \
	{                                                                                          \
		size_t __rt_len = 0;                                                               \
                                                                                                   \
		(void)__rt_dyn;                                                                    \
		(void)__rt_tp_data;                                                                \
		fields return __rt_len;                                                            \
	}

#include RINGTRACE_TRACEPOINT_INCLUDE

/* --- pass 6: filter values, one per field descriptor (tp-record.h) --- */

#include <ringtrace/tp-reset.h>

#undef _RT_FIELD_INT
#define _RT_FIELD_INT(type, item, src, network, base, nowrite)                                     \
	{                                                                                          \
		type __rt_v = (type)(src);                                                         \
		(__rt_fv++)->s64 = ringtrace_filter_integer(                                       \
		    &__rt_v, sizeof(__rt_v), _RT_IS_SIGNED(type), _RT_REVERSE(network));           \
	}
#undef _RT_FIELD_FLOAT
#define _RT_FIELD_FLOAT(type, item, src, nowrite) (__rt_fv++)->d = (double)(type)(src);
#undef _RT_FIELD_ENUM
#define _RT_FIELD_ENUM(provider, name, type, item, src, nowrite)                                   \
	_RT_FIELD_INT(type, item, src, 0, 10, nowrite)
#undef _RT_FIELD_ARRAY
#define _RT_FIELD_ARRAY(type, item, src, length, network, base, text, nowrite)                     \
	__rt_fv->seq.ptr = (const void *)(src);                                                    \
	(__rt_fv++)->seq.len = (size_t)(length);
/* Two descriptors: the length field (not filterable, its slot unused), then the elements. */
#undef _RT_FIELD_SEQ
#define _RT_FIELD_SEQ(type, item, src, length_type, length, network, base, text, nowrite)          \
	__rt_fv++;                                                                                 \
	__rt_fv->seq.ptr = (const void *)(src);                                                    \
	(__rt_fv++)->seq.len = (size_t)(length);
#undef _RT_FIELD_STRING
#define _RT_FIELD_STRING(item, src, nowrite)                                                       \
	{                                                                                          \
		const char *__rt_s = (const char *)(src);                                          \
		(__rt_fv++)->str = __rt_s ? __rt_s : RINGTRACE_NULL_STRING;                        \
	}
#undef _RT_FIELD_UNUSED
#define _RT_FIELD_UNUSED(src)                                                                      \
	if (0)                                                                                     \
		(void)(src);

#undef _RT_EVENT_CLASS
#define _RT_EVENT_CLASS(provider, name, args, fields)                                              \
	static inline void ringtrace__filter_values___##provider##___##name(                       \
	    union ringtrace_filter_value *__rt_fv, _RT_ARGS_DATA_PROTO(args))                      \
	    __attribute__((always_inline));                                                        \
	static inline void ringtrace__filter_values___##provider##___##name(                       \
	    union ringtrace_filter_value *__rt_fv, _RT_ARGS_DATA_PROTO(args))                      \
	{                                                                                          \
		(void)__rt_tp_data;                                                                \
		fields(void) __rt_fv;                                                              \
	}

#include RINGTRACE_TRACEPOINT_INCLUDE

/* --- pass 7: probes --- */

#include <ringtrace/tp-reset.h>

#undef _RT_FIELD_INT
#define _RT_FIELD_INT(type, item, src, network, base, nowrite)                                     \
	if (!(nowrite)) {                                                                          \
		type __rt_v = (type)(src);                                                         \
		__rt_p = ringtrace_write_bytes(__rt_p, &__rt_v, sizeof(__rt_v));                   \
	}
#undef _RT_FIELD_FLOAT
#define _RT_FIELD_FLOAT(type, item, src, nowrite) _RT_FIELD_INT(type, item, src, 0, 10, nowrite)
#undef _RT_FIELD_ENUM
#define _RT_FIELD_ENUM(provider, name, type, item, src, nowrite)                                   \
	_RT_FIELD_INT(type, item, src, 0, 10, nowrite)
#undef _RT_FIELD_ARRAY
#define _RT_FIELD_ARRAY(type, item, src, length, network, base, text, nowrite)                     \
	if (!(nowrite)) {                                                                          \
		if (text)                                                                          \
			__rt_p = ringtrace_write_text(__rt_p, (const char *)(src),                 \
			                              sizeof(type) * (size_t)(length));            \
		else                                                                               \
			__rt_p =                                                                   \
			    ringtrace_write_bytes(__rt_p, (src), sizeof(type) * (size_t)(length)); \
	}
#undef _RT_FIELD_SEQ
#define _RT_FIELD_SEQ(type, item, src, length_type, length, network, base, text, nowrite)          \
	if (!(nowrite)) {                                                                          \
		length_type __rt_l = (length_type)__rt_dyn.item;                                   \
		__rt_p = ringtrace_write_bytes(__rt_p, &__rt_l, sizeof(__rt_l));                   \
		if (text)                                                                          \
			__rt_p = ringtrace_write_text(__rt_p, (const char *)(src),                 \
			                              sizeof(type) * __rt_dyn.item);               \
		else                                                                               \
			__rt_p =                                                                   \
			    ringtrace_write_bytes(__rt_p, (src), sizeof(type) * __rt_dyn.item);    \
	}
#undef _RT_FIELD_STRING
#define _RT_FIELD_STRING(item, src, nowrite)                                                       \
	if (!(nowrite)) {                                                                          \
		const char *__rt_s = (const char *)(src);                                          \
		__rt_p = ringtrace_write_string(__rt_p, __rt_s ? __rt_s : RINGTRACE_NULL_STRING,   \
		                                __rt_dyn.item);                                    \
	}

/*
 * The `ip` context of the events: where the call site is, or, when the
 * provider defines RINGTRACE_TP_IP_PARAM as one of its arguments' names
 * (lttng-ust's LTTNG_UST_TP_IP_PARAM), that argument's value.
 */
#undef _RT_PROBE_IP
#ifdef RINGTRACE_TP_IP_PARAM
#define _RT_PROBE_IP (RINGTRACE_TP_IP_PARAM)
#else
#define _RT_PROBE_IP __builtin_return_address(0)
#endif

#undef _RT_EVENT_CLASS
#define _RT_EVENT_CLASS(provider, name, args, fields)                                              \
	static void ringtrace__probe___##provider##___##name(_RT_ARGS_DATA_PROTO(args))            \
	{                                                                                          \
		const struct ringtrace_event_desc *__rt_desc =                                     \
		    (const struct ringtrace_event_desc *)__rt_tp_data;                             \
		struct ringtrace__dyn___##provider##___##name __rt_dyn;                            \
		union ringtrace_filter_value                                                       \
		    __rt_fv[sizeof(ringtrace__fields___##provider##___##name) /                    \
		            sizeof(struct ringtrace_field_desc)];                                  \
		struct ringtrace_record __rt_rec;                                                  \
		size_t __rt_len;                                                                   \
                                                                                                   \
		/* Called from the call site's inline callback: this returns there. */             \
		__rt_rec.ip = _RT_PROBE_IP;                                                        \
		if (__builtin_expect(ringtrace_event_filtered(__rt_desc), 0)) {                    \
			ringtrace__filter_values___##provider##___##name(                          \
			    __rt_fv, __rt_tp_data _RT_ARGS_VARS(args));                            \
			__rt_rec.filter_values = __rt_fv;                                          \
			if (!ringtrace_record_select(__rt_desc, &__rt_rec))                        \
				return;                                                            \
			__rt_len = ringtrace__size___##provider##___##name(                        \
			    &__rt_dyn, __rt_tp_data _RT_ARGS_VARS(args));                          \
			if (!ringtrace_record_reserve_selected(__rt_len, &__rt_rec))               \
				return;                                                            \
		} else {                                                                           \
			__rt_rec.filter_values = NULL;                                             \
			__rt_len = ringtrace__size___##provider##___##name(                        \
			    &__rt_dyn, __rt_tp_data _RT_ARGS_VARS(args));                          \
			if (!ringtrace_record_reserve(__rt_desc, __rt_len, &__rt_rec))             \
				return;                                                            \
		}                                                                                  \
		do {                                                                               \
			char *__rt_p = (char *)__rt_rec.payload;                                   \
                                                                                                   \
			fields(void) __rt_p;                                                       \
		} while (ringtrace_record_commit_next(__rt_len, &__rt_rec));                       \
	}

#include RINGTRACE_TRACEPOINT_INCLUDE

/* --- pass 8: event descriptors (log level and model URI set in pass 10) --- */

#include <ringtrace/tp-reset.h>

#undef _RT_EVENT_INSTANCE
#define _RT_EVENT_INSTANCE(class_provider_, class_name_, provider_, name_, ...)                    \
	static struct ringtrace_event_runtime *ringtrace__runtime___##provider_##___##name_;       \
	static struct ringtrace_event_desc ringtrace__desc___##provider_##___##name_ = {           \
	    .provider_name = #provider_,                                                           \
	    .event_name = #name_,                                                                  \
	    .fields = ringtrace__fields___##class_provider_##___##class_name_,                     \
	    .nr_fields =                                                                           \
	        (uint32_t)(sizeof(ringtrace__fields___##class_provider_##___##class_name_) /       \
	                       sizeof(struct ringtrace_field_desc) -                               \
	                   1),                                                                     \
	    .loglevel = -1,                                                                        \
	    .model_emf_uri = NULL,                                                                 \
	    .signature = _RT_STR(__VA_ARGS__),                                                     \
	    .probe_callback =                                                                      \
	        (void (*)(void))ringtrace__probe___##class_provider_##___##class_name_,            \
	    .runtime = &ringtrace__runtime___##provider_##___##name_,                              \
	};

#include RINGTRACE_TRACEPOINT_INCLUDE

/* --- pass 9: the provider --- */

#include <ringtrace/tp-reset.h>

#undef _RT_EVENT_INSTANCE
#define _RT_EVENT_INSTANCE(class_provider, class_name, provider, name, ...)                        \
	&ringtrace__desc___##provider##___##name,

static const struct ringtrace_event_desc *const _RT_PROVIDER_SYM(ringtrace__events___)[] = {
#include RINGTRACE_TRACEPOINT_INCLUDE
    NULL};

static const struct ringtrace_probe_desc _RT_PROVIDER_SYM(ringtrace__probe_desc___) = {
    .abi_version = RINGTRACE_PROBE_ABI_VERSION,
    .provider_name = _RT_STR(RINGTRACE_TRACEPOINT_PROVIDER),
    .events = _RT_PROVIDER_SYM(ringtrace__events___),
    .nr_events = (uint32_t)(sizeof(_RT_PROVIDER_SYM(ringtrace__events___)) /
                                sizeof(const struct ringtrace_event_desc *) -
                            1),
};

/* --- pass 10: registration --- */

#include <ringtrace/tp-reset.h>

#undef _RT_LOGLEVEL
#define _RT_LOGLEVEL(provider, name, loglevel_)                                                    \
	ringtrace__desc___##provider##___##name.loglevel = (int32_t)(loglevel_);
#undef _RT_EMF_URI
#define _RT_EMF_URI(provider, name, uri)                                                           \
	ringtrace__desc___##provider##___##name.model_emf_uri = (uri);

/* Nonzero once this module's copy of the provider is registered. */
static int _RT_PROVIDER_SYM(ringtrace__probe_registered___);

static void _RT_PROVIDER_SYM(ringtrace__probe_init___)(void)
{
	_RT_PROVIDER_SYM(ringtrace__provider_check___)();
#include RINGTRACE_TRACEPOINT_INCLUDE
	_RT_PROVIDER_SYM(ringtrace__probe_registered___) =
	    ringtrace_probe_register(&_RT_PROVIDER_SYM(ringtrace__probe_desc___)) == 0;
}

static void _RT_PROVIDER_SYM(ringtrace__probe_fini___)(void)
{
	if (!_RT_PROVIDER_SYM(ringtrace__probe_registered___))
		return;
	ringtrace_probe_unregister(&_RT_PROVIDER_SYM(ringtrace__probe_desc___));
	_RT_PROVIDER_SYM(ringtrace__probe_registered___) = 0;
}

_RT_CONSTRUCTOR_DESTRUCTOR_(RINGTRACE_TRACEPOINT_PROVIDER,
                            _RT_PROVIDER_SYM(ringtrace__probe_init___),
                            _RT_PROVIDER_SYM(ringtrace__probe_fini___))

/* A global variable's symbol is its plain name in C and C++ alike. */
int _RT_PROVIDER_SYM(ringtrace__provider___) _RT_PROVIDER_VISIBILITY;

#include <ringtrace/tp-reset.h>
