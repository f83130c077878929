/* SPDX-License-Identifier: MIT */
/*
 * Context providers and application context slots (app-context.h).
 *
 * Writers (register, unregister, new slots) hold app_lock; the slot list
 * only grows, and readers of it (the comm thread, making slots) hold the
 * lock too. The fast path never walks the list: a channel or filter keeps
 * its slot pointers, and reads slot->provider (see app-context.h).
 */
#define _LGPL_SOURCE
#include "lib/ust/app-context.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <urcu-bp.h>
#include <urcu/list.h>

#include "common/macros.h"

#define APP_PREFIX "$app."

struct rt_ust_app_context {
	struct ringtrace_app_context pub;                  /* the callbacks' priv */
	size_t provider_len;                               /* of "$app.PROVIDER" in pub.ctx_name */
	const struct ringtrace_context_provider *provider; /* RCU */
	struct cds_list_head node;
};

struct ringtrace_registered_context_provider {
	const struct ringtrace_context_provider *provider;
	struct cds_list_head node;
};

static pthread_mutex_t app_lock = PTHREAD_MUTEX_INITIALIZER;
static CDS_LIST_HEAD(slots);
static CDS_LIST_HEAD(providers);
static unsigned int nr_slots;

static bool slot_of_provider(const struct rt_ust_app_context *ctx, const char *provider_name)
{
	return strlen(provider_name) == ctx->provider_len &&
	       memcmp(ctx->pub.ctx_name, provider_name, ctx->provider_len) == 0;
}

static const struct ringtrace_context_provider *provider_find(const char *name, size_t len)
{
	struct ringtrace_registered_context_provider *reg;

	cds_list_for_each_entry (reg, &providers, node)
		if (strlen(reg->provider->name) == len &&
		    memcmp(reg->provider->name, name, len) == 0)
			return reg->provider;
	return NULL;
}

int rt_ust_app_context_get(const char *name, struct rt_ust_app_context **ret)
{
	const char *colon;
	struct rt_ust_app_context *ctx;
	size_t len = strnlen(name, RT_UST_APP_CONTEXT_NAME_MAX + 1);
	int r = 0;

	if (len > RT_UST_APP_CONTEXT_NAME_MAX || strncmp(name, APP_PREFIX, strlen(APP_PREFIX)) != 0)
		return -EINVAL;
	colon = strchr(name + strlen(APP_PREFIX), ':');
	if (!colon || colon == name + strlen(APP_PREFIX) || !colon[1])
		return -EINVAL;
	pthread_mutex_lock(&app_lock);
	cds_list_for_each_entry (ctx, &slots, node) {
		if (strcmp(ctx->pub.ctx_name, name) == 0) {
			*ret = ctx;
			goto out;
		}
	}
	if (nr_slots >= RT_UST_MAX_APP_CONTEXTS) {
		r = -E2BIG;
		goto out;
	}
	ctx = calloc(1, sizeof(*ctx));
	if (ctx)
		ctx->pub.ctx_name = strdup(name);
	if (!ctx || !ctx->pub.ctx_name) {
		free(ctx);
		r = -ENOMEM;
		goto out;
	}
	ctx->pub.struct_size = sizeof(ctx->pub);
	ctx->provider_len = (size_t)(colon - name);
	ctx->provider = provider_find(name, ctx->provider_len);
	/* Published to readers through the channel or filter that keeps it. */
	cds_list_add_tail(&ctx->node, &slots);
	nr_slots++;
	*ret = ctx;
out:
	pthread_mutex_unlock(&app_lock);
	return r;
}

const struct ringtrace_context_provider *
rt_ust_app_context_provider(const struct rt_ust_app_context *ctx)
{
	return rcu_dereference(ctx->provider);
}

uint64_t rt_ust_app_context_size(struct rt_ust_app_context *ctx,
                                 const struct ringtrace_context_provider *p, const void *ip,
                                 uint64_t offset)
{
	struct ringtrace_probe_ctx probe = {.struct_size = sizeof(probe), .ip = (void *)ip};

	if (!p)
		return 1;
	return p->get_size(&ctx->pub, &probe, (size_t)offset);
}

