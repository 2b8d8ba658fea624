// SPDX-License-Identifier: GPL-2.0
/*
 * Request/response plumbing over libnl.
 *
 * Every exchange gets its own callback set, so that a reply can never be
 * handed to the parser of an earlier request.  Errors are taken from the
 * raw NLMSG_ERROR/NLMSG_DONE bytes by extack_parse(): libnl 3.7 neither
 * parses extended ACKs nor looks at the error code in NLMSG_DONE.
 */
#include <errno.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "op25bctl.h"
#include "nl.h"

struct xfer {
	onl_parse_fn parse;
	void *arg;
	struct onl_result *res;
	bool done;
};

int onl_req_init(struct onl *h, struct onl_req *r, uint8_t cmd, int flags,
		 size_t payload)
{
	memset(r, 0, sizeof(*r));
	r->msg = nlmsg_alloc_size(NLMSG_HDRLEN + GENL_HDRLEN +
				  NLMSG_ALIGN(payload));
	if (!r->msg ||
	    !genlmsg_put(r->msg, NL_AUTO_PORT, NL_AUTO_SEQ, h->family, 0,
			 flags, cmd, OP25B_GENL_VERSION)) {
		nlmsg_free(r->msg);
		r->msg = NULL;
		err_msg("out of memory");
		return -1;
	}
	return 0;
}

void onl_req_free(struct onl_req *r)
{
	nlmsg_free(r->msg);
	free(r->spans);
	memset(r, 0, sizeof(*r));
}

int onl_req_span(struct onl_req *r, const struct nlattr *nla)
{
	const char *base = (const char *)nlmsg_hdr(r->msg);

	if (r->nspans == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		struct extack_span *s = realloc(r->spans, cap * sizeof(*s));

		if (!s)
			return -1;
		r->spans = s;
		r->cap = cap;
	}
	r->spans[r->nspans].start = (uint32_t)((const char *)nla - base);
	r->spans[r->nspans].len = nla->nla_len;
	return (int)r->nspans++;
}

/* Both reply paths may carry it; libnl reports it only on some versions. */
static void xfer_note_intr(struct xfer *x, struct nl_msg *msg)
{
	if (nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP_INTR)
		x->res->intr = true;
}

static int xfer_valid(struct nl_msg *msg, void *arg)
{
	struct xfer *x = arg;

	xfer_note_intr(x, msg);
	x->res->replies++;
	if (!x->parse || x->parse(msg, x->arg) == NL_OK)
		return NL_OK;
	/* nothing after a reply we cannot read is worth waiting for */
	x->res->nlerr = -NLE_PARSE_ERR;
	x->done = true;
	return NL_STOP;
}

static int xfer_ack(struct nl_msg *msg, void *arg)
{
	struct xfer *x = arg;

	(void)msg;
	x->done = true;
	return NL_STOP;
}

/* NLMSG_DONE ends a dump and carries the dump's error code, if any. */
static int xfer_finish(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct xfer *x = arg;

	xfer_note_intr(x, msg);
	if (extack_parse(nlh, nlh->nlmsg_len, &x->res->ack))
		x->res->ack.error = 0;	/* a bare DONE: success */
	x->done = true;
	return NL_STOP;
}

static int xfer_intr(struct nl_msg *msg, void *arg)
{
	(void)msg;
	((struct xfer *)arg)->res->intr = true;
	return NL_OK;	/* keep reading: the dump must be drained */
}

static int xfer_err(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	/*
	 * libnl passes only the payload, but it points into the received
	 * message, whose header (and the TLVs after the payload) precede
	 * and follow it in the same buffer.
	 */
	const struct nlmsghdr *nlh =
		(const void *)((const char *)e - NLMSG_HDRLEN);
	struct xfer *x = arg;

	(void)nla;
	if (extack_parse(nlh, nlh->nlmsg_len, &x->res->ack)) {
		memset(&x->res->ack, 0, sizeof(x->res->ack));
		x->res->ack.error = e->error;
	}
	x->done = true;
	return NL_STOP;
}

