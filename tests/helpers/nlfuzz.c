// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: sends generated and mutated generic netlink messages to the op25b
 * family, in the network namespace it runs in.
 *
 *   nlfuzz [-n N] [-s SEED] [-m invalid|any] [-u] [-q]
 *
 * -n N     messages to send (default 10000)
 * -s SEED  deterministic: the same seed sends the same messages
 * -m MODE  invalid (default): every message that could change anything is
 *          certainly invalid (a defect the kernel must reject: an unknown,
 *          reply-only, out-of-range or wrong-length attribute placed first,
 *          bad nesting, a bad header, or for add/del a batch whose last
 *          entry is invalid), so the configuration must not change; only
 *          the read-only commands (status, stats, check, and the entries
 *          and offenders dumps) are also sent well-formed.  Every write
 *          command must be answered with an error.
 *          any: everything, valid writes included: settings, entries,
 *          flushes, transactions begun and left open, committed, aborted.
 * -u       drop privileges first (to nobody); then every command that needs
 *          CAP_NET_ADMIN must be refused.  Under "unshare -U -r" over a
 *          network namespace that user namespace does not own, run without
 *          -u: the same must hold, and nlfuzz checks it when it finds it
 *          has no CAP_NET_ADMIN over its namespace (-P says so).
 * -P       expect to be unprivileged over the namespace (as -u, no setuid)
 *
 * Messages go over a few sockets, which are closed and reopened at random
 * (aborting the transactions they own); the GET_ENTRIES and GET_TOP dumps
 * are read to the end, or read in part and abandoned by closing the
 * socket, or left unread.  Sometimes an add carries thousands of entries.
 *
 * Exit status: 0; 1 when a check failed (a write accepted where it must be
 * refused, no answer, or the family gone at the end); 2 usage or setup.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "../../include/uapi/linux/op25b.h"

#define BUFSZ		(1 << 20)
#define NSOCK		3
#define MAX_ENTRIES	15000
#define NTXN		8

static unsigned char msg[BUFSZ];
static unsigned char rbuf[1 << 17];
static size_t mlen;
static uint64_t rng;
static uint16_t family;
static bool unpriv, invalid_only = true, quiet;
static int sock[NSOCK] = { -1, -1, -1 };
static int dsock = -1;		/* dumps */
static bool dsock_busy;		/* a dump on it was left unread */
static uint32_t seq = 1;
static uint32_t txns[NTXN];

