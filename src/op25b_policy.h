/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The OP25B decision: one pure function over a policy snapshot and a
 * packet's addresses.  The packet hook and OP25B_CMD_CHECK both call it,
 * so "op25bctl check" can never disagree with the traffic.
 * Plain C shared by the module and the host-side tests.
 */
#ifndef OP25B_POLICY_H
#define OP25B_POLICY_H

#include "op25b_settings.h"
#include "op25b_table.h"
#include "../include/uapi/linux/op25b.h"

struct op25b_policy {
	struct op25b_settings set;
	struct op25b_table *tables[__OP25B_TABLE_MAX];
};

struct op25b_packet {
	u8 family;		/* 4 or 6 */
	u8 proto;		/* IPPROTO_* */
	u16 dport;		/* host order */
	u32 src4, dst4;		/* host order */
	__uint128_t src6, dst6;
	const char *iifname;	/* NULL when unknown */
};

static inline bool op25b_table_has_src(const struct op25b_table *t,
				       const struct op25b_packet *p)
{
	return p->family == 4 ? op25b_set4_has(&t->v4, &p->src4) :
				op25b_set6_has(&t->v6, p->src6);
}

static inline bool op25b_table_has_dst(const struct op25b_table *t,
				       const struct op25b_packet *p)
{
	return p->family == 4 ? op25b_set4_has(&t->v4, &p->dst4) :
				op25b_set6_has(&t->v6, p->dst6);
}

/* The steps of the decision, in order; see docs/design.md. */
static inline enum op25b_reason op25b_decide(const struct op25b_policy *pol,
					     const struct op25b_packet *p)
{
	const struct op25b_table *sub = pol->tables[OP25B_TABLE_SUBSCRIBER];

	if (p->proto != IPPROTO_TCP || p->dport != OP25B_SMTP_PORT)
		return OP25B_REASON_NOT_SMTP;
	if (pol->set.mode == OP25B_MODE_OFF)
		return OP25B_REASON_MODE_OFF;
	if (!op25b_table_has_src(sub, p) &&
	    !(p->iifname && sub->niif && op25b_iif_has(sub, p->iifname)))
		return OP25B_REASON_NOT_SUBSCRIBER;
	if (op25b_table_has_src(pol->tables[OP25B_TABLE_EXEMPT], p))
		return OP25B_REASON_EXEMPT;
	if (op25b_table_has_dst(pol->tables[OP25B_TABLE_ALLOW], p))
		return OP25B_REASON_ALLOWED_MTA;
	if (pol->set.scope == OP25B_SCOPE_TARGETS &&
	    !op25b_table_has_dst(pol->tables[OP25B_TABLE_TARGET], p))
		return OP25B_REASON_NOT_TARGET;
	return OP25B_REASON_BLOCKED;
}

static inline enum op25b_verdict op25b_verdict_of(u8 mode,
						  enum op25b_reason reason)
{
	if (reason != OP25B_REASON_BLOCKED)
		return OP25B_VERDICT_PASS;
	return mode == OP25B_MODE_ENFORCE ? OP25B_VERDICT_BLOCK :
					    OP25B_VERDICT_MONITOR;
}

#endif /* OP25B_POLICY_H */
