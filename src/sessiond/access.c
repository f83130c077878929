/* SPDX-License-Identifier: MIT */
#include "access.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "macros.h"
#include "paths.h"

#define ROOT_RUNDIR_MODE      0750
#define USER_RUNDIR_MODE      0700
#define ROOT_CLIENT_SOCK_MODE 0660
#define USER_CLIENT_SOCK_MODE 0600

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS 59
#endif

static bool root_daemon;
static bool tracing_group_valid;
static gid_t tracing_gid;

bool access_want_root_daemon(void)
{
	const char *home = getenv("RINGTRACE_HOME");

	/* RINGTRACE_HOME gives even root a private daemon (tests, several setups). */
	return geteuid() == 0 && !(home && *home);
}

void access_init(bool root, const char *group_name)
{
	struct group grp, *found = NULL;
	char buf[4096];
	int r;

	root_daemon = root;
	tracing_group_valid = false;
	if (!root)
		return;
	if (!group_name)
		group_name = RT_TRACING_GROUP;
	r = getgrnam_r(group_name, &grp, buf, sizeof(buf), &found);
	if (r != 0 || !found) {
		log_warn("Tracing group \"%s\" not found: only root may use this session daemon",
		         group_name);
		return;
	}
	tracing_gid = found->gr_gid;
	tracing_group_valid = true;
	log_info("Members of group \"%s\" (gid %u) may use this session daemon", group_name,
	         (unsigned)tracing_gid);
}

bool access_is_root_daemon(void)
{
	return root_daemon;
}

int access_prepare_rundir(const char *rundir)
{
	mode_t mode = root_daemon ? ROOT_RUNDIR_MODE : USER_RUNDIR_MODE;
	bool created = false;
	struct stat st;
	int r;

	if (stat(rundir, &st) < 0) {
		if (errno != ENOENT)
			return negative_errno();
		r = rt_mkdir_p(rundir, mode);
		if (r < 0)
			return r;
		created = true;
		if (stat(rundir, &st) < 0)
			return negative_errno();
	}
	if (!S_ISDIR(st.st_mode)) {
		log_error("%s exists and is not a directory", rundir);
		return -ENOTDIR;
	}
	if (st.st_uid != geteuid()) {
		log_error("%s belongs to uid %u, not to this daemon's uid %u", rundir,
		          (unsigned)st.st_uid, (unsigned)geteuid());
		return -EPERM;
	}
	if (root_daemon) {
		if (chown(rundir, 0, tracing_group_valid ? tracing_gid : 0) < 0)
			return negative_errno();
		return chmod(rundir, mode) < 0 ? negative_errno() : 0;
	}
	/* The umask may have masked the mode asked of mkdir. */
	if (created)
		return chmod(rundir, mode) < 0 ? negative_errno() : 0;
	if (st.st_mode & 077)
		log_warn("%s is accessible to other users (mode %04o); 0700 is expected", rundir,
		         (unsigned)(st.st_mode & 07777));
	return 0;
}

mode_t access_client_socket_mode(void)
{
	return root_daemon ? ROOT_CLIENT_SOCK_MODE : USER_CLIENT_SOCK_MODE;
}

int access_secure_client_socket(const char *path)
{
	if (!root_daemon)
		return 0;
	if (chown(path, 0, tracing_group_valid ? tracing_gid : 0) < 0)
		return negative_errno();
	return 0;
}

static bool gid_listed(const gid_t *gids, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		if (gids[i] == tracing_gid)
			return true;
	}
	return false;
}

/* Supplementary groups from the user database, when the socket cannot tell. */
static bool user_in_tracing_group(uid_t uid)
{
	struct passwd pw, *found = NULL;
	char buf[4096];
	gid_t groups[256];
	int count = ARRAY_SIZE(groups);

	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &found) != 0 || !found)
		return false;
	if (getgrouplist(found->pw_name, found->pw_gid, groups, &count) < 0)
		return false;
	return gid_listed(groups, (size_t)count);
}

/* The peer's supplementary groups as of connect(), via SO_PEERGROUPS. */
static bool peer_in_tracing_group(int fd, uid_t uid)
{
	gid_t stack_gids[64];
	_cleanup_free_ gid_t *heap_gids = NULL;
	socklen_t len = sizeof(stack_gids);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, stack_gids, &len) == 0)
		return gid_listed(stack_gids, len / sizeof(gid_t));
	if (errno == ERANGE) {
		heap_gids = malloc(len);
		if (heap_gids && getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, heap_gids, &len) == 0)
			return gid_listed(heap_gids, len / sizeof(gid_t));
	}
	return user_in_tracing_group(uid);
}

bool access_peer_allowed(int fd, const struct ucred *cred)
{
	if (cred->uid == 0 || cred->uid == geteuid())
		return true;
	if (!root_daemon || !tracing_group_valid)
		return false;
	if (cred->gid == tracing_gid)
		return true;
	return peer_in_tracing_group(fd, cred->uid);
}

bool access_session_allowed(const struct session *s, uid_t uid)
{
	return uid == 0 || uid == s->uid;
}

int access_run_as(uid_t uid, gid_t gid, int (*fn)(void *arg), void *arg)
{
	struct passwd pw, *found = NULL;
	char buf[4096];
	gid_t groups[256];
	int nr_groups = 0, status, r;
	pid_t pid;

	if (geteuid() != 0 || uid == 0 || uid == geteuid())
		return fn(arg);
	/* The user database is read now: the child may only make system calls. */
	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &found) == 0 && found) {
		nr_groups = ARRAY_SIZE(groups);
		if (getgrouplist(found->pw_name, gid, groups, &nr_groups) < 0)
			nr_groups = 0;
	}
	if (nr_groups == 0) {
		groups[0] = gid;
		nr_groups = 1;
	}
	pid = fork();
	if (pid < 0)
		return negative_errno();
	if (pid == 0) {
		if (setgroups((size_t)nr_groups, groups) < 0 || setresgid(gid, gid, gid) < 0 ||
		    setresuid(uid, uid, uid) < 0)
			_exit(errno > 0 && errno < 256 ? errno : EPERM);
		r = fn(arg);
		_exit(r == 0 ? 0 : r < 0 && r > -256 ? -r : EIO);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return negative_errno();
	}
	if (!WIFEXITED(status))
		return -EIO;
	return -WEXITSTATUS(status);
}