static struct {
	unsigned long sent, acked_ok, no_answer, sock_reopen, dumps,
		dumps_full, dumps_partial, dumps_unread, txn_opened,
		huge, semantic, bad_accepted, send_err;
	unsigned long err[160];
} st;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint32_t below(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(unsigned int pct)
{
	return below(100) < pct;
}

/* ---- building messages ---- */

static size_t nest_stack[64];
static int nest_depth;

static bool room(size_t n)
{
	return mlen + NLA_ALIGN(n) + 64 <= BUFSZ;
}

static void put_attr(uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(msg + mlen);

	if (!room(NLA_HDRLEN + len))
		return;
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (len)
		memcpy(msg + mlen + NLA_HDRLEN, data, len);
	memset(msg + mlen + NLA_HDRLEN + len, 0,
	       NLA_ALIGN(NLA_HDRLEN + len) - NLA_HDRLEN - len);
	mlen += NLA_ALIGN(NLA_HDRLEN + len);
}

static void put_u8(uint16_t t, uint8_t v) { put_attr(t, &v, 1); }
static void put_u16(uint16_t t, uint16_t v) { put_attr(t, &v, 2); }
static void put_u32(uint16_t t, uint32_t v) { put_attr(t, &v, 4); }
static void put_str(uint16_t t, const char *s) { put_attr(t, s, strlen(s) + 1); }

static void nest_begin(uint16_t type)
{
	if (nest_depth >= 64 || !room(NLA_HDRLEN)) {
		nest_depth++;	/* unbalanced: nest_end ignores it */
		return;
	}
	nest_stack[nest_depth++] = mlen;
	put_attr(type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(void)
{
	struct nlattr *a;

	if (--nest_depth >= 64)
		return;
	a = (struct nlattr *)(msg + nest_stack[nest_depth]);
	if (mlen - nest_stack[nest_depth] > 0xffff)
		a->nla_len = 0xffff;	/* too big: a truncated nest */
	else
		a->nla_len = (uint16_t)(mlen - nest_stack[nest_depth]);
}

static void put_random(uint16_t type, size_t maxlen)
{
	unsigned char b[256];
	size_t len = below((uint32_t)maxlen + 1), i;

	for (i = 0; i < len; i++)
		b[i] = (unsigned char)rnd();
	put_attr(type, b, len);
}

static const char *const ifnames[] = {
	"eth0", "ppp+", "eth+", "+", "wg0", "veth1234567890a", "lo",
};
static const char *const comments[] = {
	"office", "caf\xc3\xa9", "", "x", "quote \" and # hash",
	"0123456789012345678901234567890123456789012345678901234567890123",
};

/* One well-formed entry, valid or not as the policy and table see it. */
static void put_entry_body(bool valid)
{
	uint32_t k = below(3), a4 = (uint32_t)rnd();
	uint8_t a6[16], plen;
	unsigned int i;

	for (i = 0; i < 16; i++)
		a6[i] = (uint8_t)rnd();
	if (k == 0) {
		plen = (uint8_t)below(33);
		if (valid || chance(70)) {	/* clear host bits */
			uint32_t m = plen ? ~0U << (32 - plen) : 0;

			a4 = htonl(ntohl(a4) & m);
		}
		put_attr(OP25B_ENTRY_A_ADDR4, &a4, 4);
		if (!valid || chance(80))
			put_u8(OP25B_ENTRY_A_PREFIXLEN, plen);
	} else if (k == 1) {
		plen = (uint8_t)below(129);
		if (valid || chance(70)) {
			for (i = 0; i < 16; i++) {
				int keep = (int)plen - (int)i * 8;

				if (keep <= 0)
					a6[i] = 0;
				else if (keep < 8)
					a6[i] &= (uint8_t)(0xff << (8 - keep));
			}
		}
		put_attr(OP25B_ENTRY_A_ADDR6, a6, 16);
		if (!valid || chance(80))
			put_u8(OP25B_ENTRY_A_PREFIXLEN, plen);
	} else {
		put_str(OP25B_ENTRY_A_IIFNAME,
			ifnames[below(sizeof(ifnames) / sizeof(ifnames[0]))]);
	}
	if (chance(20))
		put_str(OP25B_ENTRY_A_COMMENT,
			comments[below(sizeof(comments) / sizeof(comments[0]))]);
}

/* An entry the table certainly refuses, though the policy accepts it. */
static void put_bad_entry_body(void)
{
	uint32_t a4 = htonl(0x0a000001);
	uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8 };

	switch (below(8)) {
	case 0:		/* IPv4 prefix length beyond 32 */
		put_attr(OP25B_ENTRY_A_ADDR4, &a4, 4);
		put_u8(OP25B_ENTRY_A_PREFIXLEN, (uint8_t)(33 + below(96)));
		break;
	case 1:		/* host bits */
		put_attr(OP25B_ENTRY_A_ADDR4, &a4, 4);
		put_u8(OP25B_ENTRY_A_PREFIXLEN, (uint8_t)(8 + below(24)));
		break;
	case 2:
		a6[15] = 1;
		put_attr(OP25B_ENTRY_A_ADDR6, a6, 16);
		put_u8(OP25B_ENTRY_A_PREFIXLEN, (uint8_t)below(128));
		break;
	case 3:		/* two addresses */
		put_attr(OP25B_ENTRY_A_ADDR4, &a4, 4);
		put_attr(OP25B_ENTRY_A_ADDR6, a6, 16);
		break;
	case 4:		/* none */
		if (chance(50))
			put_u8(OP25B_ENTRY_A_PREFIXLEN, 24);
		break;
	case 5:		/* interface with a prefix length */
		put_str(OP25B_ENTRY_A_IIFNAME, "eth0");
		put_u8(OP25B_ENTRY_A_PREFIXLEN, 24);
		break;
	case 6: {	/* bad interface names */
		static const char *const bad[] = { "a/b", ".", "..", "x+y",
			"", "a b", "e:1" };

		put_str(OP25B_ENTRY_A_IIFNAME, bad[below(7)]);
		break;
	}
	default: {	/* bad comments: control characters, broken UTF-8 */
		static const char *const bad[] = { "a\tb", "\x01", "\xc3",
			"\xed\xa0\x80", "\xff", "x\x7f" };

		put_attr(OP25B_ENTRY_A_ADDR4, &a4, 4);
		put_str(OP25B_ENTRY_A_COMMENT, bad[below(6)]);
		break;
	}
	}
}

static void put_entries(uint32_t n, bool last_bad)
{
	uint32_t i;

	nest_begin(OP25B_A_ENTRIES);
	for (i = 0; i < n && room(64); i++) {
		nest_begin(OP25B_LIST_A_ENTRY);
		if (last_bad && i == n - 1)
			put_bad_entry_body();
		else
			put_entry_body(last_bad || chance(90));
		nest_end();
	}
	nest_end();
}

static uint32_t entry_count(void)
{
	if (chance(1) && chance(20)) {
		st.huge++;
		return 1000 + below(MAX_ENTRIES - 1000);
	}
	return chance(10) ? below(200) : below(6);
}

/*
 * Sizes at the edges of what the kernel allocates: the bounds of the
 * module's limits, and where a count times an entry size passes INT_MAX
 * (kvmalloc's warning) or a doubling wraps.
 */
static const uint32_t sizes[] = {
	0, 1, 2, 255, 256, 257, 4095, 4096, 65535, 65536,
	OP25B_OFFENDERS_LIMIT, OP25B_OFFENDERS_LIMIT + 1,
	OP25B_TABLE_SIZE_LIMIT, OP25B_TABLE_SIZE_LIMIT + 1,
	1U << 25, 1U << 26, 1U << 30, 0x7fffffffU, 0x80000000U,
	0xfffffffeU, 0xffffffffU,
};

static uint32_t a_size(void)
{
	return sizes[below(sizeof(sizes) / sizeof(sizes[0]))];
}

/* A random 32-bit value, often one of the sizes above. */
static uint32_t any_u32(void)
{
	return chance(50) ? a_size() : (uint32_t)rnd();
}

static uint32_t txn_id(void)
{
	if (chance(60) && txns[0])
		return txns[below(NTXN)];
	return chance(50) ? below(4) : any_u32();
}

static uint32_t rate(void)
{
	return chance(90) ? 1 + below(OP25B_RATE_MAX) : any_u32();
}

/* A defect first in the attributes: the policy rejects it whatever follows. */
static void put_poison(void)
{
	static const uint16_t reply_only[] = { OP25B_A_UNSPEC,
		OP25B_A_GENERATION, OP25B_A_TABLES, OP25B_A_STATS,
		OP25B_A_VERDICT, OP25B_A_REASON, OP25B_A_MATCH_SUBSCRIBER,
		OP25B_A_MATCH_EXEMPT, OP25B_A_MATCH_ALLOW,
		OP25B_A_MATCH_TARGET, OP25B_A_TXN_OPEN, OP25B_A_TOP_TOTAL,
		OP25B_A_TOP_SLOTS, OP25B_A_OFFENDERS, OP25B_A_PAD };
	static const uint16_t u8s[] = { OP25B_A_MODE, OP25B_A_TABLE,
		OP25B_A_ACTION, OP25B_A_SCOPE, OP25B_A_LOG,
		OP25B_A_LOG_PRIVACY };
	static const uint8_t u8max[] = { OP25B_MODE_MAX, OP25B_TABLE_MAX,
		OP25B_ACTION_MAX, OP25B_SCOPE_MAX, 1, 1 };
	static const uint16_t u32s[] = { OP25B_A_REJECT_RATE,
		OP25B_A_REJECT_BURST, OP25B_A_LOG_RATE, OP25B_A_LOG_BURST };
	unsigned char junk[32] = { 0 };
	uint32_t i, d;

	switch (below(9)) {
	case 0:		/* unknown */
		put_random((uint16_t)(OP25B_A_MAX + 1 + below(0x3fff - OP25B_A_MAX)),
			   24);
		break;
	case 1:		/* reply only */
		put_random(reply_only[below(sizeof(reply_only) / 2)], 24);
		break;
	case 2:		/* u8 out of range */
		i = below(6);
		put_u8(u8s[i], (uint8_t)(u8max[i] + 1 + below(255 - u8max[i])));
		break;
	case 3:		/* rates: 0 or too high; txn 0 */
		d = below(5);
		if (d == 4)
			put_u32(OP25B_A_TXN, 0);
		else
			put_u32(u32s[d], chance(50) ? 0 :
				OP25B_RATE_MAX + 1 + below(0x7fffffff));
		break;
	case 4:		/* fixed-size attribute of the wrong size */
		d = below(2);
		if (d) {
			static const uint8_t lens[] = { 0, 1, 2, 3, 5, 8, 16 };

			put_attr(u32s[below(4)], junk, lens[below(7)]);
		} else {
			static const uint8_t lens[] = { 0, 2, 3, 4, 8 };

			put_attr(u8s[below(6)], junk, lens[below(5)]);
		}
		break;
	case 5:		/* an entries list holding an unknown attribute first */
		nest_begin(OP25B_A_ENTRIES);
		put_random((uint16_t)(2 + below(60)), 20);
		nest_end();
		break;
	case 6: {	/* deep nesting whose innermost level is wrong */
		uint16_t top = chance(50) ? OP25B_A_ENTRIES :
			       (chance(50) ? OP25B_A_SRC : OP25B_A_DST);

		d = 2 + below(40);
		nest_begin(top);
		if (top == OP25B_A_ENTRIES)
			nest_begin(OP25B_LIST_A_ENTRY);
		for (i = 0; i < d; i++)
			nest_begin((uint16_t)(1 + below(5)));
		put_random((uint16_t)below(8), 8);
		for (i = 0; i < d; i++)
			nest_end();
		if (top == OP25B_A_ENTRIES)
			nest_end();
		nest_end();
		break;
	}
	case 7: {	/* an entry attribute the policy refuses */
		uint16_t top = chance(50) ? OP25B_A_ENTRIES : OP25B_A_SRC;

		nest_begin(top);
		if (top == OP25B_A_ENTRIES)
			nest_begin(OP25B_LIST_A_ENTRY);
		switch (below(5)) {
		case 0:
			put_attr(OP25B_ENTRY_A_ADDR4, junk, below(2) ? 3 : 5);
			break;
		case 1:
			put_attr(OP25B_ENTRY_A_ADDR6, junk, 4 + below(2) * 13);
			break;
		case 2:
			put_u8(OP25B_ENTRY_A_PREFIXLEN, (uint8_t)(129 + below(127)));
			break;
		case 3:		/* no NUL, or too long */
			memset(junk, 'e', sizeof(junk));
			put_attr(OP25B_ENTRY_A_IIFNAME, junk,
				 chance(50) ? 4 : 17 + below(15));
			break;
		default: {
			char c[80];

			memset(c, 'c', sizeof(c) - 1);
			c[sizeof(c) - 1] = '\0';
			put_str(OP25B_ENTRY_A_COMMENT, c);
			break;
		}
		}
		if (top == OP25B_A_ENTRIES)
			nest_end();
		nest_end();
		break;
	}
	default: {	/* a truncated attribute: claims more than there is */
		struct nlattr *a = (struct nlattr *)(msg + mlen);

		a->nla_type = (uint16_t)(1 + below(OP25B_A_MAX));
		a->nla_len = (uint16_t)(NLA_HDRLEN + 64 + below(1000));
		mlen += NLA_HDRLEN;
		memset(msg + mlen, 0, 8);
		mlen += 8;
		break;
	}
	}
}

static void put_settings(void)
{
	if (chance(50))
		put_u8(OP25B_A_MODE, (uint8_t)below(OP25B_MODE_MAX + 1));
	if (chance(30))
		put_u8(OP25B_A_ACTION, (uint8_t)below(OP25B_ACTION_MAX + 1));
	if (chance(30))
		put_u8(OP25B_A_SCOPE, (uint8_t)below(OP25B_SCOPE_MAX + 1));
	if (chance(20))
		put_u32(OP25B_A_REJECT_RATE, rate());
	if (chance(20))
		put_u32(OP25B_A_REJECT_BURST, rate());
	if (chance(30))
		put_u8(OP25B_A_LOG, (uint8_t)below(2));
	if (chance(20))
		put_u32(OP25B_A_LOG_RATE, rate());
	if (chance(20))
		put_u32(OP25B_A_LOG_BURST, rate());
	if (chance(20))
		put_u8(OP25B_A_LOG_PRIVACY, (uint8_t)below(2));
}

static void put_entry_nest(uint16_t type)
{
	nest_begin(type);
	put_entry_body(chance(80));
	nest_end();
}

/* Attributes for @cmd: mostly those it takes, sometimes others. */
static void put_body(uint8_t cmd)
{
	switch (cmd) {
	case OP25B_CMD_SET:
		put_settings();
		if (chance(20))
			put_u32(OP25B_A_TXN, txn_id());
		break;
	case OP25B_CMD_ADD_ENTRIES:
	case OP25B_CMD_DEL_ENTRIES:
		if (chance(95))
			put_u8(OP25B_A_TABLE, (uint8_t)below(OP25B_TABLE_MAX + 1));
		if (chance(95))
			put_entries(entry_count(), false);
		if (chance(20))
			put_u32(OP25B_A_TXN, txn_id());
		break;
	case OP25B_CMD_GET_ENTRIES:
	case OP25B_CMD_FLUSH:
		if (chance(95))
			put_u8(OP25B_A_TABLE, (uint8_t)below(OP25B_TABLE_MAX + 1));
		break;
	case OP25B_CMD_CHECK:
		if (chance(95))
			put_entry_nest(OP25B_A_SRC);
		if (chance(95))
			put_entry_nest(OP25B_A_DST);
		if (chance(40))
			put_u16(OP25B_A_DPORT, chance(50) ? 25 : (uint16_t)rnd());
		if (chance(30))
			put_u8(OP25B_A_PROTO, chance(50) ? 6 : (uint8_t)rnd());
		if (chance(30))
			put_str(OP25B_A_IIFNAME, ifnames[below(7)]);
		break;
	case OP25B_CMD_GET_TOP:
		if (chance(50))
			put_u32(OP25B_A_TOP_LIMIT, chance(50) ? below(10) :
				any_u32());
		break;
	case OP25B_CMD_TXN_COMMIT:
	case OP25B_CMD_TXN_ABORT:
		if (chance(90))
			put_u32(OP25B_A_TXN, txn_id());
		break;
	default:
		break;
	}
	/* anything else, anywhere valid or not */
	if (chance(15)) {
		uint32_t i, n = 1 + below(4);

		for (i = 0; i < n; i++) {
			if (chance(50))
				put_random((uint16_t)below(OP25B_A_MAX + 4), 24);
			else
				put_settings();
		}
	}
}

/* A few random bytes of the attributes flipped, after @from. */
static void mutate(size_t from)
{
	uint32_t i, n = 1 + below(4);

	if (mlen <= from)
		return;
	for (i = 0; i < n; i++) {
		size_t at = from + below((uint32_t)(mlen - from));

		msg[at] ^= (unsigned char)(1 + below(255));
	}
	if (chance(20))		/* cut the end off */
		mlen = from + below((uint32_t)(mlen - from + 1));
}

static bool is_admin(uint8_t cmd)
{
	return cmd == OP25B_CMD_SET || cmd == OP25B_CMD_ADD_ENTRIES ||
	       cmd == OP25B_CMD_DEL_ENTRIES || cmd == OP25B_CMD_GET_ENTRIES ||
	       cmd == OP25B_CMD_FLUSH || cmd == OP25B_CMD_RESET_STATS ||
	       cmd == OP25B_CMD_GET_TOP || cmd == OP25B_CMD_RESET_TOP ||
	       cmd == OP25B_CMD_TXN_BEGIN || cmd == OP25B_CMD_TXN_COMMIT ||
	       cmd == OP25B_CMD_TXN_ABORT || cmd == OP25B_CMD_CHECK;
}

static bool is_readonly(uint8_t cmd)
{
	return cmd == OP25B_CMD_GET_STATUS || cmd == OP25B_CMD_GET_STATS ||
	       cmd == OP25B_CMD_CHECK || cmd == OP25B_CMD_GET_ENTRIES ||
	       cmd == OP25B_CMD_GET_TOP;
}

/* ---- sockets ---- */

static int nl_open(void)
{
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int sz = 4 << 20, one = 1;
	struct timeval tv = { .tv_sec = 60 };	/* a huge batch under KASAN */
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (s < 0) {
		perror("nlfuzz: socket");
		exit(2);
	}
	if (setsockopt(s, SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)))
		(void)setsockopt(s, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		(void)setsockopt(s, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	(void)setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(s, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(s, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("nlfuzz: bind");
		exit(2);
	}
	return s;
}

static void start_msg(uint16_t type, uint16_t flags, uint8_t cmd)
{
	struct nlmsghdr *h = (struct nlmsghdr *)msg;
	struct genlmsghdr *g = (struct genlmsghdr *)(msg + NLMSG_HDRLEN);

	memset(msg, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	h->nlmsg_type = type;
	h->nlmsg_flags = flags;
	h->nlmsg_seq = ++seq;
	g->cmd = cmd;
	g->version = OP25B_GENL_VERSION;
	mlen = NLMSG_HDRLEN + GENL_HDRLEN;
	nest_depth = 0;
}

static int send_msg(int s, size_t claimed)
{
	struct nlmsghdr *h = (struct nlmsghdr *)msg;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	h->nlmsg_len = (uint32_t)claimed;
	st.sent++;
	if (sendto(s, msg, mlen, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		st.send_err++;
		return -errno;
	}
	return 0;
}

/*
 * Reads until the answer to @want: the error/ACK code (0 ok, -errno), or
 * 1 for NLMSG_DONE; INT32_MIN for no answer.  A TXN_BEGIN reply's id is
 * remembered.  With @once, returns after the first read: 2 if that did
 * not finish it.
 */
static int read_answer(int s, uint32_t want, bool once)
{
	for (;;) {
		ssize_t n = recv(s, rbuf, sizeof(rbuf), 0);
		struct nlmsghdr *h;
		size_t left;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == ENOBUFS ? -ENOBUFS : INT32_MIN;
		}
		left = (size_t)n;
		for (h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, left);
		     h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_seq != want)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				return e->error;
			}
			if (h->nlmsg_type == NLMSG_DONE)
				return 1;
			if (h->nlmsg_type == family &&
			    h->nlmsg_len >= NLMSG_HDRLEN + GENL_HDRLEN) {
				struct genlmsghdr *g = NLMSG_DATA(h);
				struct nlattr *a = (struct nlattr *)((char *)g + GENL_HDRLEN);
				int rem = (int)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

				if (g->cmd != OP25B_CMD_TXN_BEGIN)
					continue;
				for (; rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
				       a->nla_len <= rem;
				     rem -= NLA_ALIGN(a->nla_len),
				     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
					if ((a->nla_type & NLA_TYPE_MASK) == OP25B_A_TXN &&
					    a->nla_len == NLA_HDRLEN + 4) {
						memcpy(&txns[below(NTXN)],
						       (char *)a + NLA_HDRLEN, 4);
						st.txn_opened++;
					}
			}
		}
		if (once)
			return 2;
	}
}

static void count_err(int e)
{
	if (e == INT32_MIN) {
		st.no_answer++;
		return;
	}
	if (e >= 0) {
		st.acked_ok++;
		return;
	}
	st.err[-e < 160 ? -e : 0]++;
}

static uint16_t resolve(int s)
{
	struct nlmsghdr *h;
	ssize_t n;
	size_t left;

	start_msg(GENL_ID_CTRL, NLM_F_REQUEST, CTRL_CMD_GETFAMILY);
	((struct genlmsghdr *)(msg + NLMSG_HDRLEN))->version = 1;
	put_str(CTRL_ATTR_FAMILY_NAME, OP25B_GENL_NAME);
	if (send_msg(s, mlen))
		return 0;
	st.sent--;
	n = recv(s, rbuf, sizeof(rbuf), 0);
	if (n < 0)
		return 0;
	left = (size_t)n;
	for (h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, left);
	     h = NLMSG_NEXT(h, left)) {
		struct nlattr *a;
		int rem;

		if (h->nlmsg_type != GENL_ID_CTRL)
			continue;
		a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
		rem = (int)h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
		for (; rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
		       a->nla_len <= rem;
		     rem -= NLA_ALIGN(a->nla_len),
		     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))
			if (a->nla_type == CTRL_ATTR_FAMILY_ID) {
				uint16_t id;

				memcpy(&id, (char *)a + NLA_HDRLEN, 2);
				return id;
			}
	}
	return 0;
}

static void bad(const char *what, uint8_t cmd, int e)
{
	st.bad_accepted++;
	if (st.bad_accepted <= 10)
		fprintf(stderr, "nlfuzz: message %lu (cmd %u, seq %u): %s (answer %d)\n",
			st.sent, cmd, seq, what, e);
}

static void one_dump(uint8_t cmd, bool poisoned)
{
	int e;
	uint32_t how = below(4);

	st.dumps++;
	if (dsock_busy) {	/* a second dump while one is unread */
		(void)send_msg(dsock, mlen);
		close(dsock);
		dsock = nl_open();
		dsock_busy = false;
		st.sock_reopen++;
		return;
	}
	if (send_msg(dsock, mlen))
		return;
	if (how == 0 && !unpriv && !poisoned) {	/* leave it unread */
		st.dumps_unread++;
		dsock_busy = true;
		return;
	}
	e = read_answer(dsock, seq, how == 1);
	if (e == 2) {		/* read one part, then drop the socket */
		st.dumps_partial++;
		close(dsock);
		dsock = nl_open();
		st.sock_reopen++;
		return;
	}
	if (e == 1) {
		st.dumps_full++;
		e = 0;
	}
	count_err(e);
	if (unpriv && is_admin(cmd) && e == 0)
		bad("unprivileged dump answered", cmd, e);
	if (e == -ENOBUFS || e == INT32_MIN) {
		close(dsock);
		dsock = nl_open();
		st.sock_reopen++;
	}
}

/*
 * The module's writable parameters, set now and then to one of the sizes
 * (-m any as root): most writes must fail, and whatever is accepted must
 * hold against the messages that follow.  Restored at the end.
 */
static const char *const params[] = { "table_max", "offenders_max",
				      "log_rate_max" };
static char saved[3][32];
static unsigned long param_writes, param_taken;

static int param_io(const char *name, char *buf, size_t len, bool write)
{
	char path[96];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/sys/module/op25b/parameters/%s", name);
	f = fopen(path, write ? "w" : "r");
	if (!f)
		return -1;
	if (write)
		ok = fputs(buf, f) >= 0;
	else
		ok = fgets(buf, (int)len, f) != NULL;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static void params_save(bool restore)
{
	size_t i;

	for (i = 0; i < 3; i++) {
		if (restore && saved[i][0])
			param_io(params[i], saved[i], sizeof(saved[i]), true);
		else if (!restore && param_io(params[i], saved[i],
					      sizeof(saved[i]), false))
			saved[i][0] = '\0';
	}
}

static void param_write(void)
{
	char v[16];

	snprintf(v, sizeof(v), "%u\n", a_size());
	param_writes++;
	if (!param_io(params[below(3)], v, sizeof(v), true))
		param_taken++;
}

static void one_message(void)
{
	uint8_t cmd;
	uint16_t flags = NLM_F_REQUEST | NLM_F_ACK;
	bool poisoned = false, semantic = false, noack = false;
	size_t claimed;
	int s, e;

	if (!invalid_only && !unpriv && chance(1))
		param_write();
	if (chance(3))
		cmd = (uint8_t)rnd();	/* mostly unknown commands */
	else
		cmd = (uint8_t)(1 + below(OP25B_CMD_MAX));
	if (cmd == OP25B_CMD_GET_ENTRIES || cmd == OP25B_CMD_GET_TOP)
		flags = chance(95) ? NLM_F_REQUEST | NLM_F_DUMP : flags;
	else if (chance(2))
		flags |= NLM_F_DUMP;
	start_msg(family, flags, cmd);

	if (invalid_only && !is_readonly(cmd)) {
		if ((cmd == OP25B_CMD_ADD_ENTRIES ||
		     cmd == OP25B_CMD_DEL_ENTRIES) && !(flags & NLM_F_DUMP) &&
		    chance(40)) {
			/* well-formed, but the last entry is refused */
			semantic = true;
			st.semantic++;
			put_u8(OP25B_A_TABLE, (uint8_t)below(OP25B_TABLE_MAX + 1));
			put_entries(1 + entry_count(), true);
			if (chance(20))
				put_u32(OP25B_A_TXN, txn_id());
		} else {
			poisoned = true;
			if (chance(5)) {	/* or a nonzero reserved field */
				((struct genlmsghdr *)(msg + NLMSG_HDRLEN))->reserved =
					(uint16_t)(1 + below(0xfffe));
			} else {
				put_poison();
			}
		}
	}
	if (!semantic) {
		size_t from = mlen;

		put_body(cmd);
		if (chance(20))
			mutate(poisoned ? from : NLMSG_HDRLEN + GENL_HDRLEN);
	}
	claimed = mlen;
	if (chance(1)) {	/* bad lengths in the netlink header */
		switch (below(3)) {
		case 0:		/* no room for the genl header: EINVAL */
			mlen = NLMSG_HDRLEN + below(GENL_HDRLEN);
			claimed = mlen;
			poisoned = true;
			break;
		case 1:		/* claims more than sent: dropped silently */
			claimed = mlen + 4 + below(100);
			noack = true;
			break;
		default:	/* claims less than sent: the rest is ignored */
			if (!poisoned && !semantic && !is_readonly(cmd) &&
			    invalid_only)
				break;
			claimed = NLMSG_HDRLEN + GENL_HDRLEN +
				  below((uint32_t)(mlen - NLMSG_HDRLEN - GENL_HDRLEN + 1));
			claimed = NLMSG_ALIGN(claimed);
			if (claimed > mlen)
				claimed = mlen;
			if (invalid_only && !is_readonly(cmd) &&
			    claimed < mlen) {
				/* the defect may be cut off: keep it whole */
				claimed = mlen;
			}
			break;
		}
	}

	if ((flags & NLM_F_DUMP) && !noack && claimed == mlen) {
		one_dump(cmd, poisoned);
		return;
	}
	s = below(NSOCK);
	if (send_msg(sock[s], claimed))
		return;
	if (noack)
		return;
	e = read_answer(sock[s], seq, false);
	count_err(e);
	if (e == INT32_MIN) {
		bad("no answer", cmd, e);
	} else if (e == 0 || e == 1) {
		if (invalid_only && !is_readonly(cmd))
			bad("invalid message accepted", cmd, e);
		if (unpriv && is_admin(cmd))
			bad("unprivileged write accepted", cmd, e);
	} else if (unpriv && is_admin(cmd) && e != -EPERM &&
		   !(flags & NLM_F_DUMP) && claimed >= NLMSG_HDRLEN + GENL_HDRLEN) {
		/* the permission check comes before anything else */
		if (e != -EINVAL && e != -EOPNOTSUPP)
			bad("unprivileged write: unexpected error", cmd, e);
	}
	if (e == -ENOBUFS)
		st.sock_reopen++;
	/* now and then a socket goes, with the transaction it owns */
	if (chance(1) || e == -ENOBUFS) {
		close(sock[s]);
		sock[s] = nl_open();
		st.sock_reopen++;
	}
	if (!invalid_only && !unpriv && chance(2)) {	/* open one, keep it */
		start_msg(family, NLM_F_REQUEST | NLM_F_ACK, OP25B_CMD_TXN_BEGIN);
		s = below(NSOCK);
		if (!send_msg(sock[s], mlen))
			count_err(read_answer(sock[s], seq, false));
	}
}

static bool alive(void)
{
	int s = nl_open(), e;

	family = resolve(s);
	if (!family) {
		close(s);
		return false;
	}
	start_msg(family, NLM_F_REQUEST | NLM_F_ACK, OP25B_CMD_GET_STATUS);
	e = send_msg(s, mlen) ? INT32_MIN : read_answer(s, seq, false);
	st.sent--;
	close(s);
	return e == 0;
}

int main(int argc, char **argv)
{
	unsigned long n = 10000, i;
	uint64_t seed = (uint64_t)time(NULL);
	bool drop = false;
	struct timespec t0, t1;
	double secs;
	int c, k;

	while ((c = getopt(argc, argv, "n:s:m:uPq")) != -1) {
		switch (c) {
		case 'n':
			n = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			if (!strcmp(optarg, "invalid"))
				invalid_only = true;
			else if (!strcmp(optarg, "any"))
				invalid_only = false;
			else
				goto usage;
			break;
		case 'u':
			drop = unpriv = true;
			break;
		case 'P':
			unpriv = true;
			break;
		case 'q':
			quiet = true;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc)
		goto usage;
	if (drop && (setgroups(0, NULL) || setgid(65534) || setuid(65534))) {
		perror("nlfuzz: dropping privileges");
		return 2;
	}
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	if (!alive()) {
		fprintf(stderr, "nlfuzz: no op25b family here\n");
		return 2;
	}
	for (k = 0; k < NSOCK; k++)
		sock[k] = nl_open();
	dsock = nl_open();
	params_save(false);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++)
		one_message();
	params_save(true);
	for (k = 0; k < NSOCK; k++)
		close(sock[k]);
	close(dsock);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;

	printf("nlfuzz: seed %llu, %s%s: %lu messages in %.1f s "
	       "(%lu with an invalid last entry, %lu huge batches), "
	       "%lu accepted, %lu dumps (%lu read whole, %lu in part, %lu left unread), "
	       "%lu transactions opened, %lu sockets closed early, %lu send errors, "
	       "%lu parameter writes (%lu taken)\n",
	       (unsigned long long)seed, invalid_only ? "invalid only" : "any",
	       unpriv ? ", unprivileged" : "", st.sent, secs, st.semantic,
	       st.huge, st.acked_ok, st.dumps, st.dumps_full,
	       st.dumps_partial, st.dumps_unread, st.txn_opened,
	       st.sock_reopen, st.send_err, param_writes, param_taken);
	if (!quiet) {
		printf("nlfuzz: errors:");
		for (k = 0; k < 160; k++)
			if (st.err[k])
				printf(" %s %lu", k ? strerrorname_np(k) : "other",
				       st.err[k]);
		printf("\n");
	}
	if (!alive()) {
		fprintf(stderr, "nlfuzz: FAIL: the op25b family no longer answers\n");
		return 1;
	}
	if (st.bad_accepted || st.no_answer) {
		fprintf(stderr, "nlfuzz: FAIL: %lu checks failed, %lu without answer\n",
			st.bad_accepted, st.no_answer);
		return 1;
	}
	return 0;
usage:
	fprintf(stderr, "usage: nlfuzz [-n N] [-s SEED] [-m invalid|any] [-u|-P] [-q]\n");
	return 2;
}
