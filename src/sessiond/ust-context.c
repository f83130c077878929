/* SPDX-License-Identifier: MIT */
#include "ust-context.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/perf-open.h"
#include "log.h"
#include "macros.h"

/* TSDL integer types of lttng-ust's context fields (x86-64, byte-packed). */
#define INT_TYPE(bits, sign)                                                                       \
	{                                                                                          \
		.size_bits = (bits), .align_bits = 8, .is_signed = (sign), .base = 10,             \
		.encoding = RINGTRACE_ENCODING_NONE                                                \
	}

static const struct builtin {
	const char *name;
	struct ringtrace_type_integer type;
	uint32_t array_length; /* procname: text of 17 chars */
} builtins[_RINGTRACE_EVENT_CONTEXT_MAX] = {
    [RINGTRACE_EVENT_CONTEXT_VPID] = {"vpid", INT_TYPE(32, 1), 0},
    [RINGTRACE_EVENT_CONTEXT_VTID] = {"vtid", INT_TYPE(32, 1), 0},
    [RINGTRACE_EVENT_CONTEXT_PROCNAME] = {"procname",
                                          {.size_bits = 8,
                                           .align_bits = 8,
                                           .is_signed = 1,
                                           .base = 10,
                                           .encoding = RINGTRACE_ENCODING_UTF8},
                                          17},
    [RINGTRACE_EVENT_CONTEXT_PTHREAD_ID] = {"pthread_id", INT_TYPE(64, 0), 0},
    [RINGTRACE_EVENT_CONTEXT_IP] = {"ip", INT_TYPE(64, 0), 0},
    [RINGTRACE_EVENT_CONTEXT_CGROUP_NS] = {"cgroup_ns", INT_TYPE(64, 0), 0},
    [RINGTRACE_EVENT_CONTEXT_IPC_NS] = {"ipc_ns", INT_TYPE(64, 0), 0},
    [RINGTRACE_EVENT_CONTEXT_MNT_NS] = {"mnt_ns", INT_TYPE(64, 0), 0},
    [RINGTRACE_EVENT_CONTEXT_NET_NS] = {"net_ns", INT_TYPE(64, 0), 0},
    [RINGTRACE_EVENT_CONTEXT_PID_NS] = {"pid_ns", INT_TYPE(64, 0), 0},
    [RINGTRACE_EVENT_CONTEXT_TIME_NS] = {"time_ns", INT_TYPE(64, 0), 0},
    [RINGTRACE_EVENT_CONTEXT_USER_NS] = {"user_ns", INT_TYPE(64, 0), 0},
    [RINGTRACE_EVENT_CONTEXT_UTS_NS] = {"uts_ns", INT_TYPE(64, 0), 0},
    [RINGTRACE_EVENT_CONTEXT_VUID] = {"vuid", INT_TYPE(32, 0), 0},
    [RINGTRACE_EVENT_CONTEXT_VEUID] = {"veuid", INT_TYPE(32, 0), 0},
    [RINGTRACE_EVENT_CONTEXT_VSUID] = {"vsuid", INT_TYPE(32, 0), 0},
    [RINGTRACE_EVENT_CONTEXT_VGID] = {"vgid", INT_TYPE(32, 0), 0},
    [RINGTRACE_EVENT_CONTEXT_VEGID] = {"vegid", INT_TYPE(32, 0), 0},
    [RINGTRACE_EVENT_CONTEXT_VSGID] = {"vsgid", INT_TYPE(32, 0), 0},
};

static const struct ringtrace_type_integer perf_counter_type = INT_TYPE(64, 0);

static bool field_name_valid(const char *name, size_t size)
{
	size_t len = strnlen(name, size);

	if (len == 0 || len == size || (name[0] >= '0' && name[0] <= '9'))
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return false;
	}
	return true;
}

/*
 * Whether this kernel lets a thread count this event for itself, as the
 * apps will: opened on the calling thread, user space only, then closed.
 */
