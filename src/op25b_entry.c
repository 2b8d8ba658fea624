// SPDX-License-Identifier: GPL-2.0
/*
 * Entries: their order and what makes one acceptable.  See op25b_entry.h.
 */
#include "op25b_entry.h"

static const char *const op25b_terr_text[] = {
	[OP25B_TERR_NONE]	= "success",
	[OP25B_TERR_PLEN]	= "prefix length out of range",
	[OP25B_TERR_HOSTBITS]	= "prefix has host bits set",
	[OP25B_TERR_IFNAME]	= "invalid interface name",
	[OP25B_TERR_DUPLICATE]	= "entry given twice in one request",
	[OP25B_TERR_EXISTS]	= "entry already in table",
	[OP25B_TERR_MISSING]	= "entry not in table",
	[OP25B_TERR_FULL]	= "table full (see module parameter table_max)",
	[OP25B_TERR_IIF_FULL]	= "too many interface entries",
	[OP25B_TERR_NOMEM]	= "out of memory",
	[OP25B_TERR_COMMENT]	= "comment longer than 64 bytes, not UTF-8 or with control characters",
	[OP25B_TERR_TIMEOUT]	= "timeout out of range (1s to 365d; expires at most the timeout)",
	[OP25B_TERR_TIMEOUT_IIF] = "interface entries cannot have a timeout",
};

static const int op25b_terr_errno[] = {
	[OP25B_TERR_NONE]	= 0,
	[OP25B_TERR_PLEN]	= -EINVAL,
	[OP25B_TERR_HOSTBITS]	= -EINVAL,
	[OP25B_TERR_IFNAME]	= -EINVAL,
	[OP25B_TERR_DUPLICATE]	= -EINVAL,
	[OP25B_TERR_EXISTS]	= -EEXIST,
	[OP25B_TERR_MISSING]	= -ENOENT,
	[OP25B_TERR_FULL]	= -ENOSPC,
	[OP25B_TERR_IIF_FULL]	= -ENOSPC,
	[OP25B_TERR_NOMEM]	= -ENOMEM,
	[OP25B_TERR_COMMENT]	= -EINVAL,
	[OP25B_TERR_TIMEOUT]	= -ERANGE,
	[OP25B_TERR_TIMEOUT_IIF] = -EINVAL,
};

const char *op25b_table_strerror(enum op25b_table_err err)
{
	if ((unsigned int)err >= ARRAY_SIZE(op25b_terr_text))
		return "unknown error";
	return op25b_terr_text[err];
}

int op25b_table_errno(enum op25b_table_err err)
{
	if ((unsigned int)err >= ARRAY_SIZE(op25b_terr_errno))
		return -EINVAL;
	return op25b_terr_errno[err];
}

/*
 * What the kernel accepts as a device name (dev_valid_name(), whose
 * isspace() includes 0xa0), with '+'
 * allowed only last, as the wildcard iptables has.
 */
static bool op25b_ifname_valid(const char *name)
{
	size_t len = strnlen(name, IFNAMSIZ), i;

	if (!len || len == IFNAMSIZ || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return false;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (c == '/' || c == ':' || c == ' ' || (c >= '\t' && c <= '\r') ||
		    (unsigned char)c == 0xa0)
			return false;
		if (c == '+' && i != len - 1)
			return false;
	}
	return true;
}

/* Length of the UTF-8 sequence led by @c, 0 if @c cannot lead one. */
static unsigned int op25b_utf8_seqlen(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

unsigned int op25b_utf8_len(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned int k = op25b_utf8_seqlen(s[0]), j;

	for (j = 1; j < k; j++)
		if ((s[j] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
	/* s[1] is read only after a lead byte, so it is in the string */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return k;
}

/*
 * A comment ends up on one line of a configuration file and of a
 * terminal: well-formed UTF-8, no control characters.
 */
enum op25b_comment_err op25b_comment_check(const char *s)
{
	size_t len = strnlen(s, OP25B_COMMENT_MAX + 1), i;
	unsigned int k;

	if (len > OP25B_COMMENT_MAX)
		return OP25B_COMMENT_LONG;
	for (i = 0; i < len; i += k) {
		unsigned char c = s[i];

		k = op25b_utf8_len(s + i);
		if (!k)
			return OP25B_COMMENT_UTF8;
		if (c < 0x20 || c == 0x7f)
			return OP25B_COMMENT_CONTROL;
	}
	return OP25B_COMMENT_OK;
}

/* A prefix of @plen bits of @a, an address of @bits bits. */
static enum op25b_table_err op25b_prefix_check(__uint128_t a,
					       unsigned int plen,
					       unsigned int bits)
{
	if (plen > bits)
		return OP25B_TERR_PLEN;
	if (a & ~op25b_mask6(plen + 128 - bits))
		return OP25B_TERR_HOSTBITS;
	return OP25B_TERR_NONE;
}

static enum op25b_table_err op25b_entry_validate_key(const struct op25b_entry *e)
{
	switch (e->kind) {
	case OP25B_KIND_IPV4:
		return op25b_prefix_check(e->v4, e->plen, 32);
	case OP25B_KIND_IPV6:
		return op25b_prefix_check(e->v6, e->plen, 128);
	case OP25B_KIND_IIF:
		return op25b_ifname_valid(e->ifname) ? OP25B_TERR_NONE :
						       OP25B_TERR_IFNAME;
	}
	return OP25B_TERR_IFNAME;
}

enum op25b_table_err op25b_entry_validate(const struct op25b_entry *e)
{
	enum op25b_table_err err = op25b_entry_validate_key(e);

	if (!err && e->comment && op25b_comment_check(e->comment))
		err = OP25B_TERR_COMMENT;
	if (!err && (e->timeout > OP25B_TIMEOUT_MAX || e->left > e->timeout))
		err = OP25B_TERR_TIMEOUT;
	if (!err && e->timeout && e->kind == OP25B_KIND_IIF)
		err = OP25B_TERR_TIMEOUT_IIF;
	return err;
}

int op25b_entry_cmp(const void *pa, const void *pb)
{
	const struct op25b_entry *a = pa, *b = pb;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	switch (a->kind) {
	case OP25B_KIND_IPV4:
		if (a->v4 != b->v4)
			return a->v4 < b->v4 ? -1 : 1;
		break;
	case OP25B_KIND_IPV6:
		if (a->v6 != b->v6)
			return a->v6 < b->v6 ? -1 : 1;
		break;
	default:
		return strncmp(a->ifname, b->ifname, IFNAMSIZ);
	}
	if (a->plen != b->plen)
		return a->plen < b->plen ? -1 : 1;
	return 0;
}
