// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of the documents op25bctl prints from kernel replies, built
 * from made-up replies: status (text and JSON, with the new settings and
 * the target table), list (with comments, text and JSON), stats JSON.
 * And of the documents about op25bctl: the command registry (cmd.c)
 * against op25bctl(8) and the bash completion of this tree.
 *
 *   test_docs            TAP
 *   test_docs --write D  also writes D/status.json, list.json, stats.json
 *                        and top.json, which test_cli.sh feeds to a JSON
 *                        parser
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/op25b_names.h"
#include "../../src/op25b_parse.h"
#include "batch.h"
#include "cmd.h"
#include "entrytext.h"
#include "table.h"
#include "top.h"
#include "../../tests/unit/tap.h"
#include "test_status.h"

/* the tree test_docs was built in (Makefile) */
#ifndef OP25B_TOP
#define OP25B_TOP "../.."
#endif

static void fill_status(struct status *st)
{
	status_fixture(st);
	st->generation = 7;
	st->set.v.action = OP25B_ACTION_REJECT_ICMP;
	st->set.v.scope = OP25B_SCOPE_TARGETS;
	st->set.v.reject_rate = 1000;
	st->set.v.reject_burst = 5;
	st->set.v.log = 1;
	st->set.v.log_rate = 10;
	st->set.v.log_burst = 5;
	st->set.v.log_privacy = 0;
	/* a prefix with quotes: printed as given, escaped in JSON */
	st->set.v.nflog = 1;
	st->set.v.nflog_group = 7;
	op25b_setting_put_str(&st->set.v, OP25B_SET_NFLOG_PREFIX, "\"op25b\"");
	st->set.v.nflog_snaplen = 128;
	st->set.v.alert_attempts = 20;
	st->set.v.alert_seconds = 60;
	st->has_slots = true;
	st->top_slots = 4096;
	st->t[OP25B_TABLE_SUBSCRIBER].ipv4 = 1;
	st->t[OP25B_TABLE_EXEMPT].ipv4 = 2;
	st->t[OP25B_TABLE_EXEMPT].timed = 1;
	st->t[OP25B_TABLE_EXEMPT].next_expiry = 5400;
	st->c.v[FAM_IPV4][OP25B_CNT_BLOCKED] = 3;
	st->c.v[FAM_IPV6][OP25B_CNT_REJECT_SENT] = 2;
}

typedef void (*print_fn)(FILE *f, void *arg);

static char *capture(print_fn fn, void *arg)
{
	struct tap_mem m;

	fn(tap_mem_open(&m), arg);
	return tap_mem_text(&m);
}

static void status_text_fn(FILE *f, void *arg)
{
	status_print(f, arg, false);
}

static void status_json_fn(FILE *f, void *arg)
{
	status_print(f, arg, true);
}

static void list_text_fn(FILE *f, void *arg)
{
	listing_print(f, arg, false);
}

static void list_json_fn(FILE *f, void *arg)
{
	listing_print(f, arg, true);
}

static void stats_json_fn(FILE *f, void *arg)
{
	struct json j;

	json_init(&j, f);
	json_object_begin(&j, NULL);
	counters_print_json(&j, arg);
	json_object_end(&j);
	json_finish(&j);
}

static void top_json_fn(FILE *f, void *arg)
{
	top_print_json(f, arg);
}

static void expect(print_fn fn, void *arg, const char *want, const char *what)
{
	char *got = capture(fn, arg);

	tap_ok(!strcmp(got, want), "%s", what);
	if (strcmp(got, want))
		printf("# got:\n%s# want:\n%s", got, want);
	free(got);
}

static void write_doc(const char *dir, const char *name, print_fn fn,
		      void *arg)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fn(f, arg);
	fclose(f);
}

/* ---- the registry, op25bctl(8) and the completion ---- */

static bool word_char(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_';
}

