// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink socket: opened, set up for large messages and extended
 * ACKs, bound to the op25b family.  nl.c does the talking.
 */
#include <errno.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "op25bctl.h"
#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK	270
#endif

/*
 * Big enough for the largest request (a 64 KiB entry nest) and for dump
 * replies; the kernel caps it at net.core.[rw]mem_max, which is fine.
 */
#define OP25BCTL_SOCKBUF	(1024 * 1024)

/*
 * libnl gained nl_socket_set_ext_ack() only after 3.7 (Debian 12), so set
 * the options ourselves.  CAP_ACK keeps the kernel from echoing a 64 KiB
 * request back in every error; extack_parse() copes either way.  Kernels
 * without the options (before 4.12 / 4.3) still answer, just with less.
 */
static void set_ack_options(struct nl_sock *sk)
{
	int one = 1, fd = nl_socket_get_fd(sk);

	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
}

static int socket_setup(struct nl_sock *sk, int *family)
{
	int err;

	err = genl_connect(sk);
	if (err) {
		err_msg("cannot open a generic netlink socket: %s",
			nl_geterror(err));
		return -1;
	}
	set_ack_options(sk);
	nl_socket_set_buffer_size(sk, OP25BCTL_SOCKBUF, OP25BCTL_SOCKBUF);
	/* replies of any size: peek at the length, then read it whole */
	nl_socket_enable_msg_peek(sk);

	*family = genl_ctrl_resolve(sk, OP25B_GENL_NAME);
	if (*family == -NLE_OBJ_NOTFOUND) {
		err_msg("the op25b kernel module is not loaded in this kernel (try: modprobe op25b)");
		return -1;
	}
	if (*family < 0) {
		err_msg("cannot look up the generic netlink family %s: %s",
			OP25B_GENL_NAME, nl_geterror(*family));
		return -1;
	}
	return 0;
}

int onl_open(struct onl *h)
{
	h->sk = nl_socket_alloc();
	if (!h->sk) {
		err_msg("out of memory");
		return -1;
	}
	if (socket_setup(h->sk, &h->family)) {
		nl_socket_free(h->sk);
		h->sk = NULL;
		return -1;
	}
	return 0;
}

void onl_close(struct onl *h)
{
	if (h->sk)
		nl_socket_free(h->sk);
	h->sk = NULL;
}
