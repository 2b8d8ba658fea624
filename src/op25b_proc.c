// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/op25b/: counters for monitoring without netlink, one
 * "name value" per line so that shell scripts and exporters can read it.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "op25b_net.h"
#include "op25b_names.h"

static const char *const op25b_family_suffix[OP25B_NFAMILIES] = {
	"_ipv4", "_ipv6",
};

static int op25b_proc_stats_show(struct seq_file *seq, void *v)
{
	struct op25b_net *on = op25b_pernet(seq_file_single_net(seq));
	u64 cnt[OP25B_NFAMILIES][__OP25B_CNT_MAX];
	int f, c;

	op25b_stats_read(on, cnt);
	for (c = 0; c < __OP25B_CNT_MAX; c++)
		seq_printf(seq, "%s %llu\n", op25b_counter_names[c],
			   cnt[0][c] + cnt[1][c]);
	for (f = 0; f < OP25B_NFAMILIES; f++)
		for (c = 0; c < __OP25B_CNT_MAX; c++)
			seq_printf(seq, "%s%s %llu\n", op25b_counter_names[c],
				   op25b_family_suffix[f], cnt[f][c]);
	return 0;
}

static int op25b_proc_status_show(struct seq_file *seq, void *v)
{
	struct op25b_net *on = op25b_pernet(seq_file_single_net(seq));
	const struct op25b_ruleset *rs;
	int i;

	rcu_read_lock();
	rs = rcu_dereference(on->rs);
	seq_printf(seq, "mode %s\n", op25b_mode_names[rs->pol.set.mode]);
	seq_printf(seq, "action %s\n", op25b_action_names[rs->pol.set.action]);
	seq_printf(seq, "scope %s\n", op25b_scope_names[rs->pol.set.scope]);
	seq_printf(seq, "reject-rate %u/s burst %u\n", rs->pol.set.reject_rate,
		   rs->pol.set.reject_burst);
	seq_printf(seq, "log %s rate %u/s burst %u privacy %s\n",
		   rs->pol.set.log ? "on" : "off", rs->pol.set.log_rate,
		   rs->pol.set.log_burst, rs->pol.set.log_privacy ? "on" : "off");
	if (rs->pol.set.nflog)
		seq_printf(seq, "nflog on group %u prefix %s snaplen %u\n",
			   rs->pol.set.nflog_group, rs->pol.set.nflog_prefix,
			   rs->pol.set.nflog_snaplen);
	else
		seq_puts(seq, "nflog off\n");
	if (rs->pol.set.alert_attempts)
		seq_printf(seq, "alert %u per %us\n",
			   rs->pol.set.alert_attempts, rs->pol.set.alert_seconds);
	else
		seq_puts(seq, "alert off\n");
	seq_printf(seq, "generation %u\n", rs->generation);
	/* registered only while the policy can block (op25b_hook.c) */
	seq_printf(seq, "hooks %s\n", READ_ONCE(on->hooked) ? "on" : "off");
	/* the host's business: how many namespaces op25b keeps state for */
	if (net_eq(seq_file_single_net(seq), &init_net))
		seq_printf(seq, "namespaces %u\n", op25b_net_live());
	for (i = 0; i < __OP25B_TABLE_MAX; i++) {
		const struct op25b_table *t = rs->pol.tables[i];

		seq_printf(seq, "%s %u ipv4 %u ipv6 %u iif %u",
			   op25b_table_names[i], op25b_table_size(t),
			   t->keys4.n, t->keys6.n, t->niif);
		/* "timed" only where there are timeouts: older parsers */
		if (t->ntimed)
			seq_printf(seq, " timed %u next-expiry %us",
				   t->ntimed, op25b_expire_left(t->next_expiry));
		seq_putc(seq, '\n');
	}
	rcu_read_unlock();
	return 0;
}

int op25b_proc_init(struct net *net, struct op25b_net *on)
{
	on->proc_dir = proc_net_mkdir(net, "op25b", net->proc_net);
	if (!on->proc_dir)
		return -ENOMEM;
	if (!proc_create_net_single("stats", 0444, on->proc_dir,
				    op25b_proc_stats_show, NULL) ||
	    !proc_create_net_single("status", 0444, on->proc_dir,
				    op25b_proc_status_show, NULL)) {
		remove_proc_subtree("op25b", net->proc_net);
		return -ENOMEM;
	}
	return 0;
}

void op25b_proc_exit(struct net *net, struct op25b_net *on)
{
	remove_proc_subtree("op25b", net->proc_net);
}
