/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sorted key arrays of a family (struct op25b_keys), one code for
 * both widths: merging a batch, finding an entry, and the coverage the
 * lookup tree is built from.  Internal to the table code.
 */
#ifndef OP25B_KEYS_H
#define OP25B_KEYS_H

#include "op25b_table.h"

/* One interval of the coverage, in the keys' width. */
struct op25b_iv4 {
	u32 s, e;
};

struct op25b_iv6 {
	__uint128_t s, e;
};

/*
 * a < b for keys of @width bytes.  The builders hold keys in 128 bits
 * and are inlined with @width a constant: this keeps IPv4's compares in
 * 32 bits, where they are cheaper and mean the same.
 */
static __always_inline bool op25b_below(__uint128_t a, __uint128_t b,
					u32 width)
{
	if (width == sizeof(u32))
		return (u32)a < (u32)b;
	return a < b;
}

/* Drops a reference to the arrays of @k, freeing them with the last. */
void op25b_keys_put(struct op25b_keys *k);

/*
 * Fills @k (its width set) with @old's entries plus or minus the @nb
 * entries of @b, sorted and of @old's family.  With none, @k takes
 * @old's arrays, tree included.  On error sets *bad_pos where one entry
 * is to blame; @k then owns what it holds, if anything.
 */
enum op25b_table_err op25b_keys_merge(const struct op25b_keys *old,
				      enum op25b_table_op op,
				      const struct op25b_entry *b, u32 nb,
				      struct op25b_keys *k, u32 *bad_pos);

/*
 * Writes the union of @k's prefixes to @iv (room for k->n intervals of
 * struct op25b_iv4 or op25b_iv6, by width): sorted, disjoint and
 * non-adjacent.  Returns how many.
 */
u32 op25b_keys_cover(const struct op25b_keys *k, void *iv);

/* Index of the entry (@a, @plen) itself, or k->n if none. */
u32 op25b_keys_index(const struct op25b_keys *k, __uint128_t a, u8 plen);

/* Index of the most specific entry covering @a, or k->n if none. */
u32 op25b_keys_find(const struct op25b_keys *k, __uint128_t a);

#endif /* OP25B_KEYS_H */
