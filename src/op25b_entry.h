/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Table entries as requests carry them, and what makes one acceptable.
 *
 * Plain C shared by the module, op25bctl (which checks a configuration
 * with the module's own rules before sending it) and the host tests.
 */
#ifndef OP25B_ENTRY_H
#define OP25B_ENTRY_H

#include "op25b_compat.h"
#include "../include/uapi/linux/op25b.h"

enum op25b_entry_kind {
	OP25B_KIND_IPV4,
	OP25B_KIND_IPV6,
	OP25B_KIND_IIF,
};

/* One entry as given in a request; addresses in host byte order. */
struct op25b_entry {
	u8 kind;
	u8 plen;
	u32 v4;
	__uint128_t v6;
	char ifname[IFNAMSIZ];
	u32 pos;	/* index in the request, to name it in an error */
	/*
	 * NULL or "" for none.  In a request it points into the request;
	 * from op25b_table_get() into the table (valid while the table is).
	 */
	const char *comment;
	/*
	 * Entry timeouts, in seconds: @timeout as given (0: permanent).  In
	 * a request and a listing @left is what is left of it (0 in a
	 * request: all of it); in a table @expires is when the entry goes,
	 * a second of the table's clock (CLOCK_BOOTTIME in the module),
	 * which the table code only compares.
	 */
	u32 timeout;
	u32 left;
	u64 expires;
	bool refresh;	/* table code: this add refreshes a timed entry */
};

enum op25b_table_err {
	OP25B_TERR_NONE,
	OP25B_TERR_PLEN,
	OP25B_TERR_HOSTBITS,
	OP25B_TERR_IFNAME,
	OP25B_TERR_DUPLICATE,
	OP25B_TERR_EXISTS,
	OP25B_TERR_MISSING,
	OP25B_TERR_FULL,
	OP25B_TERR_IIF_FULL,
	OP25B_TERR_NOMEM,
	OP25B_TERR_COMMENT,
	OP25B_TERR_TIMEOUT,
	OP25B_TERR_TIMEOUT_IIF,
};

const char *op25b_table_strerror(enum op25b_table_err err);
/* The negative errno a request failing with @err returns. */
int op25b_table_errno(enum op25b_table_err err);

/*
 * Orders entries by kind, then address or name, then prefix length: the
 * order of listings, and the order in which a batch is cheapest to apply.
 */
int op25b_entry_cmp(const void *a, const void *b);

/*
 * Checks one entry on its own: prefix length, host bits, name, comment,
 * timeout.
 */
enum op25b_table_err op25b_entry_validate(const struct op25b_entry *e);

/* Why a comment is refused; op25bctl words each reason its own way. */
enum op25b_comment_err {
	OP25B_COMMENT_OK,
	OP25B_COMMENT_LONG,	/* over OP25B_COMMENT_MAX bytes */
	OP25B_COMMENT_UTF8,	/* not well-formed UTF-8 */
	OP25B_COMMENT_CONTROL,	/* a control character */
};

enum op25b_comment_err op25b_comment_check(const char *s);

/*
 * Length of the well-formed UTF-8 sequence at @s (NUL terminated), 0 if
 * there is none: overlong forms, surrogates and code points past
 * U+10FFFF are not.
 */
unsigned int op25b_utf8_len(const char *s);

static inline u32 op25b_mask4(unsigned int plen)
{
	return plen ? ~0U << (32 - plen) : 0;
}

static inline __uint128_t op25b_mask6(unsigned int plen)
{
	return plen ? ~(__uint128_t)0 << (128 - plen) : 0;
}

#endif /* OP25B_ENTRY_H */
