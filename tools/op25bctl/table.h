/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tables over netlink: sending a batch of entries, split into messages,
 * and listing a table whole.  Shared by the table commands, save, load.
 */
#ifndef OP25BCTL_TABLE_H
#define OP25BCTL_TABLE_H

#include "batch.h"
#include "nl.h"

/*
 * Sends @b (sorted) to @table as @cmd (OP25B_CMD_ADD_ENTRIES or _DEL_),
 * split into messages.  With @txn, staged in that transaction.  Prints
 * any error, naming the entry the kernel blamed.  EXIT_OK or EXIT_ERR.
 */
int table_send(struct onl *h, enum op25b_table_id table, uint8_t cmd,
	       const struct batch *b, const uint32_t *txn);

/* A table as listed: entries in table order, comments in a pool. */
struct listing {
	enum op25b_table_id table;
	struct op25b_entry *e;	/* e[i].comment: NULL or into notes */
	uint32_t n, cap;
	uint32_t *note;		/* offsets of the comments in notes, 0: none */
	char *notes;
	size_t notes_len, notes_cap;
};

/*
 * Lists l->table, dumping again while the dump races with changes (at
 * most DUMP_TRIES times).  Prints why not and returns -1 on failure.
 */
int listing_fetch(struct onl *h, struct listing *l);
void listing_free(struct listing *l);

/*
 * "list" output: one entry per line, ENTRY [comment "TEXT"], as "add -f"
 * reads it; or {"table", "entries": [ENTRY...], "comments": {ENTRY: TEXT}}.
 */
void listing_print(FILE *f, const struct listing *l, bool json);

#endif /* OP25BCTL_TABLE_H */
