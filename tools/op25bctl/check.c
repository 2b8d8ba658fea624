// SPDX-License-Identifier: GPL-2.0
/*
 * "op25bctl check SRC DST [PORT] [iif NAME]": asks the kernel what its
 * hook would do with that packet (OP25B_CMD_CHECK runs the hook's own
 * decision function) and explains the answer in one line.
 */
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "../../src/op25b_parse.h"
#include "../../src/op25b_names.h"
#include "entry.h"
#include "json.h"
#include "nl.h"

#define CHECK_MSG_MAX	512

struct check_req {
	struct op25b_entry src, dst;
	const char *src_text, *dst_text;
	unsigned int port;
	const char *iif;		/* NULL: not given */
};

struct check_reply {
	uint8_t verdict, reason, mode;
	int scope;		/* -1: a module that does not say */
	bool has_match[__OP25B_TABLE_MAX];
	struct op25b_entry match[__OP25B_TABLE_MAX];
};

/* ---- arguments ---- */

static int check_addr(const char *text, struct op25b_entry *e)
{
	enum op25b_parse_err perr;

	/* a prefix has no single verdict; say so rather than use its base */
	if (strchr(text, '/')) {
		err_msg("check %s: an address is needed, not a prefix", text);
		return -1;
	}
	perr = op25b_parse_prefix(text, strlen(text), e);
	if (perr) {
		err_msg("check %s: %s", text, op25b_parse_strerror(perr));
		return -1;
	}
	return 0;
}

static int check_port(const char *text, unsigned int *port)
{
	char *end;
	unsigned long v;

	if (text[0] < '0' || text[0] > '9')
		goto bad;
	v = strtoul(text, &end, 10);
	if (*end || v < 1 || v > 65535)
		goto bad;
	*port = v;
	return 0;
bad:
	err_msg("check: bad port '%s' (1-65535)", text);
	return -1;
}

/* PORT and "iif NAME" after SRC DST, in either order, each at most once. */
static int check_options(struct check_req *q, int argc, char **argv)
{
	struct op25b_entry e;
	bool port_seen = false;
	const char *why;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "iif")) {
			if (q->iif)
				return usage_err("check: iif given twice");
			if (i + 1 == argc)
				return usage_err("check: 'iif' needs a NAME");
			q->iif = argv[++i];
			why = entry_parse_ifname(q->iif, &e);
			if (why) {
				err_msg("check iif %s: %s", q->iif, why);
				return EXIT_ERR;
			}
		} else if (!port_seen) {
			port_seen = true;
			if (check_port(argv[i], &q->port))
				return EXIT_ERR;
		} else {
			return usage_err("check: unexpected argument '%s'",
					 argv[i]);
		}
	}
	return EXIT_OK;
}

static int check_args(struct check_req *q, int argc, char **argv)
{
	if (argc < 3)
		return usage_err("check: needs SRC and DST addresses");
	q->src_text = argv[1];
	q->dst_text = argv[2];
	q->port = OP25B_SMTP_PORT;
	if (check_addr(argv[1], &q->src) || check_addr(argv[2], &q->dst))
		return EXIT_ERR;
	if (q->src.kind != q->dst.kind) {
		err_msg("check %s %s: source and destination are not of the same address family",
			argv[1], argv[2]);
		return EXIT_ERR;
	}
	return check_options(q, argc - 3, argv + 3);
}

/* ---- the request ---- */

static int check_build(struct onl *h, struct onl_req *r,
		       const struct check_req *q)
{
	struct nlattr *a;

	if (onl_req_init(h, r, OP25B_CMD_CHECK, 0, 256))
		return -1;
	/* spans 0, 1 and 2 are SRC, DST and IIFNAME; see check_culprit() */
	a = entry_put(r->msg, OP25B_A_SRC, &q->src, false);
	if (!a || onl_req_span(r, a) < 0)
		goto full;
	a = entry_put(r->msg, OP25B_A_DST, &q->dst, false);
	if (!a || onl_req_span(r, a) < 0)
		goto full;
	if (nla_put_u16(r->msg, OP25B_A_DPORT, q->port) ||
	    nla_put_u8(r->msg, OP25B_A_PROTO, 6 /* IPPROTO_TCP */))
		goto full;
	if (q->iif) {
		/* where the attribute will start: the message's current end */
		a = (struct nlattr *)nlmsg_tail(nlmsg_hdr(r->msg));
		if (nla_put_string(r->msg, OP25B_A_IIFNAME, q->iif) ||
		    onl_req_span(r, a) < 0)
			goto full;
	}
	return 0;
full:
	err_msg("check: cannot build the request");
	onl_req_free(r);
	return -1;
}

