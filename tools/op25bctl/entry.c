// SPDX-License-Identifier: GPL-2.0
/*
 * Entries as netlink nests.  Their text forms are in entrytext.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "entry.h"

static __uint128_t u128_from_bytes(const unsigned char b[16])
{
	__uint128_t v = 0;
	int i;

	for (i = 0; i < 16; i++)
		v = v << 8 | b[i];
	return v;
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
		n += nla_total_size(strnlen(e->ifname, IFNAMSIZ) + 1);
		break;
	}
	if (!with_plen)
		return n;
	if (e->kind != OP25B_KIND_IIF)
		n += nla_total_size(1);
	if (e->comment && e->comment[0])
		n += nla_total_size(strlen(e->comment) + 1);
	if (e->timeout)
		n += nla_total_size(4) * (e->left ? 2 : 1);
	return n;
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
		entry_u128_to_bytes(e->v6, b6);
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
	if (!err && with_plen && e->comment && e->comment[0])
		err = nla_put_string(msg, OP25B_ENTRY_A_COMMENT, e->comment);
	if (!err && with_plen && e->timeout)
		err = nla_put_u32(msg, OP25B_ENTRY_A_TIMEOUT, e->timeout);
	if (!err && with_plen && e->timeout && e->left)
		err = nla_put_u32(msg, OP25B_ENTRY_A_EXPIRES, e->left);
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
	[OP25B_ENTRY_A_COMMENT]	  = { .type = NLA_STRING,
				      .maxlen = OP25B_COMMENT_MAX + 1 },
	[OP25B_ENTRY_A_TIMEOUT]	  = { .type = NLA_U32 },
	[OP25B_ENTRY_A_EXPIRES]	  = { .type = NLA_U32 },
};

/*
 * The kernel checked the comment; still, a control character would break
 * the one-line formats of "list" and "save", so such a reply is refused.
 */
static int comment_get(struct nlattr *a, const char **out)
{
	const char *s = nla_data(a);
	size_t n = strnlen(s, nla_len(a)), i;

	if (n == (size_t)nla_len(a) || n > OP25B_COMMENT_MAX)
		return -EBADMSG;	/* not NUL terminated, or too long */
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return -EBADMSG;
	*out = n ? s : NULL;
	return 0;
}

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
	if (tb[OP25B_ENTRY_A_COMMENT] &&
	    comment_get(tb[OP25B_ENTRY_A_COMMENT], &e->comment))
		return -EBADMSG;
	if (tb[OP25B_ENTRY_A_TIMEOUT]) {
		e->timeout = nla_get_u32(tb[OP25B_ENTRY_A_TIMEOUT]);
		if (tb[OP25B_ENTRY_A_EXPIRES])
			e->left = nla_get_u32(tb[OP25B_ENTRY_A_EXPIRES]);
	}
	/* only the plen can be out of range; keep printing honest */
	if (e->kind != OP25B_KIND_IIF &&
	    op25b_entry_validate(e) == OP25B_TERR_PLEN)
		return -EBADMSG;
	return 0;
}
