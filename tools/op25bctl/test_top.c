// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of "op25bctl top": a dump reply as the kernel builds it is
 * parsed into offenders, printed as the table (UTC ISO 8601 times, IPv6
 * sources as their /64) and as one JSON document with every field.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "top.h"
#include "../../tests/unit/tap.h"

static void put_offender(struct nl_msg *msg, int family, const char *addr,
			 uint8_t plen, uint64_t count, uint64_t error,
			 uint64_t first, uint64_t last, uint32_t dests)
{
	struct nlattr *o = nla_nest_start(msg, OP25B_OFFENDERS_A_OFFENDER);
	unsigned char a[16];

	inet_pton(family, addr, a);
	nla_put(msg, family == AF_INET ? OP25B_OFFENDER_A_ADDR4 :
		OP25B_OFFENDER_A_ADDR6, family == AF_INET ? 4 : 16, a);
	nla_put_u8(msg, OP25B_OFFENDER_A_PREFIXLEN, plen);
	nla_put_u64(msg, OP25B_OFFENDER_A_COUNT, count);
	nla_put_u64(msg, OP25B_OFFENDER_A_ERROR, error);
	nla_put_u64(msg, OP25B_OFFENDER_A_FIRST, first);
	nla_put_u64(msg, OP25B_OFFENDER_A_LAST, last);
	nla_put_u32(msg, OP25B_OFFENDER_A_DESTS, dests);
	nla_nest_end(msg, o);
}

/* One reply message as the kernel's GET_TOP dump sends it. */
static struct nl_msg *reply(bool head, int part)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *list;

	genlmsg_put(msg, 0, 0, 0x42, 0, NLM_F_MULTI, OP25B_CMD_GET_TOP,
		    OP25B_GENL_VERSION);
	if (head) {
		nla_put_u64(msg, OP25B_A_TOP_TOTAL, 61);
		nla_put_u32(msg, OP25B_A_TOP_SLOTS, 4096);
	}
	list = nla_nest_start(msg, OP25B_A_OFFENDERS);
	if (part == 0) {
		put_offender(msg, AF_INET, "10.10.0.3", 32, 30, 0,
			     1800000000, 1800000060, 1);
		put_offender(msg, AF_INET6, "2001:db8:10::", 64, 20, 2,
			     1800000001, 1800000059, 17);
	} else {
		put_offender(msg, AF_INET, "10.10.0.4", 32, 10, 0, 0, 0, 0);
	}
	nla_nest_end(msg, list);
	return msg;
}

static char *capture(const struct top *t, bool json)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (json)
		top_print_json(f, t);
	else
		top_print_text(f, t);
	fclose(f);
	return out;
}

int main(void)
{
	static const char want_text[] =
		"rank  source                      attempts  first seen            last seen             destinations\n"
		"   1  10.10.0.3                         30  2027-01-15T08:00:00Z  2027-01-15T08:01:00Z             1\n"
		"   2  2001:db8:10::/64                  20  2027-01-15T08:00:01Z  2027-01-15T08:00:59Z            17\n"
		"   3  10.10.0.4                         10  -                     -                                0\n"
		"attempts are estimates: up to 2 too high (61 recorded, 4096 slots per CPU); -j gives each error\n";
	static const char want_json[] =
		"{\"total\":61,\"slots\":4096,\"offenders\":["
		"{\"rank\":1,\"source\":\"10.10.0.3\",\"address\":\"10.10.0.3\",\"prefixlen\":32,"
		"\"attempts\":30,\"error\":0,\"first_seen\":1800000000,\"last_seen\":1800000060,"
		"\"first_seen_utc\":\"2027-01-15T08:00:00Z\",\"last_seen_utc\":\"2027-01-15T08:01:00Z\","
		"\"destinations\":1},"
		"{\"rank\":2,\"source\":\"2001:db8:10::/64\",\"address\":\"2001:db8:10::\",\"prefixlen\":64,"
		"\"attempts\":20,\"error\":2,\"first_seen\":1800000001,\"last_seen\":1800000059,"
		"\"first_seen_utc\":\"2027-01-15T08:00:01Z\",\"last_seen_utc\":\"2027-01-15T08:00:59Z\","
		"\"destinations\":17},"
		"{\"rank\":3,\"source\":\"10.10.0.4\",\"address\":\"10.10.0.4\",\"prefixlen\":32,"
		"\"attempts\":10,\"error\":0,\"first_seen\":0,\"last_seen\":0,"
		"\"first_seen_utc\":null,\"last_seen_utc\":null,\"destinations\":0}]}\n";
	struct top t = { 0 }, empty = { 0 };
	struct nl_msg *m0 = reply(true, 0), *m1 = reply(false, 1);
	char buf[32], *out;

	top_time(0, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "-"), "time 0 is '-'");
	top_time(1800000000, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "2027-01-15T08:00:00Z"), "UTC ISO 8601: %s", buf);

	tap_ok(top_parse(m0, &t) == NL_OK && top_parse(m1, &t) == NL_OK,
	       "two dump replies parse");
	tap_ok(t.n == 3 && t.has_total && t.total == 61 && t.has_slots &&
	       t.slots == 4096, "offenders gathered across replies, kernel order");
	tap_ok(t.o[1].src.kind == OP25B_KIND_IPV6 && t.o[1].src.plen == 64 &&
	       t.o[1].error == 2 && t.o[1].dests == 17, "IPv6 offender fields");

	out = capture(&t, false);
	tap_ok(!strcmp(out, want_text), "text table");
	if (strcmp(out, want_text))
		printf("# got:\n%s", out);
	free(out);
	out = capture(&t, true);
	tap_ok(!strcmp(out, want_json), "JSON document");
	if (strcmp(out, want_json))
		printf("# got: %s", out);
	free(out);

	out = capture(&empty, true);
	tap_ok(!strcmp(out, "{\"total\":null,\"slots\":null,\"offenders\":[]}\n"),
	       "empty JSON");
	free(out);
	out = capture(&empty, false);
	tap_ok(!strchr(out, '\n') || !strchr(strchr(out, '\n') + 1, '\n'),
	       "empty table: the header line alone");
	free(out);

	nlmsg_free(m0);
	nlmsg_free(m1);
	free(t.o);
	return tap_done();
}
