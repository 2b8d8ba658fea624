/* SPDX-License-Identifier: GPL-2.0 */
/* "op25bctl top": the offenders, as the kernel's Space-Saving store has them. */
#ifndef OP25BCTL_TOP_H
#define OP25BCTL_TOP_H

#include <stdint.h>
#include <stdio.h>

#include <netlink/msg.h>

#include "op25bctl.h"

/* Offenders listed when "top" is given no N. */
#define TOP_DEFAULT	20

struct offender {
	struct op25b_entry src;	/* an IPv4 address (/32) or an IPv6 /64 */
	uint64_t count;		/* attempts, an upper bound */
	uint64_t error;		/* count - error is a lower bound */
	uint64_t first, last;	/* Unix seconds, 0: unknown */
	uint32_t dests;		/* distinct destinations, estimated */
};

struct top {
	bool has_total, has_slots;
	uint64_t total;		/* attempts recorded */
	uint32_t slots;		/* offenders kept per CPU */
	struct offender *o;	/* most attempts first */
	uint32_t n, cap;
};

/* "2026-11-29T06:04:05Z", or "-" for 0. */
void top_time(uint64_t t, char *buf, size_t len);
/* The table, one offender per line after a header line. */
void top_print_text(FILE *f, const struct top *t);
/* One JSON document with every field. */
void top_print_json(FILE *f, const struct top *t);

/* Adds the offenders of one GET_TOP dump reply to @arg, a struct top. */
int top_parse(struct nl_msg *msg, void *arg);

#endif /* OP25BCTL_TOP_H */
