// SPDX-License-Identifier: GPL-2.0
/*
 * Throw-away stand-in for op25b.ko, used only by the harness self-test to
 * exercise guest-suite.sh's insmod / reload / rmmod handling.  selftest.sh
 * builds it as build/selftest/KVER/modules/op25b.ko.
 */
#include <linux/module.h>
#include <linux/init.h>

static int __init op25b_dummy_init(void)
{
	pr_info("op25b selftest dummy loaded\n");
	return 0;
}

static void __exit op25b_dummy_exit(void)
{
	pr_info("op25b selftest dummy unloaded\n");
}

module_init(op25b_dummy_init);
module_exit(op25b_dummy_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("op25b harness self-test dummy module");
