// SPDX-License-Identifier: GPL-2.0
/*
 * "op25bctl save" and "op25bctl load [--check] FILE|-": the whole
 * configuration of the namespace as an op25b.conf(5) file (conf.c).
 *
 * save reads the settings and the four tables, and reads them again if
 * the generation moved meanwhile, so the file is one configuration that
 * existed, not a mix of two.
 *
 * load replaces the configuration in one kernel transaction: TXN_BEGIN,
 * one SET with every setting (defaults for those the file leaves out),
 * ADD_ENTRIES per table split into messages as "add" does, TXN_COMMIT.
 * The kernel stages all of it and swaps it in at the commit, so packets
 * see the old configuration or the new one.  On any error the
 * transaction is aborted (closing the socket would abort it too) and
 * nothing changes.
 */
#include <dirent.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <netlink/genl/genl.h>

#include "../../src/op25b_names.h"
#include "conf.h"
#include "set.h"
#include "status.h"
#include "table.h"
#include "top.h"

/* ---- save ---- */

/* The name "ip netns" knows the namespace by, else net:[INODE]. */
static void netns_name(char *buf, size_t len)
{
	struct stat self, st;
	struct dirent *d;
	char path[300];
	DIR *dir;

	if (stat("/proc/self/ns/net", &self)) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf, len, "net:[%lu]", (unsigned long)self.st_ino);
	dir = opendir("/run/netns");
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/run/netns/%s", d->d_name);
		if (!stat(path, &st) && st.st_dev == self.st_dev &&
		    st.st_ino == self.st_ino) {
			snprintf(buf, len, "%s", d->d_name);
			break;
		}
	}
	closedir(dir);
}

static void save_header(FILE *f)
{
	char ns[280], when[32];

	netns_name(ns, sizeof(ns));
	top_time((uint64_t)time(NULL), when, sizeof(when));
	fprintf(f, "# op25b configuration saved by op25bctl %s from netns %s at %s\n",
		OP25BCTL_VERSION, ns, when);
}

/* Settings and tables of one generation. */
static int save_fetch(struct onl *h, struct status *st, struct listing *l)
{
	struct status again;
	int tries, t;

	for (tries = 0; tries < DUMP_TRIES; tries++) {
		if (status_fetch(h, st))
			return -1;
		for (t = 0; t < __OP25B_TABLE_MAX; t++)
			if (listing_fetch(h, &l[t]))
				return -1;
		if (status_fetch(h, &again))
			return -1;
		if (again.generation == st->generation)
			return 0;
	}
	err_msg("save: the configuration kept changing; gave up after %d tries",
		DUMP_TRIES);
	return -1;
}

int cmd_save(const struct opts *o, int argc, char **argv)
{
	struct listing l[__OP25B_TABLE_MAX] = { 0 };
	const struct op25b_entry *e[__OP25B_TABLE_MAX];
	uint32_t n[__OP25B_TABLE_MAX];
	struct status st;
	struct onl h;
	int ret = EXIT_ERR, t;

	(void)o;
	if (argc > 1)
		return usage_err("save: unexpected argument '%s' (it writes to stdout)",
				 argv[1]);
	for (t = 0; t < __OP25B_TABLE_MAX; t++)
		l[t].table = t;
	if (onl_open(&h))
		return EXIT_ERR;
	if (save_fetch(&h, &st, l))
		goto out;
	if ((st.set.has & SET_ALL) != SET_ALL) {
		err_msg("save: the kernel did not report every setting (op25b module older than op25bctl?)");
		goto out;
	}
	for (t = 0; t < __OP25B_TABLE_MAX; t++) {
		e[t] = l[t].e;
		n[t] = l[t].n;
	}
	save_header(stdout);
	conf_put(stdout, &st.set, e, n);
	ret = EXIT_OK;
out:
	for (t = 0; t < __OP25B_TABLE_MAX; t++)
		listing_free(&l[t]);
	onl_close(&h);
	return ret;
}

/* ---- load ---- */

static int txn_parse(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[OP25B_A_MAX + 1];

	if (onl_parse_reply(msg, tb) || !tb[OP25B_A_TXN])
		return NL_STOP;
	*(uint32_t *)arg = nla_get_u32(tb[OP25B_A_TXN]);
	return NL_OK;
}

/* Stages everything in transaction @txn; EXIT_OK or EXIT_ERR. */
static int load_stage(struct onl *h, struct conf *c, uint32_t txn)
{
	char ctx[CONF_ERR_MAX];
	int t;

	snprintf(ctx, sizeof(ctx), "%s: settings", c->name);
	if (settings_send(h, &c->set, &txn, ctx))
		return EXIT_ERR;
	for (t = 0; t < __OP25B_TABLE_MAX; t++)
		if (c->t[t].n &&
		    table_send(h, t, OP25B_CMD_ADD_ENTRIES, &c->t[t], &txn))
			return EXIT_ERR;
	return EXIT_OK;
}

static int load_send(struct conf *c)
{
	uint32_t txn = 0;
	struct onl h;
	int ret;

	if (onl_open(&h))
		return EXIT_ERR;
	ret = onl_simple_req(&h, OP25B_CMD_TXN_BEGIN, 0, 0, "load", txn_parse,
			     &txn);
	if (ret)
		goto out;
	ret = load_stage(&h, c, txn);
	if (!ret) {
		ret = onl_simple_req(&h, OP25B_CMD_TXN_COMMIT, OP25B_A_TXN, txn,
				     "load: commit", NULL, NULL);
	} else {
		/* quietly: closing the socket aborts it anyway */
		struct onl_req r;
		struct onl_result res;

		if (!onl_req_init(&h, &r, OP25B_CMD_TXN_ABORT, 0, 8)) {
			if (!nla_put_u32(r.msg, OP25B_A_TXN, txn))
				onl_exchange(&h, &r, NULL, NULL, &res);
			onl_req_free(&r);
		}
	}
out:
	if (ret)
		err_msg("load %s: nothing was changed", c->name);
	onl_close(&h);
	return ret;
}

int cmd_load(const struct opts *o, int argc, char **argv)
{
	const char *path, *name;
	struct conf c;
	char *buf;
	size_t len;
	int ret;

	if (argc < 2)
		return usage_err("load: missing FILE (or - for stdin)");
	if (argc > 2)
		return usage_err("load: unexpected argument '%s'", argv[2]);
	path = argv[1];
	name = strcmp(path, "-") ? path : "<stdin>";
	buf = file_read_all(path, name, &len);
	if (!buf)
		return EXIT_ERR;
	conf_init(&c);
	if (conf_parse(&c, buf, len, name)) {
		err_msg("%s", c.err);
		ret = EXIT_ERR;
	} else if (o->option) {		/* --check */
		ret = EXIT_OK;
	} else {
		settings_defaults(&c.set);
		ret = load_send(&c);
	}
	conf_free(&c);
	free(buf);
	return ret;
}
