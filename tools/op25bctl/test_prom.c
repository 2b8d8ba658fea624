// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of "stats --prometheus": the text exposition format, checked
 * line by line against its grammar (HELP and TYPE before the samples of
 * each metric, no series twice), exact values, and the atomic write of
 * FILE (no temporary file left behind, nothing written on failure).
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/op25b_names.h"
#include "prom.h"
#include "../../tests/unit/tap.h"
#include "test_status.h"

static void fill(struct status *st)
{
	int i;

	status_fixture(st);
	st->generation = 42;
	st->set.v.action = OP25B_ACTION_REJECT_TCP;
	st->set.v.scope = OP25B_SCOPE_ALL;
	st->t[OP25B_TABLE_SUBSCRIBER].ipv4 = 3;
	st->t[OP25B_TABLE_SUBSCRIBER].iif = 1;
	st->t[OP25B_TABLE_ALLOW].ipv6 = 2;
	for (i = 0; i < __OP25B_CNT_MAX; i++) {
		st->c.v[FAM_IPV4][i] = 100 + i;
		st->c.v[FAM_IPV6][i] = 200 + i;
	}
	st->c.v[FAM_IPV4][OP25B_CNT_BLOCKED] = 12;
	st->c.v[FAM_IPV6][OP25B_CNT_BLOCKED] = 0;
	st->c.v[FAM_IPV4][OP25B_CNT_INSPECTED] = 18446744073709551615ULL;
}

static char *render_with(const struct status *st, const struct prom_labels *l)
{
	struct tap_mem m;

	prom_write(tap_mem_open(&m), st, l);
	return tap_mem_text(&m);
}

static char *render(const struct status *st)
{
	return render_with(st, NULL);
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line))) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return true;
		p += n;
	}
	return false;
}

/*
 * The text format, strictly: comment lines "# HELP name text" and
 * "# TYPE name counter|gauge", each once per name and before its
 * samples; samples "name{label="value",...} integer" of a declared name
 * (counters ending in _total); every line ends in a newline.
 */
static int check_format(char *text, int *samples)
{
	regex_t help, type, sample;
	char *line, *save = NULL, declared[64][64] = { { 0 } };
	static char seen[256][512];
	int nd = 0, ns = 0, bad = 0, i;
	size_t len = strlen(text), key;

	if (!len || text[len - 1] != '\n')
		return -1;
	regcomp(&help, "^# HELP (op25b_[a-z_]+) [^\n]+$", REG_EXTENDED);
	regcomp(&type, "^# TYPE (op25b_[a-z_]+) (counter|gauge)$", REG_EXTENDED);
	/* label values as the format escapes them: \\ \" \n */
	regcomp(&sample, "^(op25b_[a-z_]+)(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\n]|\\\\[\\\\\"n])*\""
		"(,[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\n]|\\\\[\\\\\"n])*\")*\\})? [0-9]+$",
		REG_EXTENDED);
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		regmatch_t m[3];
		char name[64];

		if (!regexec(&help, line, 2, m, 0)) {
			snprintf(name, sizeof(name), "%.*s",
				 (int)(m[1].rm_eo - m[1].rm_so), line + m[1].rm_so);
			for (i = 0; i < nd; i++)
				if (!strcmp(declared[i], name))
					bad++;	/* HELP twice */
			if (nd < 64)
				snprintf(declared[nd++], 64, "%s", name);
			continue;
		}
		if (!regexec(&type, line, 3, m, 0)) {
			snprintf(name, sizeof(name), "%.*s",
				 (int)(m[1].rm_eo - m[1].rm_so), line + m[1].rm_so);
			/* TYPE right after the HELP of the same name */
			if (!nd || strcmp(declared[nd - 1], name))
				bad++;
			if (!strncmp(line + m[2].rm_so, "counter", 7) &&
			    strcmp(name + strlen(name) - 6, "_total"))
				bad++;
			continue;
		}
		if (regexec(&sample, line, 2, m, 0)) {
			printf("#   bad line: %s\n", line);
			bad++;
			continue;
		}
		snprintf(name, sizeof(name), "%.*s",
			 (int)(m[1].rm_eo - m[1].rm_so), line + m[1].rm_so);
		if (!nd || strcmp(declared[nd - 1], name)) {
			printf("#   sample outside its metric: %s\n", line);
			bad++;
		}
		/* the series: all but the value (label values may hold spaces) */
		key = strrchr(line, ' ') - line;
		for (i = 0; i < ns; i++)
			if (!strncmp(seen[i], line, key) && seen[i][key] == '\0')
				bad++;	/* a series twice */
		if (ns < 256)
			snprintf(seen[ns++], sizeof(seen[0]), "%.*s", (int)key,
				 line);
	}
	regfree(&help);
	regfree(&type);
	regfree(&sample);
	*samples = ns;
	return bad;
}

