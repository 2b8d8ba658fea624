/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reply to OP25B_CMD_GET_STATUS: mode, settings, tables, counters.
 * Shown by "status", written by "save" and "stats --prometheus".
 */
#ifndef OP25BCTL_STATUS_H
#define OP25BCTL_STATUS_H

#include "conf.h"
#include "nl.h"
#include "stats.h"

#define WARN_MAX	4

struct tinfo {
	bool present;
	uint32_t ipv4, ipv6, iif, max;
	uint32_t timed;		/* entries with a timeout */
	uint32_t next_expiry;	/* seconds to the first of them */
};

struct status {
	uint8_t mode;
	uint32_t generation;
	struct settings set;	/* has: what the kernel reported, mode too */
	bool has_slots;
	uint32_t top_slots;	/* offenders kept per CPU */
	bool txn_open;
	struct tinfo t[__OP25B_TABLE_MAX];
	struct counters c;
	const char *warn[WARN_MAX];
	int nwarn;
};

/* GET_STATUS on @h into @st; prints why not and returns -1 on failure. */
int status_fetch(struct onl *h, struct status *st);
/* The same on a socket of its own. */
int status_get(struct status *st);

/* "op25bctl status" output, text or JSON, warnings included. */
void status_print(FILE *f, struct status *st, bool json);

#endif /* OP25BCTL_STATUS_H */
