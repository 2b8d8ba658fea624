// SPDX-License-Identifier: GPL-2.0
/*
 * Throw-away module for the harness self-test: WARN_ON(1) at load time, so
 * that a run loading it must be reported as failed by boot.sh.
 */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/init.h>

static int __init op25b_selftest_warn_init(void)
{
	WARN_ON(1);
	return 0;
}

static void __exit op25b_selftest_warn_exit(void)
{
}

module_init(op25b_selftest_warn_init);
module_exit(op25b_selftest_warn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("op25b harness self-test: WARN_ON at init");
