// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of the extended-ACK parser and of the offset -> entry
 * mapping: the acks are built by hand, byte by byte, the way
 * netlink_ack() and netlink_dump_done() lay them out; the requests are
 * built by the same code op25bctl sends them with.
 */
#include <errno.h>
#include <string.h>
#include <linux/netlink.h>

#include <netlink/genl/genl.h>

#include "entry.h"
#include "extack.h"
#include "nl.h"
#include "../../tests/unit/tap.h"
#include "../../src/op25b_parse.h"

/* A message being built by hand; 4-byte aligned like the kernel's. */
struct buf {
	unsigned char b[8192] __attribute__((aligned(4)));
	size_t len;
};

static void put(struct buf *m, const void *p, size_t n)
{
	memcpy(m->b + m->len, p, n);
	m->len += n;
}

static void pad(struct buf *m)
{
	while (m->len % 4)
		m->b[m->len++] = 0;
}

static void put_tlv(struct buf *m, uint16_t type, const void *p, size_t n)
{
	struct nlattr nla = { .nla_len = NLA_HDRLEN + n, .nla_type = type };

	put(m, &nla, sizeof(nla));
	put(m, p, n);
	pad(m);
}

static void set_len(struct buf *m)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)m->b;

	nlh->nlmsg_len = m->len;
}

/*
 * An NLMSG_ERROR for @req (req_len bytes, a whole request), echoing it
 * unless @capped.  TLVs are appended by the caller, then set_len().
 */
static void start_error(struct buf *m, int error, const void *req,
			size_t req_len, bool capped, bool tlvs)
{
	struct nlmsghdr nlh = {
		.nlmsg_type = NLMSG_ERROR,
		.nlmsg_flags = (capped ? NLM_F_CAPPED : 0) |
			       (tlvs ? NLM_F_ACK_TLVS : 0),
		.nlmsg_seq = 7,
	};
	struct nlmsgerr e = { .error = error };

	m->len = 0;
	memcpy(&e.msg, req, sizeof(e.msg));
	put(m, &nlh, sizeof(nlh));
	put(m, &e, sizeof(e));
	if (!capped)
		put(m, (const char *)req + NLMSG_HDRLEN,
		    req_len - NLMSG_HDRLEN);
	pad(m);
}

static void start_done(struct buf *m, int error, bool tlvs)
{
	struct nlmsghdr nlh = {
		.nlmsg_type = NLMSG_DONE,
		.nlmsg_flags = NLM_F_MULTI | (tlvs ? NLM_F_ACK_TLVS : 0),
	};

	m->len = 0;
	put(m, &nlh, sizeof(nlh));
	put(m, &error, sizeof(error));
}

static void put_msg(struct buf *m, const char *s)
{
	put_tlv(m, NLMSGERR_ATTR_MSG, s, strlen(s) + 1);
}

static void put_u32(struct buf *m, uint16_t type, uint32_t v)
{
	put_tlv(m, type, &v, sizeof(v));
}

/* ---- a request as op25bctl builds it ---- */

static const char *const words[] = {
	"10.0.0.0/8", "192.0.2.25", "2001:db8::/32", "::ffff:10.1.2.3",
	"fe80::1/128",
};

struct req {
	struct onl_req r;
	struct op25b_entry e[6];
	unsigned int n;
};

static void build_req(struct req *q)
{
	struct onl h = { .sk = NULL, .family = 0x42 };
	struct nlattr *list, *nest;
	unsigned int i;

	memset(q, 0, sizeof(*q));
	for (i = 0; i < 5; i++)
		op25b_parse_prefix(words[i], strlen(words[i]), &q->e[i]);
	entry_parse_ifname("ppp+", &q->e[5]);
	q->n = 6;
	onl_req_init(&h, &q->r, OP25B_CMD_ADD_ENTRIES, 0, 1024);
	nla_put_u8(q->r.msg, OP25B_A_TABLE, OP25B_TABLE_SUBSCRIBER);
	list = nla_nest_start(q->r.msg, OP25B_A_ENTRIES);
	for (i = 0; i < q->n; i++) {
		nest = entry_put(q->r.msg, OP25B_LIST_A_ENTRY, &q->e[i], true);
		onl_req_span(&q->r, nest);
	}
	nla_nest_end(q->r.msg, list);
}

