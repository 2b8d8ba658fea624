// SPDX-License-Identifier: GPL-2.0
/*
 * "op25bctl {subscriber|allow|exempt|target} add|del|list|flush".
 */
#include <string.h>

#include "../../src/op25b_names.h"
#include "conf.h"
#include "entry.h"
#include "json.h"
#include "table.h"

/*
 * A message carries at most this many entries; the kernel applies each
 * message atomically.  The entry nest must also fit nla_len (16 bits),
 * which caps IPv6 batches lower (2047 entries) than this.
 */
#define MSG_ENTRIES_MAX	4096
#define NEST_BYTES_MAX	0xffff


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
		       uint32_t first, uint32_t end, size_t nest,
		       const uint32_t *txn)
{
	struct nlattr *list, *e;
	uint32_t i;

	if (onl_req_init(h, r, cmd, 0,
			 nla_total_size(1) + nla_total_size(4) + nest))
		return -1;
	if (nla_put_u8(r->msg, OP25B_A_TABLE, table) ||
	    (txn && nla_put_u32(r->msg, OP25B_A_TXN, *txn)))
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

int table_send(struct onl *h, enum op25b_table_id table, uint8_t cmd,
	       const struct batch *b, const uint32_t *txn)
{
	uint32_t first = 0, end, nchunks = chunk_count(b);
	struct onl_result res = { .span = -1 };
	struct onl_req r;
	char ctx[64], culprit[1024];
	size_t nest;

	snprintf(ctx, sizeof(ctx), "%s%s%s", b->table, b->verb[0] ? " " : "",
		 b->verb);
	for (; first < b->n; first = end) {
		end = chunk_end(b, first, &nest);
		if (chunk_build(h, &r, cmd, table, b, first, end, nest, txn))
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
	/* in a transaction, nothing was applied */
	if (!txn)
		chunk_report(b, first, nchunks, res.nlerr && !res.ack.error);
	return EXIT_ERR;
}

static int table_change(enum op25b_table_id table, const char *verb,
			uint8_t cmd, int argc, char **argv)
{
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
	ret = table_send(&h, table, cmd, &b, NULL);
	onl_close(&h);
out:
	batch_free(&b);
	return ret;
}

/* ---- list ---- */

void listing_free(struct listing *l)
{
	free(l->e);
	free(l->note);
	free(l->notes);
	l->e = NULL;
	l->note = NULL;
	l->notes = NULL;
	l->n = l->cap = 0;
	l->notes_len = l->notes_cap = 0;
}

/* Keeps @text in the pool; its offset, or 0 when out of memory. */
static uint32_t listing_note(struct listing *l, const char *text)
{
	size_t len = strlen(text) + 1;
	uint32_t off;

	if (l->notes_len + len > l->notes_cap) {
		size_t cap = l->notes_cap ? 2 * l->notes_cap : 4096;
		char *nn;

		while (cap < l->notes_len + len)
			cap *= 2;
		if (cap > UINT32_MAX)
			return 0;
		nn = realloc(l->notes, cap);
		if (!nn)
			return 0;
		l->notes = nn;
		l->notes_cap = cap;
	}
	if (!l->notes_len)
		l->notes[l->notes_len++] = '\0';	/* offset 0: none */
	off = (uint32_t)l->notes_len;
	memcpy(l->notes + off, text, len);
	l->notes_len += len;
	return off;
}

static int listing_add(struct listing *l, const struct op25b_entry *e)
{
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? 2 * l->cap : 1024;
		struct op25b_entry *ne = realloc(l->e, cap * sizeof(*ne));
		uint32_t *nn;

		if (!ne)
			return -1;
		l->e = ne;
		nn = realloc(l->note, cap * sizeof(*nn));
		if (!nn)
			return -1;
		l->note = nn;
		l->cap = cap;
	}
	l->note[l->n] = 0;
	if (e->comment && e->comment[0]) {
		/* the text lives in the reply: keep a copy */
		l->note[l->n] = listing_note(l, e->comment);
		if (!l->note[l->n])
			return -1;
	}
	l->e[l->n] = *e;
	l->e[l->n++].comment = NULL;
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
	l->notes_len = 0;
	err = onl_exchange(h, &r, list_parse, l, res);
	onl_req_free(&r);
	return err;
}

int listing_fetch(struct onl *h, struct listing *l)
{
	struct onl_result res;
	char ctx[64];
	uint32_t i;
	int tries;

	snprintf(ctx, sizeof(ctx), "%s list", op25b_table_names[l->table]);
	for (tries = 0; tries < DUMP_TRIES; tries++) {
		if (list_dump(h, l, &res)) {
			onl_print_error(&res, ctx, NULL);
			return -1;
		}
		if (!res.intr)
			break;
	}
	if (tries == DUMP_TRIES) {
		err_msg("%s: the table kept changing during the listing; gave up after %d tries",
			ctx, DUMP_TRIES);
		return -1;
	}
	/* the pool has stopped moving: point the entries at their comments */
	for (i = 0; i < l->n; i++)
		l->e[i].comment = l->note[i] ? l->notes + l->note[i] : NULL;
	return 0;
}

void listing_print(FILE *f, const struct listing *l, bool json)
{
	char buf[ENTRY_TEXT_MAX];
	struct json j;
	uint32_t i;

	if (!json) {
		for (i = 0; i < l->n; i++) {
			conf_put_entry(f, &l->e[i], true);
			fputc('\n', f);
		}
		return;
	}
	json_init(&j, f);
	json_object_begin(&j, NULL);
	json_string(&j, "table", op25b_table_names[l->table]);
	json_array_begin(&j, "entries");
	for (i = 0; i < l->n; i++) {
		entry_format(&l->e[i], buf, sizeof(buf));
		json_string(&j, NULL, buf);
	}
	json_array_end(&j);
	/* entry -> comment, for those that have one: entries stay strings */
	json_object_begin(&j, "comments");
	for (i = 0; i < l->n; i++) {
		if (!l->e[i].comment)
			continue;
		entry_format(&l->e[i], buf, sizeof(buf));
		json_string(&j, buf, l->e[i].comment);
	}
	json_object_end(&j);
	/* entry -> {timeout, expires} in seconds, for those that expire */
	json_object_begin(&j, "timeouts");
	for (i = 0; i < l->n; i++) {
		if (!l->e[i].timeout)
			continue;
		entry_format(&l->e[i], buf, sizeof(buf));
		json_object_begin(&j, buf);
		json_u64(&j, "timeout", l->e[i].timeout);
		json_u64(&j, "expires", l->e[i].left);
		json_object_end(&j);
	}
	json_object_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

static int table_list(const struct opts *o, enum op25b_table_id table)
{
	struct listing l = { .table = table };
	struct onl h;
	int ret = EXIT_ERR;

	if (onl_open(&h))
		return EXIT_ERR;
	if (!listing_fetch(&h, &l)) {
		listing_print(stdout, &l, o->json);
		ret = EXIT_OK;
	}
	listing_free(&l);
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

/* ---- the verbs (registered in cmd.c); argv: TABLE VERB ... ---- */

/* The registry runs these for the kernel's table names only. */
static enum op25b_table_id table_of(const char *name)
{
	return value_of(op25b_table_names, ARRAY_SIZE(op25b_table_names),
			name);
}

static int no_more_args(int argc, char **argv)
{
	if (argc > 2)
		return usage_err("%s %s: unexpected argument '%s'", argv[0],
				 argv[1], argv[2]);
	return EXIT_OK;
}

int cmd_table_add(const struct opts *o, int argc, char **argv)
{
	(void)o;
	return table_change(table_of(argv[0]), argv[1],
			    OP25B_CMD_ADD_ENTRIES, argc - 2, argv + 2);
}

int cmd_table_del(const struct opts *o, int argc, char **argv)
{
	(void)o;
	return table_change(table_of(argv[0]), argv[1],
			    OP25B_CMD_DEL_ENTRIES, argc - 2, argv + 2);
}

int cmd_table_list(const struct opts *o, int argc, char **argv)
{
	return no_more_args(argc, argv) ?: table_list(o, table_of(argv[0]));
}

int cmd_table_flush(const struct opts *o, int argc, char **argv)
{
	(void)o;
	return no_more_args(argc, argv) ?: table_flush(table_of(argv[0]));
}
