// SPDX-License-Identifier: GPL-2.0
/*
 * mailclient: connects like a mail client would and says what happened.
 *
 *   mailclient [-u] [-x] [-v] [-s SRC] [-t MS] [-n COUNT] ADDR PORT
 *
 * Prints one word per attempt: "connected" (banner read), "timeout",
 * "refused", "reset" or "unreachable", then, with -n, a summary line
 * "connected N timeout N refused N reset N unreachable N error N".
 * With -v a single attempt also says which errno it saw and how long it
 * took: "unreachable EHOSTUNREACH 12ms" ("-" when there was no error).
 * With -s the connection comes from address SRC (bound first).
 * A TCP attempt that times out before the first SYN retransmission
 * (-t under 1000) sends exactly one SYN: the socket is closed in
 * SYN_SENT, which sends nothing more.
 * With -u it sends a UDP datagram and waits for the echo instead.
 * With -x every IPv6 packet carries a Destination Options header, so the
 * TCP header is not the first after the IPv6 header.
 * Exit status of a single attempt: 0 connected, 1 timeout, 2 refused or
 * reset, 3 unreachable or another error.  With -n: 0 if all connected.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum outcome { CONNECTED, TIMEOUT, REFUSED, RESET, UNREACHABLE, ERROR, N_OUT };
static const char *const names[N_OUT] = {
	"connected", "timeout", "refused", "reset", "unreachable", "error",
};

static const char *errno_name(int err)
{
	switch (err) {
	case 0:
		return "-";
	case ECONNREFUSED:
		return "ECONNREFUSED";
	case ECONNRESET:
		return "ECONNRESET";
	case EHOSTUNREACH:
		return "EHOSTUNREACH";
	case ENETUNREACH:
		return "ENETUNREACH";
	case EACCES:
		return "EACCES";
	case EPERM:
		return "EPERM";
	case ETIMEDOUT:
		return "ETIMEDOUT";
	default:
		return "EOTHER";
	}
}

/* the errno behind the last attempt's outcome, for -v */
static int last_errno;

static enum outcome of_errno(int err)
{
	last_errno = err;
	switch (err) {
	case ECONNREFUSED:
		return REFUSED;
	case ECONNRESET:
		return RESET;
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EACCES:
	case EPERM:
		return UNREACHABLE;
	case ETIMEDOUT:
		return TIMEOUT;
	default:
		return ERROR;
	}
}

static int wait_for(int fd, short ev, int ms)
{
	struct pollfd p = { .fd = fd, .events = ev };

	return poll(&p, 1, ms);
}

/* An empty Destination Options header: next header, length 0, PadN 4. */
static const unsigned char dstopts[8] = { 0, 0, 1, 4, 0, 0, 0, 0 };

static enum outcome attempt(const struct sockaddr_storage *ss, socklen_t sl,
			    const struct sockaddr_storage *src, int udp,
			    int exthdr, int ms)
{
	char buf[256];
	int fd, err = 0;
	socklen_t el = sizeof(err);
	enum outcome o = ERROR;

	last_errno = 0;
	fd = socket(ss->ss_family, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
	if (fd < 0)
		return ERROR;
	if (src->ss_family && bind(fd, (const struct sockaddr *)src, sl)) {
		perror("mailclient: bind");
		goto out;
	}
	fcntl(fd, F_SETFL, O_NONBLOCK);
	if (exthdr && setsockopt(fd, IPPROTO_IPV6, IPV6_DSTOPTS, dstopts,
				 sizeof(dstopts))) {
		perror("mailclient: IPV6_DSTOPTS");
		goto out;
	}
	/*
	 * UDP stays unconnected: the echo comes back from whatever source
	 * address the server's routing picks, which a connected socket drops.
	 */
	if (!udp && connect(fd, (const struct sockaddr *)ss, sl) &&
	    errno != EINPROGRESS) {
		o = of_errno(errno);
		goto out;
	}
	if (udp) {
		if (sendto(fd, "ping", 4, 0, (const struct sockaddr *)ss, sl) != 4) {
			o = of_errno(errno);
			goto out;
		}
	} else {
		if (wait_for(fd, POLLOUT, ms) <= 0) {
			o = TIMEOUT;
			goto out;
		}
		getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err) {
			o = of_errno(err);
			goto out;
		}
	}
	/* a connection is only "through" when the server's bytes come back */
	if (wait_for(fd, POLLIN, ms) <= 0) {
		o = TIMEOUT;
		goto out;
	}
	if (recv(fd, buf, sizeof(buf), 0) > 0)
		o = CONNECTED;
	else
		o = of_errno(errno);
out:
	close(fd);
	return o;
}

/* ADDR into @ss with @port; its length, or 0 if it is no address */
static socklen_t parse_addr(const char *text, int port,
			    struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, text, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		return sizeof(*s4);
	}
	if (inet_pton(AF_INET6, text, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		return sizeof(*s6);
	}
	return 0;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 +
	       (t.tv_nsec - t0->tv_nsec) / 1000000;
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss = { 0 }, src = { 0 };
	int count[N_OUT] = { 0 };
	int ms = 1000, n = 1, udp = 0, exthdr = 0, verbose = 0, opt, i, port;
	const char *src_text = NULL;
	struct timespec t0;
	socklen_t sl;
	enum outcome o = ERROR;

	while ((opt = getopt(argc, argv, "uxvs:t:n:")) != -1) {
		if (opt == 'u')
			udp = 1;
		else if (opt == 'x')
			exthdr = 1;
		else if (opt == 'v')
			verbose = 1;
		else if (opt == 's')
			src_text = optarg;
		else if (opt == 't')
			ms = atoi(optarg);
		else if (opt == 'n')
			n = atoi(optarg);
		else
			return 3;
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: mailclient [-u] [-x] [-v] [-s SRC] [-t MS] [-n COUNT] ADDR PORT\n");
		return 3;
	}
	port = atoi(argv[optind + 1]);
	sl = parse_addr(argv[optind], port, &ss);
	if (!sl) {
		fprintf(stderr, "mailclient: bad address %s\n", argv[optind]);
		return 3;
	}
	if (src_text && (parse_addr(src_text, 0, &src) != sl ||
			 src.ss_family != ss.ss_family)) {
		fprintf(stderr, "mailclient: bad source address %s\n", src_text);
		return 3;
	}
	for (i = 0; i < n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		o = attempt(&ss, sl, &src, udp, exthdr, ms);
		count[o]++;
		if (n == 1 && verbose)
			printf("%s %s %ldms\n", names[o], errno_name(last_errno),
			       elapsed_ms(&t0));
		else if (n == 1)
			printf("%s\n", names[o]);
	}
	if (n > 1) {
		for (i = 0; i < N_OUT; i++)
			printf("%s%s %d", i ? " " : "", names[i], count[i]);
		printf("\n");
		return count[CONNECTED] == n ? 0 : 1;
	}
	switch (o) {
	case CONNECTED:
		return 0;
	case TIMEOUT:
		return 1;
	case REFUSED:
	case RESET:
		return 2;
	default:
		return 3;
	}
}
