// SPDX-License-Identifier: GPL-2.0
/*
 * mailsink: a stand-in MTA for the guest tests.  Listens on every given
 * TCP port over IPv4 and IPv6 (and UDP with -u, echoing datagrams),
 * greets with an SMTP banner and hangs up, and logs one line per
 * connection ("tcp PORT SRC") so tests count what arrived.
 *
 *   mailsink [-u] PORT...
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_SOCKS 64

static int listen_on(int family, int type, int port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int one = 1, fd;

	fd = socket(family, type, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		/* or the IPv4 bind of the same port fails */
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		len = sizeof(*s4);
	}
	if (bind(fd, (struct sockaddr *)&ss, len) ||
	    (type == SOCK_STREAM && listen(fd, 128))) {
		fprintf(stderr, "mailsink: port %d: %s\n", port,
			strerror(errno));
		exit(1);
	}
	return fd;
}

static const char *addr_text(const struct sockaddr_storage *ss, char *buf)
{
	const void *a = ss->ss_family == AF_INET ?
		(const void *)&((const struct sockaddr_in *)ss)->sin_addr :
		(const void *)&((const struct sockaddr_in6 *)ss)->sin6_addr;

	return inet_ntop(ss->ss_family, a, buf, INET6_ADDRSTRLEN);
}

int main(int argc, char **argv)
{
	struct pollfd pfd[MAX_SOCKS];
	int ports[MAX_SOCKS], types[MAX_SOCKS];
	int n = 0, i, udp = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc; i++) {
		int port = atoi(argv[i]), t;

		if (!strcmp(argv[i], "-u")) {
			udp = 1;
			continue;
		}
		for (t = 0; t < (udp ? 2 : 1); t++) {
			int type = t ? SOCK_DGRAM : SOCK_STREAM;

			if (n + 2 > MAX_SOCKS)
				return 1;
			ports[n] = ports[n + 1] = port;
			types[n] = types[n + 1] = type;
			pfd[n++].fd = listen_on(AF_INET, type, port);
			pfd[n++].fd = listen_on(AF_INET6, type, port);
		}
	}
	for (i = 0; i < n; i++)
		pfd[i].events = POLLIN;
	printf("ready\n");
	for (;;) {
		if (poll(pfd, n, -1) < 0 && errno != EINTR)
			return 1;
		for (i = 0; i < n; i++) {
			struct sockaddr_storage ss;
			socklen_t sl = sizeof(ss);
			char buf[512], text[INET6_ADDRSTRLEN];
			int c;

			if (!(pfd[i].revents & POLLIN))
				continue;
			if (types[i] == SOCK_DGRAM) {
				ssize_t r = recvfrom(pfd[i].fd, buf, sizeof(buf),
						     0, (struct sockaddr *)&ss,
						     &sl);

				if (r < 0)
					continue;
				sendto(pfd[i].fd, buf, r, 0,
				       (struct sockaddr *)&ss, sl);
				printf("udp %d %s\n", ports[i],
				       addr_text(&ss, text));
				continue;
			}
			c = accept(pfd[i].fd, (struct sockaddr *)&ss, &sl);
			if (c < 0)
				continue;
			snprintf(buf, sizeof(buf), "220 mailsink port %d\r\n",
				 ports[i]);
			if (write(c, buf, strlen(buf)) < 0)
				perror("mailsink: write");
			close(c);
			printf("tcp %d %s\n", ports[i], addr_text(&ss, text));
		}
	}
}
