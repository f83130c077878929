/* SPDX-License-Identifier: MIT */
/*
 * Tracepoint provider API of ringtrace (call-site side).
 *
 * A provider header declares events with RINGTRACE_TRACEPOINT_EVENT (or a
 * class + instances) and is read several times ("multi-read"): included
 * plainly, each event becomes a call site usable with ringtrace_tracepoint();
 * included by <ringtrace/tracepoint-event.h> with
 * RINGTRACE_TRACEPOINT_CREATE_PROBES defined, it becomes the probe code and
 * descriptors (see tracepoint-event.h). The lttng-ust 2.13 spellings of all of
 * this live in include/compat/lttng/ and map onto these macros.
 *
 * Call sites. One compile unit of each module (program or shared object)
 * defines RINGTRACE_TRACEPOINT_DEFINE before including the provider header:
 * it then holds one struct ringtrace_tracepoint per event, whose address is
 * also put in the section "ringtrace_tracepoints_ptrs". A constructor hands
 * that section to libringtrace-ust, found with dlopen(RINGTRACE_UST_SONAME),
 * so a program that does not link the library (providers loaded later with
 * dlopen or LD_PRELOAD) still gets its call sites connected. Without
 * RINGTRACE_TRACEPOINT_PROBE_DYNAMIC_LINKAGE the call sites also reference
 * the provider's symbol, so a static link without the provider fails.
 *
 * The fast path, when the event is not recorded: one relaxed load of
 * tp.state and a branch predicted not taken; the arguments are not
 * evaluated. When it is: the library's RCU read lock (through a pointer
 * obtained by dlsym), then every probe connected to the call site.
 */
#ifndef RINGTRACE_TRACEPOINT_H
#define RINGTRACE_TRACEPOINT_H

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <ringtrace/event-desc.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Keep in sync with the soversion in src/lib/ust/meson.build. */
#define RINGTRACE_UST_SONAME "libringtrace-ust.so.0"
/* "provider:event" and its NUL must fit (same limit as lttng-ust). */
#define RINGTRACE_TRACEPOINT_NAME_LEN_MAX RINGTRACE_SYM_NAME_LEN

/*
 * ABI between instrumented modules and libringtrace-ust: fields are only
 * ever appended (struct_size tells which are present).
 */
struct ringtrace_tracepoint_probe {
	void (*func)(void); /* void probe(void *data, args...) */
	void *data;         /* the event's struct ringtrace_event_desc */
};

struct ringtrace_tracepoint {
	uint32_t struct_size;
	int state;             /* nonzero while the event has an enabled recorder */
	const char *name;      /* "provider:event" */
	const char *signature; /* the stringified argument list */
	/* RCU: NULL, or an array of probes ended by a NULL func. */
	struct ringtrace_tracepoint_probe *probes;
	int *provider_ref; /* the provider's symbol; NULL with dynamic linkage */
};

/* Exported by libringtrace-ust; call sites reach them through dlsym(). */
int ringtrace_tracepoint_module_register(struct ringtrace_tracepoint *const *start, int count);
int ringtrace_tracepoint_module_unregister(struct ringtrace_tracepoint *const *start);
void ringtrace_tracepoint_read_lock(void);
void ringtrace_tracepoint_read_unlock(void);

/* Per module (hidden): the library's entry points once it is found. */
struct ringtrace__tp_lib {
	void *handle;
	int load_tried;
	int sites_registered; /* compile units with RINGTRACE_TRACEPOINT_DEFINE initialized */
	int (*module_register)(struct ringtrace_tracepoint *const *start, int count);
	int (*module_unregister)(struct ringtrace_tracepoint *const *start);
	void (*read_unlock)(void);
	void (*read_lock)(void); /* set last: call sites test it */
};

extern struct ringtrace__tp_lib ringtrace__tp_lib __attribute__((weak, visibility("hidden")));
struct ringtrace__tp_lib ringtrace__tp_lib __attribute__((weak, visibility("hidden")));

/*
 * Finds libringtrace-ust (already loaded when linked or pulled in by a
 * provider; otherwise looked up like any library) and its entry points.
 * Constructors only, so under the dynamic loader's lock.
 */