/* Whether @text has @w as a whole word ("-f" in "del -f FILE"). */
static bool has_word(const char *text, const char *w)
{
	size_t n = strlen(w);
	const char *p;

	for (p = strstr(text, w); p; p = strstr(p + 1, w))
		if ((p == text || !word_char(p[-1])) && !word_char(p[n]))
			return true;
	return false;
}

static char *read_doc(const char *rel)
{
	char path[512];
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", OP25B_TOP, rel);
	return file_read_all(path, path, &len);
}

/*
 * The tags of op25bctl(8)'s items (the line after each .TP: where the
 * page lists commands and options), without font escapes and quotes,
 * "\-" as "-".
 */
static char *man_tags(const char *page)
{
	char *tags = calloc(strlen(page) + 1, 1), *out = tags;
	const char *p = page;

	while (tags && (p = strstr(p, "\n.TP"))) {
		p = strchr(p + 1, '\n');
		if (!p)
			break;
		for (p++; *p && *p != '\n'; p++) {
			if (p[0] == '\\' && p[1] == 'f' && p[2]) {
				p += 2;		/* \fB, \fI, \fR, \fP */
			} else if (p[0] == '\\' && p[1] == '-') {
				*out++ = '-';
				p++;
			} else if (*p != '"') {
				*out++ = *p;
			}
		}
		*out++ = '\n';
	}
	return tags;
}

/* The words of the completion's "local commands='...'". */
static char *completion_commands(const char *script)
{
	const char *start = strstr(script, "local commands='"), *end;

	if (!start)
		return NULL;
	start += strlen("local commands='");
	end = strchr(start, '\'');
	return end ? strndup(start, end - start) : NULL;
}

/* @c's words, NULL past them: its name, or the names that run it (tables). */
static const char *cmd_word(const struct command *c, size_t i)
{
	if (c->names)
		return c->names[i];
	return i ? NULL : c->name;
}

struct doc_check {
	const char *text;
	char missing[512];	/* the words text lacks */
};

static void need_word(struct doc_check *d, const char *w)
{
	size_t n = strlen(d->missing);

	if (!has_word(d->text, w))
		snprintf(d->missing + n, sizeof(d->missing) - n, " %s", w);
}

/* Every command's words, verbs, value words and own option in @text. */
static void check_words(const char *text, const char *what)
{
	struct doc_check d = { .text = text };
	const struct command *c;
	const struct verb *v;
	const char *w;
	size_t i;

	for (c = commands; c->name; c++) {
		for (i = 0; (w = cmd_word(c, i)); i++)
			need_word(&d, w);
		for (v = c->verbs; v && v->name; v++)
			need_word(&d, v->name);
		for (i = 0; c->values && c->values[i]; i++)
			need_word(&d, c->values[i]);
		if (c->option)
			need_word(&d, c->option);
	}
	tap_ok(!d.missing[0], "%s names every command, verb, value word and own option%s%s",
	   what, d.missing[0] ? "; missing:" : "", d.missing);
}

static void test_registry(void)
{
	const struct command *c, *tables = cmd_find("subscriber");
	const struct usage_line *u;
	bool whole = true, mention = true;
	const char *w;
	size_t i;

	for (c = commands; c->name; c++) {
		/* a function or verbs, not both */
		whole = whole && !c->fn != !c->verbs && c->help &&
			c->usage && c->usage[0].synopsis &&
			(!c->verbs || c->verb_kind);
		for (u = c->usage; u && u->synopsis; u++)
			mention = mention && has_word(u->synopsis, c->name);
		for (i = 0; (w = cmd_word(c, i)); i++)
			whole = whole && cmd_find(w) == c;
	}
	tap_ok(whole, "registry: each command has a function or verbs, usage lines, a help text; its words find it");
	tap_ok(mention, "registry: each usage line names its command");
	i = 0;
	while (tables && cmd_word(tables, i))
		i++;
	tap_ok(tables && cmd_is_table(tables) && i == __OP25B_TABLE_MAX,
	   "registry: one table command, run by as many names as the kernel has tables");
	for (i = 0; tables && i < __OP25B_TABLE_MAX; i++)
		tap_ok(cmd_find(op25b_table_names[i]) == tables,
		   "registry: the table '%s' runs the table command",
		   op25b_table_names[i]);
}

