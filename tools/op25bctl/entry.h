/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One table entry (prefix or interface pattern) as a netlink nest; its
 * text forms are in entrytext.h.
 */
#ifndef OP25BCTL_ENTRY_H
#define OP25BCTL_ENTRY_H

#include <stdbool.h>
#include <stddef.h>

#include <netlink/msg.h>
#include <netlink/attr.h>

#include "entrytext.h"

/*
 * Bytes that entry_put() will append, so batches can be sized.  With
 * @with_plen, a comment (e->comment, non-empty) is counted too.
 */
size_t entry_nest_size(const struct op25b_entry *e, bool with_plen);

/*
 * Appends @e as nest @type.  Without @with_plen an address goes alone,
 * as OP25B_A_SRC/DST want it; with it, so does e->comment if non-empty
 * (OP25B_ENTRY_A_COMMENT, for ADD_ENTRIES).  Returns the nest, or NULL
 * when the message is full.
 */
struct nlattr *entry_put(struct nl_msg *msg, int type,
			 const struct op25b_entry *e, bool with_plen);

/*
 * Parses an entry nest from the kernel; -EBADMSG if malformed.
 * e->comment points into the nest (NULL if none): copy it before the
 * message goes.
 */
int entry_get(struct nlattr *nest, struct op25b_entry *e);

#endif /* OP25BCTL_ENTRY_H */
