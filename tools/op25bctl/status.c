// SPDX-License-Identifier: GPL-2.0
/*
 * "op25bctl status" and "op25bctl mode".
 */
#include <inttypes.h>
#include <string.h>

#include <netlink/genl/genl.h>

#include "../../src/op25b_names.h"
#include "../../src/op25b_parse.h"
#include "status.h"

static const struct nla_policy tinfo_policy[OP25B_TINFO_A_MAX + 1] = {
	[OP25B_TINFO_A_ID]   = { .type = NLA_U8 },
	[OP25B_TINFO_A_IPV4] = { .type = NLA_U32 },
	[OP25B_TINFO_A_IPV6] = { .type = NLA_U32 },
	[OP25B_TINFO_A_IIF]  = { .type = NLA_U32 },
	[OP25B_TINFO_A_LIMIT] = { .type = NLA_U32 },
	[OP25B_TINFO_A_TIMED] = { .type = NLA_U32 },
	[OP25B_TINFO_A_NEXT_EXPIRY] = { .type = NLA_U32 },
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
		t->timed = get_u32_or0(tb[OP25B_TINFO_A_TIMED]);
		t->next_expiry = get_u32_or0(tb[OP25B_TINFO_A_NEXT_EXPIRY]);
	}
	return 0;
}

/* The settings the kernel reported, each with its bit in st->set.has. */
static void settings_get(struct nlattr **tb, struct settings *s)
{
	int i;

	for (i = 0; i < __OP25B_SET_MAX; i++) {
		const struct op25b_setting *d = &op25b_settings_map[i];
		struct nlattr *a = tb[d->attr];

		if (!a)
			continue;
		if (d->string) {
			op25b_setting_put_str(&s->v, i, nla_get_string(a));
		} else if (nla_len(a) == (int)d->width) {
			op25b_setting_put(&s->v, i, d->width == 1 ? nla_get_u8(a) :
					  d->width == 2 ? nla_get_u16(a) :
					  nla_get_u32(a));
		} else {
			continue;	/* not what this op25bctl knows */
		}
		s->has |= SET_BIT(i);
	}
}

static int status_parse(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[OP25B_A_MAX + 1];
	struct status *st = arg;

	if (onl_parse_reply(msg, tb) || !tb[OP25B_A_MODE])
		return NL_STOP;
	st->mode = nla_get_u8(tb[OP25B_A_MODE]);
	st->generation = get_u32_or0(tb[OP25B_A_GENERATION]);
	settings_get(tb, &st->set);
	st->has_slots = tb[OP25B_A_TOP_SLOTS];
	st->top_slots = get_u32_or0(tb[OP25B_A_TOP_SLOTS]);
	st->txn_open = tb[OP25B_A_TXN_OPEN];
	if (tb[OP25B_A_TABLES] && tables_parse(tb[OP25B_A_TABLES], st))
		return NL_STOP;
	if (tb[OP25B_A_STATS] && counters_parse(tb[OP25B_A_STATS], &st->c))
		return NL_STOP;
	return NL_OK;
}

int status_fetch(struct onl *h, struct status *st)
{
	memset(st, 0, sizeof(*st));
	return onl_simple_req(h, OP25B_CMD_GET_STATUS, 0, 0, "status",
			      status_parse, st) ? -1 : 0;
}

int status_get(struct status *st)
{
	struct onl h;
	int ret;

	if (onl_open(&h))
		return -1;
	ret = status_fetch(&h, st);
	onl_close(&h);
	return ret;
}

static const char *name_or_unknown(const char *const *names, size_t n,
				   unsigned int v)
{
	const char *s = name_of(names, n, v);

	return s ? s : "unknown";
}

static const char *mode_name(uint8_t mode)
{
	return name_or_unknown(op25b_mode_names, ARRAY_SIZE(op25b_mode_names),
			       mode);
}

static bool has(const struct status *st, int bit)
{
	return st->set.has & SET_BIT(bit);
}

