// SPDX-License-Identifier: GPL-2.0
/*
 * "op25bctl stats [reset]", and the counters shared with "status".
 * The text form is that of /proc/net/op25b/stats, so scripts may read
 * either.
 */
#include <inttypes.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "../../src/op25b_names.h"
#include "nl.h"
#include "prom.h"
#include "stats.h"

static const struct nla_policy stats_policy[OP25B_STATS_A_MAX + 1] = {
	[OP25B_STATS_A_IPV4] = { .type = NLA_NESTED },
	[OP25B_STATS_A_IPV6] = { .type = NLA_NESTED },
};

static void counters_parse_fam(struct nlattr *nest, uint64_t *v)
{
	struct nlattr *a;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		int type = nla_type(a);

		/*
		 * Counter N is type N + 1.  Counters newer than this tool
		 * are skipped, and so is OP25B_COUNTER_A_PAD (255, above
		 * any counter) and anything too short to be a u64.
		 */
		if (type < 1 || type > __OP25B_CNT_MAX ||
		    type == OP25B_COUNTER_A_PAD ||
		    nla_len(a) < (int)sizeof(uint64_t))
			continue;
		v[type - 1] = nla_get_u64(a);
	}
}

int counters_parse(struct nlattr *stats, struct counters *c)
{
	struct nlattr *tb[OP25B_STATS_A_MAX + 1];

	memset(c, 0, sizeof(*c));
	if (nla_parse_nested(tb, OP25B_STATS_A_MAX, stats, stats_policy))
		return -1;
	if (tb[OP25B_STATS_A_IPV4])
		counters_parse_fam(tb[OP25B_STATS_A_IPV4], c->v[FAM_IPV4]);
	if (tb[OP25B_STATS_A_IPV6])
		counters_parse_fam(tb[OP25B_STATS_A_IPV6], c->v[FAM_IPV6]);
	return 0;
}

void counters_print_totals(FILE *f, const struct counters *c)
{
	int i;

	for (i = 0; i < __OP25B_CNT_MAX; i++)
		fprintf(f, "%s %" PRIu64 "\n", op25b_counter_names[i],
			counter_total(c, i));
}

void counters_print_json(struct json *j, const struct counters *c)
{
	int i;

	for (i = 0; i < __OP25B_CNT_MAX; i++) {
		json_object_begin(j, op25b_counter_names[i]);
		json_u64(j, "total", counter_total(c, i));
		json_u64(j, "ipv4", c->v[FAM_IPV4][i]);
		json_u64(j, "ipv6", c->v[FAM_IPV6][i]);
		json_object_end(j);
	}
}

static void stats_print(const struct opts *o, const struct counters *c)
{
	static const char *const fam[FAM_NR] = { "ipv4", "ipv6" };
	struct json j;
	int f, i;

	if (o->json) {
		json_init(&j, stdout);
		json_object_begin(&j, NULL);
		counters_print_json(&j, c);
		json_object_end(&j);
		json_finish(&j);
		return;
	}
	counters_print_totals(stdout, c);
	for (f = 0; f < FAM_NR; f++)
		for (i = 0; i < __OP25B_CNT_MAX; i++)
			printf("%s_%s %" PRIu64 "\n", op25b_counter_names[i],
			       fam[f], c->v[f][i]);
}

static int stats_parse(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[OP25B_A_MAX + 1];

	if (onl_parse_reply(msg, tb) || !tb[OP25B_A_STATS] ||
	    counters_parse(tb[OP25B_A_STATS], arg))
		return NL_STOP;
	return NL_OK;
}

/*
 * "stats --prometheus [FILE] [label NAME=VALUE]...": GET_STATUS has the
 * counters and the rest.  A file named "label" or "reset" is ./label.
 */
static int stats_prometheus(const struct opts *o, int argc, char **argv)
{
	struct prom_labels labels = { 0 };
	const char *file = NULL;
	struct status st;
	int i = 1;

	if (o->json)
		return usage_err("stats --prometheus: not with -j");
	if (i < argc && strcmp(argv[i], "label")) {
		file = argv[i++];
		if (!strcmp(file, "reset"))
			return usage_err("stats --prometheus: not with reset (a file named reset: ./reset)");
	}
	for (; i < argc; i += 2) {
		if (strcmp(argv[i], "label"))
			return usage_err("stats --prometheus: unexpected argument '%s'",
					 argv[i]);
		if (i + 1 == argc)
			return usage_err("stats --prometheus: label needs NAME=VALUE");
		if (prom_label_add(&labels, argv[i + 1]))
			return EXIT_ERR;
	}
	if (status_get(&st))
		return EXIT_ERR;
	if (!file || !strcmp(file, "-")) {
		prom_write(stdout, &st, &labels);
		return EXIT_OK;
	}
	return prom_write_file(file, &st, &labels) ? EXIT_ERR : EXIT_OK;
}

int cmd_stats(const struct opts *o, int argc, char **argv)
{
	struct counters c;
	int ret;

	if (o->option)		/* --prometheus */
		return stats_prometheus(o, argc, argv);
	if (argc > 1 && !strcmp(argv[1], "reset")) {
		if (argc > 2)
			return usage_err("stats reset: unexpected argument '%s'",
					 argv[2]);
		return onl_simple(OP25B_CMD_RESET_STATS, 0, 0, "stats reset",
				  NULL, NULL);
	}
	if (argc > 1)
		return usage_err("stats: unexpected argument '%s' (reset?)",
				 argv[1]);
	memset(&c, 0, sizeof(c));
	ret = onl_simple(OP25B_CMD_GET_STATS, 0, 0, "stats", stats_parse, &c);
	if (!ret)
		stats_print(o, &c);
	return ret;
}
