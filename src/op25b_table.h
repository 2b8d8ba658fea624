/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lookup tables: sets of IPv4 and IPv6 prefixes and interface patterns.
 *
 * A table is immutable once built.  Writers build a new table from the
 * old one plus a batch of changes and publish it with RCU, so a lookup
 * never takes a lock and never sees a half-applied batch.
 *
 * Each family keeps two views of the same prefixes:
 *  - the entries, sorted by (address, prefix length): what the operator
 *    added, for listing, exact add/delete and "which entry matched";
 *  - the coverage: the union of all prefixes as sorted, disjoint,
 *    non-adjacent closed intervals, which is all a membership test needs.
 *    Overlapping prefixes collapse here, and deleting one restores
 *    exactly what the remaining entries cover, because the coverage is
 *    recomputed from the entries.
 * A lookup finds its candidate interval through a direct-indexed bucket
 * array over the covered span (about one bucket per interval), then a
 * binary search inside the bucket, usually over one or two intervals.
 *
 * This file is plain C shared by the module and the host-side tests.
 */
#ifndef OP25B_TABLE_H
#define OP25B_TABLE_H

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
};

struct op25b_set4 {
	u32 n;			/* entries */
	u32 *addr;
	u8 *plen;
	u32 niv;		/* coverage intervals */
	u32 *start;
	u32 *end;
	u32 *bucket;		/* nbuckets + 1 first-candidate indexes */
	u32 nbuckets;
	u32 shift;
};

struct op25b_set6 {
	u32 n;
	__uint128_t *addr;
	u8 *plen;
	u32 niv;
	__uint128_t *start;
	__uint128_t *end;
	u32 *bucket;
	u32 nbuckets;
	u32 shift;
};

struct op25b_iif {
	char name[IFNAMSIZ];	/* zero padded */
	u8 len;			/* bytes to compare */
	u8 wildcard;		/* name ended in '+' */
};

struct op25b_table {
	struct op25b_set4 v4;
	struct op25b_set6 v6;
	u32 niif;
	struct op25b_iif *iif;
};

enum op25b_table_op {
	OP25B_OP_ADD,
	OP25B_OP_DEL,
};

struct op25b_table *op25b_table_new(void);
void op25b_table_free(struct op25b_table *t);

/*
 * Builds in *out the table @old with @batch added or deleted.  The batch
 * is sorted in place.  On error returns the reason, sets *bad_pos to the
 * failing entry's pos (when one entry is to blame) and leaves @old as is.
 * @max bounds the entries of the new table.
 */
enum op25b_table_err op25b_table_apply(const struct op25b_table *old,
				       enum op25b_table_op op,
				       struct op25b_entry *batch, u32 n,
				       u32 max, struct op25b_table **out,
				       u32 *bad_pos);

/*
 * Orders entries by kind, then address or name, then prefix length: the
 * order of listings, and the order in which a batch is cheapest to apply.
 */
int op25b_entry_cmp(const void *a, const void *b);

/* Checks one entry on its own: prefix length, host bits, name. */
enum op25b_table_err op25b_entry_validate(const struct op25b_entry *e);

const char *op25b_table_strerror(enum op25b_table_err err);
/* The negative errno a request failing with @err returns. */
int op25b_table_errno(enum op25b_table_err err);

static inline u32 op25b_table_size(const struct op25b_table *t)
{
	return t->v4.n + t->v6.n + t->niif;
}

/* Entry @idx in listing order: IPv4, then IPv6, then interfaces. */
void op25b_table_get(const struct op25b_table *t, u32 idx,
		     struct op25b_entry *e);

/* The most specific entry covering an address, for explaining a verdict. */
bool op25b_table_find4(const struct op25b_table *t, u32 a,
		       struct op25b_entry *e);
bool op25b_table_find6(const struct op25b_table *t, __uint128_t a,
		       struct op25b_entry *e);
bool op25b_table_find_iif(const struct op25b_table *t, const char *name,
			  struct op25b_entry *e);

static inline u32 op25b_mask4(unsigned int plen)
{
	return plen ? ~0U << (32 - plen) : 0;
}

static inline __uint128_t op25b_mask6(unsigned int plen)
{
	return plen ? ~(__uint128_t)0 << (128 - plen) : 0;
}

/* Membership tests, the packet path's only use of a table. */
static inline bool op25b_set4_has(const struct op25b_set4 *s, u32 a)
{
	u32 lo, hi, mid;

	if (!s->niv || a < s->start[0] || a > s->end[s->niv - 1])
		return false;
	lo = (a - s->start[0]) >> s->shift;
	hi = s->bucket[lo + 1];
	lo = s->bucket[lo];
	if (hi >= s->niv)
		hi = s->niv - 1;
	while (lo < hi) {
		mid = hi - (hi - lo) / 2;
		if (s->start[mid] <= a)
			lo = mid;
		else
			hi = mid - 1;
	}
	return s->start[lo] <= a && a <= s->end[lo];
}

static inline bool op25b_set6_has(const struct op25b_set6 *s, __uint128_t a)
{
	u32 lo, hi, mid;

	if (!s->niv || a < s->start[0] || a > s->end[s->niv - 1])
		return false;
	lo = (u32)((a - s->start[0]) >> s->shift);
	hi = s->bucket[lo + 1];
	lo = s->bucket[lo];
	if (hi >= s->niv)
		hi = s->niv - 1;
	while (lo < hi) {
		mid = hi - (hi - lo) / 2;
		if (s->start[mid] <= a)
			lo = mid;
		else
			hi = mid - 1;
	}
	return s->start[lo] <= a && a <= s->end[lo];
}

static inline bool op25b_iif_has(const struct op25b_table *t,
				 const char *name)
{
	u32 i;

	for (i = 0; i < t->niif; i++) {
		const struct op25b_iif *p = &t->iif[i];

		if (p->wildcard ? !strncmp(name, p->name, p->len) :
				  !strncmp(name, p->name, IFNAMSIZ))
			return true;
	}
	return false;
}

#endif /* OP25B_TABLE_H */
