/* SPDX-License-Identifier: MIT */
/*
 * consumerd-driver: plays the session daemon against a real
 * ringtrace-consumerd, for tests/e2e/test_consumerd.py.
 *
 *   consumerd-driver CONSUMERD MODE OUTPUT_DIR [EVENTS]
 *
 * It spawns CONSUMERD --cmd-fd=N on a socketpair, then, depending on MODE:
 *   trace        metadata + data channel (2 streams), GET_CHANNEL, PUSH_METADATA
 *                (in two pushes), EVENTS records, FLUSH_CHANNEL, DATA_PENDING until
 *                0, DISCARDED_EVENTS, LOST_PACKETS, CLOSE_METADATA, DESTROY_CHANNEL
 *                x2, close the socket, wait for the consumer to exit;
 *   switch-timer as trace with a 50 ms switch timer: checks that records reach
 *                the file without any FLUSH_CHANNEL;
 *   discard      as trace, after one record too large for a sub-buffer;
 *   disk-full    as trace, with <channel>_0 a symlink to /dev/full;
 *   stuck        one record reserved and never committed in stream 0: DATA_PENDING
 *                must turn 0 about 2 s after the flush;
 *   hangup       records, then the socket is closed without flush or destroy;
 *   sigterm      records, then SIGTERM to the consumer;
 *   monitor      as trace with a 50 ms monitor timer, after SET_CHANNEL_MONITOR_PIPE
 *                (a second one must be refused): reads the samples until their
 *                bytes add up to the stream files' size;
 *   malformed:CASE  one malformed request (see malformed_cases[]), then checks
 *                that the consumer replied the expected error and still serves,
 *                or closed the connection, and that it exited without a crash.
 * Results are printed as key=value lines; the exit status is 0 when every
 * step went as expected.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "common/comm/consumer-msg.h"
#include "common/comm/frame.h"
#include "common/paths.h"
#include "common/unix-sock.h"
#include "common/uuid.h"
#include "ctf/packet.h"
#include "ctf/tsdl.h"
#include "ringbuffer/ringbuffer.h"

#define SESSION_ID        7u
#define METADATA_KEY      1u
#define DATA_KEY          2u
#define CHANNEL_NAME      "chan"
#define NR_STREAMS        2u
#define EVENT_ID          0u
#define REPLY_MAX_PAYLOAD (1u << 20)
#define EXPECT_CLOSED     INT32_MIN /* malformed case: connection closed, no reply */

