// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: op25b_entry_validate() on arbitrary entries with comments,
 * against a reference: the key rules written out naively, and for the
 * comment, that a valid one is 1..OP25B_COMMENT_MAX bytes without control
 * characters.  An entry that validates must also be accepted alone into an
 * empty table, and read back (op25b_table_get) with the same comment.
 */
#include <stdlib.h>
#include <string.h>

#include "op25b_table.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int ref_key(const struct op25b_entry *e)
{
	unsigned int i;

	switch (e->kind) {
	case OP25B_KIND_IPV4:
		if (e->plen > 32)
			return OP25B_TERR_PLEN;
		for (i = e->plen; i < 32; i++)
			if (e->v4 & (1U << (31 - i)))
				return OP25B_TERR_HOSTBITS;
		return 0;
	case OP25B_KIND_IPV6:
		if (e->plen > 128)
			return OP25B_TERR_PLEN;
		for (i = e->plen; i < 128; i++)
			if (e->v6 & ((__uint128_t)1 << (127 - i)))
				return OP25B_TERR_HOSTBITS;
		return 0;
	}
	return -1;	/* interface names: checked by the table only */
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct op25b_entry e, got;
	struct op25b_table *empty, *t = NULL;
	enum op25b_table_err err;
	char *comment = NULL;
	u32 bad = 0;
	int ref;

	if (size < 1 + 1 + 4 + 16 + IFNAMSIZ)
		return 0;
	memset(&e, 0, sizeof(e));
	e.kind = data[0] % 4;		/* 3: not a kind */
	e.plen = data[1];
	if (data[1] & 0x80)
		e.plen &= 0x7f;
	memcpy(&e.v4, data + 2, 4);
	memcpy(&e.v6, data + 6, 16);
	/* bias towards valid prefixes: clear the host bits half the time */
	if (data[0] & 0x10) {
		if (e.plen <= 32)
			e.v4 &= op25b_mask4(e.plen);
		if (e.plen <= 128)
			e.v6 &= op25b_mask6(e.plen);
	}
	memcpy(e.ifname, data + 22, IFNAMSIZ);
	if (data[0] & 0x20)
		e.ifname[IFNAMSIZ - 1] = '\0';
	data += 22 + IFNAMSIZ;
	size -= 22 + IFNAMSIZ;
	if (data[-1] & 0x40 || size) {
		comment = malloc(size + 1);
		if (!comment)
			return 0;
		memcpy(comment, data, size);
		comment[size] = '\0';
		e.comment = comment;
	}

	err = op25b_entry_validate(&e);
	ref = ref_key(&e);
	if (ref >= 0 && ref != OP25B_TERR_NONE && (int)err != ref)
		abort();
	if (e.kind == 3 && err == OP25B_TERR_NONE)
		abort();
	if (ref == OP25B_TERR_NONE && err != OP25B_TERR_NONE &&
	    err != OP25B_TERR_COMMENT)
		abort();
	if (err == OP25B_TERR_COMMENT &&
	    (strlen(comment) <= OP25B_COMMENT_MAX && strlen(comment) > 0)) {
		/* may be refused for control characters or bad UTF-8 only */
		size_t i, n = strlen(comment);
		int ok = 0;

		for (i = 0; i < n; i++)
			if ((unsigned char)comment[i] < 0x20 ||
			    (unsigned char)comment[i] >= 0x7f)
				ok = 1;
		if (!ok)
			abort();
	}
	if (err == OP25B_TERR_NONE && comment &&
	    strlen(comment) > OP25B_COMMENT_MAX)
		abort();

	if (err == OP25B_TERR_NONE) {
		empty = op25b_table_new();
		if (!empty)
			abort();
		err = op25b_table_apply(empty, OP25B_OP_ADD, &e, 1, 16, &t, &bad);
		if (err != OP25B_TERR_NONE || op25b_table_size(t) != 1)
			abort();
		op25b_table_get(t, 0, &got);
		if (op25b_entry_cmp(&e, &got))
			abort();
		if (strcmp(comment ? comment : "", got.comment ? got.comment : ""))
			abort();
		op25b_table_free(t);
		op25b_table_free(empty);
	}
	free(comment);
	return 0;
}
