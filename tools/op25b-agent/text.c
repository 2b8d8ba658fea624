// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's pure helpers: base64 for etcd's JSON gateway, sha256 of a
 * text, the configuration lines of "op25bctl save" and their difference,
 * times, backoff, log lines.  No I/O besides logmsg: the unit tests
 * (test_agent.c) run all of it on the host.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "agent.h"

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t b64_encoded_len(size_t n)
{
	return (n + 2) / 3 * 4;
}

/* @out must hold b64_encoded_len(n) + 1 bytes; it is NUL-terminated */
void b64_encode(const unsigned char *in, size_t n, char *out)
{
	size_t i;
	uint32_t v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
		*out++ = b64_alphabet[v >> 18 & 63];
		*out++ = b64_alphabet[v >> 12 & 63];
		*out++ = b64_alphabet[v >> 6 & 63];
		*out++ = b64_alphabet[v & 63];
	}
	if (i < n) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		*out++ = b64_alphabet[v >> 18 & 63];
		*out++ = b64_alphabet[v >> 12 & 63];
		*out++ = i + 1 < n ? b64_alphabet[v >> 6 & 63] : '=';
		*out++ = '=';
	}
	*out = '\0';
}

static int b64_value(char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(b64_alphabet, c);
	return p ? (int)(p - b64_alphabet) : -1;
}

long b64_decode(const char *in, size_t n, unsigned char *out, size_t outlen)
{
	size_t i, o = 0;
	int k, pad, v[4];

	if (n % 4)
		return -1;
	for (i = 0; i < n; i += 4) {
		pad = 0;
		for (k = 0; k < 4; k++) {
			if (in[i + k] == '=' && i + 4 == n && k >= 2) {
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad)	/* a character after '=' */
				return -1;
			v[k] = b64_value(in[i + k]);
			if (v[k] < 0)
				return -1;
		}
		if (o + 3 - pad > outlen)
			return -1;
		out[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (pad < 2)
			out[o++] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
		if (pad < 1)
			out[o++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
	}
	return (long)o;
}

void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int n = 0, i;

	if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) || n != 32) {
		snprintf(out, 65, "unknown");
		return;
	}
	for (i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", md[i]);
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void lines_free(char **lines)
{
	size_t i;

	if (!lines)
		return;
	for (i = 0; lines[i]; i++)
		free(lines[i]);
	free(lines);
}

/* @word (" timeout ") in @l before its comment's quote, or NULL */
static char *entry_word(char *l, const char *word)
{
	char *q = strchr(l, '"'), *w = strstr(l, word);

	return w && (!q || w < q) ? w : NULL;
}

/*
 * One configuration line of [s, e): trimmed, or NULL for a blank or
 * comment.  A timed entry's "expires DURATION" is left out: it shrinks
 * every second without anything having changed.
 */
static char *config_line(const char *s, const char *e)
{
	char *l, *x, *end;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	if (s == e || *s == '#')
		return NULL;
	l = strndup(s, (size_t)(e - s));
	x = l ? entry_word(l, " expires ") : NULL;
	if (x) {
		end = strchr(x + strlen(" expires "), ' ');
		memmove(x, end ? end : x + strlen(x), strlen(end ? end : x + strlen(x)) + 1);
	}
	return l;
}

char **config_lines(const char *text, size_t len, size_t *n)
{
	const char *p = text, *end = text + len, *nl;
	size_t cap = 64, count = 0;
	char **lines, **bigger, *l;

	lines = malloc(cap * sizeof(*lines));
	if (!lines)
		return NULL;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		l = config_line(p, nl);
		p = nl + 1;
		if (!l)
			continue;
		if (count + 1 == cap) {
			cap *= 2;
			bigger = realloc(lines, cap * sizeof(*lines));
			if (!bigger) {
				free(l);
				goto fail;
			}
			lines = bigger;
		}
		lines[count++] = l;
	}
	lines[count] = NULL;
	qsort(lines, count, sizeof(*lines), cmp_line);
	*n = count;
	return lines;
fail:
	lines[count] = NULL;
	lines_free(lines);
	return NULL;
}

/* Appends "+LINE" or "-LINE" to the summary while there is room */
static void diff_add(char *out, size_t len, size_t *used, char sign, const char *line)
{
	int w;

	if (*used + 8 >= len)
		return;
	w = snprintf(out + *used, len - *used, "%s%c%s", *used ? ", " : "", sign, line);
	if (w < 0 || (size_t)w >= len - *used) {	/* cut: end with "..." */
		memcpy(out + len - 4, "...", 4);
		*used = len;
		return;
	}
	*used += (size_t)w;
}

size_t lines_diff(char **a, size_t na, char **b, size_t nb, char *out, size_t len)
{
	size_t i = 0, j = 0, n = 0, used = 0, added = 0, removed = 0;
	char list[400];
	int c;

	list[0] = '\0';
	while (i < na || j < nb) {
		c = i == na ? 1 : j == nb ? -1 : strcmp(a[i], b[j]);
		if (c == 0) {
			i++;
			j++;
			continue;
		}
		if (c < 0 && entry_word(a[i], " timeout ")) {
			i++;	/* a timed entry that expired, as it should */
			continue;
		} else if (c < 0) {
			diff_add(list, sizeof(list), &used, '-', a[i++]);
			removed++;
		} else {
			diff_add(list, sizeof(list), &used, '+', b[j++]);
			added++;
		}
		n++;
	}
	if (n)
		snprintf(out, len, "%zu added, %zu removed: %s", added, removed, list);
	else if (len)
		out[0] = '\0';
	return n;
}

void text_sanitize(char *s)
{
	unsigned char *p = (unsigned char *)s;
	unsigned int n, k;

	while (*p) {
		n = 0;
		if (*p < 0x80)
			n = 1;
		else if (*p >= 0xc2 && *p <= 0xdf)
			n = 2;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 3;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 4;
		for (k = 1; k < n; k++)
			if ((p[k] & 0xc0) != 0x80)
				n = 0;
		/* overlong 3- and 4-byte forms, surrogates, past U+10FFFF */
		if ((n == 3 && ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0))) ||
		    (n == 4 && ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))))
			n = 0;
		if (n == 0 || (n == 1 && ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f))) {
			*p++ = '?';
			continue;
		}
		p += n;
	}
}

void time_iso(long long t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, 32, "1970-01-01T00:00:00Z");
}

void age_text(long long s, char *out, size_t len)
{
	if (s < 0)
		s = 0;
	if (s < 120)
		snprintf(out, len, "%llds", s);
	else if (s < 7200)
		snprintf(out, len, "%lldm", s / 60);
	else if (s < 172800)
		snprintf(out, len, "%lldh", s / 3600);
	else
		snprintf(out, len, "%lldd", s / 86400);
}

/* The next nominal delay: doubled, from BACKOFF_MIN_MS to BACKOFF_MAX_MS */
unsigned int backoff_next(unsigned int nominal_ms)
{
	if (nominal_ms < BACKOFF_MIN_MS)
		return BACKOFF_MIN_MS;
	return nominal_ms >= BACKOFF_MAX_MS / 2 ? BACKOFF_MAX_MS : nominal_ms * 2;
}

/*
 * The wait for a nominal delay: a random point in its upper half, so
 * that agents cut off together do not come back in step.
 */
unsigned int backoff_jitter(unsigned int nominal_ms, unsigned int rnd)
{
	return nominal_ms / 2 + rnd % (nominal_ms / 2 + 1);
}

bool log_quiet;

void logmsg(const char *fmt, ...)
{
	va_list ap;

	if (log_quiet)
		return;
	fputs("op25b-agent: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}
