// SPDX-License-Identifier: GPL-2.0
/*
 * op25bctl, run in a managed network namespace.  The agent never speaks
 * op25b's netlink itself: validating ("load --check"), applying ("load",
 * one kernel transaction) and reading back ("save") are op25bctl's, so
 * the fleet gets exactly what an operator typing the command would.
 *
 * The child enters /run/netns/NAME with setns(CLONE_NEWNET) (what "ip
 * netns exec" does for the network; op25bctl needs nothing else of it),
 * checks that op25b is there (/proc/self/net/op25b follows the new
 * namespace), and execs op25bctl.  Its output is read through pipes,
 * bounded; a child that hangs is killed after a minute.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"

#define RUN_TIMEOUT_MS	60000

/* What the child may say: formatted before the fork */
struct child_msgs {
	char netns[AGENT_PATH_MAX + 16];
	char no_netns[AGENT_PATH_MAX + 80];
	char no_module[AGENT_PATH_MAX + 80];
	char no_exec[AGENT_PATH_MAX + 80];
};

static void say(const char *msg)
{
	ssize_t n = write(2, msg, strlen(msg));

	(void)n;
}

/*
 * In the child: only async-signal-safe calls until exec (libcurl's
 * resolver threads may hold locks the fork copied).
 */
static void child(const struct agent_conf *c, const struct child_msgs *m,
		  const char *dir, char *const args[], bool need_module,
		  int out, int err)
{
	int fd;

	dup2(out, 1);
	dup2(err, 2);
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0)
		dup2(fd, 0);
	if (m->netns[0]) {
		fd = open(m->netns, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, CLONE_NEWNET)) {
			say(m->no_netns);
			_exit(RUN_NO_NETNS);
		}
	}
	if (need_module && access("/proc/self/net/op25b", F_OK)) {
		say(m->no_module);
		_exit(RUN_NO_MODULE);
	}
	if (dir && chdir(dir)) {
		say(m->no_exec);
		_exit(RUN_NO_EXEC);
	}
	execv(c->op25bctl, args);
	say(m->no_exec);
	_exit(RUN_NO_EXEC);
}

static void child_msgs(const struct agent_conf *c, const char *ns,
		       const char *dir, struct child_msgs *m)
{
	m->netns[0] = '\0';
	if (strcmp(ns, "self"))
		snprintf(m->netns, sizeof(m->netns), "/run/netns/%s", ns);
	snprintf(m->no_netns, sizeof(m->no_netns),
		 "op25b-agent: network namespace %s cannot be entered (/run/netns/%s)", ns, ns);
	snprintf(m->no_module, sizeof(m->no_module),
		 "op25b-agent: op25b is not loaded (no /proc/net/op25b in namespace %s)", ns);
	snprintf(m->no_exec, sizeof(m->no_exec), "op25b-agent: cannot run %s in %s",
		 c->op25bctl, dir ? dir : ".");
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Appends what @fd has to @b (at most @max; the rest is read and dropped) */
static int drain(int fd, char **b, size_t *len, size_t max)
{
	char chunk[65536], *p;
	ssize_t n = read(fd, chunk, sizeof(chunk));
	size_t keep;

	if (n <= 0)
		return n < 0 && errno == EINTR ? 1 : 0;
	keep = *len + (size_t)n > max ? max - *len : (size_t)n;
	if (keep) {
		p = realloc(*b, *len + keep + 1);
		if (!p)
			return 0;
		*b = p;
		memcpy(*b + *len, chunk, keep);
		*len += keep;
		(*b)[*len] = '\0';
	}
	return 1;
}

/* Reads both pipes until they close or the deadline; kills on timeout */
static void collect(pid_t pid, int out, int err, struct run_result *r,
		    size_t out_max)
{
	struct pollfd pfd[2] = { { .fd = out, .events = POLLIN }, { .fd = err, .events = POLLIN } };
	long long deadline = now_ms() + RUN_TIMEOUT_MS;
	char *ebuf = NULL;
	size_t elen = 0;
	int left;

	while (pfd[0].fd >= 0 || pfd[1].fd >= 0) {
		left = (int)(deadline - now_ms());
		if (left <= 0 || poll(pfd, 2, left) == 0) {
			kill(pid, SIGKILL);
			snprintf(r->err, sizeof(r->err), "op25b-agent: op25bctl killed after %d s",
				 RUN_TIMEOUT_MS / 1000);
			free(ebuf);
			return;
		}
		if (pfd[0].fd >= 0 && pfd[0].revents &&
		    !drain(pfd[0].fd, &r->out, &r->out_len, out_max))
			pfd[0].fd = -1;
		if (pfd[1].fd >= 0 && pfd[1].revents &&
		    !drain(pfd[1].fd, &ebuf, &elen, sizeof(r->err) - 1))
			pfd[1].fd = -1;
	}
	if (ebuf) {
		/* the last newline off: the message goes into one status field */
		while (elen && ebuf[elen - 1] == '\n')
			ebuf[--elen] = '\0';
		memcpy(r->err, ebuf, elen + 1);
		text_sanitize(r->err);
	}
	free(ebuf);
}

int run_op25bctl(const struct agent_conf *c, const char *ns, const char *dir,
		 char *const args[], bool need_module, bool want_out,
		 size_t out_max, struct run_result *r)
{
	int op[2] = { -1, -1 }, ep[2] = { -1, -1 }, st;
	struct child_msgs m;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->exit = -1;
	child_msgs(c, ns, dir, &m);
	if (pipe2(op, O_CLOEXEC) || pipe2(ep, O_CLOEXEC))
		goto fail;
	pid = fork();
	if (pid < 0)
		goto fail;
	if (pid == 0)
		child(c, &m, dir, args, need_module, want_out ? op[1] : ep[1], ep[1]);
	close(op[1]);
	close(ep[1]);
	collect(pid, op[0], ep[0], r, want_out ? out_max : 0);
	close(op[0]);
	close(ep[0]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	r->exit = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
fail:
	snprintf(r->err, sizeof(r->err), "op25b-agent: cannot run op25bctl: %s", strerror(errno));
	if (op[0] >= 0) {
		close(op[0]);
		close(op[1]);
	}
	if (ep[0] >= 0) {
		close(ep[0]);
		close(ep[1]);
	}
	return -1;
}

void run_result_free(struct run_result *r)
{
	free(r->out);
	r->out = NULL;
	r->out_len = 0;
}
