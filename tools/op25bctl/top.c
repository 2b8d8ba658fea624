// SPDX-License-Identifier: GPL-2.0
/*
 * "op25bctl [-j] top [N]" and "op25bctl top reset".
 *
 * The kernel keeps the offenders per CPU with Space-Saving and merges
 * them when dumped, most attempts first; this file only asks for the
 * first N and prints them.  Counts are estimates: see top.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <netlink/genl/genl.h>

#include "entry.h"
#include "json.h"
#include "nl.h"
#include "top.h"

void top_time(uint64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!t || !gmtime_r(&tt, &tm) ||
	    !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "-");
}

/* "10.10.0.2" for a host, "2001:db8:10::/64" for a prefix. */
static void source_text(const struct op25b_entry *e, char *buf, size_t len)
{
	if (e->plen == (e->kind == OP25B_KIND_IPV4 ? 32 : 128))
		entry_format_addr(e, buf, len);
	else
		entry_format(e, buf, len);
}

void top_print_text(FILE *f, const struct top *t)
{
	char src[ENTRY_TEXT_MAX], first[32], last[32];
	uint64_t max_error = 0;
	uint32_t i;

	fprintf(f, "%4s  %-24s  %10s  %-20s  %-20s  %12s\n", "rank", "source",
		"attempts", "first seen", "last seen", "destinations");
	for (i = 0; i < t->n; i++) {
		const struct offender *o = &t->o[i];

		source_text(&o->src, src, sizeof(src));
		top_time(o->first, first, sizeof(first));
		top_time(o->last, last, sizeof(last));
		fprintf(f, "%4" PRIu32 "  %-24s  %10" PRIu64 "  %-20s  %-20s  %12" PRIu32 "\n",
			i + 1, src, o->count, first, last, o->dests);
		if (o->error > max_error)
			max_error = o->error;
	}
	/* exact counts and estimates must not look alike */
	if (max_error && t->has_total && t->has_slots)
		fprintf(f, "attempts are estimates: up to %" PRIu64 " too high (%" PRIu64 " recorded, %" PRIu32 " slots per CPU); -j gives each error\n",
			max_error, t->total, t->slots);
}

