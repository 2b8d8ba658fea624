// SPDX-License-Identifier: GPL-2.0
/*
 * synsend: TCP SYNs to port 25 at a fixed rate, for tests that count
 * packets exactly.  Each SYN is a raw packet from a new source port: the
 * sender's kernel never retransmits it, so one send is one packet.
 *
 *   synsend [-r RATE] [-d SECONDS] [-p PORT] DST...
 *
 * Sends to each DST (IPv4) in turn, RATE packets per second in all
 * (default 200), for SECONDS (default 10) or until SIGTERM/SIGINT, then
 * prints one line "DST N" per destination: the packets the kernel took.
 * Answers (SYN-ACKs of a listening server) find no socket and are reset
 * by the sender's kernel: those RSTs are not SYNs.
 * Exit status: 0, or 1 if a send failed, 2 on bad usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_DST	16

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint16_t csum(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;

	while (len > 1) {
		/* ph is zero-initialised: the analyzer misreads the packed bitfields */
		sum += (uint32_t)p[0] << 8 | p[1]; /* NOLINT(clang-analyzer-core.UndefinedBinaryOperatorResult) */
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The address this host sends from towards @dst. */
static int source_for(struct in_addr dst, struct in_addr *src)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(9),
				  .sin_addr = dst };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	*src = sa.sin_addr;
	return 0;
}

static int send_syn(int fd, struct in_addr src, struct in_addr dst,
		    uint16_t sport, uint16_t dport, uint32_t seq)
{
	struct {
		uint32_t src, dst;
		uint8_t zero, proto;
		uint16_t len;
		struct tcphdr th;
	} __attribute__((packed)) ph = { 0 };
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr = dst };

	ph.src = src.s_addr;
	ph.dst = dst.s_addr;
	ph.proto = IPPROTO_TCP;
	ph.len = htons(sizeof(ph.th));
	ph.th.source = htons(sport);
	ph.th.dest = htons(dport);
	ph.th.seq = htonl(seq);
	ph.th.doff = sizeof(ph.th) / 4;
	ph.th.syn = 1;
	ph.th.window = htons(64240);
	ph.th.check = htons(csum(&ph, sizeof(ph), 0));
	return sendto(fd, &ph.th, sizeof(ph.th), 0, (struct sockaddr *)&sa,
		      sizeof(sa)) == (ssize_t)sizeof(ph.th) ? 0 : -1;
}

static void ts_add_ns(struct timespec *t, long ns)
{
	t->tv_nsec += ns;
	while (t->tv_nsec >= 1000000000L) {
		t->tv_nsec -= 1000000000L;
		t->tv_sec++;
	}
}

int main(int argc, char **argv)
{
	struct in_addr dst[MAX_DST], src[MAX_DST];
	unsigned long sent[MAX_DST] = { 0 };
	double rate = 200, secs = 10;
	int ndst = 0, opt, fd, i, failed = 0, port = 25;
	struct sigaction sa = { .sa_handler = on_signal };
	struct timespec next, end;
	unsigned long k;

	while ((opt = getopt(argc, argv, "r:d:p:")) != -1) {
		if (opt == 'r')
			rate = atof(optarg);
		else if (opt == 'd')
			secs = atof(optarg);
		else if (opt == 'p')
			port = atoi(optarg);
		else
			return 2;
	}
	for (i = optind; i < argc && ndst < MAX_DST; i++, ndst++) {
		if (inet_pton(AF_INET, argv[i], &dst[ndst]) != 1 ||
		    source_for(dst[ndst], &src[ndst])) {
			fprintf(stderr, "synsend: bad or unroutable address %s\n",
				argv[i]);
			return 2;
		}
	}
	if (!ndst || rate <= 0 || secs <= 0) {
		fprintf(stderr, "usage: synsend [-r RATE] [-d SECONDS] [-p PORT] DST...\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_TCP);
	if (fd < 0) {
		perror("synsend: raw socket");
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	srandom(getpid());
	clock_gettime(CLOCK_MONOTONIC, &next);
	end = next;
	ts_add_ns(&end, (long)(secs * 1e9));
	for (k = 0; !stop; k++) {
		i = k % ndst;
		if (next.tv_sec > end.tv_sec ||
		    (next.tv_sec == end.tv_sec && next.tv_nsec >= end.tv_nsec))
			break;
		if (send_syn(fd, src[i], dst[i], 10000 + k % 50000, port,
			     (uint32_t)random())) {
			if (!failed++)
				perror("synsend: sendto");
		} else {
			sent[i]++;
		}
		ts_add_ns(&next, (long)(1e9 / rate));
		while (!stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
						&next, NULL) == EINTR)
			;
	}
	for (i = 0; i < ndst; i++)
		printf("%s %lu\n", inet_ntoa(dst[i]), sent[i]);
	return failed ? 1 : 0;
}