static struct nl_cb *xfer_cb(struct onl *h, struct xfer *x)
{
	struct nl_cb *orig = nl_socket_get_cb(h->sk);	/* takes a ref */
	struct nl_cb *cb = nl_cb_clone(orig);

	nl_cb_put(orig);
	if (!cb)
		return NULL;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, xfer_valid, x);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, xfer_ack, x);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, xfer_finish, x);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, xfer_intr, x);
	nl_cb_err(cb, NL_CB_CUSTOM, xfer_err, x);
	return cb;
}

static int xfer_send(struct onl *h, struct onl_req *r)
{
	struct nlmsghdr *nlh = nlmsg_hdr(r->msg);

	nl_complete_msg(h->sk, r->msg);
	/*
	 * A dump ends with NLMSG_DONE; an ACK requested on top would be
	 * left in the socket and break the next sequence number check.
	 */
	if (nlh->nlmsg_flags & NLM_F_DUMP)
		nlh->nlmsg_flags &= ~NLM_F_ACK;
	return nl_send(h->sk, r->msg);
}

int onl_exchange(struct onl *h, struct onl_req *r, onl_parse_fn parse,
		 void *arg, struct onl_result *res)
{
	struct xfer x = { .parse = parse, .arg = arg, .res = res };
	struct nl_cb *cb;
	uint32_t offs;
	int err;

	memset(res, 0, sizeof(*res));
	res->span = -1;
	cb = xfer_cb(h, &x);
	if (!cb) {
		res->nlerr = -NLE_NOMEM;
		return -1;
	}
	err = xfer_send(h, r);
	while (err >= 0 && !x.done) {
		/* the count tells an end of data (0) from a stop */
		err = nl_recvmsgs_report(h->sk, cb);
		if (!err)
			err = -NLE_NODEV;
	}
	nl_cb_put(cb);

	if (res->ack.error) {
		if (extack_offset(&res->ack, &offs))
			res->span = extack_find_span(r->spans, r->nspans, offs);
		return -1;
	}
	if (err < 0 && !res->nlerr)
		res->nlerr = err;
	return res->nlerr ? -1 : 0;
}

static const struct nla_policy reply_policy[OP25B_A_MAX + 1] = {
	[OP25B_A_MODE]		   = { .type = NLA_U8 },
	[OP25B_A_TABLE]		   = { .type = NLA_U8 },
	[OP25B_A_ENTRIES]	   = { .type = NLA_NESTED },
	[OP25B_A_GENERATION]	   = { .type = NLA_U32 },
	[OP25B_A_TABLES]	   = { .type = NLA_NESTED },
	[OP25B_A_STATS]		   = { .type = NLA_NESTED },
	[OP25B_A_SRC]		   = { .type = NLA_NESTED },
	[OP25B_A_DST]		   = { .type = NLA_NESTED },
	[OP25B_A_DPORT]		   = { .type = NLA_U16 },
	[OP25B_A_PROTO]		   = { .type = NLA_U8 },
	[OP25B_A_IIFNAME]	   = { .type = NLA_STRING },
	[OP25B_A_VERDICT]	   = { .type = NLA_U8 },
	[OP25B_A_REASON]	   = { .type = NLA_U8 },
	[OP25B_A_MATCH_SUBSCRIBER] = { .type = NLA_NESTED },
	[OP25B_A_MATCH_EXEMPT]	   = { .type = NLA_NESTED },
	[OP25B_A_MATCH_ALLOW]	   = { .type = NLA_NESTED },
	[OP25B_A_MATCH_TARGET]	   = { .type = NLA_NESTED },
	/* the settings: their widths are the settings map's (status.c) */
	[OP25B_A_TXN]		   = { .type = NLA_U32 },
	[OP25B_A_TXN_OPEN]	   = { .type = NLA_FLAG },
	[OP25B_A_TOP_LIMIT]	   = { .type = NLA_U32 },
	[OP25B_A_TOP_TOTAL]	   = { .type = NLA_U64 },
	[OP25B_A_TOP_SLOTS]	   = { .type = NLA_U32 },
	[OP25B_A_EVENT]		   = { .type = NLA_U8 },
	[OP25B_A_EVENT_PID]	   = { .type = NLA_U32 },
	[OP25B_A_EVENT_UID]	   = { .type = NLA_U32 },
	[OP25B_A_EVENT_PORTID]	   = { .type = NLA_U32 },
	[OP25B_A_EVENT_COUNT]	   = { .type = NLA_U32 },
	[OP25B_A_EVENT_TABLES]	   = { .type = NLA_U32 },
	[OP25B_A_EVENT_OLD]	   = { .type = NLA_NESTED },
	[OP25B_A_EVENT_NEW]	   = { .type = NLA_NESTED },
	[OP25B_A_OFFENDERS]	   = { .type = NLA_NESTED },
};

