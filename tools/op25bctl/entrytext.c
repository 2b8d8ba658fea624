// SPDX-License-Identifier: GPL-2.0
/*
 * Entries as text.  Prefixes are parsed by the shared op25b_parse_prefix();
 * this file handles what the shared code does not: printing and interface
 * names.  No libnl here: see entrytext.h.
 */
#include <arpa/inet.h>
#include <string.h>

#include "entrytext.h"

void entry_u128_to_bytes(__uint128_t v, unsigned char b[16])
{
	int i;

	for (i = 15; i >= 0; i--) {
		b[i] = (unsigned char)v;
		v >>= 8;
	}
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
		entry_u128_to_bytes(e->v6, b6);
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

