// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of op25b.conf(5), built with ASan and UBSan: good files, each
 * kind of error on the right line (the last line included), the first
 * error of a file winning, quoting that reads back what it wrote, save's
 * output parsing back to the same file, and a file of a million lines
 * parsing in well under a second.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/op25b_names.h"
#include "conf.h"
#include "entrytext.h"
#include "../../tests/unit/tap.h"

struct parsed {
	struct conf c;
	char *buf;
	int ret;
};

static void parse(struct parsed *p, const char *text, size_t len)
{
	p->buf = malloc(len + 1);
	memcpy(p->buf, text, len);
	conf_init(&p->c);
	p->ret = conf_parse(&p->c, p->buf, len, "f.conf");
}

static void parse_str(struct parsed *p, const char *text)
{
	parse(p, text, strlen(text));
}

static void done(struct parsed *p)
{
	conf_free(&p->c);
	free(p->buf);
}

/* The text of table @t's entry in position @i (sorted), with comment. */
static const char *entry_at(const struct parsed *p, int t, uint32_t i,
			    char *buf, size_t len)
{
	const struct op25b_entry *e = &p->c.t[t].e[i];
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);

	conf_put_entry(f, e, false);
	fclose(f);
	snprintf(buf, len, "%s", out);
	free(out);
	return buf;
}