static void test_man(void)
{
	char *page = read_doc("man/op25bctl.8"), *tags;

	tap_ok(page != NULL, "man/op25bctl.8 read");
	if (!page)
		return;
	tags = man_tags(page);
	if (tags)
		check_words(tags, "op25bctl(8), its items,");
	else
		tap_ok(0, "op25bctl(8): out of memory");
	free(tags);
	free(page);
}

/* The completion's list of commands: the registry's words, no other. */
static void check_command_list(char *list)
{
	struct doc_check d = { .text = list };
	char extra[256] = "", *word;
	const struct command *c;
	const char *w;
	size_t i, n;

	for (c = commands; c->name; c++)
		for (i = 0; (w = cmd_word(c, i)); i++)
			need_word(&d, w);
	for (word = strtok(list, " \t\n"); word; word = strtok(NULL, " \t\n")) {
		n = strlen(extra);
		if (!cmd_find(word))
			snprintf(extra + n, sizeof(extra) - n, " %s", word);
	}
	tap_ok(!d.missing[0] && !extra[0],
	   "the completion's commands are the registry's%s%s%s%s",
	   d.missing[0] ? "; missing:" : "", d.missing,
	   extra[0] ? "; not commands:" : "", extra);
}

static void test_completion(void)
{
	char *script = read_doc("tools/completion/op25bctl"), *list;

	tap_ok(script != NULL, "tools/completion/op25bctl read");
	if (!script)
		return;
	list = completion_commands(script);
	tap_ok(list != NULL, "the completion has its list of commands");
	if (list)
		check_command_list(list);
	check_words(script, "the completion");
	free(list);
	free(script);
}

