// SPDX-License-Identifier: GPL-2.0
/* Host test of the JSON writer: escaping and document structure. */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "../../tests/unit/tap.h"

/* Runs @fn on a memory stream and returns what it wrote (malloc'd). */
static char *capture(void (*fn)(FILE *f, const void *arg), const void *arg)
{
	struct tap_mem m;

	fn(tap_mem_open(&m), arg);
	return tap_mem_text(&m);
}

static void do_escape(FILE *f, const void *arg)
{
	json_escape(f, arg);
}

static void check_escape(const char *in, const char *want, const char *what)
{
	char *got = capture(do_escape, in);

	tap_ok(!strcmp(got, want), "escape %s: %s", what, got);
	free(got);
}

static void do_doc(FILE *f, const void *arg)
{
	struct json j;

	(void)arg;
	json_init(&j, f);
	json_object_begin(&j, NULL);
	json_string(&j, "table", "allow");
	json_array_begin(&j, "entries");
	json_string(&j, NULL, "192.0.2.25/32");
	json_string(&j, NULL, "iif ppp+");
	json_array_end(&j);
	json_object_begin(&j, "match");
	json_null(&j, "allow");
	json_u64(&j, "n", 18446744073709551615ULL);
	json_object_end(&j);
	json_array_begin(&j, "empty");
	json_array_end(&j);
	json_object_begin(&j, "e");
	json_object_end(&j);
	json_object_end(&j);
	json_finish(&j);
}

int main(void)
{
	char *doc;

	check_escape("plain", "\"plain\"", "plain ASCII");
	check_escape("a\"b\\c", "\"a\\\"b\\\\c\"", "quote and backslash");
	check_escape("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"", "short escapes");
	check_escape("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"",
		     "other control bytes");
	check_escape("/", "\"/\"", "slash is left alone");
	check_escape("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xa7",
		     "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xa7\"",
		     "valid UTF-8 passes through");
	check_escape("a\xff" "b", "\"a\\ufffdb\"", "invalid byte");
	check_escape("\xc3", "\"\\ufffd\"", "truncated sequence at the end");
	check_escape("\xc0\xaf", "\"\\ufffd\\ufffd\"", "overlong form");
	check_escape("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"",
		     "UTF-16 surrogate");
	check_escape("\xf4\x90\x80\x80",
		     "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", "beyond U+10FFFF");
	check_escape("", "\"\"", "empty string");

	doc = capture(do_doc, NULL);
	tap_ok(!strcmp(doc, "{\"table\":\"allow\",\"entries\":[\"192.0.2.25/32\","
		       "\"iif ppp+\"],\"match\":{\"allow\":null,"
		       "\"n\":18446744073709551615},\"empty\":[],\"e\":{}}\n"),
	       "document structure");
	if (tap_failed)
		printf("# got: %s", doc);
	free(doc);
	return tap_done();
}