/* The write position of one context's bytes in the record being filled. */
struct ringtrace_record_ctx {
	char *pos;
	char *end;
};

static void event_write(struct ringtrace_record_ctx *rctx, const void *src, size_t len,
                        size_t alignment)
{
	(void)alignment; /* byte-packed records */
	if (len > (size_t)(rctx->end - rctx->pos))
		len = (size_t)(rctx->end - rctx->pos);
	memcpy(rctx->pos, src, len);
	rctx->pos += len;
}

static const struct ringtrace_channel_buffer_ops channel_ops = {.event_write = event_write};

void rt_ust_app_context_write(struct rt_ust_app_context *ctx,
                              const struct ringtrace_context_provider *p, const void *ip, char *pos,
                              uint64_t len)
{
	struct ringtrace_probe_ctx probe = {.struct_size = sizeof(probe), .ip = (void *)ip};
	struct ringtrace_channel_buffer chan = {.struct_size = sizeof(chan), .ops = &channel_ops};
	struct ringtrace_record_ctx rctx = {.pos = pos, .end = pos + len};

	if (!p) {
		*pos = (char)RINGTRACE_CTX_VALUE_NONE;
		return;
	}
	p->record(&ctx->pub, &probe, &rctx, &chan);
	/* A provider writing less than it announced: the rest reads as zeros. */
	memset(rctx.pos, 0, (size_t)(rctx.end - rctx.pos));
}

void rt_ust_app_context_value(struct rt_ust_app_context *ctx, struct ringtrace_ctx_value *ret)
{
	const struct ringtrace_context_provider *p = rcu_dereference(ctx->provider);
	struct ringtrace_probe_ctx probe = {.struct_size = sizeof(probe), .ip = NULL};

	ret->sel = RINGTRACE_CTX_VALUE_NONE;
	if (p)
		p->get_value(&ctx->pub, &probe, ret);
}

/* Points every slot of provider's name at to (provider or NULL). app_lock held. */
static void slots_set_provider(const char *name, const struct ringtrace_context_provider *to)
{
	struct rt_ust_app_context *ctx;

	cds_list_for_each_entry (ctx, &slots, node)
		if (slot_of_provider(ctx, name))
			rcu_assign_pointer(ctx->provider, to);
}

struct ringtrace_registered_context_provider *
ringtrace_context_provider_register(struct ringtrace_context_provider *provider)
{
	struct ringtrace_registered_context_provider *reg = NULL;

	if (!provider || !provider->name || !provider->get_size || !provider->record ||
	    !provider->get_value || strncmp(provider->name, APP_PREFIX, strlen(APP_PREFIX)) != 0 ||
	    strchr(provider->name, ':') || !provider->name[strlen(APP_PREFIX)])
		return NULL;
	pthread_mutex_lock(&app_lock);
	if (provider_find(provider->name, strlen(provider->name)))
		goto out;
	reg = calloc(1, sizeof(*reg));
	if (!reg)
		goto out;
	reg->provider = provider;
	cds_list_add_tail(&reg->node, &providers);
	slots_set_provider(provider->name, provider);
out:
	pthread_mutex_unlock(&app_lock);
	return reg;
}

void ringtrace_context_provider_unregister(struct ringtrace_registered_context_provider *reg)
{
	if (!reg)
		return;
	pthread_mutex_lock(&app_lock);
	slots_set_provider(reg->provider->name, NULL);
	cds_list_del(&reg->node);
	pthread_mutex_unlock(&app_lock);
	/* No probe uses the provider's callbacks once this returns. */
	synchronize_rcu();
	free(reg);
}

void rt_ust_app_context_fork_prepare(void)
{
	pthread_mutex_lock(&app_lock);
}

void rt_ust_app_context_fork_done(void)
{
	pthread_mutex_unlock(&app_lock);
}