static inline void ringtrace__tp_lib_load(void)
{
	struct ringtrace__tp_lib *lib = &ringtrace__tp_lib;
	void (*lock)(void);

	if (lib->load_tried)
		return;
	lib->load_tried = 1;
	lib->handle = dlopen(RINGTRACE_UST_SONAME, RTLD_NOW | RTLD_GLOBAL);
	if (!lib->handle) {
		if (getenv("RINGTRACE_UST_DEBUG"))
			fprintf(stderr,
			        "ringtrace-ust[%ld]: %s not found (%s): tracepoints of this "
			        "module stay disabled\n",
			        (long)getpid(), RINGTRACE_UST_SONAME, dlerror());
		return;
	}
	lib->module_register = (int (*)(struct ringtrace_tracepoint *const *, int))dlsym(
	    lib->handle, "ringtrace_tracepoint_module_register");
	lib->module_unregister = (int (*)(struct ringtrace_tracepoint *const *))dlsym(
	    lib->handle, "ringtrace_tracepoint_module_unregister");
	lib->read_unlock = (void (*)(void))dlsym(lib->handle, "ringtrace_tracepoint_read_unlock");
	lock = (void (*)(void))dlsym(lib->handle, "ringtrace_tracepoint_read_lock");
	if (lib->read_unlock && lock)
		__atomic_store_n(&lib->read_lock, lock, __ATOMIC_RELEASE);
}

/* Every compile unit: a call site may be defined in another module. */
static void ringtrace__tp_lib_init(void) __attribute__((constructor, unused));
static void ringtrace__tp_lib_init(void)
{
	ringtrace__tp_lib_load();
}

/* --- argument lists: LTTNG_UST_TP_ARGS-style "type, name" pairs, up to 10 --- */

#define _RT_PARAMS(...) __VA_ARGS__
#define _RT_CAT_(a, b)  a##b
#define _RT_CAT(a, b)   _RT_CAT_(a, b)
#define _RT_STR_(...)   #__VA_ARGS__
#define _RT_STR(...)    _RT_STR_(__VA_ARGS__)

#define _RT_NARGS(...)                                                                             \
	_RT_NARGS_(__VA_ARGS__, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3,   \
	           2, 1, 0)
#define _RT_NARGS_(z, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17,  \
                   a18, a19, a20, n, ...)                                                          \
	n

/*
 * _N suffix = number of list items. 1 only happens for an empty list in
 * strict ISO modes, where `, ##__VA_ARGS__` keeps its comma.
 */
#define _RT_PROTO_0()                                        void
#define _RT_PROTO_1(x)                                       void
#define _RT_PROTO_2(t1, a1)                                  t1 a1
#define _RT_PROTO_4(t1, a1, t2, a2)                          t1 a1, t2 a2
#define _RT_PROTO_6(t1, a1, t2, a2, t3, a3)                  t1 a1, t2 a2, t3 a3
#define _RT_PROTO_8(t1, a1, t2, a2, t3, a3, t4, a4)          t1 a1, t2 a2, t3 a3, t4 a4
#define _RT_PROTO_10(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) t1 a1, t2 a2, t3 a3, t4 a4, t5 a5
#define _RT_PROTO_12(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6)                               \
	t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6
#define _RT_PROTO_14(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7)                       \
	t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7
#define _RT_PROTO_16(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7, t8, a8)               \
	t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7, t8 a8
#define _RT_PROTO_18(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7, t8, a8, t9, a9)       \
	t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7, t8 a8, t9 a9
#define _RT_PROTO_20(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7, t8, a8, t9, a9, t10,  \
                     a10)                                                                          \
	t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7, t8 a8, t9 a9, t10 a10

#define _RT_CPROTO_0()
#define _RT_CPROTO_1(x)
#define _RT_CPROTO_2(t1, a1)                                  , t1 a1
#define _RT_CPROTO_4(t1, a1, t2, a2)                          , t1 a1, t2 a2
#define _RT_CPROTO_6(t1, a1, t2, a2, t3, a3)                  , t1 a1, t2 a2, t3 a3
#define _RT_CPROTO_8(t1, a1, t2, a2, t3, a3, t4, a4)          , t1 a1, t2 a2, t3 a3, t4 a4
#define _RT_CPROTO_10(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5) , t1 a1, t2 a2, t3 a3, t4 a4, t5 a5
#define _RT_CPROTO_12(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6)                              \
	, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6
#define _RT_CPROTO_14(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7)                      \
	, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7
#define _RT_CPROTO_16(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7, t8, a8)              \
	, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7, t8 a8