/* The configurations that silently enforce nothing. */
static void status_warnings(struct status *st)
{
	const struct tinfo *sub = &st->t[OP25B_TABLE_SUBSCRIBER];

	if (st->mode == OP25B_MODE_OFF)
		st->warn[st->nwarn++] = "mode is off: nothing is enforced";
	const struct tinfo *tgt = &st->t[OP25B_TABLE_TARGET];

	if (sub->present && !sub->ipv4 && !sub->ipv6 && !sub->iif)
		st->warn[st->nwarn++] =
			"the subscriber table is empty: nothing is enforced";
	if (has(st, OP25B_SET_SCOPE) && st->set.v.scope == OP25B_SCOPE_TARGETS &&
	    tgt->present && !tgt->ipv4 && !tgt->ipv6)
		st->warn[st->nwarn++] =
			"scope is targets and the target table is empty: nothing is enforced";
}

/* The settings lines: "action: drop", "log: off rate 10/s ...". */
static void settings_text(FILE *f, const struct status *st)
{
	const struct settings *s = &st->set;

	if (has(st, OP25B_SET_ACTION))
		fprintf(f, "action: %s\n", name_or_unknown(op25b_action_names,
		       ARRAY_SIZE(op25b_action_names), s->v.action));
	if (has(st, OP25B_SET_SCOPE))
		fprintf(f, "scope: %s\n", name_or_unknown(op25b_scope_names,
		       ARRAY_SIZE(op25b_scope_names), s->v.scope));
	if (has(st, OP25B_SET_REJECT_RATE)) {
		fprintf(f, "reject-rate: %" PRIu32 "/s", s->v.reject_rate);
		if (has(st, OP25B_SET_REJECT_BURST))
			fprintf(f, " burst %" PRIu32, s->v.reject_burst);
		fputc('\n', f);
	}
	if (has(st, OP25B_SET_LOG)) {
		fprintf(f, "log: %s", s->v.log ? "on" : "off");
		if (has(st, OP25B_SET_LOG_RATE))
			fprintf(f, " rate %" PRIu32 "/s", s->v.log_rate);
		if (has(st, OP25B_SET_LOG_BURST))
			fprintf(f, " burst %" PRIu32, s->v.log_burst);
		if (has(st, OP25B_SET_LOG_PRIVACY))
			fprintf(f, " privacy %s", s->v.log_privacy ? "on" : "off");
		fputc('\n', f);
	}
	if (has(st, OP25B_SET_NFLOG)) {
		if (s->v.nflog)
			fprintf(f, "nflog: on group %u prefix %s snaplen %" PRIu32 "\n",
				s->v.nflog_group, s->v.nflog_prefix,
				s->v.nflog_snaplen);
		else
			fputs("nflog: off\n", f);
	}
	if (has(st, OP25B_SET_ALERT_ATTEMPTS)) {
		if (s->v.alert_attempts)
			fprintf(f, "alert: %" PRIu32 " per %" PRIu32 "s\n",
				s->v.alert_attempts, s->v.alert_seconds);
		else
			fputs("alert: off\n", f);
	}
	if (st->has_slots)
		fprintf(f, "offenders: %" PRIu32 " slots per CPU\n", st->top_slots);
	if (st->txn_open)
		fprintf(f, "transaction: open\n");
}

/* A u32 setting, or null when the kernel did not report it. */
static void json_u32_or_null(struct json *j, const char *key, bool present,
			     uint32_t v)
{
	if (present)
		json_u64(j, key, v);
	else
		json_null(j, key);
}

static void json_bool_or_null(struct json *j, const char *key, bool present,
			      bool v)
{
	if (present)
		json_bool(j, key, v);
	else
		json_null(j, key);
}

