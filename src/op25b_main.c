// SPDX-License-Identifier: GPL-2.0
/*
 * op25b: Outbound Port 25 Blocking.  Module parameters and init/exit.
 *
 * Subscribers may send mail to port 25 only of the ISP's own MTAs; mail to
 * anywhere else goes through the submission ports 587/465 with SMTP AUTH.
 * docs/design.md explains the whole.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <net/genetlink.h>

#include "op25b_net.h"
#include "op25b_names.h"
#include "op25b_parse.h"

/*
 * The writable parameters are sizes and rates, and each has a range: a
 * value outside fails the write (or the load) with -ERANGE and a log
 * line, so that no size chosen here can ask the allocator for more than
 * it gives without a warning.
 */
static int op25b_param_set_range(const char *val,
				 const struct kernel_param *kp,
				 unsigned int min, unsigned int max)
{
	unsigned int v;
	int err;

	err = kstrtouint(val, 0, &v);
	if (err) {
		pr_err("%s=%s: not a number\n", kp->name, val);
		return err;
	}
	if (v < min || v > max) {
		pr_err("%s=%u: out of range %u..%u\n", kp->name, v, min, max);
		return -ERANGE;
	}
	WRITE_ONCE(*(unsigned int *)kp->arg, v);
	return 0;
}

static int op25b_param_set_table_max(const char *val,
				     const struct kernel_param *kp)
{
	return op25b_param_set_range(val, kp, 1, OP25B_TABLE_SIZE_LIMIT);
}

static int op25b_param_set_offenders_max(const char *val,
					 const struct kernel_param *kp)
{
	return op25b_param_set_range(val, kp, 1, OP25B_OFFENDERS_LIMIT);
}

static int op25b_param_set_rate(const char *val, const struct kernel_param *kp)
{
	return op25b_param_set_range(val, kp, 1, OP25B_RATE_MAX);
}

static const struct kernel_param_ops op25b_table_max_ops = {
	.set = op25b_param_set_table_max,
	.get = param_get_uint,
};

static const struct kernel_param_ops op25b_offenders_max_ops = {
	.set = op25b_param_set_offenders_max,
	.get = param_get_uint,
};

static const struct kernel_param_ops op25b_rate_ops = {
	.set = op25b_param_set_rate,
	.get = param_get_uint,
};

unsigned int op25b_table_max __read_mostly = OP25B_TABLE_SIZE_DEFAULT;
module_param_cb(table_max, &op25b_table_max_ops, &op25b_table_max, 0644);
MODULE_PARM_DESC(table_max, "Most entries per table (default 1048576, at most 16777216)");

unsigned int op25b_offenders_max __read_mostly = OP25B_OFFENDERS_DEFAULT;
module_param_cb(offenders_max, &op25b_offenders_max_ops, &op25b_offenders_max,
		0644);
MODULE_PARM_DESC(offenders_max, "Offenders kept per CPU and namespace (default 4096, at most 1048576; taken when a namespace gets its first subscribers)");

module_param_cb(log_rate_max, &op25b_rate_ops, &op25b_log_rate_max, 0644);
MODULE_PARM_DESC(log_rate_max, "Log lines per second of all namespaces together (default 100, at most 1000000)");

static char *mode = "enforce";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "Initial mode of the initial namespace: enforce, monitor or off");

static char *subscribers = "";
module_param(subscribers, charp, 0444);
MODULE_PARM_DESC(subscribers, "Initial subscriber prefixes, comma separated");

static char *allow = "";
module_param(allow, charp, 0444);
MODULE_PARM_DESC(allow, "Initial allowlisted MTA prefixes, comma separated");

static char *exempt = "";
module_param(exempt, charp, 0444);
MODULE_PARM_DESC(exempt, "Initial exempt source prefixes, comma separated");

static char *target = "";
module_param(target, charp, 0444);
MODULE_PARM_DESC(target, "Initial target destination prefixes (for scope targets), comma separated");

struct workqueue_struct *op25b_wq;

static int __init op25b_parse_mode(u8 *out)
{
	int i;

	for (i = 0; i < __OP25B_MODE_MAX; i++) {
		if (!strcmp(mode, op25b_mode_names[i])) {
			*out = i;
			return 0;
		}
	}
	pr_err("mode=%s: not one of enforce, monitor, off\n", mode);
	return -EINVAL;
}

