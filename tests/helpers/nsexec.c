// SPDX-License-Identifier: GPL-2.0
/*
 * nsexec: runs a command in a network namespace made by "ip netns add".
 *
 *   nsexec NAME CMD [ARGS...]
 *
 * It joins /run/netns/NAME (setns CLONE_NEWNET) and execs CMD, searched in
 * PATH.  That is what "ip netns exec" does for the network, without its
 * other two steps, which the scenarios do not need: a private mount
 * namespace with /sys remounted (so /sys/class/net here still shows the
 * caller's devices: read those with "ip -n"), and /etc/netns/NAME bound over
 * /etc.
 *
 * Why not "ip netns exec": the scenarios run most of their commands in
 * namespaces, and on the debug kernel under TCG an exec costs by the
 * shared libraries mapped (KASAN saves a stack trace at every slab
 * allocation and free, and the maple tree allocates and frees its nodes at
 * every mmap).  ip maps nine libraries and makes a mount namespace;
 * nsexec is linked statically (Makefile) and maps none.  In a debug guest,
 * "ip netns exec NS true" took 1.1-1.3 s, "nsexec NS true" 0.46-0.54 s
 * (one guest alone on a 2-core host).
 *
 * Exit status: CMD's; 125 when nsexec could not join the namespace, 126
 * when CMD could not be run, 127 when it was not found (as env(1)).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[PATH_MAX];
	int fd;

	if (argc < 3 || !argv[1][0] || strchr(argv[1], '/')) {
		fprintf(stderr, "usage: nsexec NAME CMD [ARGS...]\n");
		return 125;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", argv[1]);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, "nsexec: %s: %s\n", path, strerror(errno));
		return 125;
	}
	close(fd);
	execvp(argv[2], argv + 2);
	fprintf(stderr, "nsexec: %s: %s\n", argv[2], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
