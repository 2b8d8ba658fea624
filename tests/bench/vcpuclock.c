// SPDX-License-Identifier: GPL-2.0
/*
 * vcpuclock: publishes how much host CPU time each vCPU of a QEMU guest
 * has had, for the guest benchmarks (tests/bench/guest/fwd.sh).
 *
 *   vcpuclock FILE MATCH [INTERVAL_MS]
 *
 * Waits for the qemu-system process whose command line contains MATCH
 * (started with "-name ...,debug-threads=on", so that its vCPU threads
 * are named "CPU N/TCG"), then every INTERVAL_MS (default 5) appends to
 * FILE.log and puts in FILE (write FILE.tmp, rename) one line
 *
 *   SEQ HOST_NS NCPU CPU0_NS CPU1_NS ...
 *
 * HOST_NS: CLOCK_MONOTONIC; CPUn_NS: the thread's time on a host CPU
 * (/proc/PID/task/TID/schedstat, first field).  The guest shares FILE's
 * directory over 9p (boot.sh --out): it reads FILE now and then to learn
 * the offset between its clock and HOST_NS (under TCG the guest's clock
 * is the host's, shifted), and logs its measurement windows in its own
 * clock; tests/bench/report.py then takes each window's vCPU time from
 * FILE.log.  Packets per second of vCPU time do not count the time the
 * host gave the vCPU thread's core to other jobs, which wall-clock
 * packets per second under TCG on a shared machine do.
 * Exits 0 when the process is gone, 1 if it never appeared (60 s), 2 on
 * usage errors.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_VCPU 64

static int find_qemu(const char *match)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while (!found && (e = readdir(d))) {
		char path[64], buf[8192];
		size_t n, i;
		FILE *f;
		int pid = atoi(e->d_name);

		if (pid <= 0 || pid == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
		f = fopen(path, "r");
		if (!f)
			continue;
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		for (i = 0; i < n; i++)
			if (!buf[i])
				buf[i] = ' ';
		buf[n] = 0;
		if (strstr(buf, "qemu-system") == buf + strspn(buf, " ") ||
		    strstr(buf, "/qemu-system"))
			if (strstr(buf, match) && strstr(buf, "debug-threads=on"))
				found = pid;
	}
	closedir(d);
	return found;
}

/* the vCPU threads' schedstat paths, indexed by vCPU number */
static int find_vcpus(int pid, char paths[][384])
{
	char dir[64];
	struct dirent *e;
	int n = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/task", pid);
	d = opendir(dir);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[384], comm[64];
		unsigned int cpu;
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/comm", dir, e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) &&
		    sscanf(comm, "CPU %u/TCG", &cpu) == 1 && cpu < MAX_VCPU) {
			snprintf(paths[cpu], sizeof(paths[cpu]), "%s/%s/schedstat", dir, e->d_name);
			if ((int)cpu + 1 > n)
				n = cpu + 1;
		}
		fclose(f);
	}
	closedir(d);
	return n;
}

static long long runtime(const char *path)
{
	long long ns = -1;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	if (fscanf(f, "%lld", &ns) != 1)
		ns = -1;
	fclose(f);
	return ns;
}

int main(int argc, char **argv)
{
	static char paths[MAX_VCPU][384];
	struct timespec iv, now;
	unsigned long long seq = 0;
	char tmp[4096], logname[4096];
	FILE *log;
	int pid = 0, n = 0, i, ms;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: vcpuclock FILE MATCH [INTERVAL_MS]\n");
		return 2;
	}
	ms = argc > 3 ? atoi(argv[3]) : 5;
	if (ms < 1)
		ms = 1;
	iv.tv_sec = ms / 1000;
	iv.tv_nsec = (ms % 1000) * 1000000L;
	snprintf(tmp, sizeof(tmp), "%s.tmp", argv[1]);
	snprintf(logname, sizeof(logname), "%s.log", argv[1]);
	for (i = 0; i < 1200 && !n; i++) {
		pid = find_qemu(argv[2]);
		if (pid)
			n = find_vcpus(pid, paths);
		if (!n)
			usleep(50000);
	}
	if (!n) {
		fprintf(stderr, "vcpuclock: no qemu-system with '%s' and named vCPU threads\n",
			argv[2]);
		return 1;
	}
	log = fopen(logname, "w");
	if (!log) {
		perror(logname);
		return 1;
	}
	for (;;) {
		char line[64 + 24 * MAX_VCPU];
		int len;
		FILE *f;

		clock_gettime(CLOCK_MONOTONIC, &now);
		len = snprintf(line, sizeof(line), "%llu %lld %d", ++seq,
			       (long long)now.tv_sec * 1000000000LL + now.tv_nsec, n);
		for (i = 0; i < n; i++) {
			long long r = runtime(paths[i]);

			if (r < 0 && kill(pid, 0) && errno == ESRCH) {
				fclose(log);
				return 0;
			}
			len += snprintf(line + len, sizeof(line) - len, " %lld", r);
		}
		fprintf(log, "%s\n", line);
		f = fopen(tmp, "w");
		if (!f || fprintf(f, "%s\n", line) < 0 || fclose(f) ||
		    rename(tmp, argv[1])) {
			/* the output directory went away */
			fclose(log);
			return 0;
		}
		nanosleep(&iv, NULL);
	}
}
