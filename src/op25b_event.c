// SPDX-License-Identifier: GPL-2.0
/*
 * Events: the "config" multicast group carries one message for every
 * committed change, with who made it and the generation after it (an
 * audit trail, like "nft monitor"); the "alerts" group the offender
 * alerts.  Both stay in their namespace and need CAP_NET_ADMIN there to
 * join.  A message is built only when someone listens; a listener that
 * reads too slowly loses messages to its full socket (netlink counts the
 * drop and tells it ENOBUFS), and the writer or the alert's work item
 * never waits for it.
 */
#include <net/genetlink.h>
#include <net/netlink.h>

#include "op25b_genl.h"

const struct genl_multicast_group op25b_mcgrps[OP25B_NMCGRPS] = {
	[OP25B_MCGRP_CONFIG_ID] = { .name = OP25B_MCGRP_CONFIG,
				    .flags = GENL_MCAST_CAP_NET_ADMIN },
	[OP25B_MCGRP_ALERTS_ID] = { .name = OP25B_MCGRP_ALERTS,
				    .flags = GENL_MCAST_CAP_NET_ADMIN },
};

/* A message for group @grp of @net, or NULL when nobody listens. */
static struct sk_buff *op25b_event_new(struct net *net, int grp, u8 event,
				       void **hdr)
{
	struct sk_buff *msg;

	if (!genl_has_listeners(&op25b_family, net, grp))
		return NULL;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &op25b_family, 0, OP25B_CMD_EVENT);
	if (!*hdr || nla_put_u8(msg, OP25B_A_EVENT, event)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void op25b_event_send(struct net *net, int grp, struct sk_buff *msg,
			     void *hdr, int err)
{
	if (err) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&op25b_family, net, msg, 0, grp, GFP_KERNEL);
}

/* Who made a change, and the generation after it. */
static int op25b_event_who(struct sk_buff *msg, const struct sk_buff *req,
			   struct genl_info *info, u32 generation)
{
	const struct scm_creds *c = &NETLINK_CB(req).creds;
	struct net *net = genl_info_net(info);

	if (nla_put_u32(msg, OP25B_A_GENERATION, generation) ||
	    nla_put_u32(msg, OP25B_A_EVENT_PID, c->pid) ||
	    nla_put_u32(msg, OP25B_A_EVENT_UID,
			from_kuid_munged(net->user_ns, c->uid)) ||
	    nla_put_u32(msg, OP25B_A_EVENT_PORTID, info->snd_portid))
		return -EMSGSIZE;
	return 0;
}

/* The settings whose values differ between @a and @b. */
static int op25b_event_put_changed(struct sk_buff *msg, int type,
				   const struct op25b_settings *a,
				   const struct op25b_settings *b)
{
	struct nlattr *nest = nla_nest_start(msg, type);
	int i, err;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < __OP25B_SET_MAX; i++) {
		if (op25b_setting_same(a, b, i))
			continue;
		err = op25b_nl_put_setting(msg, a, i);
		if (err)
			return err;
	}
	nla_nest_end(msg, nest);
	return 0;
}

void op25b_event_set(const struct sk_buff *req, struct genl_info *info,
		     u32 generation, const struct op25b_settings *old,
		     const struct op25b_settings *new)
{
	struct net *net = genl_info_net(info);
	struct sk_buff *msg;
	void *hdr;

	msg = op25b_event_new(net, OP25B_MCGRP_CONFIG_ID, OP25B_EVENT_SET,
			      &hdr);
	if (!msg)
		return;
	op25b_event_send(net, OP25B_MCGRP_CONFIG_ID, msg, hdr,
			 op25b_event_who(msg, req, info, generation) ?:
			 op25b_event_put_changed(msg, OP25B_A_EVENT_OLD, old,
						 new) ?:
			 op25b_event_put_changed(msg, OP25B_A_EVENT_NEW, new,
						 old));
}

/*
 * ADD, DEL, FLUSH (@table and @count), LOAD (@count entries in @table
 * tables), RESET_STATS and RESET_TOP (neither).
 */
void op25b_event_change(const struct sk_buff *req,
			struct genl_info *info, u32 generation,
			u8 event, int table, u32 count)
{
	struct net *net = genl_info_net(info);
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = op25b_event_new(net, OP25B_MCGRP_CONFIG_ID, event, &hdr);
	if (!msg)
		return;
	err = op25b_event_who(msg, req, info, generation);
	if (!err && event == OP25B_EVENT_LOAD)
		err = nla_put_u32(msg, OP25B_A_EVENT_COUNT, count) ||
		      nla_put_u32(msg, OP25B_A_EVENT_TABLES, table);
	else if (!err && table >= 0)
		err = nla_put_u8(msg, OP25B_A_TABLE, table) ||
		      nla_put_u32(msg, OP25B_A_EVENT_COUNT, count);
	op25b_event_send(net, OP25B_MCGRP_CONFIG_ID, msg, hdr,
			 err ? -EMSGSIZE : 0);
}

void op25b_event_reset(const struct sk_buff *req, struct genl_info *info,
		       u8 event)
{
	struct op25b_net *on = op25b_pernet(genl_info_net(info));

	/* in order with the changes, which send theirs under the lock */
	mutex_lock(&on->lock);
	op25b_event_change(req, info, on->generation, event, -1, 0);
	mutex_unlock(&on->lock);
}

/* From the expiry work, under on->lock: the module made this change. */
void op25b_event_expire(struct net *net, u32 generation, int table,
			u32 count)
{
	struct sk_buff *msg;
	void *hdr;

	msg = op25b_event_new(net, OP25B_MCGRP_CONFIG_ID, OP25B_EVENT_EXPIRE,
			      &hdr);
	if (!msg)
		return;
	op25b_event_send(net, OP25B_MCGRP_CONFIG_ID, msg, hdr,
			 nla_put_u32(msg, OP25B_A_GENERATION, generation) ||
			 nla_put_u8(msg, OP25B_A_TABLE, table) ||
			 nla_put_u32(msg, OP25B_A_EVENT_COUNT, count) ?
			 -EMSGSIZE : 0);
}

/* From the alerts' work item. */
void op25b_event_alert(struct net *net, const struct op25b_alert_msg *m)
{
	struct op25b_entry src = {
		.kind = m->family == 4 ? OP25B_KIND_IPV4 : OP25B_KIND_IPV6,
		.plen = m->plen,
	};
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = op25b_event_new(net, OP25B_MCGRP_ALERTS_ID, OP25B_EVENT_ALERT,
			      &hdr);
	if (!msg)
		return;
	if (m->family == 4)
		src.v4 = (u32)m->addr;
	else
		src.v6 = m->addr;
	err = op25b_nl_put_entry(msg, OP25B_A_SRC, &src) ||
	      nla_put_u32(msg, OP25B_A_EVENT_COUNT, m->count) ||
	      nla_put_u32(msg, OP25B_A_ALERT_SECONDS, m->seconds) ||
	      nla_put_u8(msg, OP25B_A_VERDICT, m->verdict) ||
	      (m->iifname[0] && nla_put_string(msg, OP25B_A_IIFNAME, m->iifname));
	op25b_event_send(net, OP25B_MCGRP_ALERTS_ID, msg, hdr,
			 err ? -EMSGSIZE : 0);
}