static void test_text(void)
{
	struct status st;
	char *text, *copy;
	int samples = 0;

	fill(&st);
	text = render(&st);
	tap_ok(has_line(text, "# HELP op25b_blocked_total TCP/25 packets from subscribers dropped."),
	       "HELP of blocked as the spec has it");
	tap_ok(has_line(text, "# TYPE op25b_blocked_total counter"), "TYPE counter");
	tap_ok(has_line(text, "op25b_blocked_total{family=\"ipv4\"} 12") &&
	       has_line(text, "op25b_blocked_total{family=\"ipv6\"} 0"),
	       "blocked per family");
	tap_ok(has_line(text, "op25b_inspected_total{family=\"ipv4\"} 18446744073709551615"),
	       "a u64 counter at its maximum");
	tap_ok(has_line(text, "op25b_reject_limited_total{family=\"ipv6\"} 207") &&
	       has_line(text, "op25b_log_suppressed_total{family=\"ipv4\"} 110"),
	       "the new counters, by their names");
	tap_ok(has_line(text, "op25b_table_entries{table=\"subscriber\",family=\"ipv4\"} 3") &&
	       has_line(text, "op25b_table_entries{table=\"subscriber\",family=\"iif\"} 1") &&
	       has_line(text, "op25b_table_entries{table=\"allow\",family=\"ipv6\"} 2") &&
	       has_line(text, "op25b_table_entries{table=\"target\",family=\"ipv4\"} 0"),
	       "table entries per table and family, target included");
	tap_ok(has_line(text, "# TYPE op25b_table_entries gauge"), "entries: gauge");
	tap_ok(has_line(text, "op25b_mode{mode=\"enforce\"} 1") &&
	       has_line(text, "op25b_mode{mode=\"monitor\"} 0") &&
	       has_line(text, "op25b_mode{mode=\"off\"} 0"), "one mode line per mode");
	tap_ok(has_line(text, "op25b_action{action=\"reject-tcp\"} 1") &&
	       has_line(text, "op25b_scope{scope=\"all\"} 1"), "action and scope");
	tap_ok(has_line(text, "op25b_generation 42"), "generation");
	copy = strdup(text);
	tap_ok(check_format(copy, &samples) == 0, "well-formed text format");
	tap_ok(samples == 2 * __OP25B_CNT_MAX + 3 * __OP25B_TABLE_MAX +
	       __OP25B_TABLE_MAX + __OP25B_MODE_MAX + __OP25B_ACTION_MAX +
	       __OP25B_SCOPE_MAX + 1, "every sample there once (%d)", samples);
	free(copy);
	free(text);

	/* a module that reports no action or scope: those metrics go */
	st.set.has = SET_BIT(OP25B_SET_MODE);
	st.t[OP25B_TABLE_TARGET].present = false;
	text = render(&st);
	tap_ok(!strstr(text, "op25b_action") && !strstr(text, "table=\"target\""),
	       "absent settings and tables are left out");
	copy = strdup(text);
	tap_ok(check_format(copy, &samples) == 0, "still well-formed");
	free(copy);
	free(text);
}

