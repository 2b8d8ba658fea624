// SPDX-License-Identifier: GPL-2.0
/*
 * JSON writer.  Strings here come from the kernel (interface names) and
 * from the command line, so they may hold any byte: control characters
 * are escaped, and bytes that are not valid UTF-8 become U+FFFD, since a
 * JSON text must be valid Unicode and consumers reject it otherwise.
 */
#include <inttypes.h>

#include "json.h"
#include "op25bctl.h"

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->comma[0] = false;
}

static void escape_ascii(FILE *f, unsigned char c)
{
	switch (c) {
	case '"':
		fputs("\\\"", f);
		break;
	case '\\':
		fputs("\\\\", f);
		break;
	case '\b':
		fputs("\\b", f);
		break;
	case '\f':
		fputs("\\f", f);
		break;
	case '\n':
		fputs("\\n", f);
		break;
	case '\r':
		fputs("\\r", f);
		break;
	case '\t':
		fputs("\\t", f);
		break;
	default:
		if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
}

void json_escape(FILE *f, const char *s)
{
	fputc('"', f);
	while (*s) {
		unsigned int n = op25b_utf8_len(s);

		if (n == 1) {
			escape_ascii(f, (unsigned char)*s);
		} else if (n) {
			fwrite(s, 1, n, f);
		} else {
			fputs("\\ufffd", f);
			n = 1;
		}
		s += n;
	}
	fputc('"', f);
}

/* Separator and key before any value. */
static void json_prefix(struct json *j, const char *key)
{
	if (j->comma[j->depth])
		fputc(',', j->f);
	j->comma[j->depth] = true;
	if (key) {
		json_escape(j->f, key);
		fputc(':', j->f);
	}
}

static void json_open(struct json *j, const char *key, char c)
{
	json_prefix(j, key);
	fputc(c, j->f);
	/* deeper documents are a bug in op25bctl, not an input problem */
	if (j->depth + 1 < JSON_DEPTH_MAX)
		j->depth++;
	j->comma[j->depth] = false;
}

static void json_close(struct json *j, char c)
{
	fputc(c, j->f);
	if (j->depth)
		j->depth--;
}

void json_object_begin(struct json *j, const char *key)
{
	json_open(j, key, '{');
}

void json_object_end(struct json *j)
{
	json_close(j, '}');
}

void json_array_begin(struct json *j, const char *key)
{
	json_open(j, key, '[');
}

void json_array_end(struct json *j)
{
	json_close(j, ']');
}

void json_string(struct json *j, const char *key, const char *val)
{
	json_prefix(j, key);
	if (val)
		json_escape(j->f, val);
	else
		fputs("null", j->f);
}

void json_u64(struct json *j, const char *key, uint64_t val)
{
	json_prefix(j, key);
	fprintf(j->f, "%" PRIu64, val);
}

void json_null(struct json *j, const char *key)
{
	json_string(j, key, NULL);
}

void json_bool(struct json *j, const char *key, bool val)
{
	json_prefix(j, key);
	fputs(val ? "true" : "false", j->f);
}

void json_finish(struct json *j)
{
	fputc('\n', j->f);
}