static void test_good(void)
{
	static const char file[] =
		"# op25b configuration saved by op25bctl 0.1 from netns x at 2026-01-01T00:00:00Z\n"
		"mode monitor\n"
		"\n"
		"action reject-icmp   # a comment\n"
		"scope targets\r\n"
		"reject-rate 50 burst 7\n"
		"log on privacy off rate 3/s\n"
		"subscriber 10.10.0.0/24 comment \"PPPoE pool 1\"\n"
		"subscriber iif \"#1\"\n"
		"\tsubscriber   iif ppp+ comment \"a \\\"quoted\\\" \\\\ word\"\n"
		"subscriber 2001:DB8:10::/64\n"
		"allow 192.0.2.25 comment caf\xc3\xa9\n"
		"exempt 10.10.0.5/32\n"
		"target 198.51.100.0/24 comment \"#not a comment\"\n"
		"target 10.10.0.0/24\n"
		"subscriber 10.20.0.0/16 # comment \"x\"\n";
	struct parsed p;
	char b[256];

	parse_str(&p, file);
	tap_ok(p.ret == 0, "good file parses (%s)", p.c.err);
	tap_ok(p.c.set.has == ((SET_BIT(OP25B_SET_LOG_PRIVACY + 1) - 1) &
			      ~SET_BIT(OP25B_SET_LOG_BURST)),
	       "the settings given are marked (%#x)", p.c.set.has);
	tap_ok(p.c.set.v.mode == OP25B_MODE_MONITOR &&
	       p.c.set.v.action == OP25B_ACTION_REJECT_ICMP &&
	       p.c.set.v.scope == OP25B_SCOPE_TARGETS, "mode, action, scope");
	tap_ok(p.c.set.v.reject_rate == 50 && p.c.set.v.reject_burst == 7,
	       "reject-rate 50 burst 7");
	tap_ok(p.c.set.v.log == 1 && p.c.set.v.log_privacy == 0 &&
	       p.c.set.v.log_rate == 3, "log on, options in any order");
	tap_ok(p.c.key_line[CONF_MODE] == 2 && p.c.key_line[CONF_LOG] == 7,
	       "keyword lines recorded");
	tap_ok(p.c.t[OP25B_TABLE_SUBSCRIBER].n == 5 &&
	       p.c.t[OP25B_TABLE_ALLOW].n == 1 && p.c.t[OP25B_TABLE_EXEMPT].n == 1 &&
	       p.c.t[OP25B_TABLE_TARGET].n == 2, "entries per table");
	/* sorted: IPv4 by address, then IPv6, then interfaces by name */
	tap_ok(!strcmp(entry_at(&p, 0, 0, b, sizeof(b)),
		       "10.10.0.0/24 comment \"PPPoE pool 1\""), "entry 0: %s", b);
	tap_ok(!strcmp(entry_at(&p, 0, 1, b, sizeof(b)), "10.20.0.0/16"),
	       "'#' word ends the line: %s", b);
	tap_ok(!strcmp(entry_at(&p, 0, 2, b, sizeof(b)), "2001:db8:10::/64"),
	       "IPv6 canonical: %s", b);
	tap_ok(!strcmp(entry_at(&p, 0, 3, b, sizeof(b)), "iif \"#1\""),
	       "quoted '#1' is a name: %s", b);
	tap_ok(!strcmp(entry_at(&p, 0, 4, b, sizeof(b)),
		       "iif ppp+ comment \"a \\\"quoted\\\" \\\\ word\""),
	       "escapes: %s", b);
	tap_ok(!strcmp(p.c.t[0].e[4].comment, "a \"quoted\" \\ word"),
	       "comment unescaped: %s", p.c.t[0].e[4].comment);
	tap_ok(!strcmp(p.c.t[OP25B_TABLE_ALLOW].e[0].comment, "caf\xc3\xa9"),
	       "unquoted UTF-8 comment");
	tap_ok(!strcmp(p.c.t[OP25B_TABLE_TARGET].e[1].comment, "#not a comment"),
	       "'#' inside quotes");
	tap_ok(p.c.t[0].src[p.c.t[0].e[4].pos].line == 10,
	       "entries keep their line");
	done(&p);

	parse_str(&p, "");
	tap_ok(p.ret == 0 && !p.c.set.has && !p.c.t[0].n, "empty file");
	settings_defaults(&p.c.set);
	tap_ok(p.c.set.has == SET_ALL && p.c.set.v.mode == OP25B_MODE_ENFORCE &&
	       p.c.set.v.action == OP25B_ACTION_DROP &&
	       p.c.set.v.scope == OP25B_SCOPE_ALL &&
	       p.c.set.v.reject_rate == 1000 && p.c.set.v.reject_burst == 5 &&
	       !p.c.set.v.log && p.c.set.v.log_rate == 10 && p.c.set.v.log_burst == 5 &&
	       p.c.set.v.log_privacy, "defaults as the spec says");
	done(&p);

	parse_str(&p, "reject-rate 1000000/s burst 1000000\nlog off\n"
		  "subscriber 0.0.0.0/0\nsubscriber ::/0\n");
	tap_ok(p.ret == 0 && p.c.set.v.reject_rate == 1000000 &&
	       p.c.set.v.reject_burst == 1000000 && p.c.set.has ==
	       (SET_BIT(OP25B_SET_REJECT_RATE) | SET_BIT(OP25B_SET_REJECT_BURST) |
		SET_BIT(OP25B_SET_LOG)), "limits, log off alone (%s)", p.c.err);
	done(&p);

	/* the same entry in two tables is no duplicate */
	parse_str(&p, "subscriber 10.0.0.0/8\nexempt 10.0.0.0/8\n"
		  "allow 192.0.2.25\ntarget 192.0.2.25\n");
	tap_ok(p.ret == 0, "one entry in several tables (%s)", p.c.err);
	done(&p);

	/* a 64-byte comment, in 2-, 3- and 4-byte characters */
	parse_str(&p, "allow 192.0.2.25 comment \""
		  "\xf0\x9f\x93\xa7\xe2\x82\xac\xc3\xa9"
		  "0123456789012345678901234567890123456789012345678901234\"\n");
	tap_ok(p.ret == 0, "comment of exactly 64 bytes (%s)", p.c.err);
	done(&p);
}

/* The file must fail with exactly @want. */
static void bad(const char *text, const char *want, const char *what)
{
	struct parsed p;

	parse_str(&p, text);
	tap_ok(p.ret == -1 && !strcmp(p.c.err, want), "%s: %s", what, p.c.err);
	if (strcmp(p.c.err, want))
		printf("#   want: %s\n", want);
	done(&p);
}