static int perf_counter_check(const struct session_context *ctx)
{
	int fd = perf_open_thread_counter(ctx->perf_type, ctx->perf_config);

	if (fd < 0) {
		log_warn("Context %s refused: perf_event_open(type %" PRIu32 ", config %#" PRIx64
		         ") failed here: %s",
		         ctx->name, ctx->perf_type, ctx->perf_config, strerror(-fd));
		return -RINGTRACE_ERR_CONTEXT_UNAVAILABLE;
	}
	close(fd);
	return 0;
}

/*
 * "$app.PROVIDER:CTX" from its two names, with the rules of lttng-ust (the
 * provider's name has no ':') and the room the apps' protocol gives.
 */
static int app_context_from_request(const struct ringtrace_event_app_ctx *app,
                                    struct session_context *ret)
{
	const char *provider = app->provider_name, *name = app->ctx_name;
	size_t provider_len = strnlen(provider, sizeof(app->provider_name));
	size_t name_len = strnlen(name, sizeof(app->ctx_name));

	if (provider_len == 0 || provider_len == sizeof(app->provider_name) || name_len == 0 ||
	    name_len == sizeof(app->ctx_name) || strchr(provider, ':'))
		return -RINGTRACE_ERR_UST_CONTEXT_INVAL;
	if (strlen("$app.") + provider_len + 1 + name_len > RINGTRACE_APP_CONTEXT_NAME_MAX)
		return -RINGTRACE_ERR_APP_CONTEXT_NAME_TOO_LONG;
	snprintf(ret->name, sizeof(ret->name), "$app.%s:%s", provider, name);
	return 0;
}

int ust_context_from_request(const struct ringtrace_event_context *req, struct session_context *ret)
{
	struct session_context ctx = {.type = req->ctx};
	int r;

	if (req->ctx == RINGTRACE_EVENT_CONTEXT_APP_CONTEXT) {
		r = app_context_from_request(&req->app_ctx, &ctx);
		if (r < 0)
			return r;
		*ret = ctx;
		return 0;
	}

	if (req->ctx == RINGTRACE_EVENT_CONTEXT_PERF_THREAD_COUNTER) {
		const struct ringtrace_event_perf_counter_ctx *perf = &req->perf_counter;

		if (!field_name_valid(perf->name, sizeof(perf->name)))
			return -RINGTRACE_ERR_UST_CONTEXT_INVAL;
		switch (perf->type) {
		case PERF_TYPE_HARDWARE:
		case PERF_TYPE_SOFTWARE:
		case PERF_TYPE_HW_CACHE:
		case PERF_TYPE_RAW:
			break;
		default:
			return -RINGTRACE_ERR_UST_CONTEXT_INVAL;
		}
		memcpy(ctx.name, perf->name, strlen(perf->name) + 1);
		ctx.perf_type = perf->type;
		ctx.perf_config = perf->config;
		r = perf_counter_check(&ctx);
		if (r < 0)
			return r;
		*ret = ctx;
		return 0;
	}
	if (req->ctx >= _RINGTRACE_EVENT_CONTEXT_MAX || !builtins[req->ctx].name)
		return -RINGTRACE_ERR_UST_CONTEXT_INVAL;
	snprintf(ctx.name, sizeof(ctx.name), "%s", builtins[req->ctx].name);
	*ret = ctx;
	return 0;
}

void ust_context_tsdl_field(const struct session_context *ctx, struct tsdl_context_field *ret)
{
	ret->name = ctx->name;
	ret->is_dynamic = ctx->type == RINGTRACE_EVENT_CONTEXT_APP_CONTEXT;
	if (ret->is_dynamic) {
		ret->array_length = 0;
		return;
	}
	if (ctx->type == RINGTRACE_EVENT_CONTEXT_PERF_THREAD_COUNTER) {
		ret->type = perf_counter_type;
		ret->array_length = 0;
		return;
	}
	ret->type = builtins[ctx->type].type;
	ret->array_length = builtins[ctx->type].array_length;
}
