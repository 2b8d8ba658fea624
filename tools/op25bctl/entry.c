// SPDX-License-Identifier: GPL-2.0
/*
 * Entries as text and as netlink nests.  Prefixes are parsed by the
 * shared op25b_parse_prefix() (see table.c); this file handles what the
 * shared code does not: printing, interface names and the wire format.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "entry.h"

static void u128_to_bytes(__uint128_t v, unsigned char b[16])
{
	int i;

	for (i = 15; i >= 0; i--) {
		b[i] = (unsigned char)v;
		v >>= 8;
	}
}

static __uint128_t u128_from_bytes(const unsigned char b[16])
{
	__uint128_t v = 0;
	int i;

	for (i = 0; i < 16; i++)
		v = v << 8 | b[i];
	return v;
}

void entry_format_addr(const struct op25b_entry *e, char *buf, size_t len)
{
	unsigned char b6[16];
	struct in_addr a4;

	switch (e->kind) {
	case OP25B_KIND_IPV4:
		a4.s_addr = htonl(e->v4);
		inet_ntop(AF_INET, &a4, buf, len);
		break;
	case OP25B_KIND_IPV6:
		/* inet_ntop gives the RFC 5952 form, which the parser reads */
		u128_to_bytes(e->v6, b6);
		inet_ntop(AF_INET6, b6, buf, len);
		break;
	default:
		snprintf(buf, len, "iif %.*s", IFNAMSIZ, e->ifname);
		break;
	}
}

void entry_format(const struct op25b_entry *e, char *buf, size_t len)
{
	size_t n;

	entry_format_addr(e, buf, len);
	if (e->kind == OP25B_KIND_IIF)
		return;
	/* always "/len", so a listing never depends on the host default */
	n = strlen(buf);
	snprintf(buf + n, len - n, "/%u", e->plen);
}

static bool ifname_char_ok(unsigned char c)
{
	/* what the kernel's dev_valid_name() refuses can never match */
	return c > 0x20 && c != 0x7f && c != '/' && c != ':';
}

const char *entry_parse_ifname(const char *name, struct op25b_entry *e)
{
	size_t len = strlen(name), i;
	const char *plus = strchr(name, '+');

	if (!len)
		return "empty interface name";
	if (len >= IFNAMSIZ)
		return "interface name longer than 15 characters";
	if (plus && plus != name + len - 1)
		return "'+' is only allowed as the last character";
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "invalid interface name";
	for (i = 0; i < len; i++)
		if (!ifname_char_ok((unsigned char)name[i]))
			return "interface names cannot contain '/', ':', spaces or control characters";
	memset(e, 0, sizeof(*e));
	e->kind = OP25B_KIND_IIF;
	memcpy(e->ifname, name, len);
	/* the kernel's own check, in case it is stricter than ours */
	if (op25b_entry_validate(e) != OP25B_TERR_NONE)
		return op25b_table_strerror(op25b_entry_validate(e));
	return NULL;
}

size_t entry_nest_size(const struct op25b_entry *e, bool with_plen)
{
	size_t n = NLA_HDRLEN;

	switch (e->kind) {
	case OP25B_KIND_IPV4:
		n += nla_total_size(4);
		break;
	case OP25B_KIND_IPV6:
		n += nla_total_size(16);
		break;
	default:
		return n + nla_total_size(strnlen(e->ifname, IFNAMSIZ) + 1);
	}
	return with_plen ? n + nla_total_size(1) : n;
}

static int put_addr(struct nl_msg *msg, const struct op25b_entry *e,
		    bool with_plen)
{
	unsigned char b6[16];
	uint32_t be4;
	int err;

	if (e->kind == OP25B_KIND_IPV4) {
		be4 = htonl(e->v4);
		err = nla_put(msg, OP25B_ENTRY_A_ADDR4, 4, &be4);
	} else {
		u128_to_bytes(e->v6, b6);
		err = nla_put(msg, OP25B_ENTRY_A_ADDR6, 16, b6);
	}
	if (!err && with_plen)
		err = nla_put_u8(msg, OP25B_ENTRY_A_PREFIXLEN, e->plen);
	return err;
}

struct nlattr *entry_put(struct nl_msg *msg, int type,
			 const struct op25b_entry *e, bool with_plen)
{
	char name[IFNAMSIZ + 1];
	struct nlattr *nest;
	int err;

	nest = nla_nest_start(msg, type);
	if (!nest)
		return NULL;
	if (e->kind == OP25B_KIND_IIF) {
		snprintf(name, sizeof(name), "%.*s", IFNAMSIZ, e->ifname);
		err = nla_put_string(msg, OP25B_ENTRY_A_IIFNAME, name);
	} else {
		err = put_addr(msg, e, with_plen);
	}
	if (err || nla_nest_end(msg, nest)) {
		nla_nest_cancel(msg, nest);
		return NULL;
	}
	return nest;
}

static const struct nla_policy entry_policy[OP25B_ENTRY_A_MAX + 1] = {
	[OP25B_ENTRY_A_ADDR4]	  = { .minlen = 4, .maxlen = 4 },
	[OP25B_ENTRY_A_ADDR6]	  = { .minlen = 16, .maxlen = 16 },
	[OP25B_ENTRY_A_PREFIXLEN] = { .type = NLA_U8 },
	[OP25B_ENTRY_A_IIFNAME]	  = { .type = NLA_STRING, .maxlen = IFNAMSIZ },
};

int entry_get(struct nlattr *nest, struct op25b_entry *e)
{
	struct nlattr *tb[OP25B_ENTRY_A_MAX + 1];
	struct nlattr *plen = NULL;
	uint32_t be4;

	memset(e, 0, sizeof(*e));
	if (nla_parse_nested(tb, OP25B_ENTRY_A_MAX, nest, entry_policy))
		return -EBADMSG;
	plen = tb[OP25B_ENTRY_A_PREFIXLEN];
	if (tb[OP25B_ENTRY_A_ADDR4]) {
		e->kind = OP25B_KIND_IPV4;
		memcpy(&be4, nla_data(tb[OP25B_ENTRY_A_ADDR4]), 4);
		e->v4 = ntohl(be4);
		e->plen = plen ? nla_get_u8(plen) : 32;
	} else if (tb[OP25B_ENTRY_A_ADDR6]) {
		e->kind = OP25B_KIND_IPV6;
		e->v6 = u128_from_bytes(nla_data(tb[OP25B_ENTRY_A_ADDR6]));
		e->plen = plen ? nla_get_u8(plen) : 128;
	} else if (tb[OP25B_ENTRY_A_IIFNAME]) {
		struct nlattr *a = tb[OP25B_ENTRY_A_IIFNAME];
		size_t n = strnlen(nla_data(a), nla_len(a));

		if (!n || n >= IFNAMSIZ)
			return -EBADMSG;
		e->kind = OP25B_KIND_IIF;
		memcpy(e->ifname, nla_data(a), n);
	} else {
		return -EBADMSG;
	}
	/* only the plen can be out of range; keep printing honest */
	if (e->kind != OP25B_KIND_IIF &&
	    op25b_entry_validate(e) == OP25B_TERR_PLEN)
		return -EBADMSG;
	return 0;
}