static void test_errors(void)
{
	bad("mode enforce\nfoo bar\n", "f.conf:2: unknown keyword 'foo'",
	    "unknown keyword");
	bad("mode\n", "f.conf:1: mode: missing value (off, monitor, enforce)",
	    "missing mode");
	bad("\n\nmode on\n",
	    "f.conf:3: unknown mode 'on' (off, monitor, enforce)", "bad mode");
	bad("mode enforce monitor\n", "f.conf:1: mode: unexpected 'monitor'",
	    "two modes");
	bad("action deny\n",
	    "f.conf:1: unknown action 'deny' (drop, reject-tcp, reject-icmp)",
	    "bad action");
	bad("scope some\n", "f.conf:1: unknown scope 'some' (all, targets)",
	    "bad scope");
	bad("reject-rate\n", "f.conf:1: reject-rate: missing RATE",
	    "reject-rate without RATE");
	bad("reject-rate 0\n",
	    "f.conf:1: reject-rate: bad rate '0' (N/s or N, 1-1000000)",
	    "rate 0");
	bad("reject-rate 1000001/s\n",
	    "f.conf:1: reject-rate: bad rate '1000001/s' (N/s or N, 1-1000000)",
	    "rate too high");
	bad("reject-rate 10/m\n",
	    "f.conf:1: reject-rate: bad rate '10/m' (N/s or N, 1-1000000)",
	    "rate per minute");
	bad("reject-rate 010\n",
	    "f.conf:1: reject-rate: bad rate '010' (N/s or N, 1-1000000)",
	    "leading zero");
	bad("reject-rate /s\n",
	    "f.conf:1: reject-rate: bad rate '/s' (N/s or N, 1-1000000)",
	    "rate without number");
	bad("reject-rate 5 burst\n", "f.conf:1: reject-rate: 'burst' needs a value",
	    "burst without N");
	bad("reject-rate 5 burst 0\n",
	    "f.conf:1: reject-rate: bad burst '0' (1-1000000)", "burst 0");
	bad("reject-rate 5 burst 5/s\n",
	    "f.conf:1: reject-rate: bad burst '5/s' (1-1000000)", "burst rate");
	bad("reject-rate 5 burst 1 burst 2\n",
	    "f.conf:1: reject-rate: burst given twice", "burst twice");
	bad("reject-rate 5 rate 5\n",
	    "f.conf:1: reject-rate: unexpected 'rate' (burst N)",
	    "rate option of reject-rate");
	bad("log\n", "f.conf:1: log: missing on|off", "log without on|off");
	bad("log rate 5\n", "f.conf:1: log: missing on|off",
	    "log in the file needs on|off");
	bad("log on privacy maybe\n",
	    "f.conf:1: log: bad privacy 'maybe' (on, off)", "bad privacy");
	bad("log on rate 5 rate 6\n", "f.conf:1: log: rate given twice",
	    "log rate twice");
	bad("log on off\n",
	    "f.conf:1: log: unexpected 'off' (rate RATE, burst N, privacy on|off, group N|off, prefix TEXT, snaplen BYTES)",
	    "log on off");
	bad("mode enforce\naction drop\nmode off\n",
	    "f.conf:3: mode given twice (first on line 1)", "setting twice");
	bad("log on\n\nlog off rate 5\n",
	    "f.conf:3: log given twice (first on line 1)", "log twice");

	bad("subscriber\n", "f.conf:1: subscriber: missing entry (PREFIX, ADDRESS or iif NAME)",
	    "table without entry");
	bad("allow\n", "f.conf:1: allow: missing entry (PREFIX, ADDRESS)",
	    "allow without entry");
	bad("allow 10.0.0.1/8\n",
	    "f.conf:1: allow 10.0.0.1/8: host bits set under the prefix length",
	    "host bits");
	bad("target 192.0.2.300\n",
	    "f.conf:1: target 192.0.2.300: not an IPv4 or IPv6 address",
	    "bad address");
	bad("exempt 2001:db8::/129\n",
	    "f.conf:1: exempt 2001:db8::/129: bad prefix length (0-32 for IPv4, 0-128 for IPv6)",
	    "bad prefix length");
	bad("allow iif ppp+\n",
	    "f.conf:1: allow iif ppp+: interface entries are only valid in the subscriber table",
	    "iif outside subscriber");
	bad("subscriber iif\n", "f.conf:1: subscriber iif: missing interface name",
	    "iif without name");
	bad("subscriber iif x234567890123456\n",
	    "f.conf:1: subscriber iif x234567890123456: interface name longer than 15 characters",
	    "iif too long");
	bad("subscriber 10.0.0.0/8 10.1.0.0/16\n",
	    "f.conf:1: subscriber 10.0.0.0/8: unexpected '10.1.0.0/16' (timeout, expires or comment?)",
	    "two entries on a line");
	bad("subscriber 10.0.0.0/8 comment\n",
	    "f.conf:1: subscriber 10.0.0.0/8: comment needs a TEXT",
	    "comment without TEXT");
	bad("subscriber 10.0.0.0/8 comment # x\n",
	    "f.conf:1: subscriber 10.0.0.0/8: comment needs a TEXT",
	    "'#' is no comment TEXT");
	bad("subscriber 10.0.0.0/8 comment a b\n",
	    "f.conf:1: subscriber 10.0.0.0/8: unexpected 'b' (timeout, expires or comment?)",
	    "comment of two words");
	bad("exempt 10.0.0.1 timeout 1d expires 2d\n",
	    "f.conf:1: exempt 10.0.0.1: expires is longer than the timeout",
	    "expires past the timeout");
	bad("exempt 10.0.0.1 timeout 1d timeout 2d\n",
	    "f.conf:1: exempt 10.0.0.1: timeout given twice",
	    "timeout twice");
	bad("exempt 10.0.0.1 timeout 1w\n",
	    "f.conf:1: exempt 10.0.0.1: timeout '1w': unknown unit (d, h, m or s)",
	    "a week is no unit");
	bad("subscriber iif ppp+ timeout 1h\n",
	    "f.conf:1: subscriber iif ppp+: interface entries cannot have a timeout",
	    "interface patterns do not expire");

	bad("subscriber 10.0.0.0/8\nallow 192.0.2.25\nsubscriber 10.0.0.0/8\n",
	    "f.conf:3: subscriber 10.0.0.0/8: duplicate entry (first on line 1: 10.0.0.0/8)",
	    "duplicate, both lines");
	bad("allow 192.0.2.25/32\nallow 192.0.2.26\n\nallow 192.0.2.25\n",
	    "f.conf:4: allow 192.0.2.25: duplicate entry (first on line 1: 192.0.2.25/32)",
	    "duplicate in another spelling");
	bad("subscriber iif \"ppp+\"\nsubscriber iif ppp+\n",
	    "f.conf:2: subscriber iif ppp+: duplicate entry (first on line 1: iif ppp+)",
	    "duplicate interface");
	bad("target 10.9.0.0/16\ntarget 10.1.0.0/16\ntarget 10.9.0.0/16\n"
	    "target 10.1.0.0/16\ntarget 10.9.0.0/16\n",
	    "f.conf:3: target 10.9.0.0/16: duplicate entry (first on line 1: 10.9.0.0/16)",
	    "the first duplicate in the file is reported");
	bad("allow 192.0.2.1\nexempt 10.0.0.1\nexempt 10.0.0.1\nallow 192.0.2.1\n",
	    "f.conf:3: exempt 10.0.0.1: duplicate entry (first on line 2: 10.0.0.1)",
	    "the first duplicate across tables is reported");
	bad("subscriber 10.0.0.0/8\nsubscriber 10.0.0.0/8\nmode foo\n",
	    "f.conf:2: subscriber 10.0.0.0/8: duplicate entry (first on line 1: 10.0.0.0/8)",
	    "a duplicate before a syntax error wins");
	bad("subscriber 10.0.0.0/8\nmode foo\nsubscriber 10.0.0.0/8\n",
	    "f.conf:2: unknown mode 'foo' (off, monitor, enforce)",
	    "a syntax error before a duplicate wins");

	bad("allow 192.0.2.25 comment \"\"\n",
	    "f.conf:1: allow 192.0.2.25: empty comment", "empty comment");
	bad("allow 192.0.2.25 comment "
	    "\"01234567890123456789012345678901234567890123456789012345678901234\"\n",
	    "f.conf:1: allow 192.0.2.25: comment longer than 64 bytes",
	    "comment of 65 bytes");
	bad("allow 192.0.2.25 comment \"\xc3\xa9"
	    "012345678901234567890123456789012345678901234567890123456789012\"\n",
	    "f.conf:1: allow 192.0.2.25: comment longer than 64 bytes",
	    "64 characters are 65 bytes");
	bad("allow 192.0.2.25 comment caf\xe9\n",
	    "f.conf:1: allow 192.0.2.25: comment is not valid UTF-8",
	    "Latin-1 comment");
	bad("allow 192.0.2.25 comment \"\xed\xa0\x80\"\n",
	    "f.conf:1: allow 192.0.2.25: comment is not valid UTF-8",
	    "surrogate");
	bad("allow 192.0.2.25 comment \"\xc0\xaf\"\n",
	    "f.conf:1: allow 192.0.2.25: comment is not valid UTF-8",
	    "overlong");
	bad("allow 192.0.2.25 comment \"a\tb\"\n",
	    "f.conf:1: allow 192.0.2.25: comment contains a control character",
	    "tab in a comment");
	bad("allow 192.0.2.25 comment a\x01\n",
	    "f.conf:1: allow 192.0.2.25: comment contains a control character",
	    "control byte");
	bad("allow 192.0.2.25 comment \"a\x7f\"\n",
	    "f.conf:1: allow 192.0.2.25: comment contains a control character",
	    "DEL");

	bad("allow 192.0.2.25 comment \"abc\n", "f.conf:1: unterminated quoted word",
	    "unterminated quote");
	bad("allow 192.0.2.25 comment \"a\\n\"\n",
	    "f.conf:1: bad escape in a quoted word (only \\\" and \\\\)",
	    "bad escape");
	bad("allow 192.0.2.25 comment \"a\\\n",
	    "f.conf:1: bad escape in a quoted word (only \\\" and \\\\)",
	    "backslash at the end");
	bad("allow 192.0.2.25 comment \"a\"b\n",
	    "f.conf:1: no blank after a closing quote", "text after a quote");
	bad("log on rate 1 burst 1 privacy on x x x x x x x x x x x x x x\n",
	    "f.conf:1: too many words", "too many words");

	/* the last line, with and without its newline */
	bad("mode enforce\nallow 192.0.2.25\nallow 10.0.0.1/8",
	    "f.conf:3: allow 10.0.0.1/8: host bits set under the prefix length",
	    "error on the last line, no newline");
	bad("mode enforce\nallow 192.0.2.25\nallow 192.0.2.25\n",
	    "f.conf:3: allow 192.0.2.25: duplicate entry (first on line 2: 192.0.2.25)",
	    "duplicate on the last line");
	bad("mode enforce\n\"unterminated", "f.conf:2: unterminated quoted word",
	    "unterminated quote on the last line");
}

