/* SPDX-License-Identifier: GPL-2.0 */
/* The counters of OP25B_A_STATS, as "status" and "stats" show them. */
#ifndef OP25BCTL_STATS_H
#define OP25BCTL_STATS_H

#include <stdint.h>
#include <stdio.h>

#include <netlink/attr.h>

#include "op25bctl.h"
#include "json.h"

enum { FAM_IPV4, FAM_IPV6, FAM_NR };

struct counters {
	uint64_t v[FAM_NR][__OP25B_CNT_MAX];
};

/* Fills @c from an OP25B_A_STATS nest; -1 if malformed. */
int counters_parse(struct nlattr *stats, struct counters *c);

static inline uint64_t counter_total(const struct counters *c, int i)
{
	return c->v[FAM_IPV4][i] + c->v[FAM_IPV6][i];
}

/* "name total" lines, as in status. */
void counters_print_totals(FILE *f, const struct counters *c);
/* "name": {"total": .., "ipv4": .., "ipv6": ..} members of an object. */
void counters_print_json(struct json *j, const struct counters *c);

#endif /* OP25BCTL_STATS_H */