int main(int argc, char **argv)
{
	static const char want_text[] =
		"mode: enforce\n"
		"generation: 7\n"
		"action: reject-icmp\n"
		"scope: targets\n"
		"reject-rate: 1000/s burst 5\n"
		"log: on rate 10/s burst 5 privacy off\n"
		"nflog: on group 7 prefix \"op25b\" snaplen 128\n"
		"alert: 20 per 60s\n"
		"offenders: 4096 slots per CPU\n"
		"subscriber: 1 entries (1 ipv4, 0 ipv6, 0 iif), max 1048576\n"
		"allow: 0 entries (0 ipv4, 0 ipv6, 0 iif), max 1048576\n"
		"exempt: 2 entries (2 ipv4, 0 ipv6, 0 iif), max 1048576, 1 with timeouts, next expires in 1h30m\n"
		"target: 0 entries (0 ipv4, 0 ipv6, 0 iif), max 1048576\n"
		"inspected 0\nblocked 3\nmonitored 0\nallowed_mta 0\n"
		"allowed_exempt 0\nnot_subscriber 0\nreject_sent 2\n"
		"reject_limited 0\nnot_target 0\nlogged 0\nlog_suppressed 0\n"
		"reject_unanswerable 0\nattempts_blocked 0\nattempts_monitored 0\n"
		"nflogged 0\nalerts 0\nalerts_suppressed 0\nexpired 0\n"
		"warning: scope is targets and the target table is empty: nothing is enforced\n";
	static const char want_list[] =
		"10.10.0.0/24 comment \"PPPoE \\\"pool\\\" 1\"\n"
		"2001:db8:10::/64 timeout 1d expires 23h59m12s\n"
		"iif #1 comment \"caf\xc3\xa9\"\n";
	static const char want_list_json[] =
		"{\"table\":\"subscriber\",\"entries\":[\"10.10.0.0/24\","
		"\"2001:db8:10::/64\",\"iif #1\"],\"comments\":{"
		"\"10.10.0.0/24\":\"PPPoE \\\"pool\\\" 1\",\"iif #1\":\"caf\xc3\xa9\"},"
		"\"timeouts\":{\"2001:db8:10::/64\":{\"timeout\":86400,\"expires\":86352}}}\n";
	struct op25b_entry e[3];
	struct listing l = { .table = OP25B_TABLE_SUBSCRIBER, .e = e, .n = 3 };
	struct offender o = { .count = 5, .first = 1800000000,
			      .last = 1800000000, .dests = 2 };
	struct top t = { .has_total = true, .total = 5, .has_slots = true,
			 .slots = 4096, .o = &o, .n = 1 };
	struct status st;
	char *doc;

	fill_status(&st);
	op25b_parse_prefix("10.10.0.0/24", 12, &e[0]);
	e[0].comment = "PPPoE \"pool\" 1";
	op25b_parse_prefix("2001:db8:10::/64", 16, &e[1]);
	e[1].timeout = 86400;
	e[1].left = 86352;
	entry_parse_ifname("#1", &e[2]);
	e[2].comment = "caf\xc3\xa9";
	op25b_parse_prefix("10.10.0.3", 9, &o.src);

	expect(status_text_fn, &st, want_text, "status text: settings, target table, warning");
	doc = capture(status_json_fn, &st);
	tap_ok(strstr(doc, "\"action\":\"reject-icmp\",\"scope\":\"targets\","
		      "\"reject_rate\":{\"rate\":1000,\"burst\":5},"
		      "\"log\":{\"enabled\":true,\"rate\":10,\"burst\":5,\"privacy\":false},"
		      "\"nflog\":{\"enabled\":true,\"group\":7,\"prefix\":\"\\\"op25b\\\"\",\"snaplen\":128},"
		      "\"alert\":{\"attempts\":20,\"seconds\":60},"
		      "\"offender_slots\":4096,\"transaction_open\":false") != NULL,
	       "status JSON: the settings");
	tap_ok(strstr(doc, "\"exempt\":{\"ipv4\":2,\"ipv6\":0,\"iif\":0,\"max\":1048576,\"timed\":1,\"next_expiry\":5400}") &&
	       strstr(doc, "\"target\":{\"ipv4\":0,\"ipv6\":0,\"iif\":0,\"max\":1048576,\"timed\":0}") &&
	       strstr(doc, "\"reject_limited\":{\"total\":0,\"ipv4\":0,\"ipv6\":0}"),
	       "status JSON: target table, new counters");
	free(doc);

	st.set.has = SET_BIT(OP25B_SET_MODE);
	st.has_slots = false;
	st.txn_open = true;
	doc = capture(status_json_fn, &st);
	tap_ok(strstr(doc, "\"action\":null,\"scope\":null,\"reject_rate\":{\"rate\":null,\"burst\":null},"
		      "\"log\":{\"enabled\":null,\"rate\":null,\"burst\":null,\"privacy\":null},"
		      "\"nflog\":{\"enabled\":null,\"group\":null,\"prefix\":null,\"snaplen\":null},"
		      "\"alert\":{\"attempts\":null,\"seconds\":null},"
		      "\"offender_slots\":null,\"transaction_open\":true") != NULL,
	       "status JSON: what an older module leaves out is null");
	free(doc);
	doc = capture(status_text_fn, &st);
	tap_ok(!strstr(doc, "\naction:") && strstr(doc, "generation: 7\ntransaction: open\nsubscriber:"),
	       "status text: absent settings left out, an open transaction shown");
	free(doc);
	fill_status(&st);

	expect(list_text_fn, &l, want_list, "list text: comments quoted, iif #1 as add -f reads it");
	expect(list_json_fn, &l, want_list_json, "list JSON: entries stay strings, comments beside");

	test_registry();
	test_man();
	test_completion();

	if (argc == 3 && !strcmp(argv[1], "--write")) {
		write_doc(argv[2], "status.json", status_json_fn, &st);
		write_doc(argv[2], "list.json", list_json_fn, &l);
		write_doc(argv[2], "stats.json", stats_json_fn, &st.c);
		write_doc(argv[2], "top.json", top_json_fn, &t);
	}
	return tap_done();
}