/* Splits a comma-separated parameter into @batch; returns entries or < 0. */
static int __init op25b_parse_list(const char *name, const char *list,
				   struct op25b_entry *batch, u32 max)
{
	const char *p = list;
	u32 n = 0;

	while (*p) {
		size_t len = strcspn(p, ",");
		enum op25b_parse_err err;

		if (len) {
			if (n == max) {
				pr_err("%s=: more than %u entries\n", name, max);
				return -ENOSPC;
			}
			err = op25b_parse_prefix(p, len, &batch[n]);
			if (err) {
				pr_err("%s=: '%.*s': %s\n", name, (int)len, p,
				       op25b_parse_strerror(err));
				return -EINVAL;
			}
			batch[n].pos = n;
			n++;
		}
		p += len;
		if (*p)
			p++;
	}
	return n;
}

static int __init op25b_param_table(const char *name, const char *list,
				    struct op25b_table **out)
{
	struct op25b_table *empty = op25b_table_new();
	struct op25b_entry *batch = NULL;
	enum op25b_table_err terr;
	u32 max = strlen(list) / 2 + 1, bad;
	int n, err = -ENOMEM;

	batch = kvmalloc_array(max, sizeof(*batch), GFP_KERNEL);
	if (!empty || !batch)
		goto out;
	n = op25b_parse_list(name, list, batch, max);
	err = n;
	if (n < 0)
		goto out;
	terr = op25b_table_apply(empty, OP25B_OP_ADD, batch, n,
				 op25b_table_max, out, &bad);
	err = op25b_table_errno(terr);
	if (terr)
		pr_err("%s=: entry %u: %s\n", name, bad + 1,
		       op25b_table_strerror(terr));
out:
	kvfree(batch);
	op25b_table_free(empty);
	return err;
}

static int __init op25b_boot_config(void)
{
	static char **const values[] = { &subscribers, &allow, &exempt,
					 &target };
	static const struct {
		enum op25b_table_id id;
		const char *name;
	} params[] = {
		{ OP25B_TABLE_SUBSCRIBER, "subscribers" },
		{ OP25B_TABLE_ALLOW, "allow" },
		{ OP25B_TABLE_EXEMPT, "exempt" },
		{ OP25B_TABLE_TARGET, "target" },
	};
	struct op25b_table *tables[__OP25B_TABLE_MAX] = {};
	u8 boot_mode;
	int i, err;

	err = op25b_parse_mode(&boot_mode);
	for (i = 0; !err && i < ARRAY_SIZE(params); i++)
		/* "" rather than NULL: sysfs shows an unset list as empty */
		if (*values[i] && **values[i])
			err = op25b_param_table(params[i].name, *values[i],
						&tables[params[i].id]);
	if (err) {
		for (i = 0; i < __OP25B_TABLE_MAX; i++)
			op25b_table_free(tables[i]);
		return err;
	}
	op25b_net_set_boot_config(boot_mode, tables);
	return 0;
}

static int __init op25b_init(void)
{
	int err;

	op25b_wq = alloc_workqueue("op25b", 0, 0);
	if (!op25b_wq)
		return -ENOMEM;
	err = op25b_boot_config();
	if (err)
		goto err_wq;
	err = register_pernet_subsys(&op25b_net_ops);
	if (err) {
		op25b_net_drop_boot_config();
		goto err_wq;
	}
	err = op25b_txn_init();
	if (err)
		goto err_pernet;
	err = op25b_genl_init();
	if (err)
		goto err_txn;
	pr_info("loaded, mode=%s\n", mode);
	return 0;

err_txn:
	op25b_txn_exit();
err_pernet:
	unregister_pernet_subsys(&op25b_net_ops);
err_wq:
	rcu_barrier();
	destroy_workqueue(op25b_wq);
	return err;
}

static void __exit op25b_exit(void)
{
	op25b_genl_exit();
	op25b_txn_exit();
	unregister_pernet_subsys(&op25b_net_ops);
	/* rulesets retired by writers: their grace periods, then their work */
	rcu_barrier();
	destroy_workqueue(op25b_wq);
	/* no hook is left that could call into the helpers */
	op25b_reject_exit();
	op25b_nflog_exit();
}

module_init(op25b_init);
module_exit(op25b_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("op25b developers");
MODULE_DESCRIPTION("Outbound Port 25 Blocking for forwarded IPv4 and IPv6 traffic");
MODULE_ALIAS_GENL_FAMILY(OP25B_GENL_NAME);
