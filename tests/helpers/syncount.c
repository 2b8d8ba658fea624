// SPDX-License-Identifier: GPL-2.0
/*
 * syncount: counts the TCP SYNs (SYN without ACK) to port 25 that arrive
 * on an interface, per destination, with an AF_PACKET socket: what a
 * receiver really got, whether or not anything listens.
 *
 *   syncount [-i IFACE] [-p PORT] [-t SECONDS]
 *
 * Prints "ready" once it listens; at SIGTERM/SIGINT, or after SECONDS
 * (default 600), drains what is queued, then prints one line "DST N" per
 * destination seen and a last line "drops N": packets the socket itself
 * lost (PACKET_STATISTICS), which make the counts unreliable.
 * IPv4 only.  Exit status 0, 2 on errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_DST	64

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct dst {
	uint32_t addr;
	unsigned long n;
};

static struct dst dsts[MAX_DST];
static int ndst;

static void count(uint32_t addr)
{
	int i;

	for (i = 0; i < ndst; i++)
		if (dsts[i].addr == addr)
			break;
	if (i == ndst) {
		if (ndst == MAX_DST)
			return;
		dsts[ndst++].addr = addr;
	}
	dsts[i].n++;
}

/* An IPv4 packet: a first fragment of TCP with SYN, no ACK, to @port. */
static void packet(const unsigned char *p, ssize_t len, int port)
{
	unsigned int ihl;
	uint32_t daddr;

	if (len < 20 || (p[0] >> 4) != 4 || p[9] != IPPROTO_TCP)
		return;
	ihl = (p[0] & 15) * 4;
	if (ihl < 20 || len < (ssize_t)ihl + 14 || ((p[6] & 0x1f) | p[7]))
		return;
	if ((p[ihl + 2] << 8 | p[ihl + 3]) != port)
		return;
	if ((p[ihl + 13] & 0x12) != 0x02)	/* SYN, not ACK */
		return;
	memcpy(&daddr, p + 16, 4);
	count(daddr);
}

int main(int argc, char **argv)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_IP) };
	struct sigaction sa = { .sa_handler = on_signal };
	const char *ifname = "eth0";
	int opt, fd, buf = 8 << 20, port = 25, i;
	struct tpacket_stats st;
	socklen_t sl = sizeof(st);
	unsigned char pkt[2048];
	double secs = 600;
	time_t end;
	struct in_addr a;

	while ((opt = getopt(argc, argv, "i:p:t:")) != -1) {
		if (opt == 'i')
			ifname = optarg;
		else if (opt == 'p')
			port = atoi(optarg);
		else if (opt == 't')
			secs = atof(optarg);
		else
			return 2;
	}
	sll.sll_ifindex = if_nametoindex(ifname);
	if (!sll.sll_ifindex) {
		fprintf(stderr, "syncount: no interface %s\n", ifname);
		return 2;
	}
	fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
	if (fd < 0 || bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		perror("syncount: packet socket");
		return 2;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	/* start from zero: what the socket saw before now is not counted */
	getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	printf("ready\n");
	fflush(stdout);
	end = time(NULL) + (time_t)secs;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		/* after the signal, only what is already queued */
		if (poll(&pfd, 1, stop ? 0 : 100) <= 0) {
			if (stop || time(NULL) >= end)
				break;
			continue;
		}
		n = recv(fd, pkt, sizeof(pkt), MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			perror("syncount: recv");
			return 2;
		}
		packet(pkt, n, port);
	}
	sl = sizeof(st);
	getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &sl);
	for (i = 0; i < ndst; i++) {
		a.s_addr = dsts[i].addr;
		printf("%s %lu\n", inet_ntoa(a), dsts[i].n);
	}
	printf("drops %u\n", st.tp_drops);
	return 0;
}