static void test_nul(void)
{
	static const char text[] = "mode enforce\nallow 192.0.2.0\0/24\n";
	struct parsed p;

	parse(&p, text, sizeof(text) - 1);
	tap_ok(p.ret == -1 && !strcmp(p.c.err, "f.conf:2: NUL byte in the file"),
	       "NUL byte: %s", p.c.err);
	done(&p);
}

/* settings_parse() as "op25bctl set" uses it */
static void test_set_words(void)
{
	char *w1[] = { "rate", "5/s" }, *w2[] = { "off" }, *w3[] = { "privacy" };
	struct settings s = { 0 };
	char err[256];

	tap_ok(!settings_parse(&s, CONF_LOG, w1, 2, true, err, sizeof(err)) &&
	       s.has == SET_BIT(OP25B_SET_LOG_RATE) && s.v.log_rate == 5,
	       "set log rate 5/s: only the rate");
	s.has = 0;
	tap_ok(!settings_parse(&s, CONF_LOG, w2, 1, true, err, sizeof(err)) &&
	       s.has == SET_BIT(OP25B_SET_LOG) && !s.v.log, "set log off");
	tap_ok(settings_parse(&s, CONF_LOG, NULL, 0, true, err, sizeof(err)) &&
	       !strncmp(err, "log: nothing to set", 19), "set log alone: %s", err);
	tap_ok(settings_parse(&s, CONF_LOG, w3, 1, true, err, sizeof(err)) &&
	       !strcmp(err, "log: 'privacy' needs a value"), "%s", err);
}

