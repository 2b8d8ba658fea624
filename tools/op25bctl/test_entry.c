// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of entries: what "list" prints must parse back to the same
 * entry ("add -f" of a listing), interface names are checked as the
 * kernel would, and the netlink nests round-trip with the sizes that
 * batching assumes.
 */
#include <string.h>

#include <netlink/msg.h>

#include "entry.h"
#include "../../tests/unit/tap.h"
#include "../../src/op25b_parse.h"

static const char *const canonical[] = {
	"0.0.0.0/0", "10.0.0.0/8", "192.0.2.25/32", "255.255.255.255/32",
	"::/0", "2001:db8::/32", "2001:db8::1/128", "::1/128",
	"::ffff:10.1.2.3/128", "fe80::/10", "2001:db8:0:1::/64",
	"1:2:3:4:5:6:7:8/128",
	/* glibc still prints the deprecated IPv4-compatible form */
	"::1.2.3.4/128",
};

static void test_round_trip(void)
{
	char buf[ENTRY_TEXT_MAX];
	struct op25b_entry e, e2;
	size_t i;

	for (i = 0; i < sizeof(canonical) / sizeof(*canonical); i++) {
		const char *s = canonical[i];

		tap_ok(op25b_parse_prefix(s, strlen(s), &e) == OP25B_PERR_NONE,
		       "parse %s", s);
		entry_format(&e, buf, sizeof(buf));
		tap_ok(!strcmp(buf, s), "format %s gives %s", s, buf);
		tap_ok(op25b_parse_prefix(buf, strlen(buf), &e2) ==
		       OP25B_PERR_NONE && !op25b_entry_cmp(&e, &e2),
		       "%s parses back to the same entry", buf);
	}
}

static void test_format_forms(void)
{
	static const char *const in[][2] = {
		{ "192.0.2.25", "192.0.2.25/32" },
		{ "2001:DB8::", "2001:db8::/128" },
		{ "2001:0db8:0000:0000:0000:0000:0000:0000/32", "2001:db8::/32" },
		{ "::ffff:192.0.2.1", "::ffff:192.0.2.1/128" },
	};
	char buf[ENTRY_TEXT_MAX];
	struct op25b_entry e = { 0 };
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(*in); i++) {
		op25b_parse_prefix(in[i][0], strlen(in[i][0]), &e);
		entry_format(&e, buf, sizeof(buf));
		tap_ok(!strcmp(buf, in[i][1]), "%s lists as %s (%s)", in[i][0],
		       in[i][1], buf);
	}
	entry_format_addr(&e, buf, sizeof(buf));
	tap_ok(!strcmp(buf, "::ffff:192.0.2.1"), "address alone: %s", buf);
}

static void test_ifnames(void)
{
	static const char *const good[] = {
		"ppp+", "eth0", "bond0.100", "a", "+", "x23456789012345",
	};
	static const char *const bad[] = {
		"", "x234567890123456", "pp+p", "++", "eth/0", "eth:0",
		"eth 0", "eth\t0", "eth\n", ".", "..", "\x7f",
	};
	char buf[ENTRY_TEXT_MAX];
	struct op25b_entry e;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(*good); i++) {
		tap_ok(!entry_parse_ifname(good[i], &e) &&
		       e.kind == OP25B_KIND_IIF, "iif %s accepted", good[i]);
		entry_format(&e, buf, sizeof(buf));
		tap_ok(!strncmp(buf, "iif ", 4) && !strcmp(buf + 4, good[i]),
		       "iif %s lists as '%s'", good[i], buf);
	}
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		tap_ok(entry_parse_ifname(bad[i], &e) != NULL,
		       "bad name #%zu refused: %s", i,
		       entry_parse_ifname(bad[i], &e));
}

/* Put, then get back: the nest size must match entry_nest_size(). */
static void nest_round_trip(const struct op25b_entry *e, const char *what)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct op25b_entry got;
	struct nlattr *nest;

	nest = entry_put(msg, OP25B_LIST_A_ENTRY, e, true);
	tap_ok(nest && (size_t)NLA_ALIGN(nest->nla_len) ==
	       entry_nest_size(e, true), "%s: nest is %zu bytes as sized", what,
	       entry_nest_size(e, true));
	tap_ok(nest && !entry_get(nest, &got) && !op25b_entry_cmp(e, &got),
	       "%s: nest parses back", what);
	nlmsg_free(msg);

	if (e->kind == OP25B_KIND_IIF)
		return;
	msg = nlmsg_alloc();
	nest = entry_put(msg, OP25B_A_SRC, e, false);
	tap_ok(nest && (size_t)NLA_ALIGN(nest->nla_len) ==
	       entry_nest_size(e, false) && !entry_get(nest, &got) &&
	       got.plen == (e->kind == OP25B_KIND_IPV4 ? 32 : 128),
	       "%s: bare address nest is a host", what);
	nlmsg_free(msg);
}

static void test_nests(void)
{
	struct op25b_entry e;

	op25b_parse_prefix("10.0.0.0/8", 10, &e);
	nest_round_trip(&e, "10.0.0.0/8");
	op25b_parse_prefix("2001:db8::/32", 13, &e);
	nest_round_trip(&e, "2001:db8::/32");
	entry_parse_ifname("ppp+", &e);
	nest_round_trip(&e, "iif ppp+");
	entry_parse_ifname("x23456789012345", &e);
	nest_round_trip(&e, "iif of 15 characters");
}

int main(void)
{
	test_round_trip();
	test_format_forms();
	test_ifnames();
	test_nests();
	return tap_done();
}
