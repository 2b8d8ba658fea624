// SPDX-License-Identifier: GPL-2.0
/*
 * Prefix parser shared by the module and op25bctl.  It is strict on
 * purpose: a configuration that a typo silently turns into another
 * network would block or open mail for the wrong customers.  So no
 * leading zeros in IPv4 (inet_aton would read them as octal), no
 * abbreviated IPv4, and host bits set under the mask are an error
 * rather than quietly cleared.
 */
#include "op25b_parse.h"

static int op25b_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A decimal number without leading zeros, at most @max; -1 if none. */
static long op25b_decimal(const char *s, size_t len, long max)
{
	long v = 0;
	size_t i;

	if (!len || len > 3 || (len > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= max ? v : -1;
}

bool op25b_parse_addr4(const char *s, size_t len, u32 *out)
{
	size_t i = 0, start;
	u32 a = 0;
	int part;

	for (part = 0; part < 4; part++) {
		long v;

		start = i;
		while (i < len && s[i] != '.')
			i++;
		v = op25b_decimal(s + start, i - start, 255);
		if (v < 0)
			return false;
		a = a << 8 | (u32)v;
		if (part < 3) {
			if (i == len)
				return false;
			i++;	/* the dot */
		}
	}
	if (i != len)
		return false;
	*out = a;
	return true;
}

bool op25b_parse_addr6(const char *s, size_t len, __uint128_t *out)
{
	u16 g[8];
	int ng = 0, gap = -1, k;
	size_t i = 0;
	__uint128_t a = 0;

	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		i = 2;
	} else if (len && s[0] == ':') {
		return false;
	}
	while (i < len) {
		size_t j = i;
		u32 v = 0;

		while (j < len && j - i < 5 && op25b_hexval(s[j]) >= 0)
			v = v << 4 | op25b_hexval(s[j++]);
		if (j < len && s[j] == '.') {
			u32 a4;

			/* dotted IPv4 in the last 32 bits, as in ::ffff:a.b.c.d */
			if (ng > 6 || !op25b_parse_addr4(s + i, len - i, &a4))
				return false;
			g[ng++] = a4 >> 16;
			g[ng++] = a4 & 0xffff;
			break;
		}
		if (j == i || j - i > 4 || ng == 8)
			return false;
		g[ng++] = v;
		i = j;
		if (i == len)
			break;
		if (s[i++] != ':' || i == len)
			return false;
		if (s[i] == ':') {
			if (gap >= 0)
				return false;
			gap = ng;
			i++;
		}
	}
	if (gap < 0 ? ng != 8 : ng > 7)
		return false;
	for (k = 0; k < 8; k++) {
		int src;

		if (gap < 0 || k < gap)
			src = k;
		else if (k < gap + 8 - ng)
			src = -1;
		else
			src = k - (8 - ng);
		a = a << 16 | (src < 0 ? 0 : g[src]);
	}
	*out = a;
	return true;
}

enum op25b_parse_err op25b_parse_prefix(const char *s, size_t len,
					struct op25b_entry *e)
{
	const char *slash = memchr(s, '/', len);
	size_t alen = slash ? (size_t)(slash - s) : len;
	bool v6 = memchr(s, ':', alen) != NULL;
	long plen = v6 ? 128 : 32;

	memset(e, 0, sizeof(*e));
	if (v6) {
		if (!op25b_parse_addr6(s, alen, &e->v6))
			return OP25B_PERR_SYNTAX;
		e->kind = OP25B_KIND_IPV6;
	} else {
		if (!op25b_parse_addr4(s, alen, &e->v4))
			return OP25B_PERR_SYNTAX;
		e->kind = OP25B_KIND_IPV4;
	}
	if (slash) {
		plen = op25b_decimal(slash + 1, len - alen - 1, plen);
		if (plen < 0)
			return OP25B_PERR_PLEN;
	}
	e->plen = plen;
	if (op25b_entry_validate(e) == OP25B_TERR_HOSTBITS)
		return OP25B_PERR_HOSTBITS;
	return OP25B_PERR_NONE;
}

const char *op25b_parse_strerror(enum op25b_parse_err err)
{
	switch (err) {
	case OP25B_PERR_NONE:
		return "success";
	case OP25B_PERR_SYNTAX:
		return "not an IPv4 or IPv6 address";
	case OP25B_PERR_PLEN:
		return "bad prefix length (0-32 for IPv4, 0-128 for IPv6)";
	case OP25B_PERR_HOSTBITS:
		return "host bits set under the prefix length";
	}
	return "unknown error";
}

static const struct {
	char unit;
	u32 secs;
} op25b_units[] = { { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 } };

const char *op25b_parse_duration(const char *s, size_t len, u32 *secs)
{
	size_t i = 0, u = 0;
	u64 total = 0, v;

	if (!len)
		return "empty duration";
	while (i < len) {
		if (s[i] < '0' || s[i] > '9')
			return "expected a number (as in 90s, 30m, 24h, 7d, 1d12h)";
		for (v = 0; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			v = v * 10 + (s[i] - '0');
			if (v > OP25B_TIMEOUT_MAX)
				return "duration out of range (1s to 365d)";
		}
		if (i == len)
			return "missing unit after the number (d, h, m or s)";
		while (u < ARRAY_SIZE(op25b_units) && op25b_units[u].unit != s[i])
			u++;
		if (u == ARRAY_SIZE(op25b_units))
			return strchr("dhms", s[i]) ?
			       "units must come largest first, each once (1d12h, not 12h1d)" :
			       "unknown unit (d, h, m or s)";
		total += v * op25b_units[u++].secs;
		if (total > OP25B_TIMEOUT_MAX)
			return "duration out of range (1s to 365d)";
		i++;
	}
	if (!total)
		return "duration out of range (1s to 365d)";
	*secs = (u32)total;
	return NULL;
}

void op25b_format_duration(u32 secs, char buf[OP25B_DURATION_MAX])
{
	size_t u, n = 0;

	if (!secs) {
		memcpy(buf, "0s", sizeof("0s"));
		return;
	}
	for (u = 0; u < ARRAY_SIZE(op25b_units); u++) {
		u32 v = secs / op25b_units[u].secs, d = 1;

		secs %= op25b_units[u].secs;
		if (!v)
			continue;
		while (v / d >= 10)
			d *= 10;
		for (; d; d /= 10)
			buf[n++] = '0' + v / d % 10;
		buf[n++] = op25b_units[u].unit;
	}
	buf[n] = '\0';
}