/* What the writer writes, the tokenizer reads back as the same words. */
static void test_quoting(void)
{
	static const char *const words[] = {
		"plain", "#hash", "a#b", "with blank", "\"lead", "mid\"dle",
		"back\\slash", "tab\there", "", "caf\xc3\xa9", "\\\"",
	};
	size_t i;
	int lit;

	for (lit = 0; lit < 2; lit++) {
		for (i = 0; i < sizeof(words) / sizeof(*words); i++) {
			char *out = NULL, *w[4];
			const char *why = NULL;
			size_t n = 0;
			FILE *f = open_memstream(&out, &n);
			int k;

			fputs(lit ? "iif " : "x ", f);
			conf_put_word(f, words[i], lit);
			fputs(" # trailing", f);
			fclose(f);
			k = conf_split(out, w, 4, lit, &why);
			tap_ok(k == 2 && !strcmp(w[1], words[i]),
			       "%s word #%zu reads back (%d words)",
			       lit ? "list" : "file", i, k);
			free(out);
		}
	}
}

/* Writes the parsed file the way save does. */
static char *put(const struct parsed *p, const struct settings *s)
{
	const struct op25b_entry *e[__OP25B_TABLE_MAX];
	uint32_t n[__OP25B_TABLE_MAX];
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int t;

	for (t = 0; t < __OP25B_TABLE_MAX; t++) {
		e[t] = p->c.t[t].e;
		n[t] = p->c.t[t].n;
	}
	conf_put(f, s, e, n);
	fclose(f);
	return out;
}