static void test_file(void)
{
	char dir[] = "/tmp/test_prom.XXXXXX", path[128], tmp[160], bad[160];
	struct status st;
	struct stat sb;
	mode_t um;
	char *want, buf[65536];
	FILE *f;
	size_t n;

	fill(&st);
	want = render(&st);
	tap_ok(mkdtemp(dir) != NULL, "temporary directory");
	snprintf(path, sizeof(path), "%s/op25b.prom", dir);
	f = fopen(path, "w");
	fputs("old\n", f);
	fclose(f);
	tap_ok(prom_write_file(path, &st, NULL) == 0, "written to FILE");
	f = fopen(path, "r");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	tap_ok(!strcmp(buf, want), "FILE holds the text, the old content replaced");
	um = umask(0);
	umask(um);
	tap_ok(!stat(path, &sb) && (sb.st_mode & 0777) == (0644 & ~um),
	       "mode 0644 (less the umask)");
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	tap_ok(access(tmp, F_OK) != 0, "no temporary file left");

	/* a stale temporary file of this PID is replaced, not followed */
	tap_ok(!symlink("/nonexistent/target", tmp), "a symlink as FILE.tmp.PID");
	tap_ok(prom_write_file(path, &st, NULL) == 0 && access(tmp, F_OK) != 0,
	       "written all the same, the symlink gone");

	snprintf(bad, sizeof(bad), "%s/no/such/dir/op25b.prom", dir);
	tap_ok(prom_write_file(bad, &st, NULL) == -1, "a missing directory: error");
	f = fopen(path, "r");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	tap_ok(!strcmp(buf, want), "FILE untouched by the failed write");
	unlink(path);
	rmdir(dir);
	free(want);
}

/* label NAME=VALUE: first in every sample, escaped; bad ones refused */
static void test_labels(void)
{
	static const char *const bad[] = {
		"netns", "=x", "1ns=x", "net-ns=x", "__name__=x", "family=x",
		"table=x", "mode=x",
	};
	struct prom_labels l = { 0 }, full = { 0 };
	char *text, *copy, big[PROM_LABEL_VALUE_MAX + 8];
	struct status st;
	int samples, i;
	size_t k;

	fill(&st);
	tap_ok(prom_label_add(&l, "netns=gw1") == 0 &&
	       prom_label_add(&l, "site=a \"b\" \\c\nd") == 0, "two labels");
	text = render_with(&st, &l);
	tap_ok(has_line(text, "op25b_blocked_total{netns=\"gw1\",site=\"a \\\"b\\\" \\\\c\\nd\",family=\"ipv4\"} 12"),
	       "counters: the labels first, the value escaped");
	tap_ok(has_line(text, "op25b_table_entries{netns=\"gw1\",site=\"a \\\"b\\\" \\\\c\\nd\",table=\"allow\",family=\"ipv6\"} 2") &&
	       has_line(text, "op25b_mode{netns=\"gw1\",site=\"a \\\"b\\\" \\\\c\\nd\",mode=\"enforce\"} 1") &&
	       has_line(text, "op25b_generation{netns=\"gw1\",site=\"a \\\"b\\\" \\\\c\\nd\"} 42"),
	       "gauges too, the generation among them");
	copy = strdup(text);
	tap_ok(check_format(copy, &samples) == 0, "well-formed with labels");
	free(copy);
	free(text);
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		tap_ok(prom_label_add(&l, bad[k]) == -1 && l.n == 2,
		       "refused, nothing added: %s", bad[k]);
	memset(big, 'v', sizeof(big));
	memcpy(big, "x=", 2);
	big[2 + PROM_LABEL_VALUE_MAX] = '\0';
	tap_ok(prom_label_add(&full, big) == 0, "a value of %d bytes", PROM_LABEL_VALUE_MAX);
	big[2 + PROM_LABEL_VALUE_MAX] = 'v';
	big[3 + PROM_LABEL_VALUE_MAX] = '\0';
	tap_ok(prom_label_add(&full, big) == -1, "one more: refused");
	/* the longest: every value all quotes, doubled by escaping */
	memset(&full, 0, sizeof(full));
	memset(big, '"', sizeof(big));
	for (i = 0; i < PROM_LABELS_MAX; i++) {
		snprintf(big, 4, "l%d=", i);
		big[3 + PROM_LABEL_VALUE_MAX - 1] = '\0';
		if (prom_label_add(&full, big))
			break;
		memset(big, '"', sizeof(big));
	}
	tap_ok(i == PROM_LABELS_MAX && strlen(full.text) < sizeof(full.text),
	       "%d labels of escaped quotes fit", PROM_LABELS_MAX);
	tap_ok(prom_label_add(&full, "one=more") == -1, "a ninth label: refused");
}

int main(void)
{
	test_text();
	test_labels();
	test_file();
	return tap_done();
}
