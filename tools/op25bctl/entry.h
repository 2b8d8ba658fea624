/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One table entry (prefix or interface pattern): its text, as printed by
 * "list" and read back by "add -f", and its netlink nest.
 */
#ifndef OP25BCTL_ENTRY_H
#define OP25BCTL_ENTRY_H

#include <stdbool.h>
#include <stddef.h>

#include <netlink/msg.h>
#include <netlink/attr.h>

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

/* Bytes that entry_put() will append, so batches can be sized. */
size_t entry_nest_size(const struct op25b_entry *e, bool with_plen);

/*
 * Appends @e as nest @type.  Without @with_plen an address goes alone,
 * as OP25B_A_SRC/DST want it.  Returns the nest, or NULL when the
 * message is full.
 */
struct nlattr *entry_put(struct nl_msg *msg, int type,
			 const struct op25b_entry *e, bool with_plen);

/* Parses an entry nest from the kernel; -EBADMSG if malformed. */
int entry_get(struct nlattr *nest, struct op25b_entry *e);

#endif /* OP25BCTL_ENTRY_H */