#define _RT_CPROTO_18(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7, t8, a8, t9, a9)      \
	, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7, t8 a8, t9 a9
#define _RT_CPROTO_20(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7, t8, a8, t9, a9, t10, \
                      a10)                                                                         \
	, t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6, t7 a7, t8 a8, t9 a9, t10 a10

#define _RT_VARS_0()
#define _RT_VARS_1(x)
#define _RT_VARS_2(t1, a1)                                          , a1
#define _RT_VARS_4(t1, a1, t2, a2)                                  , a1, a2
#define _RT_VARS_6(t1, a1, t2, a2, t3, a3)                          , a1, a2, a3
#define _RT_VARS_8(t1, a1, t2, a2, t3, a3, t4, a4)                  , a1, a2, a3, a4
#define _RT_VARS_10(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5)         , a1, a2, a3, a4, a5
#define _RT_VARS_12(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6) , a1, a2, a3, a4, a5, a6
#define _RT_VARS_14(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7)                        \
	, a1, a2, a3, a4, a5, a6, a7
#define _RT_VARS_16(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7, t8, a8)                \
	, a1, a2, a3, a4, a5, a6, a7, a8
#define _RT_VARS_18(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7, t8, a8, t9, a9)        \
	, a1, a2, a3, a4, a5, a6, a7, a8, a9
#define _RT_VARS_20(t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6, t7, a7, t8, a8, t9, a9, t10,   \
                    a10)                                                                           \
	, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10

#define _RT_NPAIRS(...) _RT_NARGS(0, ##__VA_ARGS__)
/* "t1 a1, t2 a2" (void when there is no argument) */
#define _RT_ARGS_PROTO(...) _RT_CAT(_RT_PROTO_, _RT_NPAIRS(__VA_ARGS__))(__VA_ARGS__)
/* The probe callback's parameters: "void *__rt_tp_data, t1 a1, t2 a2" */
#define _RT_ARGS_DATA_PROTO(...)                                                                   \
	void *__rt_tp_data _RT_CAT(_RT_CPROTO_, _RT_NPAIRS(__VA_ARGS__))(__VA_ARGS__)
/* ", a1, a2" (empty when there is no argument) */
#define _RT_ARGS_VARS(...) _RT_CAT(_RT_VARS_, _RT_NPAIRS(__VA_ARGS__))(__VA_ARGS__)

/* --- call sites --- */

#define _RT_TP_SYM(provider, name) ringtrace__tp___##provider##___##name
#define _RT_TP_CB(provider, name)  ringtrace__tp_cb___##provider##___##name

#define ringtrace_tracepoint_enabled(provider, name)                                               \
	__builtin_expect(__atomic_load_n(&_RT_TP_SYM(provider, name).state, __ATOMIC_RELAXED), 0)

/* Calls the probes without testing the state first (after _enabled()). */
#define ringtrace_do_tracepoint(provider, name, ...) _RT_TP_CB(provider, name)(__VA_ARGS__)

#define ringtrace_tracepoint(provider, name, ...)                                                  \
	do {                                                                                       \
		if (ringtrace_tracepoint_enabled(provider, name))                                  \
			ringtrace_do_tracepoint(provider, name, __VA_ARGS__);                      \
	} while (0)

#ifdef __cplusplus
#define _RT_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define _RT_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif

