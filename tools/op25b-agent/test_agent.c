// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of op25b-agent's pure parts, TAP (make unit runs them under
 * ASan and UBSan): agent.conf, base64, sha256, save's lines and their
 * difference, the status document and its states, the watch stream's
 * parser (events, compaction, oversized messages), backoff.
 */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "agent.h"
#include "../../tests/unit/tap.h"

static int parse(struct agent_conf *c, const char *text, char *err)
{
	conf_defaults(c);
	err[0] = '\0';
	return conf_parse(c, text, strlen(text), "agent.conf", err, 256);
}

static void test_conf(void)
{
	struct agent_conf c;
	char err[256], key[AGENT_PATH_MAX];

	tap_ok(!parse(&c, "# comment\nendpoints = https://a:2379, https://b:2379/ https://c:2379\n"
		      "fleet = lab\ngateway = gw1\ncacert = /etc/ca.pem\ncert = /c.pem\nkey = /k.pem\n"
		      "user = gw1\npassword_file = /p\nnamespaces = self gw-a\nreassert = yes\n"
		      "drift_interval = 0\nlease_ttl = 9 # seconds\ntimeout = 3\n", err),
	       "conf: a full file parses (%s)", err);
	tap_ok(c.n_endpoints == 3 && !strcmp(c.endpoints[1], "https://b:2379"),
	       "conf: three endpoints, trailing '/' dropped");
	tap_ok(c.n_namespaces == 2 && !strcmp(c.namespaces[1], "gw-a"), "conf: two namespaces");
	tap_ok(c.reassert && c.drift_interval == 0 && c.lease_ttl == 9 && c.timeout == 3,
	       "conf: numbers and booleans");
	key_fleet_conf(&c, key, sizeof(key));
	tap_ok(!strcmp(key, "/op25b/lab/conf"), "conf: fleet key %s", key);
	key_gateway_conf(&c, key, sizeof(key));
	tap_ok(!strcmp(key, "/op25b/lab/gateways/gw1/conf"), "conf: gateway key %s", key);
	key_status(&c, "gw1", key, sizeof(key));
	tap_ok(!strcmp(key, "/op25b/lab/status/gw1"), "conf: status key %s", key);

	tap_ok(!parse(&c, "endpoints = http://x:2379\nfleet = f\n", err) &&
	       c.n_namespaces == 1 && !strcmp(c.namespaces[0], "self") && c.drift_interval == 30 &&
	       !c.reassert && c.lease_ttl == 15 && !strcmp(c.op25bctl, "/usr/sbin/op25bctl"),
	       "conf: defaults (%s)", err);
	tap_ok(parse(&c, "endpoints = http://x\nfleet = f\nbogus = 1\n", err) &&
	       !strcmp(err, "agent.conf:3: unknown key 'bogus'"), "conf: unknown key: %s", err);
	tap_ok(parse(&c, "endpoints = http://x\nfleet = f\nfleet = g\n", err) &&
	       !strcmp(err, "agent.conf:3: fleet given twice"), "conf: key twice: %s", err);
	tap_ok(parse(&c, "endpoints = ftp://x\nfleet = f\n", err) &&
	       strstr(err, ":1: endpoints: 'ftp://x'"), "conf: not http(s): %s", err);
	tap_ok(parse(&c, "endpoints = http://x\nfleet = a/b\n", err) && strstr(err, ":2: fleet:"),
	       "conf: a fleet name with '/': %s", err);
	tap_ok(parse(&c, "endpoints = http://x\nfleet = ..\n", err), "conf: fleet '..' refused");
	tap_ok(parse(&c, "endpoints = http://x\nfleet = f\nlease_ttl = 2\n", err) &&
	       strstr(err, "lease_ttl: not a number from 3 to 3600"), "conf: range: %s", err);
	tap_ok(parse(&c, "endpoints = http://x\nfleet = f\ntimeout = -1\n", err), "conf: negative");
	tap_ok(parse(&c, "endpoints = http://x\nfleet = f\nreassert = maybe\n", err), "conf: bool");
	tap_ok(parse(&c, "endpoints = http://x\nfleet = f\ncert = /c\n", err) &&
	       !strcmp(err, "agent.conf: cert and key go together"), "conf: cert without key: %s", err);
	tap_ok(parse(&c, "endpoints = http://x\nfleet = f\nuser = u\n", err) &&
	       strstr(err, "user and password_file"), "conf: user without password_file");
	tap_ok(parse(&c, "fleet = f\n", err) && !strcmp(err, "agent.conf: no endpoints"),
	       "conf: no endpoints: %s", err);
	tap_ok(parse(&c, "endpoints = http://x\nfleet = f\ncacert = ca.pem\n", err) &&
	       strstr(err, "not an absolute path"), "conf: relative path");
	tap_ok(parse(&c, "endpoints = http://x\nfleet = f\nnamespaces = a a\n", err) &&
	       strstr(err, "given twice"), "conf: namespace twice");
	tap_ok(parse(&c, "endpoints = http://x\nfleet f\n", err) && strstr(err, ":2: 'fleet f': not key = value"),
	       "conf: no '=': %s", err);
	tap_ok(conf_parse(&c, "fleet = f\0x", 11, "n", err, 256) && strstr(err, "NUL"), "conf: NUL byte");
}

