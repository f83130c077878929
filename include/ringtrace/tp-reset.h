/* SPDX-License-Identifier: MIT */
/*
 * Internal piece of the provider API (no include guard): makes every
 * per-pass macro expand to nothing. Each reading of a provider header
 * starts from here and defines only what it generates.
 */

#undef _RT_EVENT_CLASS
#define _RT_EVENT_CLASS(provider, name, args, fields)
#undef _RT_EVENT_INSTANCE
#define _RT_EVENT_INSTANCE(class_provider, class_name, provider, name, ...)
#undef _RT_ENUM
#define _RT_ENUM(provider, name, values)
#undef _RT_LOGLEVEL
#define _RT_LOGLEVEL(provider, name, loglevel)
#undef _RT_EMF_URI
#define _RT_EMF_URI(provider, name, uri)

#undef _RT_ENUM_VALUE
#define _RT_ENUM_VALUE(label, value)
#undef _RT_ENUM_RANGE
#define _RT_ENUM_RANGE(label, first, last)
#undef _RT_ENUM_AUTO
#define _RT_ENUM_AUTO(label)

#undef _RT_FIELD_INT
#define _RT_FIELD_INT(type, item, src, network, base, nowrite)
#undef _RT_FIELD_FLOAT
#define _RT_FIELD_FLOAT(type, item, src, nowrite)
#undef _RT_FIELD_ARRAY
#define _RT_FIELD_ARRAY(type, item, src, length, network, base, text, nowrite)
#undef _RT_FIELD_SEQ
#define _RT_FIELD_SEQ(type, item, src, length_type, length, network, base, text, nowrite)
#undef _RT_FIELD_STRING
#define _RT_FIELD_STRING(item, src, nowrite)
#undef _RT_FIELD_ENUM
#define _RT_FIELD_ENUM(provider, name, type, item, src, nowrite)
#undef _RT_FIELD_UNUSED
#define _RT_FIELD_UNUSED(src)