struct driver {
	const char *consumerd_path;
	char trace_dir[PATH_MAX];
	int sock;
	pid_t consumerd_pid;
	uint8_t uuid[RT_UUID_LEN];
	struct rb_stream *streams[NR_STREAMS];
	uint32_t switch_timer_us;
	uint32_t monitor_timer_us;
};

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void fail(const char *fmt, ...)
{
	va_list ap;

	fputs("consumerd-driver: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_FAILURE);
}

static uint64_t now_ms(void)
{
	return rt_monotonic_ns() / 1000000u;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* --- consumer process --- */

static void consumerd_spawn(struct driver *d)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		fail("socketpair: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (pid == 0) {
		char arg[32];

		/* The child's end must survive exec: dup2 clears close-on-exec. */
		if (dup2(sv[1], 3) < 0)
			_exit(127);
		snprintf(arg, sizeof(arg), "--cmd-fd=%d", 3);
		execl(d->consumerd_path, d->consumerd_path, arg, "-vv", (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	d->sock = sv[0];
	d->consumerd_pid = pid;
}

/* Waits for the consumer to exit; prints and returns its wait status. */
static int consumerd_wait(struct driver *d, unsigned timeout_ms)
{
	uint64_t deadline = now_ms() + timeout_ms;
	int status;

	for (;;) {
		pid_t r = waitpid(d->consumerd_pid, &status, WNOHANG);

		if (r == d->consumerd_pid)
			break;
		if (r < 0)
			fail("waitpid: %s", strerror(errno));
		if (now_ms() > deadline) {
			kill(d->consumerd_pid, SIGKILL);
			waitpid(d->consumerd_pid, &status, 0);
			fail("consumerd did not exit within %u ms", timeout_ms);
		}
		sleep_ms(10);
	}
	if (WIFEXITED(status))
		printf("consumerd_exit=%d\n", WEXITSTATUS(status));
	else
		printf("consumerd_signal=%d\n", WTERMSIG(status));
	return status;
}

/* --- protocol --- */

/* Sends a request with descriptors and receives its reply; returns the reply status. */
static int32_t request_fds(struct driver *d, uint32_t type, const void *payload, uint32_t len,
                           const int *send_fds, unsigned nr_send_fds, void *ret_reply,
                           uint32_t reply_len)
{
	struct comm_frame frame;
	void *reply = NULL;
	int fds[UNIX_SOCK_MAX_FDS];
	int r;

	r = comm_send(d->sock, type, 0, payload, len, send_fds, nr_send_fds);
	if (r < 0)
		fail("sending command %u: %s", type, strerror(-r));
	r = comm_recv(d->sock, &frame, &reply, REPLY_MAX_PAYLOAD, fds, UNIX_SOCK_MAX_FDS);
	if (r < 0)
		fail("receiving the reply to command %u: %s", type, strerror(-r));
	if (frame.type != type || frame.nr_fds != 0)
		fail("reply to command %u: type %u, %u fds", type, frame.type, frame.nr_fds);
	if (frame.status == 0 && frame.payload_len != reply_len)
		fail("reply to command %u: %u bytes, expected %u", type, frame.payload_len,
		     reply_len);
	if (frame.status == 0 && reply_len)
		memcpy(ret_reply, reply, reply_len);
	free(reply);
	return frame.status;
}

static int32_t request(struct driver *d, uint32_t type, const void *payload, uint32_t len,
                       void *ret_reply, uint32_t reply_len)
{
	return request_fds(d, type, payload, len, NULL, 0, ret_reply, reply_len);
}

static void request_ok(struct driver *d, uint32_t type, const void *payload, uint32_t len,
                       void *ret_reply, uint32_t reply_len)
{
	int32_t status = request(d, type, payload, len, ret_reply, reply_len);

	if (status != 0)
		fail("command %u failed: status %d: %s", type, status,
		     consumer_return_code_str(status));
}

static struct consumer_ask_channel ask_channel_msg(const struct driver *d, uint64_t key,
                                                   enum consumer_channel_type type)
{
	struct consumer_ask_channel msg = {
	    .key = key,
	    .session_id = SESSION_ID,
	    .type = type,
	    .subbuf_size = 16384,
	    .num_subbuf = 16,
	    .switch_timer_us = d->switch_timer_us,
	    .monitor_timer_us = d->monitor_timer_us,
	    .nr_streams = type == CONSUMER_CHANNEL_TYPE_DATA ? NR_STREAMS : 0,
	    .stream_id = 0,
	    .uid = getuid(),
	    .gid = getgid(),
	    .monitor = 1,
	};

	memcpy(msg.uuid, d->uuid, RT_UUID_LEN);
	snprintf(msg.name, sizeof(msg.name), "%s",
	         type == CONSUMER_CHANNEL_TYPE_DATA ? CHANNEL_NAME : "metadata");
	snprintf(msg.pathname, sizeof(msg.pathname), "%s", d->trace_dir);
	return msg;
}

static void ask_channel(struct driver *d, uint64_t key, enum consumer_channel_type type)
{
	struct consumer_ask_channel msg = ask_channel_msg(d, key, type);
	struct consumer_channel_status status;

	request_ok(d, CONSUMER_ASK_CHANNEL_CREATION, &msg, sizeof(msg), &status, sizeof(status));
	if (status.key != key || status.stream_count != msg.nr_streams)
		fail("ASK_CHANNEL_CREATION: key %" PRIu64 " with %u streams", status.key,
		     status.stream_count);
}

/* GET_CHANNEL, then maps every stream as a producer (an app) would. */
static void get_channel(struct driver *d)
{
	struct consumer_channel_key key = {.key = DATA_KEY};
	struct consumer_channel_status status;

	request_ok(d, CONSUMER_GET_CHANNEL, &key, sizeof(key), &status, sizeof(status));
	if (status.stream_count != NR_STREAMS)
		fail("GET_CHANNEL: %u streams", status.stream_count);
	for (uint32_t i = 0; i < NR_STREAMS; i++) {
		struct consumer_stream_fds msg;
		struct comm_frame frame;
		void *payload = NULL;
		int fds[UNIX_SOCK_MAX_FDS];
		int r;

		r = comm_recv(d->sock, &frame, &payload, REPLY_MAX_PAYLOAD, fds, UNIX_SOCK_MAX_FDS);
		if (r < 0)
			fail("GET_CHANNEL stream %u: %s", i, strerror(-r));
		if (frame.type != CONSUMER_GET_CHANNEL || frame.nr_fds != 2 ||
		    frame.payload_len != sizeof(msg))
			fail("GET_CHANNEL stream %u: bad frame", i);
		memcpy(&msg, payload, sizeof(msg));
		free(payload);
		if (msg.channel_key != DATA_KEY || msg.cpu != i)
			fail("GET_CHANNEL stream %u: key %" PRIu64 " cpu %u", i, msg.channel_key,
			     msg.cpu);
		r = rb_stream_map(fds[0], fds[1], &ctf_rb_client_ops, &d->streams[i]);
		if (r < 0)
			fail("rb_stream_map stream %u: %s", i, strerror(-r));
		close(fds[0]);
		close(fds[1]);
	}
}

static void push_metadata(struct driver *d, uint64_t offset, const char *text, size_t len)
{
	struct consumer_push_metadata head = {
	    .key = METADATA_KEY,
	    .target_offset = offset,
	    .len = len,
	};
	size_t size = sizeof(head) + len;
	char *msg = malloc(size);

	if (!msg)
		fail("out of memory");
	memcpy(msg, &head, sizeof(head));
	memcpy(msg + sizeof(head), text, len);
	request_ok(d, CONSUMER_PUSH_METADATA, msg, (uint32_t)size, NULL, 0);
	free(msg);
}

/* --- metadata --- */

static const struct ringtrace_field_desc sample_fields[] = {
    {
        .name = "value",
        .kind = RINGTRACE_TYPE_INTEGER,
        .type.integer = {.size_bits = 32, .align_bits = 8, .is_signed = 1, .base = 10},
    },
    {
        .name = "text",
        .kind = RINGTRACE_TYPE_STRING,
    },
};

static const struct ringtrace_event_desc sample_event = {
    .provider_name = "driver",
    .event_name = "sample",
    .fields = sample_fields,
    .nr_fields = 2,
    .loglevel = -1,
};

/* Pushes the preamble and stream block, then the event block: two appends. */
static void push_all_metadata(struct driver *d)
{
	char datetime[TSDL_DATETIME_LEN], boot_id[RT_UUID_STR_LEN], hostname[256] = "localhost";
	struct tsdl_trace_info info = {
	    .byte_order_le = TSDL_HOST_BYTE_ORDER_LE,
	    .bits_per_long = 64,
	    .uint8_align_bits = 8,
	    .uint16_align_bits = 8,
	    .uint32_align_bits = 8,
	    .uint64_align_bits = 8,
	    .long_align_bits = 8,
	    .scheme = TSDL_BUFFERING_UID,
	    .buffering_id = getuid(),
	    .trace_name = "consumerd-driver",
	    .creation_datetime = datetime,
	    .hostname = hostname,
	    .tracer_name = TSDL_TRACER_NAME,
	    .tracer_major = 2,
	    .tracer_minor = 13,
	};
	struct tsdl_buf buf = {0};
	size_t first_len;

	memcpy(info.uuid, d->uuid, RT_UUID_LEN);
	if (tsdl_clock_describe(&info.clock) < 0)
		fail("trace clock");
	gethostname(hostname, sizeof(hostname) - 1);
	tsdl_format_datetime(time(NULL), datetime);
	if (tsdl_read_boot_id(boot_id) == 0)
		info.clock_uuid = boot_id;
	if (tsdl_write_preamble(&buf, &info) < 0 || tsdl_write_stream(&buf, 0, NULL, 0) < 0)
		fail("TSDL preamble");
	first_len = buf.len;
	if (tsdl_write_event(&buf, &sample_event, EVENT_ID, 0) < 0)
		fail("TSDL event");
	push_metadata(d, 0, buf.text, first_len);
	push_metadata(d, first_len, buf.text + first_len, buf.len - first_len);
	printf("metadata_bytes=%zu\n", buf.len);
	tsdl_buf_fini(&buf);
}

/* --- records --- */

/* Writes driver:sample(value, text); -ENOBUFS when the record was discarded. */
static int produce_record(struct rb_stream *stream, int32_t value, const char *text)
{
	size_t text_size = strlen(text) + 1;
	struct rb_reserve_ctx ctx;
	uint8_t *p;
	int r;

	r = rb_reserve(stream, (uint32_t)(sizeof(value) + text_size), false, &ctx);
	if (r < 0)
		return r;
	p = ctx.record;
	p += ctf_event_header_write(p, EVENT_ID, ctx.timestamp, ctx.long_header);
	memcpy(p, &value, sizeof(value));
	memcpy(p + sizeof(value), text, text_size);
	rb_commit(&ctx);
	return 0;
}

/* Event i goes to stream i % 2 with value i and text "event-<i>" plus i % 7 'x'. */
static uint64_t produce_records(struct driver *d, uint32_t first, uint32_t count)
{
	uint64_t discarded = 0;

	for (uint32_t i = first; i < first + count; i++) {
		char text[64];

		snprintf(text, sizeof(text), "event-%u%.*s", i, (int)(i % 7), "xxxxxxx");
		if (produce_record(d->streams[i % NR_STREAMS], (int32_t)i, text) < 0)
			discarded++;
	}
	return discarded;
}

/* --- session steps --- */

static void session_setup(struct driver *d)
{
	ask_channel(d, METADATA_KEY, CONSUMER_CHANNEL_TYPE_METADATA);
	ask_channel(d, DATA_KEY, CONSUMER_CHANNEL_TYPE_DATA);
	get_channel(d);
	push_all_metadata(d);
}

static uint8_t data_pending(struct driver *d)
{
	struct consumer_session_key key = {.session_id = SESSION_ID};
	uint8_t pending;

	request_ok(d, CONSUMER_DATA_PENDING, &key, sizeof(key), &pending, sizeof(pending));
	return pending;
}

/* Polls DATA_PENDING every 10 ms; returns how long it took to read 0. */
static uint64_t wait_data_not_pending(struct driver *d, unsigned timeout_ms)
{
	uint64_t start = now_ms();

	while (data_pending(d)) {
		if (now_ms() - start > timeout_ms)
			fail("data still pending after %u ms", timeout_ms);
		sleep_ms(10);
	}
	return now_ms() - start;
}

static uint64_t channel_counter(struct driver *d, uint32_t type)
{
	struct consumer_channel_key key = {.key = DATA_KEY};
	uint64_t value;

	request_ok(d, type, &key, sizeof(key), &value, sizeof(value));
	return value;
}

static void session_stop_and_destroy(struct driver *d)
{
	struct consumer_channel_key data_key = {.key = DATA_KEY};
	struct consumer_channel_key metadata_key = {.key = METADATA_KEY};

	request_ok(d, CONSUMER_FLUSH_CHANNEL, &data_key, sizeof(data_key), NULL, 0);
	printf("data_pending_ms=%" PRIu64 "\n", wait_data_not_pending(d, 10000));
	printf("discarded_events=%" PRIu64 "\n", channel_counter(d, CONSUMER_DISCARDED_EVENTS));
	printf("lost_packets=%" PRIu64 "\n", channel_counter(d, CONSUMER_LOST_PACKETS));
	request_ok(d, CONSUMER_CLOSE_METADATA, &metadata_key, sizeof(metadata_key), NULL, 0);
	request_ok(d, CONSUMER_DESTROY_CHANNEL, &data_key, sizeof(data_key), NULL, 0);
	request_ok(d, CONSUMER_DESTROY_CHANNEL, &metadata_key, sizeof(metadata_key), NULL, 0);
}

static void unmap_streams(struct driver *d)
{
	for (uint32_t i = 0; i < NR_STREAMS; i++)
		if (d->streams[i])
			rb_stream_unmap(d->streams[i]);
}

static int finish(struct driver *d)
{
	int status;

	unmap_streams(d);
	close(d->sock);
	status = consumerd_wait(d, 10000);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static void print_produced(uint32_t count, uint64_t discarded)
{
	printf("produced=%u\n", count);
	printf("discarded_by_producer=%" PRIu64 "\n", discarded);
}

/* --- modes --- */

static int mode_trace(struct driver *d, uint32_t events)
{
	uint64_t discarded;

	session_setup(d);
	discarded = produce_records(d, 0, events);
	print_produced(events, discarded);
	session_stop_and_destroy(d);
	return finish(d);
}

static off_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) < 0 ? -1 : st.st_size;
}

static int mode_switch_timer(struct driver *d, uint32_t events)
{
	char path[PATH_MAX + 32];
	uint64_t discarded;

	d->switch_timer_us = 50000;
	session_setup(d);
	discarded = produce_records(d, 0, events);
	/* A few switch periods, plus a read-timer period for the write. */
	sleep_ms(600);
	snprintf(path, sizeof(path), "%s/%s_0", d->trace_dir, CHANNEL_NAME);
	printf("bytes_before_flush=%lld\n", (long long)file_size(path));
	print_produced(events, discarded);
	session_stop_and_destroy(d);
	return finish(d);
}

static int mode_discard(struct driver *d, uint32_t events)
{
	static char huge[20000];
	uint64_t discarded;

	session_setup(d);
	/* Larger than a 16 KiB sub-buffer: discarded, and counted. */
	memset(huge, 'h', sizeof(huge) - 1);
	discarded = produce_record(d->streams[0], -1, huge) < 0;
	discarded += produce_records(d, 0, events);
	print_produced(events + 1, discarded);
	session_stop_and_destroy(d);
	return finish(d);
}

static int mode_disk_full(struct driver *d, uint32_t events)
{
	char link_path[PATH_MAX + 32];
	uint64_t discarded;

	if (rt_mkdir_p(d->trace_dir, 0770) < 0)
		fail("mkdir %s", d->trace_dir);
	snprintf(link_path, sizeof(link_path), "%s/%s_0", d->trace_dir, CHANNEL_NAME);
	if (symlink("/dev/full", link_path) < 0)
		fail("symlink %s: %s", link_path, strerror(errno));
	session_setup(d);
	discarded = produce_records(d, 0, events);
	print_produced(events, discarded);
	session_stop_and_destroy(d);
	return finish(d);
}

static int mode_stuck(struct driver *d, uint32_t events)
{
	struct consumer_channel_key key = {.key = DATA_KEY};
	struct rb_reserve_ctx ctx;
	uint64_t discarded;

	session_setup(d);
	discarded = produce_records(d, 0, events);
	/* As if the app died between reserve and commit. */
	if (rb_reserve(d->streams[0], 16, false, &ctx) < 0)
		fail("rb_reserve");
	memset(ctx.record, 0, ctx.len);
	print_produced(events, discarded);
	request_ok(d, CONSUMER_FLUSH_CHANNEL, &key, sizeof(key), NULL, 0);
	printf("pending_after_flush=%u\n", data_pending(d));
	printf("data_pending_ms=%" PRIu64 "\n", wait_data_not_pending(d, 10000));
	request_ok(d, CONSUMER_DESTROY_CHANNEL, &key, sizeof(key), NULL, 0);
	return finish(d);
}

static int mode_hangup(struct driver *d, uint32_t events)
{
	uint64_t discarded;

	session_setup(d);
	discarded = produce_records(d, 0, events);
	print_produced(events, discarded);
	/* No flush, no destroy: the consumer must still write everything out. */
	return finish(d);
}

static int mode_sigterm(struct driver *d, uint32_t events)
{
	uint64_t discarded;
	int status;

	session_setup(d);
	discarded = produce_records(d, 0, events);
	print_produced(events, discarded);
	kill(d->consumerd_pid, SIGTERM);
	status = consumerd_wait(d, 10000);
	unmap_streams(d);
	close(d->sock);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* Stream file sizes of the data channel (no tracefile size cap). */
static uint64_t stream_files_bytes(const struct driver *d)
{
	char path[PATH_MAX + 32];
	uint64_t total = 0;

	for (uint32_t i = 0; i < NR_STREAMS; i++) {
		off_t size;

		snprintf(path, sizeof(path), "%s/%s_%u", d->trace_dir, CHANNEL_NAME, i);
		size = file_size(path);
		total += size > 0 ? (uint64_t)size : 0;
	}
	return total;
}

static int mode_monitor(struct driver *d, uint32_t events)
{
	struct consumer_channel_monitor_msg msg;
	uint64_t consumed = 0, samples = 0, highest = 0, start;
	int pipe_fds[2];
	bool ids_ok = true;
	uint64_t discarded;

	if (pipe(pipe_fds) < 0)
		fail("pipe: %s", strerror(errno));
	if (request_fds(d, CONSUMER_SET_CHANNEL_MONITOR_PIPE, NULL, 0, &pipe_fds[1], 1, NULL, 0))
		fail("SET_CHANNEL_MONITOR_PIPE refused");
	printf("second_pipe=%d\n", request_fds(d, CONSUMER_SET_CHANNEL_MONITOR_PIPE, NULL, 0,
	                                       &pipe_fds[1], 1, NULL, 0));
	close(pipe_fds[1]);
	d->monitor_timer_us = 50000;
	session_setup(d);
	discarded = produce_records(d, 0, events);
	print_produced(events, discarded);
	request_ok(d, CONSUMER_FLUSH_CHANNEL, &(struct consumer_channel_key){.key = DATA_KEY},
	           sizeof(struct consumer_channel_key), NULL, 0);
	wait_data_not_pending(d, 10000);
	start = now_ms();
	/* Samples keep coming every 50 ms: read until they account for every byte written. */
	while (consumed < stream_files_bytes(d) || consumed == 0) {
		if (now_ms() - start > 10000)
			fail("samples account for %" PRIu64 " bytes of %" PRIu64, consumed,
			     stream_files_bytes(d));
		if (read(pipe_fds[0], &msg, sizeof(msg)) != (ssize_t)sizeof(msg))
			fail("reading a sample: %s", strerror(errno));
		samples++;
		consumed += msg.consumed_since_last_sample;
		highest = msg.highest > highest ? msg.highest : highest;
		ids_ok = ids_ok && msg.key == DATA_KEY && msg.session_id == SESSION_ID &&
		         msg.lowest <= msg.highest && msg.highest <= 16 * 16384;
	}
	printf("samples=%" PRIu64 "\n", samples);
	printf("sampled_bytes=%" PRIu64 "\n", consumed);
	printf("file_bytes=%" PRIu64 "\n", stream_files_bytes(d));
	printf("sample_fields_ok=%d\n", ids_ok);
	session_stop_and_destroy(d);
	close(pipe_fds[0]);
	return finish(d);
}

/* --- malformed requests --- */

struct malformed_case {
	const char *name;
	/* Sends the bad request; returns the expected status, or EXPECT_CLOSED. */
	int32_t (*send)(struct driver *d);
};

static void send_raw(struct driver *d, const struct comm_frame *frame, const void *payload,
                     size_t len, const int *fds, unsigned nr_fds)
{
	char buf[sizeof(*frame) + 8192];

	if (len > sizeof(buf) - sizeof(*frame))
		fail("send_raw: payload too large");
	memcpy(buf, frame, sizeof(*frame));
	if (len)
		memcpy(buf + sizeof(*frame), payload, len);
	if (unix_sock_send(d->sock, buf, sizeof(*frame) + len, fds, nr_fds) < 0)
		fail("send_raw: %s", strerror(errno));
}

static void send_request(struct driver *d, uint32_t type, const void *payload, uint32_t len)
{
	int r = comm_send(d->sock, type, 0, payload, len, NULL, 0);

	if (r < 0)
		fail("send: %s", strerror(-r));
}

static int32_t case_truncated_ask_channel(struct driver *d)
{
	struct consumer_ask_channel msg = ask_channel_msg(d, DATA_KEY, CONSUMER_CHANNEL_TYPE_DATA);

	send_request(d, CONSUMER_ASK_CHANNEL_CREATION, &msg, sizeof(msg) - 10);
	return -CONSUMERD_INVALID_PARAMETERS;
}

static int32_t case_truncated_key(struct driver *d)
{
	uint32_t half_key = DATA_KEY;

	send_request(d, CONSUMER_DESTROY_CHANNEL, &half_key, sizeof(half_key));
	return -CONSUMERD_INVALID_PARAMETERS;
}

static int32_t case_trailing_bytes(struct driver *d)
{
	uint64_t key_and_more[2] = {SESSION_ID, 0};

	send_request(d, CONSUMER_DATA_PENDING, key_and_more, sizeof(key_and_more));
	return -CONSUMERD_INVALID_PARAMETERS;
}

static int32_t case_oversized_payload(struct driver *d)
{
	struct comm_frame frame = {
	    .type = CONSUMER_PUSH_METADATA,
	    .payload_len = CONSUMER_MAX_PAYLOAD + 1,
	};

	send_raw(d, &frame, NULL, 0, NULL, 0);
	return EXPECT_CLOSED;
}

static int32_t case_missing_fds(struct driver *d)
{
	struct comm_frame frame = {
	    .type = CONSUMER_DATA_PENDING,
	    .payload_len = sizeof(struct consumer_session_key),
	    .nr_fds = 1,
	};
	struct consumer_session_key key = {.session_id = SESSION_ID};

	send_raw(d, &frame, &key, sizeof(key), NULL, 0);
	return EXPECT_CLOSED;
}

static int32_t case_undeclared_fds(struct driver *d)
{
	struct comm_frame frame = {
	    .type = CONSUMER_DATA_PENDING,
	    .payload_len = sizeof(struct consumer_session_key),
	};
	struct consumer_session_key key = {.session_id = SESSION_ID};
	int fd = STDIN_FILENO;

	send_raw(d, &frame, &key, sizeof(key), &fd, 1);
	return EXPECT_CLOSED;
}

static int32_t case_unexpected_fds(struct driver *d)
{
	struct comm_frame frame = {
	    .type = CONSUMER_DATA_PENDING,
	    .payload_len = sizeof(struct consumer_session_key),
	    .nr_fds = 1,
	};
	struct consumer_session_key key = {.session_id = SESSION_ID};
	int fd = STDIN_FILENO;

	send_raw(d, &frame, &key, sizeof(key), &fd, 1);
	return -CONSUMERD_INVALID_PARAMETERS;
}

static int32_t case_unknown_command(struct driver *d)
{
	uint64_t key = DATA_KEY;

	send_request(d, 999, &key, sizeof(key));
	return -CONSUMERD_ERROR_RECV_CMD;
}

static int32_t case_unsupported_command(struct driver *d)
{
	uint64_t key = DATA_KEY;

	send_request(d, CONSUMER_SETUP_METADATA, &key, sizeof(key));
	return -CONSUMERD_ERROR_RECV_CMD;
}

static int32_t case_monitor_pipe_no_fd(struct driver *d)
{
	send_request(d, CONSUMER_SET_CHANNEL_MONITOR_PIPE, NULL, 0);
	return -CONSUMERD_INVALID_PARAMETERS;
}

static int32_t case_monitor_pipe_not_a_pipe(struct driver *d)
{
	struct comm_frame frame = {.type = CONSUMER_SET_CHANNEL_MONITOR_PIPE, .nr_fds = 1};
	int fd = d->sock;

	send_raw(d, &frame, NULL, 0, &fd, 1);
	return -CONSUMERD_INVALID_PARAMETERS;
}

static int32_t send_ask_channel(struct driver *d, const struct consumer_ask_channel *msg)
{
	send_request(d, CONSUMER_ASK_CHANNEL_CREATION, msg, sizeof(*msg));
	return -CONSUMERD_INVALID_PARAMETERS;
}

static int32_t case_unterminated_name(struct driver *d)
{
	struct consumer_ask_channel msg = ask_channel_msg(d, DATA_KEY, CONSUMER_CHANNEL_TYPE_DATA);

	memset(msg.name, 'n', sizeof(msg.name));
	return send_ask_channel(d, &msg);
}

static int32_t case_unterminated_pathname(struct driver *d)
{
	struct consumer_ask_channel msg = ask_channel_msg(d, DATA_KEY, CONSUMER_CHANNEL_TYPE_DATA);

	memset(msg.pathname, '/', sizeof(msg.pathname));
	return send_ask_channel(d, &msg);
}

static int32_t case_relative_pathname(struct driver *d)
{
	struct consumer_ask_channel msg = ask_channel_msg(d, DATA_KEY, CONSUMER_CHANNEL_TYPE_DATA);

	snprintf(msg.pathname, sizeof(msg.pathname), "relative/trace");
	return send_ask_channel(d, &msg);
}

static int32_t case_name_with_slash(struct driver *d)
{
	struct consumer_ask_channel msg = ask_channel_msg(d, DATA_KEY, CONSUMER_CHANNEL_TYPE_DATA);

	snprintf(msg.name, sizeof(msg.name), "../escape");
	return send_ask_channel(d, &msg);
}

static int32_t case_bad_subbuf_size(struct driver *d)
{
	struct consumer_ask_channel msg = ask_channel_msg(d, DATA_KEY, CONSUMER_CHANNEL_TYPE_DATA);

	msg.subbuf_size = 5000;
	return send_ask_channel(d, &msg);
}

static int32_t case_zero_streams(struct driver *d)
{
	struct consumer_ask_channel msg = ask_channel_msg(d, DATA_KEY, CONSUMER_CHANNEL_TYPE_DATA);

	msg.nr_streams = 0;
	return send_ask_channel(d, &msg);
}

static int32_t case_bad_channel_type(struct driver *d)
{
	struct consumer_ask_channel msg = ask_channel_msg(d, DATA_KEY, CONSUMER_CHANNEL_TYPE_DATA);

	msg.type = 42;
	return send_ask_channel(d, &msg);
}

static int32_t case_duplicate_key(struct driver *d)
{
	struct consumer_ask_channel msg =
	    ask_channel_msg(d, METADATA_KEY, CONSUMER_CHANNEL_TYPE_METADATA);

	ask_channel(d, METADATA_KEY, CONSUMER_CHANNEL_TYPE_METADATA);
	send_request(d, CONSUMER_ASK_CHANNEL_CREATION, &msg, sizeof(msg));
	return -CONSUMERD_ALREADY_SET;
}

static int32_t case_unknown_channel(struct driver *d)
{
	struct consumer_channel_key key = {.key = 12345};

	send_request(d, CONSUMER_GET_CHANNEL, &key, sizeof(key));
	return -CONSUMERD_CHAN_NOT_FOUND;
}

static int32_t case_push_len_mismatch(struct driver *d)
{
	struct {
		struct consumer_push_metadata head;
		char text[8];
	} __attribute__((packed)) msg = {
	    .head = {.key = METADATA_KEY, .len = 100},
	    .text = "/* x */",
	};

	ask_channel(d, METADATA_KEY, CONSUMER_CHANNEL_TYPE_METADATA);
	send_request(d, CONSUMER_PUSH_METADATA, &msg, sizeof(msg));
	return -CONSUMERD_INVALID_PARAMETERS;
}

static int32_t case_push_bad_offset(struct driver *d)
{
	struct {
		struct consumer_push_metadata head;
		char text[8];
	} __attribute__((packed)) msg = {
	    .head = {.key = METADATA_KEY, .target_offset = 5, .len = 8},
	    .text = "/* x */",
	};

	ask_channel(d, METADATA_KEY, CONSUMER_CHANNEL_TYPE_METADATA);
	send_request(d, CONSUMER_PUSH_METADATA, &msg, sizeof(msg));
	return -CONSUMERD_ERROR_METADATA;
}

/* SNAPSHOT_CHANNEL of a channel drained into files (not a snapshot session's). */
static int32_t case_snapshot_monitored(struct driver *d)
{
	struct consumer_snapshot_channel msg = {.key = DATA_KEY};

	ask_channel(d, DATA_KEY, CONSUMER_CHANNEL_TYPE_DATA);
	snprintf(msg.pathname, sizeof(msg.pathname), "/ringtrace-never-written");
	send_request(d, CONSUMER_SNAPSHOT_CHANNEL, &msg, sizeof(msg));
	return -CONSUMERD_INVALID_PARAMETERS;
}

static int32_t case_snapshot_relative_path(struct driver *d)
{
	struct consumer_snapshot_channel msg = {.key = DATA_KEY};

	snprintf(msg.pathname, sizeof(msg.pathname), "relative/snap");
	send_request(d, CONSUMER_SNAPSHOT_CHANNEL, &msg, sizeof(msg));
	return -CONSUMERD_INVALID_PARAMETERS;
}

static int32_t case_snapshot_unknown_channel(struct driver *d)
{
	struct consumer_snapshot_channel msg = {.key = DATA_KEY};

	snprintf(msg.pathname, sizeof(msg.pathname), "/ringtrace-never-written");
	send_request(d, CONSUMER_SNAPSHOT_CHANNEL, &msg, sizeof(msg));
	return -CONSUMERD_CHAN_NOT_FOUND;
}

/* SNAPSHOT_CHANNEL to a relay for a session that has no relay connections. */
static int32_t case_snapshot_relay_missing(struct driver *d)
{
	struct consumer_ask_channel ask = ask_channel_msg(d, DATA_KEY, CONSUMER_CHANNEL_TYPE_DATA);
	struct consumer_snapshot_channel msg = {.key = DATA_KEY, .relayd = 1};
	struct consumer_channel_status status;

	ask.monitor = 0;
	request_ok(d, CONSUMER_ASK_CHANNEL_CREATION, &ask, sizeof(ask), &status, sizeof(status));
	snprintf(msg.pathname, sizeof(msg.pathname), "ust/uid/0/64-bit");
	send_request(d, CONSUMER_SNAPSHOT_CHANNEL, &msg, sizeof(msg));
	return -CONSUMERD_RELAYD_FAIL;
}

static int32_t case_chunk_name_unterminated(struct driver *d)
{
	struct consumer_trace_chunk msg = {.session_id = SESSION_ID};

	memset(msg.override_name, 'x', sizeof(msg.override_name));
	send_request(d, CONSUMER_CREATE_TRACE_CHUNK, &msg, sizeof(msg));
	return -CONSUMERD_INVALID_PARAMETERS;
}

static int32_t case_push_to_data_channel(struct driver *d)
{
	struct {
		struct consumer_push_metadata head;
		char text[8];
	} __attribute__((packed)) msg = {
	    .head = {.key = DATA_KEY, .len = 8},
	    .text = "/* x */",
	};

	ask_channel(d, DATA_KEY, CONSUMER_CHANNEL_TYPE_DATA);
	send_request(d, CONSUMER_PUSH_METADATA, &msg, sizeof(msg));
	return -CONSUMERD_INVALID_PARAMETERS;
}

static int32_t case_short_frame(struct driver *d)
{
	uint32_t half_frame[2] = {CONSUMER_DATA_PENDING, 0};

	if (unix_sock_send(d->sock, half_frame, sizeof(half_frame), NULL, 0) < 0)
		fail("send");
	/* The peer goes away mid-frame: a clean exit, no reply. */
	shutdown(d->sock, SHUT_WR);
	return EXPECT_CLOSED;
}

static const struct malformed_case malformed_cases[] = {
    {"truncated-ask-channel", case_truncated_ask_channel},
    {"truncated-key", case_truncated_key},
    {"trailing-bytes", case_trailing_bytes},
    {"oversized-payload", case_oversized_payload},
    {"missing-fds", case_missing_fds},
    {"undeclared-fds", case_undeclared_fds},
    {"unexpected-fds", case_unexpected_fds},
    {"unknown-command", case_unknown_command},
    {"unsupported-command", case_unsupported_command},
    {"unterminated-name", case_unterminated_name},
    {"unterminated-pathname", case_unterminated_pathname},
    {"relative-pathname", case_relative_pathname},
    {"name-with-slash", case_name_with_slash},
    {"bad-subbuf-size", case_bad_subbuf_size},
    {"zero-streams", case_zero_streams},
    {"bad-channel-type", case_bad_channel_type},
    {"duplicate-key", case_duplicate_key},
    {"unknown-channel", case_unknown_channel},
    {"push-len-mismatch", case_push_len_mismatch},
    {"push-bad-offset", case_push_bad_offset},
    {"push-to-data-channel", case_push_to_data_channel},
    {"snapshot-monitored", case_snapshot_monitored},
    {"snapshot-relative-path", case_snapshot_relative_path},
    {"snapshot-unknown-channel", case_snapshot_unknown_channel},
    {"snapshot-relay-missing", case_snapshot_relay_missing},
    {"chunk-name-unterminated", case_chunk_name_unterminated},
    {"short-frame", case_short_frame},
    {"monitor-pipe-no-fd", case_monitor_pipe_no_fd},
    {"monitor-pipe-not-a-pipe", case_monitor_pipe_not_a_pipe},
};

/* Receives the reply to a malformed request, or sees the connection close. */
static int32_t receive_status(struct driver *d)
{
	struct comm_frame frame;
	void *payload = NULL;
	int fds[UNIX_SOCK_MAX_FDS];
	int r = comm_recv(d->sock, &frame, &payload, REPLY_MAX_PAYLOAD, fds, UNIX_SOCK_MAX_FDS);

	free(payload);
	if (r == -EPIPE || r == -ECONNRESET)
		return EXPECT_CLOSED;
	if (r < 0)
		fail("receiving a reply: %s", strerror(-r));
	return frame.status;
}

static int mode_malformed(struct driver *d, const char *name)
{
	const struct malformed_case *c = NULL;
	int32_t expected, status;
	int wait_status;

	for (size_t i = 0; i < sizeof(malformed_cases) / sizeof(malformed_cases[0]); i++)
		if (strcmp(malformed_cases[i].name, name) == 0)
			c = &malformed_cases[i];
	if (!c)
		fail("unknown malformed case %s", name);
	expected = c->send(d);
	status = receive_status(d);
	if (status == EXPECT_CLOSED)
		printf("reply=closed\n");
	else
		printf("reply=%d (%s)\n", status, consumer_return_code_str(status));
	if (status != expected)
		fail("case %s: expected %d, got %d", name, expected, status);
	if (status != EXPECT_CLOSED) {
		/* Still serving: a well-formed request gets its answer. */
		printf("alive_data_pending=%u\n", data_pending(d));
	}
	close(d->sock);
	wait_status = consumerd_wait(d, 10000);
	return WIFEXITED(wait_status) ? EXIT_SUCCESS : EXIT_FAILURE;
}

int main(int argc, char **argv)
{
	struct driver d = {.sock = -1};
	uint32_t events;
	const char *mode;

	if (argc < 4)
		fail("usage: consumerd-driver CONSUMERD MODE OUTPUT_DIR [EVENTS]");
	d.consumerd_path = argv[1];
	mode = argv[2];
	if (argv[3][0] != '/')
		fail("OUTPUT_DIR must be absolute");
	snprintf(d.trace_dir, sizeof(d.trace_dir), "%s/ust/uid/%u/64-bit", argv[3],
	         (unsigned)getuid());
	events = argc > 4 ? (uint32_t)strtoul(argv[4], NULL, 10) : 1000;
	if (rt_uuid_generate(d.uuid) < 0)
		fail("uuid");
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	consumerd_spawn(&d);

	if (strcmp(mode, "trace") == 0)
		return mode_trace(&d, events);
	if (strcmp(mode, "switch-timer") == 0)
		return mode_switch_timer(&d, events);
	if (strcmp(mode, "discard") == 0)
		return mode_discard(&d, events);
	if (strcmp(mode, "disk-full") == 0)
		return mode_disk_full(&d, events);
	if (strcmp(mode, "stuck") == 0)
		return mode_stuck(&d, events);
	if (strcmp(mode, "hangup") == 0)
		return mode_hangup(&d, events);
	if (strcmp(mode, "sigterm") == 0)
		return mode_sigterm(&d, events);
	if (strcmp(mode, "monitor") == 0)
		return mode_monitor(&d, events);
	if (strncmp(mode, "malformed:", 10) == 0)
		return mode_malformed(&d, mode + 10);
	fail("unknown mode %s", mode);
}
