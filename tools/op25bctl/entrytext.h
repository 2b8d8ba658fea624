/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One table entry as text: printed by "list" and "save", read back by
 * "add -f" and "load".  Plain C without libnl, so that the configuration
 * parser (conf.c) can be tested and fuzzed on its own.
 */
#ifndef OP25BCTL_ENTRYTEXT_H
#define OP25BCTL_ENTRYTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "op25bctl.h"

/* "iif " + 15 + NUL, or an IPv6 address plus "/128" */
#define ENTRY_TEXT_MAX	64

/* "10.0.0.0/8", "2001:db8::/32", "192.0.2.25/32", "iif ppp+" */
void entry_format(const struct op25b_entry *e, char *buf, size_t len);
/* The address alone, for addresses that are hosts by construction. */
void entry_format_addr(const struct op25b_entry *e, char *buf, size_t len);

/*
 * Checks an interface pattern as typed; NULL if fine, else why not.
 * Fills @e on success.
 */
const char *entry_parse_ifname(const char *name, struct op25b_entry *e);

/* An address in network byte order, as netlink and inet_ntop want it. */
void entry_u128_to_bytes(__uint128_t v, unsigned char b[16]);

#endif /* OP25BCTL_ENTRYTEXT_H */