#define _RT_VALIDATE_NAME_LEN(provider, name)                                                      \
	_RT_STATIC_ASSERT(sizeof(#provider) + sizeof(#name) <= RINGTRACE_TRACEPOINT_NAME_LEN_MAX,  \
	                  "tracepoint name \"" #provider ":" #name "\" is too long")

/*
 * The call site: the event's struct (defined by RINGTRACE_TRACEPOINT_DEFINE)
 * and a function, inlined at each use, that calls the connected probes
 * inside an RCU read-side critical section (the probes and what they point
 * to may be unloaded; the library waits for a grace period before that).
 */
#define _RT_DECLARE_TRACEPOINT(provider, name, ...)                                                \
	extern struct ringtrace_tracepoint _RT_TP_SYM(provider, name) _RT_TP_VISIBILITY;           \
	static inline void _RT_TP_CB(provider, name)(_RT_ARGS_PROTO(__VA_ARGS__))                  \
	    __attribute__((always_inline, unused));                                                \
	static inline void _RT_TP_CB(provider, name)(_RT_ARGS_PROTO(__VA_ARGS__))                  \
	{                                                                                          \
		const struct ringtrace_tracepoint_probe *__rt_probe;                               \
		void (*__rt_lock)(void) =                                                          \
		    __atomic_load_n(&ringtrace__tp_lib.read_lock, __ATOMIC_ACQUIRE);               \
                                                                                                   \
		if (__builtin_expect(!__rt_lock, 0))                                               \
			return;                                                                    \
		__rt_lock();                                                                       \
		__rt_probe =                                                                       \
		    __atomic_load_n(&_RT_TP_SYM(provider, name).probes, __ATOMIC_CONSUME);         \
		if (__rt_probe) {                                                                  \
			for (; __rt_probe->func; __rt_probe++) {                                   \
				void *__rt_tp_data = __rt_probe->data;                             \
				((void (*)(_RT_ARGS_DATA_PROTO(__VA_ARGS__)))__rt_probe->func)(    \
				    __rt_tp_data _RT_ARGS_VARS(__VA_ARGS__));                      \
			}                                                                          \
		}                                                                                  \
		ringtrace__tp_lib.read_unlock();                                                   \
	}

#ifdef RINGTRACE_TRACEPOINT_DEFINE

#ifdef RINGTRACE_TRACEPOINT_PROBE_DYNAMIC_LINKAGE
#define _RT_PROVIDER_REF(provider) NULL
#else
#define _RT_PROVIDER_REF(provider) &ringtrace__provider___##provider
#endif

#if defined(__clang__)
#define _RT_NO_ASAN __attribute__((no_sanitize("address")))
#else
/* GCC does not pad variables placed in a named section. */
#define _RT_NO_ASAN
#endif

/*
 * The pointers (not the structs) go to the section: they must stay
 * contiguous, and writable for the dynamic linker's relocations.
 */
#define _RT_DEFINE_TRACEPOINT(provider, name, ...)                                                 \
	_RT_VALIDATE_NAME_LEN(provider, name);                                                     \
	extern int ringtrace__provider___##provider _RT_PROVIDER_VISIBILITY;                       \
	struct ringtrace_tracepoint _RT_TP_SYM(provider, name)                                     \
	    _RT_TP_VISIBILITY = {                                                                  \
	        sizeof(struct ringtrace_tracepoint),                                               \
	        0,                                                                                 \
	        #provider ":" #name,                                                               \
	        _RT_STR(__VA_ARGS__),                                                              \
	        NULL,                                                                              \
	        _RT_PROVIDER_REF(provider),                                                        \
	};                                                                                         \
	static struct ringtrace_tracepoint *ringtrace__tp_ptr___##provider##___##name              \
	    __attribute__((section("ringtrace_tracepoints_ptrs"), used)) _RT_NO_ASAN =             \
	        &_RT_TP_SYM(provider, name);

extern struct ringtrace_tracepoint *const __start_ringtrace_tracepoints_ptrs[]
    __attribute__((weak, visibility("hidden")));
extern struct ringtrace_tracepoint *const __stop_ringtrace_tracepoints_ptrs[]
    __attribute__((weak, visibility("hidden")));

static void ringtrace__tp_sites_init(void) __attribute__((constructor));
static void ringtrace__tp_sites_init(void)
{
	struct ringtrace__tp_lib *lib = &ringtrace__tp_lib;

	if (lib->sites_registered++)
		return;
	ringtrace__tp_lib_load();
	if (lib->module_register && __start_ringtrace_tracepoints_ptrs)
		lib->module_register(
		    __start_ringtrace_tracepoints_ptrs,
		    (int)(__stop_ringtrace_tracepoints_ptrs - __start_ringtrace_tracepoints_ptrs));
}

/*
 * The library keeps pointers to this module's call sites: they must be gone
 * before the module is unmapped. The library itself is never dlclose()d.
 */
static void ringtrace__tp_sites_fini(void) __attribute__((destructor));
static void ringtrace__tp_sites_fini(void)
{
	struct ringtrace__tp_lib *lib = &ringtrace__tp_lib;

	if (--lib->sites_registered)
		return;
	if (lib->module_unregister && __start_ringtrace_tracepoints_ptrs)
		lib->module_unregister(__start_ringtrace_tracepoints_ptrs);
}

#else /* RINGTRACE_TRACEPOINT_DEFINE */

#define _RT_DEFINE_TRACEPOINT(provider, name, ...)

#endif /* RINGTRACE_TRACEPOINT_DEFINE */

/* --- provider-header macros (stable names over per-pass internals) --- */

#define RINGTRACE_TP_ARGS(...)        __VA_ARGS__
#define RINGTRACE_TP_FIELDS(...)      __VA_ARGS__
#define RINGTRACE_TP_ENUM_VALUES(...) __VA_ARGS__

#define RINGTRACE_TRACEPOINT_EVENT(provider, name, args, fields)                                   \
	_RT_EVENT_CLASS(provider, name, _RT_PARAMS(args), _RT_PARAMS(fields))                      \
	_RT_EVENT_INSTANCE(provider, name, provider, name, _RT_PARAMS(args))
#define RINGTRACE_TRACEPOINT_EVENT_CLASS(provider, name, args, fields)                             \
	_RT_EVENT_CLASS(provider, name, _RT_PARAMS(args), _RT_PARAMS(fields))
#define RINGTRACE_TRACEPOINT_EVENT_INSTANCE(class_provider, class_name, provider, name, args)      \
	_RT_EVENT_INSTANCE(class_provider, class_name, provider, name, _RT_PARAMS(args))
#define RINGTRACE_TRACEPOINT_ENUM(provider, name, values)                                          \
	_RT_ENUM(provider, name, _RT_PARAMS(values))
#define RINGTRACE_TRACEPOINT_LOGLEVEL(provider, name, loglevel)                                    \
	_RT_LOGLEVEL(provider, name, loglevel)
#define RINGTRACE_TRACEPOINT_MODEL_EMF_URI(provider, name, uri) _RT_EMF_URI(provider, name, uri)

/*
 * Fields. Internals: _RT_FIELD_INT(type, item, src, network, base, nowrite),
 * _RT_FIELD_FLOAT(type, item, src, nowrite),
 * _RT_FIELD_ARRAY(type, item, src, length, network, base, text, nowrite),
 * _RT_FIELD_SEQ(type, item, src, length_type, length, network, base, text, nowrite),
 * _RT_FIELD_STRING(item, src, nowrite), _RT_FIELD_ENUM(provider, enum, type, item, src,
 * nowrite), _RT_FIELD_UNUSED(src).
 */
#define ringtrace_field_integer(type, item, src)         _RT_FIELD_INT(type, item, src, 0, 10, 0)
#define ringtrace_field_integer_hex(type, item, src)     _RT_FIELD_INT(type, item, src, 0, 16, 0)
#define ringtrace_field_integer_network(type, item, src) _RT_FIELD_INT(type, item, src, 1, 10, 0)
#define ringtrace_field_integer_network_hex(type, item, src)                                       \
	_RT_FIELD_INT(type, item, src, 1, 16, 0)
#define ringtrace_field_integer_nowrite(type, item, src) _RT_FIELD_INT(type, item, src, 0, 10, 1)
#define ringtrace_field_float(type, item, src)           _RT_FIELD_FLOAT(type, item, src, 0)
#define ringtrace_field_float_nowrite(type, item, src)   _RT_FIELD_FLOAT(type, item, src, 1)
#define ringtrace_field_string(item, src)                _RT_FIELD_STRING(item, src, 0)
#define ringtrace_field_string_nowrite(item, src)        _RT_FIELD_STRING(item, src, 1)

#define ringtrace_field_array(type, item, src, length)                                             \
	_RT_FIELD_ARRAY(type, item, src, length, 0, 10, 0, 0)
#define ringtrace_field_array_hex(type, item, src, length)                                         \
	_RT_FIELD_ARRAY(type, item, src, length, 0, 16, 0, 0)
#define ringtrace_field_array_network(type, item, src, length)                                     \
	_RT_FIELD_ARRAY(type, item, src, length, 1, 10, 0, 0)
#define ringtrace_field_array_network_hex(type, item, src, length)                                 \
	_RT_FIELD_ARRAY(type, item, src, length, 1, 16, 0, 0)
#define ringtrace_field_array_text(type, item, src, length)                                        \
	_RT_FIELD_ARRAY(type, item, src, length, 0, 10, 1, 0)
#define ringtrace_field_array_nowrite(type, item, src, length)                                     \
	_RT_FIELD_ARRAY(type, item, src, length, 0, 10, 0, 1)
#define ringtrace_field_array_nowrite_hex(type, item, src, length)                                 \
	_RT_FIELD_ARRAY(type, item, src, length, 0, 16, 0, 1)
#define ringtrace_field_array_network_nowrite(type, item, src, length)                             \
	_RT_FIELD_ARRAY(type, item, src, length, 1, 10, 0, 1)
#define ringtrace_field_array_network_nowrite_hex(type, item, src, length)                         \
	_RT_FIELD_ARRAY(type, item, src, length, 1, 16, 0, 1)
#define ringtrace_field_array_text_nowrite(type, item, src, length)                                \
	_RT_FIELD_ARRAY(type, item, src, length, 0, 10, 1, 1)

#define ringtrace_field_sequence(type, item, src, length_type, length)                             \
	_RT_FIELD_SEQ(type, item, src, length_type, length, 0, 10, 0, 0)
#define ringtrace_field_sequence_hex(type, item, src, length_type, length)                         \
	_RT_FIELD_SEQ(type, item, src, length_type, length, 0, 16, 0, 0)
#define ringtrace_field_sequence_network(type, item, src, length_type, length)                     \
	_RT_FIELD_SEQ(type, item, src, length_type, length, 1, 10, 0, 0)
#define ringtrace_field_sequence_network_hex(type, item, src, length_type, length)                 \
	_RT_FIELD_SEQ(type, item, src, length_type, length, 1, 16, 0, 0)
#define ringtrace_field_sequence_text(type, item, src, length_type, length)                        \
	_RT_FIELD_SEQ(type, item, src, length_type, length, 0, 10, 1, 0)
#define ringtrace_field_sequence_nowrite(type, item, src, length_type, length)                     \
	_RT_FIELD_SEQ(type, item, src, length_type, length, 0, 10, 0, 1)
#define ringtrace_field_sequence_nowrite_hex(type, item, src, length_type, length)                 \
	_RT_FIELD_SEQ(type, item, src, length_type, length, 0, 16, 0, 1)
#define ringtrace_field_sequence_network_nowrite(type, item, src, length_type, length)             \
	_RT_FIELD_SEQ(type, item, src, length_type, length, 1, 10, 0, 1)
#define ringtrace_field_sequence_network_nowrite_hex(type, item, src, length_type, length)         \
	_RT_FIELD_SEQ(type, item, src, length_type, length, 1, 16, 0, 1)
#define ringtrace_field_sequence_text_nowrite(type, item, src, length_type, length)                \
	_RT_FIELD_SEQ(type, item, src, length_type, length, 0, 10, 1, 1)

#define ringtrace_field_enum(provider, name, type, item, src)                                      \
	_RT_FIELD_ENUM(provider, name, type, item, src, 0)
#define ringtrace_field_enum_nowrite(provider, name, type, item, src)                              \
	_RT_FIELD_ENUM(provider, name, type, item, src, 1)
#define ringtrace_field_unused(src)         _RT_FIELD_UNUSED(src)
#define ringtrace_field_unused_nowrite(src) _RT_FIELD_UNUSED(src)

#define ringtrace_field_enum_value(label, value)       _RT_ENUM_VALUE(label, value)
#define ringtrace_field_enum_range(label, first, last) _RT_ENUM_RANGE(label, first, last)
#define ringtrace_field_enum_auto(label)               _RT_ENUM_AUTO(label)

#ifdef __cplusplus
}
#endif

#endif /* RINGTRACE_TRACEPOINT_H */

/*
 * Outside the guard: a provider header may be read again after defining or
 * undefining these.
 */
#undef _RT_TP_VISIBILITY
#ifdef RINGTRACE_TRACEPOINT_HIDDEN_DEFINITION
#define _RT_TP_VISIBILITY __attribute__((visibility("hidden")))
#else
#define _RT_TP_VISIBILITY __attribute__((visibility("default")))
#endif

#undef _RT_PROVIDER_VISIBILITY
#ifdef RINGTRACE_TRACEPOINT_PROVIDER_HIDDEN_DEFINITION
#define _RT_PROVIDER_VISIBILITY __attribute__((visibility("hidden")))
#else
#define _RT_PROVIDER_VISIBILITY __attribute__((visibility("default")))
#endif

/*
 * Call-site reading of a provider header. <ringtrace/tracepoint-event.h>
 * redefines these for each of its passes and restores them afterwards.
 */
#ifndef RINGTRACE_TRACEPOINT_HEADER_MULTI_READ
#include <ringtrace/tp-callsite.h>
#endif
