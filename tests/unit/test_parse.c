// SPDX-License-Identifier: GPL-2.0
/*
 * The shared prefix parser against glibc's inet_pton for addresses, and
 * its own rules for lengths and host bits.
 */
#include <arpa/inet.h>
#include "op25b_parse.h"
#include "tap.h"

static int parse(const char *s, struct op25b_entry *e)
{
	return op25b_parse_prefix(s, strlen(s), e);
}

static void expect(const char *s, enum op25b_parse_err want)
{
	struct op25b_entry e;
	int got = parse(s, &e);

	tap_ok(got == (int)want, "'%s' -> %s (got %s)", s,
	       op25b_parse_strerror(want), op25b_parse_strerror(got));
}

static __uint128_t u128_of(const unsigned char *b)
{
	__uint128_t v = 0;
	int i;

	for (i = 0; i < 16; i++)
		v = v << 8 | b[i];
	return v;
}

/* Our IPv6 reading must agree with inet_pton on what both accept. */
static void agree6(const char *s)
{
	unsigned char b[16];
	__uint128_t v;
	bool ours = op25b_parse_addr6(s, strlen(s), &v);
	bool libc = inet_pton(AF_INET6, s, b) == 1;

	tap_ok(ours == libc && (!ours || v == u128_of(b)),
	       "ipv6 '%s' agrees with inet_pton (%d/%d)", s, ours, libc);
}

static void agree4(const char *s)
{
	struct in_addr a;
	u32 v;
	bool ours = op25b_parse_addr4(s, strlen(s), &v);
	bool libc = inet_pton(AF_INET, s, &a) == 1;

	tap_ok(ours == libc && (!ours || v == ntohl(a.s_addr)),
	       "ipv4 '%s' agrees with inet_pton (%d/%d)", s, ours, libc);
}

/* @s parses to @want seconds, or (want 0) is refused saying @why. */
static void duration(const char *s, u32 want, const char *why)
{
	u32 got = 0;
	const char *err = op25b_parse_duration(s, strlen(s), &got);

	if (want)
		tap_ok(!err && got == want, "duration '%s' is %u s (got %u, %s)",
		       s, want, got, err ? err : "ok");
	else
		tap_ok(err && strstr(err, why), "duration '%s' refused: %s (%s)",
		       s, why, err ? err : "accepted");
}

static void durations(void)
{
	char buf[OP25B_DURATION_MAX];
	u32 v, back, bad = 0;

	duration("90s", 90, NULL);
	duration("30m", 1800, NULL);
	duration("24h", 86400, NULL);
	duration("7d", 604800, NULL);
	duration("1d12h", 129600, NULL);
	duration("23h59m12s", 86352, NULL);
	duration("365d", OP25B_TIMEOUT_MAX, NULL);
	duration("1s", 1, NULL);
	duration("0s", 0, "out of range");
	duration("366d", 0, "out of range");
	duration("365d1s", 0, "out of range");
	duration("99999999999999999999s", 0, "out of range");
	duration("-5m", 0, "expected a number");
	duration("5", 0, "missing unit");
	duration("5x", 0, "unknown unit");
	duration("5mn", 0, "expected a number");
	duration("12h1d", 0, "largest first");
	duration("1h1h", 0, "largest first");
	duration("1h 30m", 0, "expected a number");
	duration("", 0, "empty");
	op25b_format_duration(0, buf);
	tap_ok(!strcmp(buf, "0s"), "0 s is written 0s");
	op25b_format_duration(86352, buf);
	tap_ok(!strcmp(buf, "23h59m12s"), "86352 s is written 23h59m12s (%s)",
	       buf);
	op25b_format_duration(604800, buf);
	tap_ok(!strcmp(buf, "7d"), "zero parts are left out (%s)", buf);
	for (v = 1; v <= OP25B_TIMEOUT_MAX; v += 1 + v / 3) {
		op25b_format_duration(v, buf);
		bad += op25b_parse_duration(buf, strlen(buf), &back) || back != v;
	}
	op25b_format_duration(OP25B_TIMEOUT_MAX - 1, buf);
	bad += op25b_parse_duration(buf, strlen(buf), &back) ||
	       back != OP25B_TIMEOUT_MAX - 1;
	tap_ok(!bad, "what is written reads back the same (%u mismatches)", bad);
}

int main(void)
{
	static const char *const v6[] = {
		"::", "::1", "1::", "2001:db8::", "2001:db8::1",
		"2001:db8:0:0:0:0:0:1", "2001:db8:0:0:0:0:0:0:1",
		"fe80::1:2:3:4:5:6", "1:2:3:4:5:6:7::", "::1:2:3:4:5:6:7",
		"1:2:3:4:5:6:7:8", "1::2::3", ":1::", "1:::2", "12345::",
		"::ffff:192.0.2.1", "64:ff9b::198.51.100.7", "::1.2.3",
		"1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "g::1",
		"1:", ":", "", "ABCD:ef01::", "0:0:0:0:0:0:0:0", "::0:0",
		"1:2:3:4:5:6:7:8:", "::1.2.3.4:5",
	};
	static const char *const v4[] = {
		"0.0.0.0", "255.255.255.255", "192.0.2.1", "256.1.1.1",
		"1.2.3", "1.2.3.4.5", "01.2.3.4", "1..2.3", " 1.2.3.4",
		"1.2.3.4 ", "", "1.2.3.", ".1.2.3", "10.0.0.0",
	};
	struct op25b_entry e;
	size_t i;

	durations();
	for (i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
		agree6(v6[i]);
	for (i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
		agree4(v4[i]);

	expect("10.0.0.0/8", OP25B_PERR_NONE);
	expect("10.0.0.1", OP25B_PERR_NONE);
	expect("0.0.0.0/0", OP25B_PERR_NONE);
	expect("10.0.0.1/8", OP25B_PERR_HOSTBITS);
	expect("10.0.0.0/33", OP25B_PERR_PLEN);
	expect("10.0.0.0/", OP25B_PERR_PLEN);
	expect("10.0.0.0/08", OP25B_PERR_PLEN);
	expect("10.0.0.0/8/8", OP25B_PERR_PLEN);
	expect("10.0.0.0/-1", OP25B_PERR_PLEN);
	expect("2001:db8::/32", OP25B_PERR_NONE);
	expect("2001:db8::1/32", OP25B_PERR_HOSTBITS);
	expect("2001:db8::/129", OP25B_PERR_PLEN);
	expect("::/0", OP25B_PERR_NONE);
	expect("example.com", OP25B_PERR_SYNTAX);
	expect("", OP25B_PERR_SYNTAX);
	expect("/8", OP25B_PERR_SYNTAX);

	tap_ok(!parse("192.0.2.25", &e) && e.kind == OP25B_KIND_IPV4 &&
	       e.plen == 32 && e.v4 == 0xc0000219, "host address is a /32");
	tap_ok(!parse("2001:db8::25", &e) && e.kind == OP25B_KIND_IPV6 &&
	       e.plen == 128, "IPv6 host address is a /128");
	/* counted strings: bytes past len are not read */
	tap_ok(!op25b_parse_prefix("10.0.0.0/8,garbage", 10, &e) &&
	       e.plen == 8, "parses only the counted length");
	return tap_done();
}
