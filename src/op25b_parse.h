/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text to prefix: "192.0.2.0/24", "2001:db8::/32", or a host address.
 * Plain C shared by the module (module parameters) and op25bctl, so both
 * accept exactly the same spellings.  Inputs are counted strings: they
 * need not be NUL terminated.
 */
#ifndef OP25B_PARSE_H
#define OP25B_PARSE_H

#include "op25b_table.h"

enum op25b_parse_err {
	OP25B_PERR_NONE,
	OP25B_PERR_SYNTAX,
	OP25B_PERR_PLEN,
	OP25B_PERR_HOSTBITS,
};

bool op25b_parse_addr4(const char *s, size_t len, u32 *out);
bool op25b_parse_addr6(const char *s, size_t len, __uint128_t *out);

/* Fills kind, v4 or v6, and plen (32 or 128 without "/len"). */
enum op25b_parse_err op25b_parse_prefix(const char *s, size_t len,
					struct op25b_entry *e);

const char *op25b_parse_strerror(enum op25b_parse_err err);

/*
 * Durations as nft writes them: one or more NUMBER UNIT, units d, h, m
 * and s, largest first, each at most once ("90s", "1d12h", "23h59m12s"),
 * from 1 s to OP25B_TIMEOUT_MAX.  NULL, or why not.
 */
const char *op25b_parse_duration(const char *s, size_t len, u32 *secs);

/* The same spelling back, largest units first, zero parts left out. */
#define OP25B_DURATION_MAX	16	/* "365d23h59m59s" and the NUL */
void op25b_format_duration(u32 secs, char buf[OP25B_DURATION_MAX]);

#endif /* OP25B_PARSE_H */
