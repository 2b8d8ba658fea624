/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The builders of the lookup tree that op25b_set4_has() and
 * op25b_set6_has() read.  Internal to the table code.
 */
#ifndef OP25B_LOOKUP_H
#define OP25B_LOOKUP_H

#include "op25b_table.h"

/*
 * Builds @s from the entries of @k, the arrays going to @k (slot_mem,
 * ext_mem, which it frees whatever the outcome).  0 or -ENOMEM.
 */
int op25b_set4_build(struct op25b_set4 *s, struct op25b_keys *k);
int op25b_set6_build(struct op25b_set6 *s, struct op25b_keys *k);

#endif /* OP25B_LOOKUP_H */