void top_print_json(FILE *f, const struct top *t)
{
	char buf[ENTRY_TEXT_MAX];
	struct json j;
	uint32_t i;

	json_init(&j, f);
	json_object_begin(&j, NULL);
	if (t->has_total)
		json_u64(&j, "total", t->total);
	else
		json_null(&j, "total");
	if (t->has_slots)
		json_u64(&j, "slots", t->slots);
	else
		json_null(&j, "slots");
	json_array_begin(&j, "offenders");
	for (i = 0; i < t->n; i++) {
		const struct offender *o = &t->o[i];

		json_object_begin(&j, NULL);
		json_u64(&j, "rank", i + 1);
		source_text(&o->src, buf, sizeof(buf));
		json_string(&j, "source", buf);
		entry_format_addr(&o->src, buf, sizeof(buf));
		json_string(&j, "address", buf);
		json_u64(&j, "prefixlen", o->src.plen);
		json_u64(&j, "attempts", o->count);
		json_u64(&j, "error", o->error);
		json_u64(&j, "first_seen", o->first);
		json_u64(&j, "last_seen", o->last);
		top_time(o->first, buf, sizeof(buf));
		json_string(&j, "first_seen_utc", o->first ? buf : NULL);
		top_time(o->last, buf, sizeof(buf));
		json_string(&j, "last_seen_utc", o->last ? buf : NULL);
		json_u64(&j, "destinations", o->dests);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

/* ---- the dump ---- */

static const struct nla_policy offender_policy[OP25B_OFFENDER_A_MAX + 1] = {
	[OP25B_OFFENDER_A_ADDR4]     = { .minlen = 4, .maxlen = 4 },
	[OP25B_OFFENDER_A_ADDR6]     = { .minlen = 16, .maxlen = 16 },
	[OP25B_OFFENDER_A_PREFIXLEN] = { .type = NLA_U8 },
	[OP25B_OFFENDER_A_COUNT]     = { .type = NLA_U64 },
	[OP25B_OFFENDER_A_ERROR]     = { .type = NLA_U64 },
	[OP25B_OFFENDER_A_FIRST]     = { .type = NLA_U64 },
	[OP25B_OFFENDER_A_LAST]      = { .type = NLA_U64 },
	[OP25B_OFFENDER_A_DESTS]     = { .type = NLA_U32 },
};

static uint64_t u64_or0(struct nlattr *a)
{
	return a ? nla_get_u64(a) : 0;
}

static int offender_get(struct nlattr *nest, struct offender *o)
{
	struct nlattr *tb[OP25B_OFFENDER_A_MAX + 1];
	unsigned char *b;
	uint32_t be4;
	int i;

	memset(o, 0, sizeof(*o));
	if (nla_parse_nested(tb, OP25B_OFFENDER_A_MAX, nest, offender_policy))
		return -1;
	if (tb[OP25B_OFFENDER_A_ADDR4]) {
		o->src.kind = OP25B_KIND_IPV4;
		memcpy(&be4, nla_data(tb[OP25B_OFFENDER_A_ADDR4]), 4);
		o->src.v4 = ntohl(be4);
		o->src.plen = 32;
	} else if (tb[OP25B_OFFENDER_A_ADDR6]) {
		o->src.kind = OP25B_KIND_IPV6;
		b = nla_data(tb[OP25B_OFFENDER_A_ADDR6]);
		for (i = 0; i < 16; i++)
			o->src.v6 = o->src.v6 << 8 | b[i];
		o->src.plen = OP25B_OFFENDER_PLEN6;
	} else {
		return -1;
	}
	if (tb[OP25B_OFFENDER_A_PREFIXLEN]) {
		o->src.plen = nla_get_u8(tb[OP25B_OFFENDER_A_PREFIXLEN]);
		if (o->src.plen > (o->src.kind == OP25B_KIND_IPV4 ? 32 : 128))
			return -1;
	}
	o->count = u64_or0(tb[OP25B_OFFENDER_A_COUNT]);
	o->error = u64_or0(tb[OP25B_OFFENDER_A_ERROR]);
	o->first = u64_or0(tb[OP25B_OFFENDER_A_FIRST]);
	o->last = u64_or0(tb[OP25B_OFFENDER_A_LAST]);
	if (tb[OP25B_OFFENDER_A_DESTS])
		o->dests = nla_get_u32(tb[OP25B_OFFENDER_A_DESTS]);
	return 0;
}

static int top_add(struct top *t, const struct offender *o)
{
	if (t->n == t->cap) {
		uint32_t cap = t->cap ? 2 * t->cap : 64;
		struct offender *no = realloc(t->o, cap * sizeof(*no));

		if (!no)
			return -1;
		t->o = no;
		t->cap = cap;
	}
	t->o[t->n++] = *o;
	return 0;
}

int top_parse(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[OP25B_A_MAX + 1], *a;
	struct top *t = arg;
	struct offender o;
	int rem;

	if (onl_parse_reply(msg, tb))
		return NL_STOP;
	if (tb[OP25B_A_TOP_TOTAL]) {
		t->has_total = true;
		t->total = nla_get_u64(tb[OP25B_A_TOP_TOTAL]);
	}
	if (tb[OP25B_A_TOP_SLOTS]) {
		t->has_slots = true;
		t->slots = nla_get_u32(tb[OP25B_A_TOP_SLOTS]);
	}
	if (!tb[OP25B_A_OFFENDERS])
		return NL_OK;
	nla_for_each_nested(a, tb[OP25B_A_OFFENDERS], rem) {
		if (nla_type(a) != OP25B_OFFENDERS_A_OFFENDER)
			continue;
		if (offender_get(a, &o) || top_add(t, &o))
			return NL_STOP;
	}
	return NL_OK;
}

static int top_dump(struct onl *h, struct top *t, uint32_t limit,
		    struct onl_result *res)
{
	struct onl_req r;
	int err;

	memset(res, 0, sizeof(*res));
	res->nlerr = -NLE_NOMEM;
	if (onl_req_init(h, &r, OP25B_CMD_GET_TOP, NLM_F_DUMP, 8))
		return -1;
	if (nla_put_u32(r.msg, OP25B_A_TOP_LIMIT, limit)) {
		onl_req_free(&r);
		return -1;
	}
	t->n = 0;
	t->has_total = t->has_slots = false;
	err = onl_exchange(h, &r, top_parse, t, res);
	onl_req_free(&r);
	return err;
}

static int top_fetch(struct top *t, uint32_t limit)
{
	struct onl_result res;
	struct onl h;
	int tries, ret = -1;

	if (onl_open(&h))
		return -1;
	for (tries = 0; tries < DUMP_TRIES; tries++) {
		if (top_dump(&h, t, limit, &res)) {
			onl_print_error(&res, "top", NULL);
			goto out;
		}
		if (!res.intr)
			break;
	}
	if (tries == DUMP_TRIES)
		err_msg("top: the offenders kept changing during the listing; gave up after %d tries",
			DUMP_TRIES);
	else
		ret = 0;
out:
	onl_close(&h);
	return ret;
}

/* N: 1 to 2^32 - 1, in decimal. */
static int top_limit(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (s[0] < '1' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int cmd_top(const struct opts *o, int argc, char **argv)
{
	struct top t = { 0 };
	uint32_t limit = TOP_DEFAULT;

	if (argc > 1 && !strcmp(argv[1], "reset")) {
		if (argc > 2)
			return usage_err("top reset: unexpected argument '%s'",
					 argv[2]);
		return onl_simple(OP25B_CMD_RESET_TOP, 0, 0, "top reset", NULL,
				  NULL);
	}
	if (argc > 1 && top_limit(argv[1], &limit))
		return usage_err("top: bad number '%s' (1-%u, or reset)",
				 argv[1], UINT32_MAX);
	if (argc > 2)
		return usage_err("top: unexpected argument '%s'", argv[2]);
	if (top_fetch(&t, limit)) {
		free(t.o);
		return EXIT_ERR;
	}
	/* a kernel that ignored the limit must not flood the terminal */
	if (t.n > limit)
		t.n = limit;
	if (o->json)
		top_print_json(stdout, &t);
	else
		top_print_text(stdout, &t);
	free(t.o);
	return EXIT_OK;
}