/* What the kernel does: walk the request to its n-th entry (nth attr). */
static uint32_t kernel_offset(struct onl_req *r, unsigned int n, int inner)
{
	struct nlmsghdr *nlh = nlmsg_hdr(r->msg);
	struct nlattr *list, *a, *b;
	int rem, rem2;

	list = nlmsg_find_attr(nlh, GENL_HDRLEN, OP25B_A_ENTRIES);
	if (n == ~0U)
		return (const char *)list - (const char *)nlh;
	nla_for_each_nested(a, list, rem) {
		if (n--)
			continue;
		if (!inner)
			return (const char *)a - (const char *)nlh;
		nla_for_each_nested(b, a, rem2)
			if (nla_type(b) == inner)
				return (const char *)b - (const char *)nlh;
	}
	return 0;
}

/* ---- tests ---- */

static void test_capped(struct req *q)
{
	struct nlmsghdr *nlh = nlmsg_hdr(q->r.msg);
	struct extack a;
	struct buf m;
	uint32_t off;

	start_error(&m, -EEXIST, nlh, nlh->nlmsg_len, true, true);
	put_msg(&m, "entry already in table");
	put_u32(&m, NLMSGERR_ATTR_OFFS, kernel_offset(&q->r, 2, 0));
	set_len(&m);
	tap_ok(extack_parse(m.b, m.len, &a) == 0, "capped: parses");
	tap_ok(a.error == -EEXIST, "capped: error code");
	tap_ok(a.has_msg && !strcmp(a.msg, "entry already in table"),
	       "capped: message text '%s'", a.msg);
	tap_ok(extack_offset(&a, &off) && off == kernel_offset(&q->r, 2, 0),
	       "capped: offset %u", off);
	tap_ok(extack_find_span(q->r.spans, q->r.nspans, off) == 2,
	       "capped: offset maps to entry 2 (2001:db8::/32)");
}

static void test_echoed(struct req *q)
{
	struct nlmsghdr *nlh = nlmsg_hdr(q->r.msg);
	struct extack a;
	struct buf m;

	start_error(&m, -ENOENT, nlh, nlh->nlmsg_len, false, true);
	put_msg(&m, "entry not in table");
	put_u32(&m, NLMSGERR_ATTR_OFFS, kernel_offset(&q->r, 4, 0));
	set_len(&m);
	tap_ok(extack_parse(m.b, m.len, &a) == 0, "echoed: parses");
	tap_ok(a.error == -ENOENT && a.has_msg &&
	       !strcmp(a.msg, "entry not in table"),
	       "echoed: TLVs found after the %u-byte echoed request",
	       nlh->nlmsg_len);
	tap_ok(a.has_offs &&
	       extack_find_span(q->r.spans, q->r.nspans, a.offs) == 4,
	       "echoed: offset maps to entry 4 (fe80::1/128)");
}

/* An echoed request whose length is not a multiple of 4. */
static void test_echoed_unaligned(void)
{
	unsigned char req[NLMSG_HDRLEN + 5] __attribute__((aligned(4))) = { 0 };
	struct nlmsghdr *nlh = (struct nlmsghdr *)req;
	struct extack a;
	struct buf m;

	nlh->nlmsg_len = sizeof(req);
	start_error(&m, -EINVAL, req, sizeof(req), false, true);
	put_msg(&m, "odd");
	put_u32(&m, NLMSGERR_ATTR_OFFS, 20);
	set_len(&m);
	tap_ok(extack_parse(m.b, m.len, &a) == 0 && a.has_msg &&
	       !strcmp(a.msg, "odd") && a.has_offs && a.offs == 20,
	       "echoed: TLVs found after an unaligned echo");
}

