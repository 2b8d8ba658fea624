/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The entries of one "add" or "del", gathered from the command line and
 * from files, all checked before anything is sent.
 */
#ifndef OP25BCTL_BATCH_H
#define OP25BCTL_BATCH_H

#include <stdint.h>

#include "op25bctl.h"

/* Where an entry was written, to name it in errors. */
struct batch_src {
	const char *text;	/* the prefix word, or NAME of "iif NAME" */
	const char *file;	/* NULL: the command line */
	uint32_t line;
	bool iif;
};

struct batch {
	const char *table;	/* "subscriber", ... */
	const char *verb;	/* "add", "del", or "" (a configuration file) */
	bool allow_iif;
	struct op25b_entry *e;	/* e[i].pos indexes src */
	struct batch_src *src;
	uint32_t n, cap;
	char **bufs;		/* file contents; src texts point into them */
	unsigned int nbufs;
	unsigned int nerrs;	/* entry errors seen so far */
};

void batch_init(struct batch *b, enum op25b_table_id table, const char *verb);
void batch_free(struct batch *b);

/*
 * Appends @e, with pos set to its index, and where it came from; prints
 * and returns -1 only when out of memory.
 */
int batch_push(struct batch *b, const struct op25b_entry *e,
	       const struct batch_src *s);

/*
 * Reads ENTRY [comment TEXT] words and "-f FILE" options.  Every entry is checked; each
 * error is printed.  Returns EXIT_OK, or EXIT_ERR.
 */
int batch_from_args(struct batch *b, int argc, char **argv);

/*
 * Sorts into the order the kernel applies fastest (op25b_entry_cmp) and
 * rejects duplicates, which the kernel would refuse anyway, but maybe
 * only after splitting has applied half of the request.
 */
int batch_sort(struct batch *b);

/*
 * The whole of file @path ("-": stdin) in memory, NUL terminated, with
 * room for that NUL; @name names it in errors.  NULL after printing why.
 */
char *file_read_all(const char *path, const char *name, size_t *len);

/* "[FILE:LINE: ]TABLE VERB TEXT" for the entry with pos @pos. */
void batch_label(const struct batch *b, uint32_t pos, char *buf, size_t len);

#endif /* OP25BCTL_BATCH_H */
