/* SPDX-License-Identifier: MIT */
#include "registry.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <urcu/list.h>
#include <urcu/ref.h>

#include "comm/ust-wire.h"
#include "consumer.h"
#include "ctf/tsdl.h"
#include "log.h"
#include "macros.h"
#include "ust-context.h"

#define TRACER_MAJOR    2 /* lttng-ust 2.13: what viewers expect of a UST trace */
#define TRACER_MINOR    13
#define AUTO_TRACE_NAME "auto"
/* Bounds what an app can make the daemon keep (real apps stay far below). */
#define MAX_EVENTS_PER_CHANNEL 65536u
#define HOSTNAME_MAX           256

struct registry_event {
	uint32_t id;
	struct ust_wire_event *event; /* owned; event->name is the key */
	struct cds_list_head node;    /* in registry_channel.events */
};

struct registry_channel {
	uint32_t id;
	uint32_t nr_events; /* next event id */
	struct cds_list_head events;
	struct cds_list_head node; /* in ust_registry.channels */
};

struct ust_registry {
	struct urcu_ref ref;
	/* Protects everything below; held across consumer pushes to keep them ordered. */
	pthread_mutex_t lock;
	uint8_t uuid[RT_UUID_LEN];
	struct ust_registry_params params; /* its strings owned: for regeneration */
	struct tsdl_buf text;
	size_t preamble_len;       /* the text up to the first stream block */
	uint64_t metadata_version; /* incremented by each regeneration */
	uint64_t pushed_len;       /* bytes of text the consumer has */
	uint64_t metadata_key;
	bool metadata_attached;
	bool metadata_closed;
	/* Rotated to no trace chunk: what is appended waits for the next rotation. */
	bool metadata_chunkless;
	uint32_t nr_channels; /* next channel id */
	struct cds_list_head channels;
};

/* --- field comparison (same name registered again must mean the same layout) --- */