static void check_culprit(const struct check_req *q, long span, char *buf,
			  size_t len)
{
	if (span == 0)
		snprintf(buf, len, "check %s", q->src_text);
	else if (span == 1)
		snprintf(buf, len, "check %s", q->dst_text);
	else
		snprintf(buf, len, "check iif %s", q->iif);
}

/* ---- the reply ---- */

static const int match_attr[__OP25B_TABLE_MAX] = {
	[OP25B_TABLE_SUBSCRIBER] = OP25B_A_MATCH_SUBSCRIBER,
	[OP25B_TABLE_ALLOW]	 = OP25B_A_MATCH_ALLOW,
	[OP25B_TABLE_EXEMPT]	 = OP25B_A_MATCH_EXEMPT,
	[OP25B_TABLE_TARGET]	 = OP25B_A_MATCH_TARGET,
};

static int check_parse(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[OP25B_A_MAX + 1];
	struct check_reply *p = arg;
	int t;

	if (onl_parse_reply(msg, tb) || !tb[OP25B_A_VERDICT] ||
	    !tb[OP25B_A_REASON] || !tb[OP25B_A_MODE])
		return NL_STOP;
	p->verdict = nla_get_u8(tb[OP25B_A_VERDICT]);
	p->reason = nla_get_u8(tb[OP25B_A_REASON]);
	p->mode = nla_get_u8(tb[OP25B_A_MODE]);
	p->scope = tb[OP25B_A_SCOPE] ? nla_get_u8(tb[OP25B_A_SCOPE]) : -1;
	for (t = 0; t < __OP25B_TABLE_MAX; t++) {
		if (!tb[match_attr[t]])
			continue;
		if (entry_get(tb[match_attr[t]], &p->match[t]))
			return NL_STOP;
		p->has_match[t] = true;
	}
	return NL_OK;
}

static bool check_blocks(const struct check_reply *p)
{
	return p->verdict == OP25B_VERDICT_BLOCK ||
	       p->verdict == OP25B_VERDICT_MONITOR;
}

/* " (10.10.0.0/24)" naming the entry of table @t that matched, or "". */
static void match_text(const struct check_reply *p, int t, char *buf,
		       size_t len)
{
	char e[ENTRY_TEXT_MAX];

	buf[0] = '\0';
	if (!p->has_match[t])
		return;
	entry_format(&p->match[t], e, sizeof(e));
	snprintf(buf, len, " (%s)", e);
}

static const char *name_or(const char *const *names, size_t n, unsigned v)
{
	const char *s = name_of(names, n, v);

	return s ? s : "unknown";
}

static void check_message(const struct check_req *q,
			  const struct check_reply *p, char *buf, size_t len)
{
	char src[ENTRY_TEXT_MAX], dst[ENTRY_TEXT_MAX];
	char sub[ENTRY_TEXT_MAX + 3], other[ENTRY_TEXT_MAX + 3];

	entry_format_addr(&q->src, src, sizeof(src));
	entry_format_addr(&q->dst, dst, sizeof(dst));
	match_text(p, OP25B_TABLE_SUBSCRIBER, sub, sizeof(sub));

	switch (p->reason) {
	case OP25B_REASON_BLOCKED:
		if (!check_blocks(p))
			break;
		if (p->scope == OP25B_SCOPE_TARGETS) {
			/* blocked for being a target (a match only for admins) */
			match_text(p, OP25B_TABLE_TARGET, other, sizeof(other));
			snprintf(buf, len, "%s: %s is a subscriber%s and %s is a target%s; send via port 587 with SMTP AUTH",
				 p->verdict == OP25B_VERDICT_BLOCK ? "blocked" :
				 "would be blocked (monitor mode)", src, sub,
				 dst, other);
			return;
		}
		snprintf(buf, len, "%s: %s is a subscriber%s and %s is not an allowlisted MTA; send via port 587 with SMTP AUTH",
			 p->verdict == OP25B_VERDICT_BLOCK ? "blocked" :
			 "would be blocked (monitor mode)", src, sub, dst);
		return;
	case OP25B_REASON_NOT_TARGET:
		snprintf(buf, len, "passes: %s is a subscriber%s but scope is targets and %s is not in the target table",
			 src, sub, dst);
		return;
	case OP25B_REASON_ALLOWED_MTA:
		match_text(p, OP25B_TABLE_ALLOW, other, sizeof(other));
		snprintf(buf, len, "passes: %s is a subscriber%s but %s is an allowlisted MTA%s",
			 src, sub, dst, other);
		return;
	case OP25B_REASON_EXEMPT:
		match_text(p, OP25B_TABLE_EXEMPT, other, sizeof(other));
		snprintf(buf, len, "passes: %s is a subscriber%s but exempt%s",
			 src, sub, other);
		return;
	case OP25B_REASON_NOT_SUBSCRIBER:
		snprintf(buf, len, "passes: %s is not a subscriber", src);
		return;
	case OP25B_REASON_NOT_SMTP:
		snprintf(buf, len, "passes: only TCP port %d is blocked; port %u is open",
			 OP25B_SMTP_PORT, q->port);
		return;
	case OP25B_REASON_MODE_OFF:
		snprintf(buf, len, "passes: op25b is off");
		return;
	}
	/* a reason this tool does not know, or one at odds with the verdict */
	snprintf(buf, len, "%s: verdict %s, reason %s",
		 check_blocks(p) ? "blocked" : "passes",
		 name_or(op25b_verdict_names, ARRAY_SIZE(op25b_verdict_names),
			 p->verdict),
		 name_or(op25b_reason_names, ARRAY_SIZE(op25b_reason_names),
			 p->reason));
}