static void test_b64(void)
{
	static const char *const plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *const coded[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
	unsigned char back[16], all[256];
	char out[400];
	size_t i;
	long n;
	bool good = true;

	for (i = 0; i < ARRAY_SIZE(plain); i++) {
		b64_encode((const unsigned char *)plain[i], strlen(plain[i]), out);
		n = b64_decode(out, strlen(out), back, sizeof(back));
		good &= !strcmp(out, coded[i]) && n == (long)strlen(plain[i]) &&
			!memcmp(back, plain[i], (size_t)n);
	}
	tap_ok(good, "base64: RFC 4648 test vectors, both ways");
	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	b64_encode(all, 256, out);
	n = b64_decode(out, strlen(out), (unsigned char *)out + 350, 50);
	tap_ok(n == -1, "base64: decoding refuses a short output buffer");
	tap_ok(b64_decode("Zm9", 3, back, sizeof(back)) == -1, "base64: length not a multiple of 4");
	tap_ok(b64_decode("Zm9*", 4, back, sizeof(back)) == -1, "base64: a character outside the alphabet");
	tap_ok(b64_decode("Zg==Zg==", 8, back, sizeof(back)) == -1, "base64: padding in the middle");
	tap_ok(b64_decode("Z===", 4, back, sizeof(back)) == -1, "base64: three '='");
	tap_ok(b64_encoded_len(10) == 16 && b64_encoded_len(0) == 0, "base64: encoded lengths");
}

static void test_sha(void)
{
	char hex[65];

	sha256_hex("abc", 3, hex);
	tap_ok(!strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
	       "sha256(\"abc\")");
	sha256_hex("", 0, hex);
	tap_ok(!strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
	       "sha256(\"\")");
}

static void test_lines(void)
{
	const char *save1 = "# op25bctl 0.1 save, namespace 4026531840, 2026-01-01\nmode enforce\n"
			    "action drop\n\nsubscriber 10.10.0.0/24\nallow 192.0.2.25/32 comment \"ISP\"\n";
	const char *save2 = "# another header line\nmode enforce\naction drop\r\n"
			    "subscriber 10.10.0.0/24   \n  allow 192.0.2.25/32 comment \"ISP\"\n"
			    "allow 198.51.100.25/32";
	const char *timed1 = "exempt 10.0.0.1/32 timeout 1d expires 23h59m12s comment \"a expires b\"\n"
			     "exempt 10.0.0.2/32 timeout 1h expires 1h\n";
	const char *timed2 = "exempt 10.0.0.1/32 timeout 1d expires 23h1m comment \"a expires b\"\n";
	char **a, **b, out[512], small[40];
	size_t na = 0, nb = 0, d;

	a = config_lines(save1, strlen(save1), &na);
	b = config_lines(save2, strlen(save2), &nb);
	tap_ok(a && na == 4 && !strcmp(a[0], "action drop"), "lines: comments and blank lines go, sorted");
	tap_ok(b && nb == 5, "lines: blanks at either end and CR trimmed, no final newline");
	d = lines_diff(a, na, b, nb, out, sizeof(out));
	tap_ok(d == 1 && !strcmp(out, "1 added, 0 removed: +allow 198.51.100.25/32"), "diff: %s", out);
	d = lines_diff(b, nb, a, na, out, sizeof(out));
	tap_ok(d == 1 && !strcmp(out, "0 added, 1 removed: -allow 198.51.100.25/32"), "diff back: %s", out);
	d = lines_diff(a, na, a, na, out, sizeof(out));
	tap_ok(d == 0 && !out[0], "diff: none");
	d = lines_diff(a, na, b, nb, small, sizeof(small));
	tap_ok(d == 1 && strlen(small) < sizeof(small), "diff: cut to the buffer (%s)", small);
	lines_free(a);
	lines_free(b);
	a = config_lines(timed1, strlen(timed1), &na);
	b = config_lines(timed2, strlen(timed2), &nb);
	tap_ok(a && na == 2 && !strcmp(a[0], "exempt 10.0.0.1/32 timeout 1d comment \"a expires b\""),
	       "lines: a timed entry's shrinking expires is left out, the comment kept (%s)", a ? a[0] : "");
	d = lines_diff(a, na, b, nb, out, sizeof(out));
	tap_ok(d == 0, "diff: time passing and a timed entry expiring are no drift (%s)", out);
	d = lines_diff(b, nb, a, na, out, sizeof(out));
	tap_ok(d == 1, "diff: a timed entry that appeared is (%s)", out);
	lines_free(a);
	lines_free(b);
	a = config_lines("", 0, &na);
	tap_ok(a && na == 0 && !a[0], "lines: empty text");
	lines_free(a);
}

static void test_sanitize_time(void)
{
	char s[] = "ok \xc3\xa9 \xff\x01 \xed\xa0\x80 tab\tend";
	char t[32], age[16];

	text_sanitize(s);
	tap_ok(!strcmp(s, "ok \xc3\xa9 ?? ??? tab\tend"), "sanitize: bad UTF-8 and controls become '?'");
	time_iso(0, t);
	tap_ok(!strcmp(t, "1970-01-01T00:00:00Z"), "time_iso(0)");
	time_iso(1798761600, t);
	tap_ok(!strcmp(t, "2027-01-01T00:00:00Z"), "time_iso: %s", t);
	age_text(59, age, sizeof(age));
	tap_ok(!strcmp(age, "59s"), "age 59 s: %s", age);
	age_text(600, age, sizeof(age));
	tap_ok(!strcmp(age, "10m"), "age 600 s: %s", age);
	age_text(7200, age, sizeof(age));
	tap_ok(!strcmp(age, "2h"), "age 7200 s: %s", age);
	age_text(-5, age, sizeof(age));
	tap_ok(!strcmp(age, "0s"), "age of a clock ahead: %s", age);
}

static void test_backoff(void)
{
	unsigned int n = 0, i, w;
	bool bounded = true;

	for (i = 0; i < 20; i++) {
		n = backoff_next(n);
		w = backoff_jitter(n, i * 2654435761u);
		bounded &= n >= BACKOFF_MIN_MS && n <= BACKOFF_MAX_MS && w >= n / 2 && w <= n;
	}
	tap_ok(bounded && n == BACKOFF_MAX_MS, "backoff: doubles up to %u ms, waits in [n/2, n]", n);
	tap_ok(backoff_next(0) == BACKOFF_MIN_MS && backoff_next(BACKOFF_MIN_MS) == 2 * BACKOFF_MIN_MS,
	       "backoff: starts at %u ms", BACKOFF_MIN_MS);
}

static void test_status(void)
{
	struct ns_status ns[2];
	struct agent_conf c;
	json_object *o;
	char err[256], *doc;

	parse(&c, "endpoints = http://x\nfleet = lab\ngateway = gw1\n", err);
	memset(ns, 0, sizeof(ns));
	strcpy(ns[0].name, "self");
	strcpy(ns[1].name, "gw-b");
	ns[0].state = ns[1].state = NS_APPLIED;
	tap_ok(gateway_state(ns, 2) == NS_APPLIED, "state: applied when all are");
	ns[1].state = NS_DRIFTED;
	tap_ok(gateway_state(ns, 2) == NS_DRIFTED, "state: the worst namespace's");
	ns[0].state = NS_REJECTED;
	tap_ok(gateway_state(ns, 2) == NS_REJECTED, "state: rejected is worse than drifted");
	ns[0].state = NS_NONE;
	ns[1].state = NS_APPLIED;
	tap_ok(gateway_state(ns, 2) == NS_NONE, "state: none when one namespace has nothing yet");

	ns[0].state = NS_REJECTED;
	strcpy(ns[0].key, "/op25b/lab/conf");
	ns[0].revision = 7;
	strcpy(ns[0].sha256, "ab");
	strcpy(ns[0].rejected.key, "/op25b/lab/conf");
	ns[0].rejected.revision = 9;
	ns[0].rejected.exit = 2;
	strcpy(ns[0].rejected.error, "op25bctl: op25b/lab/conf:3: \"quoted\" bad");
	doc = status_json(&c, ns, 2, 1798761600);
	o = doc ? json_tokener_parse(doc) : NULL;
	tap_ok(o != NULL, "status: valid JSON");
	tap_ok(!strcmp(json_object_get_string(jget(o, "state")), "rejected") &&
	       jint(o, "revision") == 7 && jint(o, "rejected.revision") == 9 &&
	       !strcmp(json_object_get_string(jget(o, "rejected.error")),
		       "op25bctl: op25b/lab/conf:3: \"quoted\" bad"),
	       "status: the gateway's fields are its worst namespace's, the error whole");
	tap_ok(!strcmp(json_object_get_string(jget(o, "gateway")), "gw1") &&
	       !strcmp(json_object_get_string(jget(o, "updated")), "2027-01-01T00:00:00Z") &&
	       json_object_array_length(jget(o, "namespaces")) == 2,
	       "status: gateway, time, both namespaces");
	tap_ok(doc && strstr(doc, "\"key\":\"/op25b/lab/conf\""), "status: slashes not escaped");
	json_object_put(o);
	free(doc);
	ns[0].state = NS_STALE;
	doc = status_json(&c, ns, 1, 0);
	tap_ok(doc && strstr(doc, "\"not_applied\":{") && !strstr(doc, "\"rejected\""),
	       "status: a stale namespace's attempt is \"not_applied\"");
	free(doc);
}

/* watch_feed, as curl hands it the stream: in arbitrary pieces */
static void feed(struct watch *w, const char *s, size_t piece)
{
	size_t n = strlen(s), i;

	for (i = 0; i < n; i += piece)
		watch_feed(w, s + i, n - i < piece ? n - i : piece);
}

static void test_watch(void)
{
	const char *created = "{\"result\":{\"header\":{\"revision\":\"5\"},\"created\":true}}\n";
	const char *event = "{\"result\":{\"header\":{\"revision\":\"8\"},\"events\":[{\"kv\":"
			    "{\"key\":\"eA==\",\"mod_revision\":\"8\",\"value\":\"eA==\"}}]}}\n";
	const char *compacted = "{\"result\":{\"header\":{},\"canceled\":true,\"compact_revision\":\"12\"}}\n";
	const char *error = "{\"error\":{\"grpc_code\":7,\"message\":\"etcdserver: permission denied\"}}\n";
	struct watch w;
	char *big;
	size_t n = AGENT_MAX_RESPONSE + 100;

	memset(&w, 0, sizeof(w));
	feed(&w, created, 7);
	tap_ok(w.created && !w.changed && !w.canceled, "watch: created");
	feed(&w, event, 1);
	tap_ok(w.changed && w.last_revision == 8, "watch: an event, byte by byte: changed at 8");
	free(w.buf);
	memset(&w, 0, sizeof(w));
	feed(&w, compacted, 1000);
	tap_ok(w.canceled && w.compact_revision == 12, "watch: cancelled by compaction at 12");
	free(w.buf);
	memset(&w, 0, sizeof(w));
	feed(&w, error, 3);
	tap_ok(w.canceled && !strcmp(w.error, "etcdserver: permission denied"), "watch: an error: %s", w.error);
	free(w.buf);

	memset(&w, 0, sizeof(w));
	big = malloc(n + 1);
	memset(big, 'x', n - 1);
	memcpy(big, "{\"result\":{\"events\":[{\"kv\":{\"key\":\"eA==\",\"mod_revision\":\"33\",\"value\":\"", 70);
	big[n - 1] = '\n';
	big[n] = '\0';
	feed(&w, big, 65536);
	tap_ok(w.changed && !w.skipping && !w.canceled, "watch: a message over %d bytes is skipped, as a change",
	       AGENT_MAX_RESPONSE);
	tap_ok(w.oversize_revision == 33, "watch: ... at the mod_revision it began with (%lld)",
	       (long long)w.oversize_revision);
	w.changed = false;
	feed(&w, event, 100);
	tap_ok(w.changed && w.last_revision == 8, "watch: ... and the next one is read");
	free(w.buf);
	free(big);

	memset(&w, 0, sizeof(w));
	feed(&w, "not json\n\n", 4);
	tap_ok(!w.changed && !w.canceled, "watch: a line that is not JSON is ignored");
	free(w.buf);
}

int main(void)
{
	log_quiet = true;
	test_conf();
	test_b64();
	test_sha();
	test_lines();
	test_sanitize_time();
	test_backoff();
	test_status();
	test_watch();
	return tap_done();
}