int onl_parse_reply(struct nl_msg *msg, struct nlattr **tb)
{
	/* attributes newer than this tool are ignored, not refused */
	return genlmsg_parse(nlmsg_hdr(msg), 0, tb, OP25B_A_MAX,
			     reply_policy) ? -1 : 0;
}

int onl_simple_req(struct onl *h, uint8_t cmd, int attr, uint32_t val,
		   const char *ctx, onl_parse_fn parse, void *arg)
{
	struct onl_result res;
	struct onl_req r;
	int ret = EXIT_ERR;

	if (onl_req_init(h, &r, cmd, 0, attr ? nla_total_size(4) : 0))
		return EXIT_ERR;
	if (attr && (attr == OP25B_A_TXN || attr == OP25B_A_TOP_LIMIT ?
		     nla_put_u32(r.msg, attr, val) :
		     nla_put_u8(r.msg, attr, val)))
		err_msg("%s: cannot build the request", ctx);
	else if (onl_exchange(h, &r, parse, arg, &res))
		onl_print_error(&res, ctx, NULL);
	else if (parse && res.replies != 1)
		err_msg("%s: expected one reply from the kernel, got %u",
			ctx, res.replies);
	else
		ret = EXIT_OK;
	onl_req_free(&r);
	return ret;
}

int onl_simple(uint8_t cmd, int attr, uint8_t val, const char *ctx,
	       onl_parse_fn parse, void *arg)
{
	struct onl h;
	int ret;

	if (onl_open(&h))
		return EXIT_ERR;
	ret = onl_simple_req(&h, cmd, attr, val, ctx, parse, arg);
	onl_close(&h);
	return ret;
}

static const char *errno_text(int error)
{
	return strerror(error < 0 ? -error : error);
}

void onl_print_error(const struct onl_result *res, const char *ctx,
		     const char *culprit)
{
	const struct extack *a = &res->ack;

	if (!a->error) {
		if (res->nlerr == -NLE_PARSE_ERR)
			err_msg("%s: malformed reply from the kernel (op25b module and op25bctl versions differ?)",
				ctx);
		else if (res->nlerr == -NLE_NODEV)
			err_msg("%s: netlink: the kernel stopped answering",
				ctx);
		else
			err_msg("%s: netlink: %s", ctx, nl_geterror(res->nlerr));
		return;
	}
	if (a->error == -EPERM && !a->has_msg) {
		err_msg("%s: %s: CAP_NET_ADMIN is needed in the user namespace that owns this network namespace",
			culprit ? culprit : ctx, errno_text(a->error));
		return;
	}
	if (!a->has_msg && a->has_miss_type) {
		err_msg("%s: %s: the kernel wants attribute %u, which op25bctl did not send (op25b module and op25bctl versions differ?)",
			culprit ? culprit : ctx, errno_text(a->error),
			a->miss_type);
		return;
	}
	/* "table full" alone would not say which command hit it */
	err_msg("%s: %s", culprit ? culprit : ctx,
		a->has_msg ? a->msg : errno_text(a->error));
}
