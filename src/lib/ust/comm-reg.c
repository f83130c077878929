/* SPDX-License-Identifier: MIT */
/*
 * Connecting to a session daemon and sending the 136-byte registration
 * message (ust-msg.h, reference/ust-registration.md section 1).
 */
#include "comm-conn.h"

#include "common/comm/ust-msg.h"
#include "common/macros.h"
#include "common/unix-sock.h"

#include <errno.h>
#include <stdalign.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

/* Name of the process; written before any listener thread starts (constructor, fork child). */
static char reg_procname[UST_PROCNAME_LEN];

void rt_comm_capture_procname(void)
{
	char name[UST_PROCNAME_LEN + 1] = {0};

	/* PR_GET_NAME writes at most 16 bytes, NUL included. */
	if (prctl(PR_GET_NAME, (unsigned long)name, 0, 0, 0) < 0)
		name[0] = '\0';
	memset(reg_procname, 0, sizeof(reg_procname));
	memcpy(reg_procname, name, strnlen(name, sizeof(reg_procname) - 1));
}

void rt_comm_get_procname(char ret[UST_PROCNAME_LEN + 1])
{
	memcpy(ret, reg_procname, UST_PROCNAME_LEN);
	ret[UST_PROCNAME_LEN] = '\0';
}

/*
 * Alignment, in bits, of a type inside our event records. The ring buffer
 * packs records on x86 (every TSDL align is 8 there); elsewhere fields are
 * naturally aligned.
 */
#if defined(__x86_64__) || defined(__i386__)
#define REG_ALIGN_BITS(type) 8u
#else
#define REG_ALIGN_BITS(type) ((uint32_t)(alignof(type) * 8))
#endif

static void reg_msg_fill(struct ust_reg_msg *msg, uint32_t socket_type)
{
	memset(msg, 0, sizeof(*msg));
	msg->magic = UST_REG_MAGIC;
	msg->major = UST_REG_ABI_MAJOR;
	msg->minor = UST_REG_ABI_MINOR;
	msg->pid = (uint32_t)getpid();
	msg->ppid = (uint32_t)getppid();
	msg->uid = (uint32_t)getuid();
	msg->gid = (uint32_t)getgid();
	msg->bits_per_long = sizeof(long) * 8;
	msg->uint8_t_alignment = REG_ALIGN_BITS(uint8_t);
	msg->uint16_t_alignment = REG_ALIGN_BITS(uint16_t);
	msg->uint32_t_alignment = REG_ALIGN_BITS(uint32_t);
	msg->uint64_t_alignment = REG_ALIGN_BITS(uint64_t);
	msg->long_alignment = REG_ALIGN_BITS(long);
	msg->socket_type = socket_type;
	memcpy(msg->name, reg_procname, sizeof(msg->name));
}

/* Only our own user or root may act as our session daemon. */
static int check_peer(int fd, bool root_target)
{
	struct ucred cred;
	int r;

	r = unix_sock_peer_cred(fd, &cred);
	if (r < 0)
		return r;
	if (cred.uid == 0 || (!root_target && cred.uid == geteuid()))
		return 0;
	return -EPERM;
}

/*
 * Our own connect: the timeouts must be set before connect(), which blocks
 * (for SO_SNDTIMEO) when the daemon's listen backlog is full.
 */
static int connect_with_timeout(const char *path, unsigned timeout_ms)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	_cleanup_close_ int fd = -1;
	int r;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	r = unix_sock_set_timeouts(fd, timeout_ms);
	if (r < 0)
		return r;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return -errno;
	return TAKE_FD(fd);
}

int rt_comm_connect_and_register(const struct rt_comm_target *target, uint32_t socket_type)
{
	_cleanup_close_ int fd = -1;
	struct ust_reg_msg msg;
	int r;

	fd = connect_with_timeout(target->sock_path, rt_comm_sock_timeout_ms());
	if (fd < 0)
		return fd;
	r = check_peer(fd, target->root);
	if (r < 0)
		return r;
	reg_msg_fill(&msg, socket_type);
	r = unix_sock_send(fd, &msg, sizeof(msg), NULL, 0);
	if (r < 0)
		return r;
	return TAKE_FD(fd);
}
