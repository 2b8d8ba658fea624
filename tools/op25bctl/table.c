// SPDX-License-Identifier: GPL-2.0
/*
 * "op25bctl {subscriber|allow|exempt} add|del|list|flush".
 */
#include <string.h>

#include "../../src/op25b_names.h"
#include "batch.h"
#include "entry.h"
#include "json.h"
#include "nl.h"

/*
 * A message carries at most this many entries; the kernel applies each
 * message atomically.  The entry nest must also fit nla_len (16 bits),
 * which caps IPv6 batches lower (2047 entries) than this.
 */
#define MSG_ENTRIES_MAX	4096
#define NEST_BYTES_MAX	0xffff

/* After an invalid dump this many times, the table is too busy to list. */
#define DUMP_TRIES	10

/* End of the message starting at entry @first: count and bytes bound it. */
static uint32_t chunk_end(const struct batch *b, uint32_t first,
			  size_t *nest)
{
	uint32_t i;

	*nest = NLA_HDRLEN;
	for (i = first; i < b->n && i - first < MSG_ENTRIES_MAX; i++) {
		size_t sz = entry_nest_size(&b->e[i], true);

		if (*nest + sz > NEST_BYTES_MAX)
			break;
		*nest += sz;
	}
	return i;
}

static uint32_t chunk_count(const struct batch *b)
{
	uint32_t first = 0, n = 0;
	size_t nest;

	while (first < b->n) {
		first = chunk_end(b, first, &nest);
		n++;
	}
	return n;
}

static int chunk_build(struct onl *h, struct onl_req *r, uint8_t cmd,
		       enum op25b_table_id table, const struct batch *b,
		       uint32_t first, uint32_t end, size_t nest)
{
	struct nlattr *list, *e;
	uint32_t i;

	if (onl_req_init(h, r, cmd, 0, nla_total_size(1) + nest))
		return -1;
	if (nla_put_u8(r->msg, OP25B_A_TABLE, table))
		goto full;
	list = nla_nest_start(r->msg, OP25B_A_ENTRIES);
	if (!list)
		goto full;
	for (i = first; i < end; i++) {
		e = entry_put(r->msg, OP25B_LIST_A_ENTRY, &b->e[i], true);
		/* span i - first is entry i: that is how errors map back */
		if (!e || onl_req_span(r, e) < 0)
			goto full;
	}
	if (nla_nest_end(r->msg, list))
		goto full;
	return 0;
full:
	/* chunk_end() sized the message; this is a bug, not bad input */
	err_msg("%s %s: cannot build the request", b->table, b->verb);
	onl_req_free(r);
	return -1;
}

/*
 * After a failure in a split request.  When the kernel refused the
 * message, it changed nothing; when the exchange itself broke (@unsure),
 * the message in flight may or may not have been applied.
 */
static void chunk_report(const struct batch *b, uint32_t applied,
			 uint32_t nchunks, bool unsure)
{
	if (nchunks < 2 && !unsure)
		return;
	err_msg("%s %s: %u of %u entries were applied before the error%s (the request was split into %u messages, each applied whole or not at all)",
		b->table, b->verb, applied, b->n,
		unsure ? ", maybe more" : "", nchunks);
}

static int table_send(struct onl *h, enum op25b_table_id table, uint8_t cmd,
		      const struct batch *b)
{
	uint32_t first = 0, end, nchunks = chunk_count(b);
	struct onl_result res = { .span = -1 };
	struct onl_req r;
	char ctx[64], culprit[1024];
	size_t nest;

	snprintf(ctx, sizeof(ctx), "%s %s", b->table, b->verb);
	for (; first < b->n; first = end) {
		end = chunk_end(b, first, &nest);
		if (chunk_build(h, &r, cmd, table, b, first, end, nest))
			goto fail;
		if (onl_exchange(h, &r, NULL, NULL, &res)) {
			if (res.span >= 0)
				batch_label(b, b->e[first + res.span].pos,
					    culprit, sizeof(culprit));
			onl_print_error(&res, ctx,
					res.span >= 0 ? culprit : NULL);
			onl_req_free(&r);
			goto fail;
		}
		onl_req_free(&r);
	}
	return EXIT_OK;
fail:
	chunk_report(b, first, nchunks, res.nlerr && !res.ack.error);
	return EXIT_ERR;
}

static int table_change(enum op25b_table_id table, const char *verb,
			int argc, char **argv)
{
	uint8_t cmd = strcmp(verb, "add") ? OP25B_CMD_DEL_ENTRIES :
					    OP25B_CMD_ADD_ENTRIES;
	struct batch b;
	struct onl h;
	int ret;

	batch_init(&b, table, verb);
	ret = batch_from_args(&b, argc, argv);
	if (!ret)
		ret = batch_sort(&b);
	if (ret)
		goto out;
	/* only now, with every entry known good, talk to the kernel */
	ret = EXIT_ERR;
	if (onl_open(&h))
		goto out;
	ret = table_send(&h, table, cmd, &b);
	onl_close(&h);
out:
	batch_free(&b);
	return ret;
}