static void check_json(const struct check_req *q,
		       const struct check_reply *p, const char *message)
{
	static const int order[] = { OP25B_TABLE_SUBSCRIBER,
				     OP25B_TABLE_ALLOW, OP25B_TABLE_EXEMPT,
				     OP25B_TABLE_TARGET };
	char buf[ENTRY_TEXT_MAX];
	struct json j;
	size_t i;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_string(&j, "verdict", name_or(op25b_verdict_names,
		    ARRAY_SIZE(op25b_verdict_names), p->verdict));
	json_string(&j, "reason", name_or(op25b_reason_names,
		    ARRAY_SIZE(op25b_reason_names), p->reason));
	json_string(&j, "mode", name_or(op25b_mode_names,
		    ARRAY_SIZE(op25b_mode_names), p->mode));
	if (p->scope >= 0)
		json_string(&j, "scope", name_or(op25b_scope_names,
			    ARRAY_SIZE(op25b_scope_names), p->scope));
	entry_format_addr(&q->src, buf, sizeof(buf));
	json_string(&j, "src", buf);
	entry_format_addr(&q->dst, buf, sizeof(buf));
	json_string(&j, "dst", buf);
	json_u64(&j, "port", q->port);
	json_object_begin(&j, "match");
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		const char *key = op25b_table_names[order[i]];

		if (!p->has_match[order[i]]) {
			json_null(&j, key);
			continue;
		}
		entry_format(&p->match[order[i]], buf, sizeof(buf));
		json_string(&j, key, buf);
	}
	json_object_end(&j);
	json_string(&j, "message", message);
	json_object_end(&j);
	json_finish(&j);
}

static int check_run(const struct check_req *q, struct check_reply *p)
{
	char culprit[256];
	struct onl_result res;
	struct onl_req r;
	struct onl h;
	int ret = EXIT_ERR;

	if (onl_open(&h))
		return EXIT_ERR;
	if (check_build(&h, &r, q))
		goto out;
	if (onl_exchange(&h, &r, check_parse, p, &res)) {
		if (res.span >= 0)
			check_culprit(q, res.span, culprit, sizeof(culprit));
		onl_print_error(&res, "check", res.span >= 0 ? culprit : NULL);
	} else if (res.replies != 1) {
		err_msg("check: expected one reply from the kernel, got %u",
			res.replies);
	} else {
		ret = EXIT_OK;
	}
	onl_req_free(&r);
out:
	onl_close(&h);
	return ret;
}

int cmd_check(const struct opts *o, int argc, char **argv)
{
	char message[CHECK_MSG_MAX];
	struct check_req q = { 0 };
	struct check_reply p = { 0 };
	int ret;

	ret = check_args(&q, argc, argv);
	if (ret)
		return ret;
	ret = check_run(&q, &p);
	if (ret)
		return ret;
	check_message(&q, &p, message, sizeof(message));
	if (o->json)
		check_json(&q, &p, message);
	else
		puts(message);
	return check_blocks(&p) ? EXIT_BLOCKED : EXIT_OK;
}
