// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of the documents op25bctl prints from kernel replies, built
 * from made-up replies: status (text and JSON, with the new settings and
 * the target table), list (with comments, text and JSON), stats JSON.
 *
 *   test_docs            TAP
 *   test_docs --write D  also writes D/status.json, list.json, stats.json
 *                        and top.json, which test_cli.sh feeds to a JSON
 *                        parser
 */
#include <stdlib.h>
#include <string.h>

#include "../../src/op25b_parse.h"
#include "entrytext.h"
#include "status.h"
#include "table.h"
#include "top.h"
#include "../../tests/unit/tap.h"

static void fill_status(struct status *st)
{
	int i;

	memset(st, 0, sizeof(*st));
	st->mode = OP25B_MODE_ENFORCE;
	st->generation = 7;
	st->set.has = SET_ALL;
	st->set.mode = OP25B_MODE_ENFORCE;
	st->set.action = OP25B_ACTION_REJECT_ICMP;
	st->set.scope = OP25B_SCOPE_TARGETS;
	st->set.reject_rate = 1000;
	st->set.reject_burst = 5;
	st->set.log = 1;
	st->set.log_rate = 10;
	st->set.log_burst = 5;
	st->set.log_privacy = 0;
	st->has_slots = true;
	st->top_slots = 4096;
	for (i = 0; i < __OP25B_TABLE_MAX; i++) {
		st->t[i].present = true;
		st->t[i].max = 1048576;
	}
	st->t[OP25B_TABLE_SUBSCRIBER].ipv4 = 1;
	st->c.v[FAM_IPV4][OP25B_CNT_BLOCKED] = 3;
	st->c.v[FAM_IPV6][OP25B_CNT_REJECT_SENT] = 2;
}

typedef void (*print_fn)(FILE *f, void *arg);

static char *capture(print_fn fn, void *arg)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	fn(f, arg);
	fclose(f);
	return out;
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

int main(int argc, char **argv)
{
	static const char want_text[] =
		"mode: enforce\n"
		"generation: 7\n"
		"action: reject-icmp\n"
		"scope: targets\n"
		"reject-rate: 1000/s burst 5\n"
		"log: on rate 10/s burst 5 privacy off\n"
		"offenders: 4096 slots per CPU\n"
		"subscriber: 1 entries (1 ipv4, 0 ipv6, 0 iif), max 1048576\n"
		"allow: 0 entries (0 ipv4, 0 ipv6, 0 iif), max 1048576\n"
		"exempt: 0 entries (0 ipv4, 0 ipv6, 0 iif), max 1048576\n"
		"target: 0 entries (0 ipv4, 0 ipv6, 0 iif), max 1048576\n"
		"inspected 0\nblocked 3\nmonitored 0\nallowed_mta 0\n"
		"allowed_exempt 0\nnot_subscriber 0\nreject_sent 2\n"
		"reject_limited 0\nnot_target 0\nlogged 0\nlog_suppressed 0\n"
		"reject_unanswerable 0\nattempts_blocked 0\nattempts_monitored 0\n"
		"warning: scope is targets and the target table is empty: nothing is enforced\n";
	static const char want_list[] =
		"10.10.0.0/24 comment \"PPPoE \\\"pool\\\" 1\"\n"
		"2001:db8:10::/64\n"
		"iif #1 comment \"caf\xc3\xa9\"\n";
	static const char want_list_json[] =
		"{\"table\":\"subscriber\",\"entries\":[\"10.10.0.0/24\","
		"\"2001:db8:10::/64\",\"iif #1\"],\"comments\":{"
		"\"10.10.0.0/24\":\"PPPoE \\\"pool\\\" 1\",\"iif #1\":\"caf\xc3\xa9\"}}\n";
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
	entry_parse_ifname("#1", &e[2]);
	e[2].comment = "caf\xc3\xa9";
	op25b_parse_prefix("10.10.0.3", 9, &o.src);

	expect(status_text_fn, &st, want_text, "status text: settings, target table, warning");
	doc = capture(status_json_fn, &st);
	tap_ok(strstr(doc, "\"action\":\"reject-icmp\",\"scope\":\"targets\","
		      "\"reject_rate\":{\"rate\":1000,\"burst\":5},"
		      "\"log\":{\"enabled\":true,\"rate\":10,\"burst\":5,\"privacy\":false},"
		      "\"offender_slots\":4096,\"transaction_open\":false") != NULL,
	       "status JSON: the settings");
	tap_ok(strstr(doc, "\"target\":{\"ipv4\":0,\"ipv6\":0,\"iif\":0,\"max\":1048576}") &&
	       strstr(doc, "\"reject_limited\":{\"total\":0,\"ipv4\":0,\"ipv6\":0}"),
	       "status JSON: target table, new counters");
	free(doc);

	st.set.has = SET_BIT(SET_MODE);
	st.has_slots = false;
	st.txn_open = true;
	doc = capture(status_json_fn, &st);
	tap_ok(strstr(doc, "\"action\":null,\"scope\":null,\"reject_rate\":{\"rate\":null,\"burst\":null},"
		      "\"log\":{\"enabled\":null,\"rate\":null,\"burst\":null,\"privacy\":null},"
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

	if (argc == 3 && !strcmp(argv[1], "--write")) {
		write_doc(argv[2], "status.json", status_json_fn, &st);
		write_doc(argv[2], "list.json", list_json_fn, &l);
		write_doc(argv[2], "stats.json", stats_json_fn, &st.c);
		write_doc(argv[2], "top.json", top_json_fn, &t);
	}
	return tap_done();
}