static void test_no_tlvs(struct req *q)
{
	struct nlmsghdr *nlh = nlmsg_hdr(q->r.msg);
	struct extack a;
	struct buf m;

	/* TLV bytes present but NLM_F_ACK_TLVS not set: ignore them */
	start_error(&m, -EPERM, nlh, nlh->nlmsg_len, false, false);
	put_msg(&m, "should not be seen");
	set_len(&m);
	tap_ok(extack_parse(m.b, m.len, &a) == 0 && a.error == -EPERM &&
	       !a.has_msg && !a.has_offs,
	       "without NLM_F_ACK_TLVS: code only");

	start_error(&m, -EINVAL, nlh, nlh->nlmsg_len, true, true);
	put_msg(&m, "missing table");
	set_len(&m);
	tap_ok(extack_parse(m.b, m.len, &a) == 0 && a.has_msg && !a.has_offs,
	       "message without offset");
}

static void test_offsets(struct req *q)
{
	const struct extack_span *s = q->r.spans;
	size_t n = q->r.nspans;
	uint32_t last_end = s[n - 1].start + s[n - 1].len;

	tap_ok(n == 6, "6 spans recorded");
	tap_ok(extack_find_span(s, n, kernel_offset(&q->r, ~0U, 0)) == -1,
	       "offset of the OP25B_A_ENTRIES nest maps to no entry");
	tap_ok(extack_find_span(s, n, kernel_offset(&q->r, 1,
				OP25B_ENTRY_A_ADDR4)) == 1,
	       "offset of an attribute inside entry 1 maps to entry 1");
	tap_ok(extack_find_span(s, n, kernel_offset(&q->r, 3,
				OP25B_ENTRY_A_PREFIXLEN)) == 3,
	       "offset of entry 3's prefix length maps to entry 3");
	tap_ok(extack_find_span(s, n, kernel_offset(&q->r, 5,
				OP25B_ENTRY_A_IIFNAME)) == 5,
	       "offset inside the iif entry maps to entry 5");
	tap_ok(extack_find_span(s, n, s[2].start + s[2].len - 1) == 2 &&
	       extack_find_span(s, n, s[2].start + s[2].len) == 3,
	       "span boundaries are half-open");
	tap_ok(extack_find_span(s, n, last_end) == -1 &&
	       extack_find_span(s, n, 0) == -1 &&
	       extack_find_span(s, 0, 40) == -1,
	       "offsets outside all spans map to none");
}

static void test_miss_nest(void)
{
	unsigned char req[NLMSG_HDRLEN] __attribute__((aligned(4))) = { 0 };
	struct extack a;
	struct buf m;
	uint32_t off;

	((struct nlmsghdr *)req)->nlmsg_len = sizeof(req);
	start_error(&m, -EINVAL, req, sizeof(req), true, true);
	put_msg(&m, "missing attribute");
	put_u32(&m, NLMSGERR_ATTR_MISS_TYPE, OP25B_ENTRY_A_ADDR4);
	put_u32(&m, NLMSGERR_ATTR_MISS_NEST, 36);
	set_len(&m);
	tap_ok(extack_parse(m.b, m.len, &a) == 0 && a.has_miss_type &&
	       a.miss_type == OP25B_ENTRY_A_ADDR4 && extack_offset(&a, &off) &&
	       off == 36, "MISS_NEST stands in for a missing OFFS");
}

static void test_done(void)
{
	struct extack a;
	struct buf m;

	start_done(&m, -EPERM, true);
	put_msg(&m, "dump refused");
	set_len(&m);
	tap_ok(extack_parse(m.b, m.len, &a) == 0 && a.error == -EPERM &&
	       a.has_msg && !strcmp(a.msg, "dump refused"),
	       "NLMSG_DONE: error and message");
	start_done(&m, 0, false);
	set_len(&m);
	tap_ok(extack_parse(m.b, m.len, &a) == 0 && a.error == 0 && !a.has_msg,
	       "NLMSG_DONE: success");
}