/* ---- list ---- */

struct listing {
	enum op25b_table_id table;
	struct op25b_entry *e;
	uint32_t n, cap;
};

static int listing_add(struct listing *l, const struct op25b_entry *e)
{
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? 2 * l->cap : 1024;
		struct op25b_entry *ne = realloc(l->e, cap * sizeof(*ne));

		if (!ne)
			return -1;
		l->e = ne;
		l->cap = cap;
	}
	l->e[l->n++] = *e;
	return 0;
}

static int list_parse(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[OP25B_A_MAX + 1], *a;
	struct listing *l = arg;
	struct op25b_entry e;
	int rem;

	if (onl_parse_reply(msg, tb))
		return NL_STOP;
	if (tb[OP25B_A_TABLE] && nla_get_u8(tb[OP25B_A_TABLE]) != l->table)
		return NL_STOP;
	if (!tb[OP25B_A_ENTRIES])
		return NL_OK;
	nla_for_each_nested(a, tb[OP25B_A_ENTRIES], rem) {
		if (nla_type(a) != OP25B_LIST_A_ENTRY)
			continue;
		if (entry_get(a, &e) || listing_add(l, &e))
			return NL_STOP;
	}
	return NL_OK;
}

/* One whole dump; res->intr says whether it raced with a change. */
static int list_dump(struct onl *h, struct listing *l,
		     struct onl_result *res)
{
	struct onl_req r;
	int err;

	memset(res, 0, sizeof(*res));
	res->nlerr = -NLE_NOMEM;
	if (onl_req_init(h, &r, OP25B_CMD_GET_ENTRIES, NLM_F_DUMP, 8))
		return -1;
	if (nla_put_u8(r.msg, OP25B_A_TABLE, l->table)) {
		onl_req_free(&r);
		return -1;
	}
	l->n = 0;
	err = onl_exchange(h, &r, list_parse, l, res);
	onl_req_free(&r);
	return err;
}

static void list_print(const struct opts *o, const struct listing *l)
{
	char buf[ENTRY_TEXT_MAX];
	struct json j;
	uint32_t i;

	if (!o->json) {
		for (i = 0; i < l->n; i++) {
			entry_format(&l->e[i], buf, sizeof(buf));
			puts(buf);
		}
		return;
	}
	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_string(&j, "table", op25b_table_names[l->table]);
	json_array_begin(&j, "entries");
	for (i = 0; i < l->n; i++) {
		entry_format(&l->e[i], buf, sizeof(buf));
		json_string(&j, NULL, buf);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

static int table_list(const struct opts *o, enum op25b_table_id table)
{
	struct listing l = { .table = table };
	struct onl_result res;
	char ctx[64];
	struct onl h;
	int tries, ret = EXIT_ERR;

	snprintf(ctx, sizeof(ctx), "%s list", op25b_table_names[table]);
	if (onl_open(&h))
		return EXIT_ERR;
	for (tries = 0; tries < DUMP_TRIES; tries++) {
		if (list_dump(&h, &l, &res)) {
			onl_print_error(&res, ctx, NULL);
			goto out;
		}
		if (!res.intr)
			break;
	}
	if (tries == DUMP_TRIES) {
		err_msg("%s: the table kept changing during the listing; gave up after %d tries",
			ctx, DUMP_TRIES);
		goto out;
	}
	list_print(o, &l);
	ret = EXIT_OK;
out:
	free(l.e);
	onl_close(&h);
	return ret;
}

/* ---- flush ---- */

static int table_flush(enum op25b_table_id table)
{
	char ctx[64];

	snprintf(ctx, sizeof(ctx), "%s flush", op25b_table_names[table]);
	return onl_simple(OP25B_CMD_FLUSH, OP25B_A_TABLE, table, ctx,
			  NULL, NULL);
}

/* ---- dispatch ---- */

static int no_more_args(const char *table, const char *verb, int argc,
			char **argv)
{
	if (argc)
		return usage_err("%s %s: unexpected argument '%s'", table,
				 verb, argv[0]);
	return EXIT_OK;
}

int cmd_table(const struct opts *o, int argc, char **argv)
{
	int t = value_of(op25b_table_names, ARRAY_SIZE(op25b_table_names),
			 argv[0]);
	const char *verb = argc > 1 ? argv[1] : NULL;

	if (t < 0)
		return usage_err("unknown table '%s' (subscriber, allow, exempt)",
				 argv[0]);
	if (!verb)
		return usage_err("%s: missing command (add, del, list, flush)",
				 argv[0]);
	if (!strcmp(verb, "add") || !strcmp(verb, "del"))
		return table_change(t, verb, argc - 2, argv + 2);
	if (!strcmp(verb, "list"))
		return no_more_args(argv[0], verb, argc - 2, argv + 2) ?:
		       table_list(o, t);
	if (!strcmp(verb, "flush"))
		return no_more_args(argv[0], verb, argc - 2, argv + 2) ?:
		       table_flush(t);
	return usage_err("%s: unknown command '%s' (add, del, list, flush)",
			 argv[0], verb);
}