static void test_round_trip(void)
{
	static const char file[] =
		"target 198.51.100.0/24 comment \"x\\\\y\"\n"
		"subscriber iif \"#1\" comment \"quote \\\" and # hash\"\n"
		"subscriber iif a\"b\\c\n"
		"log on\n"
		"subscriber 10.10.0.0/24 comment \"caf\xc3\xa9 \xf0\x9f\x93\xa7\"\n"
		"allow 2001:db8:ee::25\n"
		"subscriber 2001:db8:10::/64\n"
		"exempt 10.10.0.6 comment \"ticket 9\" expires 90s timeout 1d12h\n"
		"exempt 10.10.0.5\n";
	static const char want[] =
		"mode enforce\n"
		"action drop\n"
		"scope all\n"
		"reject-rate 1000/s burst 5\n"
		"log on rate 10/s burst 5 privacy on\n"
		"alert off\n"
		"\n"
		"subscriber 10.10.0.0/24 comment \"caf\xc3\xa9 \xf0\x9f\x93\xa7\"\n"
		"subscriber 2001:db8:10::/64\n"
		"subscriber iif \"#1\" comment \"quote \\\" and # hash\"\n"
		"subscriber iif \"a\\\"b\\\\c\"\n"
		"\n"
		"allow 2001:db8:ee::25/128\n"
		"\n"
		"exempt 10.10.0.5/32\n"
		"exempt 10.10.0.6/32 timeout 1d12h expires 1m30s comment \"ticket 9\"\n"
		"\n"
		"target 198.51.100.0/24 comment \"x\\\\y\"\n";
	struct parsed p, q;
	char *one, *two;

	parse_str(&p, file);
	tap_ok(p.ret == 0, "round trip: parses (%s)", p.c.err);
	settings_defaults(&p.c.set);
	one = put(&p, &p.c.set);
	tap_ok(!strcmp(one, want), "written as save writes it");
	if (strcmp(one, want))
		printf("# got:\n%s", one);
	parse_str(&q, one);
	tap_ok(q.ret == 0, "what was written parses (%s)", q.c.err);
	two = put(&q, &q.c.set);
	tap_ok(!strcmp(one, two), "and is written again byte for byte");
	tap_ok(!strcmp(q.c.t[0].e[3].ifname, "a\"b\\c"), "odd name kept: %s",
	       q.c.t[0].e[3].ifname);
	free(one);
	free(two);
	done(&p);
	done(&q);
}