static bool strings_equal(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool integers_equal(const struct ringtrace_type_integer *a,
                           const struct ringtrace_type_integer *b)
{
	return a->size_bits == b->size_bits && a->align_bits == b->align_bits &&
	       a->is_signed == b->is_signed && a->base == b->base &&
	       a->reverse_byte_order == b->reverse_byte_order && a->encoding == b->encoding;
}

static bool enums_equal(const struct ringtrace_enum_desc *a, const struct ringtrace_enum_desc *b)
{
	if (!a || !b)
		return a == b;
	if (!strings_equal(a->name, b->name) || a->nr_entries != b->nr_entries)
		return false;
	for (uint32_t i = 0; i < a->nr_entries; i++) {
		const struct ringtrace_enum_entry *ea = &a->entries[i], *eb = &b->entries[i];

		if (ea->is_auto != eb->is_auto || !strings_equal(ea->label, eb->label))
			return false;
		if (!ea->is_auto && (ea->start != eb->start || ea->end != eb->end))
			return false;
	}
	return true;
}

static bool fields_equal(const struct ringtrace_field_desc *a, const struct ringtrace_field_desc *b)
{
	if (!strings_equal(a->name, b->name) || a->kind != b->kind || a->nowrite != b->nowrite)
		return false;
	switch (a->kind) {
	case RINGTRACE_TYPE_INTEGER:
		return integers_equal(&a->type.integer, &b->type.integer);
	case RINGTRACE_TYPE_FLOAT:
		return a->type.fp.exp_dig == b->type.fp.exp_dig &&
		       a->type.fp.mant_dig == b->type.fp.mant_dig &&
		       a->type.fp.align_bits == b->type.fp.align_bits;
	case RINGTRACE_TYPE_STRING:
		return true;
	case RINGTRACE_TYPE_ARRAY:
		return integers_equal(&a->type.array.elem, &b->type.array.elem) &&
		       a->type.array.length == b->type.array.length;
	case RINGTRACE_TYPE_SEQUENCE:
		return integers_equal(&a->type.sequence.elem, &b->type.sequence.elem) &&
		       strings_equal(a->type.sequence.length_name, b->type.sequence.length_name);
	case RINGTRACE_TYPE_ENUM:
		return integers_equal(&a->type.enumeration.container,
		                      &b->type.enumeration.container) &&
		       enums_equal(a->type.enumeration.desc, b->type.enumeration.desc);
	default:
		return false;
	}
}

static bool event_fields_equal(const struct ringtrace_event_desc *a,
                               const struct ringtrace_event_desc *b)
{
	if (a->nr_fields != b->nr_fields)
		return false;
	for (uint32_t i = 0; i < a->nr_fields; i++)
		if (!fields_equal(&a->fields[i], &b->fields[i]))
			return false;
	return true;
}

/* --- lifetime --- */

static void registry_channel_free(struct registry_channel *chan)
{
	struct registry_event *ev, *tmp;

	cds_list_for_each_entry_safe (ev, tmp, &chan->events, node) {
		ust_wire_event_free(ev->event);
		free(ev);
	}
	free(chan);
}

static void registry_release(struct urcu_ref *ref)
{
	struct ust_registry *reg = caa_container_of(ref, struct ust_registry, ref);
	struct registry_channel *chan, *tmp;

	cds_list_for_each_entry_safe (chan, tmp, &reg->channels, node) {
		registry_channel_free(chan);
	}
	tsdl_buf_fini(&reg->text);
	free((char *)reg->params.session_name);
	free((char *)reg->params.procname);
	pthread_mutex_destroy(&reg->lock);
	free(reg);
}

struct ust_registry *ust_registry_get(struct ust_registry *reg)
{
	urcu_ref_get(&reg->ref);
	return reg;
}

void ust_registry_put(struct ust_registry *reg)
{
	if (reg)
		urcu_ref_put(&reg->ref, registry_release);
}

const uint8_t *ust_registry_uuid(const struct ust_registry *reg)
{
	return reg->uuid;
}

/*
 * Apps do not tell their tracer's patch level; ringtrace's follows lttng-ust
 * 2.13 without one.
 */
#define TRACER_PATCHLEVEL 0

/* The env keys of a per-PID registry; vpid_datetime must outlive info. */
static int fill_pid_info(const struct ust_registry_params *p, struct tsdl_trace_info *info,
                         char vpid_datetime[TSDL_DATETIME_LEN])
{
	int r = tsdl_format_datetime(p->registration_time, vpid_datetime);

	if (r < 0)
		return r;
	info->scheme = TSDL_BUFFERING_PID;
	info->buffering_id = (uint32_t)p->pid;
	info->tracer_patchlevel = TRACER_PATCHLEVEL;
	info->vpid = p->pid;
	info->procname = p->procname;
	info->vpid_datetime = vpid_datetime;
	return 0;
}

static int write_preamble(const struct ust_registry *reg, const struct ust_registry_params *p,
                          struct tsdl_buf *text)
{
	char vpid_datetime[TSDL_DATETIME_LEN];
	char datetime[TSDL_DATETIME_LEN], boot_id[RT_UUID_STR_LEN], hostname[HOSTNAME_MAX] = "";
	struct tsdl_clock clock;
	bool have_boot_id;
	int r;

	r = tsdl_format_datetime(p->creation_time, datetime);
	if (r < 0)
		return r;
	r = tsdl_clock_describe(&clock);
	if (r < 0)
		return r;
	have_boot_id = tsdl_read_boot_id(boot_id) >= 0;
	if (gethostname(hostname, sizeof(hostname) - 1) < 0)
		hostname[0] = '\0';

	struct tsdl_trace_info info = {
	    .byte_order_le = TSDL_HOST_BYTE_ORDER_LE,
	    .bits_per_long = p->bits_per_long,
	    .uint8_align_bits = p->uint8_align_bits,
	    .uint16_align_bits = p->uint16_align_bits,
	    .uint32_align_bits = p->uint32_align_bits,
	    .uint64_align_bits = p->uint64_align_bits,
	    .long_align_bits = p->long_align_bits,
	    .scheme = TSDL_BUFFERING_UID,
	    .buffering_id = p->uid,
	    .trace_name = p->auto_named ? AUTO_TRACE_NAME : p->session_name,
	    .creation_datetime = datetime,
	    .hostname = hostname,
	    .tracer_name = TSDL_TRACER_NAME,
	    .tracer_major = TRACER_MAJOR,
	    .tracer_minor = TRACER_MINOR,
	    .clock = clock,
	    .clock_uuid = have_boot_id ? boot_id : NULL,
	};
	if (p->per_pid) {
		r = fill_pid_info(p, &info, vpid_datetime);
		if (r < 0)
			return r;
	}
	memcpy(info.uuid, reg->uuid, RT_UUID_LEN);
	return tsdl_write_preamble(text, &info);
}

static int copy_params(const struct ust_registry_params *p, struct ust_registry_params *ret)
{
	*ret = *p;
	ret->session_name = strdup(p->session_name);
	ret->procname = p->procname ? strdup(p->procname) : NULL;
	if (!ret->session_name || (p->procname && !ret->procname))
		return -ENOMEM;
	return 0;
}

int ust_registry_create(const struct ust_registry_params *params, struct ust_registry **ret_reg)
{
	struct ust_registry *reg;
	int r;

	reg = calloc(1, sizeof(*reg));
	if (!reg)
		return -ENOMEM;
	urcu_ref_init(&reg->ref);
	pthread_mutex_init(&reg->lock, NULL);
	tsdl_buf_init(&reg->text);
	CDS_INIT_LIST_HEAD(&reg->channels);
	r = copy_params(params, &reg->params);
	if (r >= 0)
		r = rt_uuid_generate(reg->uuid);
	if (r >= 0)
		r = write_preamble(reg, &reg->params, &reg->text);
	reg->preamble_len = reg->text.len;
	if (r < 0) {
		ust_registry_put(reg);
		return r;
	}
	*ret_reg = reg;
	return 0;
}

/* --- metadata pushes --- */

/*
 * Sends the text the consumer does not have yet. Called with reg->lock held.
 * A failed push is retried with the next append (pushed_len stays put).
 */
static int registry_push_locked(struct ust_registry *reg)
{
	int r;

	if (!reg->metadata_attached || reg->metadata_closed || reg->metadata_chunkless ||
	    reg->pushed_len == reg->text.len)
		return 0;
	r = consumer_push_metadata(reg->metadata_key, reg->metadata_version, reg->pushed_len,
	                           reg->text.text + reg->pushed_len,
	                           reg->text.len - reg->pushed_len);
	if (r < 0) {
		log_warn("Cannot push metadata to the consumer (channel %" PRIu64 "): error %d",
		         reg->metadata_key, r);
		return r;
	}
	reg->pushed_len = reg->text.len;
	return 0;
}

int ust_registry_attach_metadata(struct ust_registry *reg, uint64_t key)
{
	int r;

	pthread_mutex_lock(&reg->lock);
	reg->metadata_key = key;
	reg->metadata_attached = true;
	reg->metadata_closed = false;
	reg->pushed_len = 0;
	r = registry_push_locked(reg);
	pthread_mutex_unlock(&reg->lock);
	return r;
}

int ust_registry_regenerate_metadata(struct ust_registry *reg)
{
	struct tsdl_buf text;
	size_t preamble_len;
	int r;

	tsdl_buf_init(&text);
	pthread_mutex_lock(&reg->lock);
	r = write_preamble(reg, &reg->params, &text);
	preamble_len = text.len;
	if (r >= 0)
		r = tsdl_buf_append(&text, reg->text.text + reg->preamble_len,
		                    reg->text.len - reg->preamble_len);
	if (r >= 0) {
		tsdl_buf_fini(&reg->text);
		reg->preamble_len = preamble_len;
		reg->text = text;
		tsdl_buf_init(&text);
		reg->metadata_version++;
		reg->pushed_len = 0;
		r = registry_push_locked(reg);
	}
	pthread_mutex_unlock(&reg->lock);
	tsdl_buf_fini(&text);
	return r;
}

int ust_registry_rotate_metadata(struct ust_registry *reg, const char *path)
{
	int r;

	pthread_mutex_lock(&reg->lock);
	r = consumer_rotate_channel(reg->metadata_key, path);
	if (r == 0) {
		reg->metadata_chunkless = !path[0];
		reg->pushed_len = 0;
		r = registry_push_locked(reg);
	}
	pthread_mutex_unlock(&reg->lock);
	return r;
}

int ust_registry_push_pending(struct ust_registry *reg)
{
	int r;

	pthread_mutex_lock(&reg->lock);
	r = registry_push_locked(reg);
	pthread_mutex_unlock(&reg->lock);
	return r;
}

void ust_registry_close_metadata(struct ust_registry *reg)
{
	pthread_mutex_lock(&reg->lock);
	reg->metadata_closed = true;
	pthread_mutex_unlock(&reg->lock);
}

/* --- channels and events --- */

static struct registry_channel *find_channel(struct ust_registry *reg, uint32_t chan_id)
{
	struct registry_channel *chan;

	cds_list_for_each_entry (chan, &reg->channels, node) {
		if (chan->id == chan_id)
			return chan;
	}
	return NULL;
}

int ust_registry_add_channel(struct ust_registry *reg, const struct session_context *contexts,
                             uint32_t nr_contexts, uint32_t *ret_chan_id)
{
	_cleanup_free_ struct tsdl_context_field *fields = NULL;
	struct registry_channel *chan;
	int r;

	if (nr_contexts > 0) {
		fields = calloc(nr_contexts, sizeof(*fields));
		if (!fields)
			return -ENOMEM;
		for (uint32_t i = 0; i < nr_contexts; i++)
			ust_context_tsdl_field(&contexts[i], &fields[i]);
	}
	chan = calloc(1, sizeof(*chan));
	if (!chan)
		return -ENOMEM;
	CDS_INIT_LIST_HEAD(&chan->events);
	pthread_mutex_lock(&reg->lock);
	chan->id = reg->nr_channels;
	r = tsdl_write_stream(&reg->text, chan->id, fields, nr_contexts);
	if (r >= 0) {
		reg->nr_channels++;
		cds_list_add_tail(&chan->node, &reg->channels);
		/* The consumer gets the text later if this push fails. */
		(void)registry_push_locked(reg);
		*ret_chan_id = chan->id;
	}
	pthread_mutex_unlock(&reg->lock);
	if (r < 0)
		free(chan);
	return r;
}

static struct registry_event *find_event(struct registry_channel *chan, const char *name)
{
	struct registry_event *ev;

	cds_list_for_each_entry (ev, &chan->events, node) {
		if (strcmp(ev->event->name, name) == 0)
			return ev;
	}
	return NULL;
}

static int register_event_locked(struct ust_registry *reg, uint32_t chan_id,
                                 struct ust_wire_event **event, uint32_t *ret_event_id)
{
	_cleanup_free_ struct registry_event *ev = NULL;
	struct registry_channel *chan;
	struct registry_event *known;
	int r;

	chan = find_channel(reg, chan_id);
	if (!chan)
		return -ENOENT;
	known = find_event(chan, (*event)->name);
	if (known) {
		if (!event_fields_equal(&known->event->desc, &(*event)->desc))
			return -EEXIST;
		*ret_event_id = known->id;
		return 0;
	}
	if (chan->nr_events >= MAX_EVENTS_PER_CHANNEL)
		return -ENOSPC;
	ev = calloc(1, sizeof(*ev));
	if (!ev)
		return -ENOMEM;
	r = tsdl_write_event(&reg->text, &(*event)->desc, chan->nr_events, chan->id);
	if (r < 0)
		return r;
	ev->id = chan->nr_events++;
	ev->event = TAKE_PTR(*event);
	cds_list_add_tail(&ev->node, &chan->events);
	*ret_event_id = ev->id;
	TAKE_PTR(ev);
	/*
	 * The event is known from now on whatever the push gives: the text
	 * reaches the consumer with the next successful push.
	 */
	(void)registry_push_locked(reg);
	return 0;
}

int ust_registry_register_event(struct ust_registry *reg, uint32_t chan_id,
                                struct ust_wire_event **event, uint32_t *ret_event_id)
{
	int r;

	pthread_mutex_lock(&reg->lock);
	r = register_event_locked(reg, chan_id, event, ret_event_id);
	pthread_mutex_unlock(&reg->lock);
	return r;
}