static void test_malformed(void)
{
	unsigned char req[NLMSG_HDRLEN] __attribute__((aligned(4))) = { 0 };
	struct nlattr bad = { .nla_len = 200, .nla_type = NLMSGERR_ATTR_MSG };
	struct nlmsghdr *nlh;
	struct extack a;
	struct buf m;

	((struct nlmsghdr *)req)->nlmsg_len = sizeof(req);
	start_error(&m, -EINVAL, req, sizeof(req), true, true);
	set_len(&m);
	tap_ok(extack_parse(m.b, 10, &a) == -EBADMSG,
	       "shorter than a header: EBADMSG");
	tap_ok(extack_parse(m.b, m.len - 1, &a) == -EBADMSG,
	       "nlmsg_len beyond the buffer: EBADMSG");
	nlh = (struct nlmsghdr *)m.b;
	nlh->nlmsg_len = NLMSG_HDRLEN + 4;
	tap_ok(extack_parse(m.b, m.len, &a) == -EBADMSG,
	       "NLMSG_ERROR without a whole nlmsgerr: EBADMSG");
	nlh->nlmsg_type = 0x42;
	set_len(&m);
	tap_ok(extack_parse(m.b, m.len, &a) == -EBADMSG,
	       "another message type: EBADMSG");

	start_error(&m, -EINVAL, req, sizeof(req), true, true);
	put_u32(&m, NLMSGERR_ATTR_OFFS, 24);
	put(&m, &bad, sizeof(bad));
	set_len(&m);
	tap_ok(extack_parse(m.b, m.len, &a) == 0 && a.error == -EINVAL &&
	       a.has_offs && !a.has_msg,
	       "an overlong TLV ends the walk, earlier TLVs kept");

	/* echo claims more than was sent: the TLVs cannot be found */
	start_error(&m, -EINVAL, req, sizeof(req), false, true);
	((struct nlmsgerr *)(m.b + NLMSG_HDRLEN))->msg.nlmsg_len = 4000;
	put_msg(&m, "lost");
	set_len(&m);
	tap_ok(extack_parse(m.b, m.len, &a) == 0 && a.error == -EINVAL &&
	       !a.has_msg, "an echo longer than the message: code only");
}

static void test_msg_text(void)
{
	unsigned char req[NLMSG_HDRLEN] __attribute__((aligned(4))) = { 0 };
	static const char ctl[] = "bad\n\033[1mname";
	char longmsg[400];
	struct extack a;
	struct buf m;

	((struct nlmsghdr *)req)->nlmsg_len = sizeof(req);
	start_error(&m, -EINVAL, req, sizeof(req), true, true);
	put_tlv(&m, NLMSGERR_ATTR_MSG, ctl, sizeof(ctl));
	set_len(&m);
	tap_ok(extack_parse(m.b, m.len, &a) == 0 &&
	       !strcmp(a.msg, "bad??[1mname"),
	       "control characters in the message are neutralised");

	start_error(&m, -EINVAL, req, sizeof(req), true, true);
	put_tlv(&m, NLMSGERR_ATTR_MSG, "abcd", 4);	/* no NUL */
	set_len(&m);
	tap_ok(extack_parse(m.b, m.len, &a) == 0 && !strcmp(a.msg, "abcd"),
	       "a message without its NUL stays within the TLV");

	memset(longmsg, 'x', sizeof(longmsg));
	start_error(&m, -EINVAL, req, sizeof(req), true, true);
	put_tlv(&m, NLMSGERR_ATTR_MSG, longmsg, sizeof(longmsg));
	set_len(&m);
	tap_ok(extack_parse(m.b, m.len, &a) == 0 &&
	       strlen(a.msg) == EXTACK_MSG_MAX - 1,
	       "an overlong message is truncated");
}

int main(void)
{
	struct req q;

	build_req(&q);
	test_capped(&q);
	test_echoed(&q);
	test_echoed_unaligned();
	test_no_tlvs(&q);
	test_offsets(&q);
	test_miss_nest();
	test_done();
	test_malformed();
	test_msg_text();
	onl_req_free(&q.r);
	return tap_done();
}