/* "list" lines, as "add -f" reads them: conf_put_entry(list) + split. */
static void test_list_lines(void)
{
	struct op25b_entry e;
	char *out = NULL, *w[8];
	const char *why;
	size_t n = 0;
	FILE *f;
	int k;

	entry_parse_ifname("#1", &e);
	e.comment = "say \"hi\" \\ bye";
	f = open_memstream(&out, &n);
	conf_put_entry(f, &e, true);
	fclose(f);
	tap_ok(!strcmp(out, "iif #1 comment \"say \\\"hi\\\" \\\\ bye\""),
	       "list line: %s", out);
	k = conf_split(out, w, 8, true, &why);
	tap_ok(k == 4 && !strcmp(w[0], "iif") && !strcmp(w[1], "#1") &&
	       !strcmp(w[2], "comment") && !strcmp(w[3], "say \"hi\" \\ bye"),
	       "reads back as add -f sees it");
	free(out);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A million lines: linear time, and an error on the last one found. */
static void test_big(void)
{
	const uint32_t lines = 1000000;
	size_t cap = (size_t)lines * 64, len = 0;
	char *text = malloc(cap), *ttext;
	struct parsed p;
	double t0, t;
	uint32_t i;

	len += sprintf(text + len, "mode enforce\n");
	for (i = 1; i < lines - 1; i++) {
		if (i % 4 == 3)
			len += sprintf(text + len,
				       "allow 2001:db8:%x:%x::/64 comment \"customer %u\"\n",
				       i >> 16, i & 0xffff, i);
		else
			len += sprintf(text + len, "subscriber %u.%u.%u.%u\n",
				       10 + (i >> 24), (i >> 16) & 255,
				       (i >> 8) & 255, i & 255);
	}
	/* the last line repeats the second */
	len += sprintf(text + len, "subscriber 10.0.0.1/32\n");
	ttext = strdup(text);

	parse(&p, text, len);
	tap_ok(p.ret == -1 && p.c.err_line == lines &&
	       !strcmp(p.c.err, "f.conf:1000000: subscriber 10.0.0.1/32: duplicate entry (first on line 2: 10.0.0.1)"),
	       "a duplicate on line 1000000 of 1000000: %s", p.c.err);
	done(&p);

	/*
	 * Without it, a good file, timed.  Under ASan, on a loaded machine,
	 * an absolute bound says little (a native build takes 0.2-0.3 s), so
	 * the time must also grow linearly: a tenth of the file, parsed
	 * first, must take about a tenth of the time.
	 */
	len -= strlen("subscriber 10.0.0.1/32\n");
	ttext[len] = '\0';
	{
		char *cut = ttext;
		struct parsed small;
		double ts;

		for (i = 0; i < lines / 10; i++)
			cut = strchr(cut, '\n') + 1;
		t0 = now();
		parse(&small, ttext, (size_t)(cut - ttext));
		ts = now() - t0;
		tap_ok(small.ret == 0 && small.c.lines == lines / 10,
		       "100000 lines parse");
		done(&small);
		t0 = now();
		parse(&p, ttext, len);
		t = now() - t0;
		printf("# 100000 lines in %.3f s, %u in %.3f s (ASan build)\n",
		       ts, lines - 1, t);
		/* quadratic would be 100 times; leave room for a busy machine */
		tap_ok(t < 40 * ts + 0.5, "linear: 10 times the lines, %.1f times the time",
		       t / ts);
	}
	tap_ok(p.ret == 0 && p.c.lines == lines - 1 &&
	       p.c.t[OP25B_TABLE_SUBSCRIBER].n + p.c.t[OP25B_TABLE_ALLOW].n ==
	       lines - 2, "999999 lines parse (%s)", p.c.err);
	done(&p);
	free(ttext);
	free(text);
}

int main(void)
{
	test_good();
	test_errors();
	test_nul();
	test_set_words();
	test_quoting();
	test_round_trip();
	test_list_lines();
	test_big();
	return tap_done();
}