static void settings_json(struct json *j, const struct status *st)
{
	const struct settings *s = &st->set;

	json_string(j, "action", has(st, OP25B_SET_ACTION) ?
		    name_or_unknown(op25b_action_names,
				    ARRAY_SIZE(op25b_action_names), s->v.action) :
		    NULL);
	json_string(j, "scope", has(st, OP25B_SET_SCOPE) ?
		    name_or_unknown(op25b_scope_names,
				    ARRAY_SIZE(op25b_scope_names), s->v.scope) :
		    NULL);
	json_object_begin(j, "reject_rate");
	json_u32_or_null(j, "rate", has(st, OP25B_SET_REJECT_RATE), s->v.reject_rate);
	json_u32_or_null(j, "burst", has(st, OP25B_SET_REJECT_BURST),
			 s->v.reject_burst);
	json_object_end(j);
	json_object_begin(j, "log");
	json_bool_or_null(j, "enabled", has(st, OP25B_SET_LOG), s->v.log);
	json_u32_or_null(j, "rate", has(st, OP25B_SET_LOG_RATE), s->v.log_rate);
	json_u32_or_null(j, "burst", has(st, OP25B_SET_LOG_BURST), s->v.log_burst);
	json_bool_or_null(j, "privacy", has(st, OP25B_SET_LOG_PRIVACY),
			  s->v.log_privacy);
	json_object_end(j);
	json_object_begin(j, "nflog");
	json_bool_or_null(j, "enabled", has(st, OP25B_SET_NFLOG), s->v.nflog);
	json_u32_or_null(j, "group", has(st, OP25B_SET_NFLOG_GROUP),
			 s->v.nflog_group);
	json_string(j, "prefix", has(st, OP25B_SET_NFLOG_PREFIX) ?
		    s->v.nflog_prefix : NULL);
	json_u32_or_null(j, "snaplen", has(st, OP25B_SET_NFLOG_SNAPLEN),
			 s->v.nflog_snaplen);
	json_object_end(j);
	json_object_begin(j, "alert");
	json_u32_or_null(j, "attempts", has(st, OP25B_SET_ALERT_ATTEMPTS),
			 s->v.alert_attempts);
	json_u32_or_null(j, "seconds", has(st, OP25B_SET_ALERT_SECONDS),
			 s->v.alert_seconds);
	json_object_end(j);
	json_u32_or_null(j, "offender_slots", st->has_slots, st->top_slots);
	json_bool(j, "transaction_open", st->txn_open);
}

static void status_text(FILE *f, const struct status *st)
{
	const struct tinfo *t;
	int i;

	fprintf(f, "mode: %s\n", mode_name(st->mode));
	fprintf(f, "generation: %" PRIu32 "\n", st->generation);
	settings_text(f, st);
	for (i = 0; i < __OP25B_TABLE_MAX; i++) {
		t = &st->t[i];
		if (!t->present)
			continue;
		fprintf(f, "%s: %" PRIu64 " entries (%" PRIu32 " ipv4, %" PRIu32
		       " ipv6, %" PRIu32 " iif), max %" PRIu32,
		       op25b_table_names[i],
		       (uint64_t)t->ipv4 + t->ipv6 + t->iif,
		       t->ipv4, t->ipv6, t->iif, t->max);
		if (t->timed) {
			char d[OP25B_DURATION_MAX];

			op25b_format_duration(t->next_expiry, d);
			fprintf(f, ", %" PRIu32 " with timeouts, next expires in %s",
				t->timed, d);
		}
		fputc('\n', f);
	}
	counters_print_totals(f, &st->c);
	for (i = 0; i < st->nwarn; i++)
		fprintf(f, "warning: %s\n", st->warn[i]);
}

static void status_json(FILE *f, const struct status *st)
{
	const struct tinfo *t;
	struct json j;
	int i;

	json_init(&j, f);
	json_object_begin(&j, NULL);
	json_string(&j, "mode", mode_name(st->mode));
	json_u64(&j, "generation", st->generation);
	settings_json(&j, st);
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
		json_u64(&j, "timed", t->timed);
		if (t->timed)
			json_u64(&j, "next_expiry", t->next_expiry);
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

void status_print(FILE *f, struct status *st, bool json)
{
	st->nwarn = 0;
	status_warnings(st);
	if (json)
		status_json(f, st);
	else
		status_text(f, st);
}

int cmd_status(const struct opts *o, int argc, char **argv)
{
	struct status st;

	if (argc > 1)
		return usage_err("status: unexpected argument '%s'", argv[1]);
	if (status_get(&st))
		return EXIT_ERR;
	status_print(stdout, &st, o->json);
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
