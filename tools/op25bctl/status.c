// SPDX-License-Identifier: GPL-2.0
/*
 * "op25bctl status" and "op25bctl mode".
 */
#include <inttypes.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "../../src/op25b_names.h"
#include "nl.h"
#include "stats.h"

#define WARN_MAX	4

struct tinfo {
	bool present;
	uint32_t ipv4, ipv6, iif, max;
};

struct status {
	uint8_t mode;
	uint32_t generation;
	struct tinfo t[__OP25B_TABLE_MAX];
	struct counters c;
	const char *warn[WARN_MAX];
	int nwarn;
};

static const struct nla_policy tinfo_policy[OP25B_TINFO_A_MAX + 1] = {
	[OP25B_TINFO_A_ID]   = { .type = NLA_U8 },
	[OP25B_TINFO_A_IPV4] = { .type = NLA_U32 },
	[OP25B_TINFO_A_IPV6] = { .type = NLA_U32 },
	[OP25B_TINFO_A_IIF]  = { .type = NLA_U32 },
	[OP25B_TINFO_A_LIMIT] = { .type = NLA_U32 },
};

static uint32_t get_u32_or0(struct nlattr *a)
{
	return a ? nla_get_u32(a) : 0;
}

static int tables_parse(struct nlattr *tables, struct status *st)
{
	struct nlattr *tb[OP25B_TINFO_A_MAX + 1], *a;
	struct tinfo *t;
	int rem, id;

	nla_for_each_nested(a, tables, rem) {
		if (nla_type(a) != OP25B_TABLES_A_TABLE)
			continue;
		if (nla_parse_nested(tb, OP25B_TINFO_A_MAX, a,
				     tinfo_policy) || !tb[OP25B_TINFO_A_ID])
			return -1;
		id = nla_get_u8(tb[OP25B_TINFO_A_ID]);
		if (id >= __OP25B_TABLE_MAX)
			continue;	/* a table newer than this tool */
		t = &st->t[id];
		t->present = true;
		t->ipv4 = get_u32_or0(tb[OP25B_TINFO_A_IPV4]);
		t->ipv6 = get_u32_or0(tb[OP25B_TINFO_A_IPV6]);
		t->iif = get_u32_or0(tb[OP25B_TINFO_A_IIF]);
		t->max = get_u32_or0(tb[OP25B_TINFO_A_LIMIT]);
	}
	return 0;
}

static int status_parse(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[OP25B_A_MAX + 1];
	struct status *st = arg;

	if (onl_parse_reply(msg, tb) || !tb[OP25B_A_MODE])
		return NL_STOP;
	st->mode = nla_get_u8(tb[OP25B_A_MODE]);
	st->generation = get_u32_or0(tb[OP25B_A_GENERATION]);
	if (tb[OP25B_A_TABLES] && tables_parse(tb[OP25B_A_TABLES], st))
		return NL_STOP;
	if (tb[OP25B_A_STATS] && counters_parse(tb[OP25B_A_STATS], &st->c))
		return NL_STOP;
	return NL_OK;
}

static const char *mode_name(uint8_t mode)
{
	const char *n = name_of(op25b_mode_names,
				ARRAY_SIZE(op25b_mode_names), mode);

	return n ? n : "unknown";
}

/* The configurations that silently enforce nothing. */
static void status_warnings(struct status *st)
{
	const struct tinfo *sub = &st->t[OP25B_TABLE_SUBSCRIBER];

	if (st->mode == OP25B_MODE_OFF)
		st->warn[st->nwarn++] = "mode is off: nothing is enforced";
	if (sub->present && !sub->ipv4 && !sub->ipv6 && !sub->iif)
		st->warn[st->nwarn++] =
			"the subscriber table is empty: nothing is enforced";
}

static void status_text(const struct status *st)
{
	const struct tinfo *t;
	int i;

	printf("mode: %s\n", mode_name(st->mode));
	printf("generation: %" PRIu32 "\n", st->generation);
	for (i = 0; i < __OP25B_TABLE_MAX; i++) {
		t = &st->t[i];
		if (!t->present)
			continue;
		printf("%s: %" PRIu64 " entries (%" PRIu32 " ipv4, %" PRIu32
		       " ipv6, %" PRIu32 " iif), max %" PRIu32 "\n",
		       op25b_table_names[i],
		       (uint64_t)t->ipv4 + t->ipv6 + t->iif,
		       t->ipv4, t->ipv6, t->iif, t->max);
	}
	counters_print_totals(stdout, &st->c);
	for (i = 0; i < st->nwarn; i++)
		printf("warning: %s\n", st->warn[i]);
}

static void status_json(const struct status *st)
{
	const struct tinfo *t;
	struct json j;
	int i;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_string(&j, "mode", mode_name(st->mode));
	json_u64(&j, "generation", st->generation);
	json_object_begin(&j, "tables");
	for (i = 0; i < __OP25B_TABLE_MAX; i++) {
		t = &st->t[i];
		if (!t->present)
			continue;
		json_object_begin(&j, op25b_table_names[i]);
		json_u64(&j, "ipv4", t->ipv4);
		json_u64(&j, "ipv6", t->ipv6);
		json_u64(&j, "iif", t->iif);
		json_u64(&j, "max", t->max);
		json_object_end(&j);
	}
	json_object_end(&j);
	json_object_begin(&j, "stats");
	counters_print_json(&j, &st->c);
	json_object_end(&j);
	json_array_begin(&j, "warnings");
	for (i = 0; i < st->nwarn; i++)
		json_string(&j, NULL, st->warn[i]);
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

int cmd_status(const struct opts *o, int argc, char **argv)
{
	struct status st;
	int ret;

	if (argc > 1)
		return usage_err("status: unexpected argument '%s'", argv[1]);
	memset(&st, 0, sizeof(st));
	ret = onl_simple(OP25B_CMD_GET_STATUS, 0, 0, "status", status_parse,
			 &st);
	if (ret)
		return ret;
	status_warnings(&st);
	if (o->json)
		status_json(&st);
	else
		status_text(&st);
	return EXIT_OK;
}

int cmd_mode(const struct opts *o, int argc, char **argv)
{
	int mode;

	(void)o;
	if (argc < 2)
		return usage_err("mode: missing mode (enforce, monitor, off)");
	mode = value_of(op25b_mode_names, ARRAY_SIZE(op25b_mode_names),
			argv[1]);
	if (mode < 0)
		return usage_err("unknown mode '%s' (enforce, monitor, off)",
				 argv[1]);
	if (argc > 2)
		return usage_err("mode: unexpected argument '%s'", argv[2]);
	return onl_simple(OP25B_CMD_SET, OP25B_A_MODE, mode, "mode", NULL,
			  NULL);
}
