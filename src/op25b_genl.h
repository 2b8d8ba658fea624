/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "op25b" generic netlink family, split by kind of command: the
 * family, its policies and the helpers its commands share
 * (op25b_genl.c), table commands (op25b_genl_tables.c), settings and
 * transactions (op25b_genl_config.c), reads (op25b_genl_query.c).
 */
#ifndef OP25B_GENL_H
#define OP25B_GENL_H

#include <net/genetlink.h>

#include "op25b_net.h"

extern struct genl_family op25b_family;

/* Multicast groups (op25b_event.c), by index in the family. */
enum {
	OP25B_MCGRP_CONFIG_ID,
	OP25B_MCGRP_ALERTS_ID,
	OP25B_NMCGRPS
};
extern const struct genl_multicast_group op25b_mcgrps[OP25B_NMCGRPS];
extern const struct nla_policy op25b_table_policy[OP25B_A_TXN + 1];
extern const struct nla_policy op25b_top_policy[OP25B_A_TOP_LIMIT + 1];

/* NL_SET_ERR_MSG_ATTR() for messages that are not literals. */
void op25b_nl_error(struct netlink_ext_ack *extack, const struct nlattr *attr,
		    const char *msg);
int op25b_nl_parse_entry(const struct nlattr *nest, struct op25b_entry *e,
			 u64 now, struct netlink_ext_ack *extack);
int op25b_nl_put_entry(struct sk_buff *msg, int type,
		       const struct op25b_entry *e);
int op25b_nl_put_setting(struct sk_buff *msg, const struct op25b_settings *set,
			 int id);
int op25b_nl_put_settings(struct sk_buff *msg,
			  const struct op25b_settings *set);
int op25b_nl_put_stats(struct sk_buff *msg, struct op25b_net *on);
/* A reply to @info: op25b_nl_reply() starts it, op25b_nl_send() ends it. */
int op25b_nl_reply(struct genl_info *info, struct sk_buff **msgp, void **hdrp);
int op25b_nl_send(struct genl_info *info, struct sk_buff *msg, void *hdr,
		  int err);

/* Under on->lock: the open transaction a request names (NULL: extack
 * set), and whether one is open that a plain write would collide with.
 */
struct op25b_txn *op25b_nl_txn(struct op25b_net *on, struct genl_info *info);
bool op25b_nl_txn_busy(struct op25b_net *on, struct genl_info *info);

/*
 * Config events (op25b_event.c), sent by the writers under on->lock after
 * a change is published, so that they come in the changes' order; @req
 * is the request (the sender's credentials).
 */
void op25b_event_set(const struct sk_buff *req, struct genl_info *info,
		     u32 generation, const struct op25b_settings *old,
		     const struct op25b_settings *new);
void op25b_event_change(const struct sk_buff *req,
			struct genl_info *info, u32 generation,
			u8 event, int table, u32 count);
/* RESET_STATS, RESET_TOP: they change no generation; it takes on->lock. */
void op25b_event_reset(const struct sk_buff *req, struct genl_info *info,
		       u8 event);

/* The commands. */
int op25b_nl_add(struct sk_buff *skb, struct genl_info *info);
int op25b_nl_del(struct sk_buff *skb, struct genl_info *info);
int op25b_nl_flush(struct sk_buff *skb, struct genl_info *info);
int op25b_nl_dump_start(struct netlink_callback *cb);
int op25b_nl_dump_entries(struct sk_buff *skb, struct netlink_callback *cb);
int op25b_nl_set(struct sk_buff *skb, struct genl_info *info);
int op25b_nl_txn_begin(struct sk_buff *skb, struct genl_info *info);
int op25b_nl_txn_commit(struct sk_buff *skb, struct genl_info *info);
int op25b_nl_txn_abort(struct sk_buff *skb, struct genl_info *info);
int op25b_nl_get_status(struct sk_buff *skb, struct genl_info *info);
int op25b_nl_get_stats(struct sk_buff *skb, struct genl_info *info);
int op25b_nl_reset_stats(struct sk_buff *skb, struct genl_info *info);
int op25b_nl_check(struct sk_buff *skb, struct genl_info *info);
int op25b_nl_top_start(struct netlink_callback *cb);
int op25b_nl_top_dump(struct sk_buff *skb, struct netlink_callback *cb);
int op25b_nl_top_done(struct netlink_callback *cb);
int op25b_nl_reset_top(struct sk_buff *skb, struct genl_info *info);

#endif /* OP25B_GENL_H */
