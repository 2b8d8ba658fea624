// SPDX-License-Identifier: GPL-2.0
/*
 * Gathering and checking entries.  Nothing reaches the kernel unless the
 * whole request is valid: a half-applied list of customer prefixes is
 * worse than none.
 */
#include <errno.h>
#include <string.h>

#include "../../src/op25b_parse.h"
#include "../../src/op25b_names.h"
#include "batch.h"
#include "conf.h"
#include "entrytext.h"

/* Past this many, more error lines only bury the first ones. */
#define BATCH_ERRS_SHOWN	20
/* Far above any table_max; keeps the arithmetic below in range. */
#define BATCH_MAX		(1U << 28)

void batch_init(struct batch *b, enum op25b_table_id table, const char *verb)
{
	memset(b, 0, sizeof(*b));
	b->table = op25b_table_names[table];
	b->verb = verb;
	b->allow_iif = table == OP25B_TABLE_SUBSCRIBER;
}

void batch_free(struct batch *b)
{
	unsigned int i;

	for (i = 0; i < b->nbufs; i++)
		free(b->bufs[i]);
	free(b->bufs);
	free(b->e);
	free(b->src);
	memset(b, 0, sizeof(*b));
}

/* "FILE:LINE: " for entries from files, "" for the command line. */
static void batch_where(const struct batch_src *s, char *buf, size_t len)
{
	if (s->file)
		snprintf(buf, len, "%s:%u: ", s->file, s->line);
	else
		buf[0] = '\0';
}

void batch_label(const struct batch *b, uint32_t pos, char *buf, size_t len)
{
	const struct batch_src *s = &b->src[pos];
	char where[512];

	batch_where(s, where, sizeof(where));
	snprintf(buf, len, "%s%s%s%s %s%s", where, b->table,
		 b->verb[0] ? " " : "", b->verb, s->iif ? "iif " : "", s->text);
}

/* One error about one entry; counts them and keeps the output short. */
static void batch_error(struct batch *b, const struct batch_src *s,
			const char *why)
{
	char where[512];

	if (b->nerrs++ >= BATCH_ERRS_SHOWN)
		return;
	batch_where(s, where, sizeof(where));
	err_msg("%s%s%s%s%s%s%s: %s", where, b->table, b->verb[0] ? " " : "",
		b->verb, s->text[0] ? " " : "", s->iif ? "iif " : "", s->text,
		why);
}

static int batch_grow(struct batch *b)
{
	uint32_t cap = b->cap ? 2 * b->cap : 256;
	struct op25b_entry *e;
	struct batch_src *s;

	if (b->cap >= BATCH_MAX) {
		err_msg("%s %s: too many entries", b->table, b->verb);
		return -1;
	}
	e = realloc(b->e, cap * sizeof(*e));
	if (!e)
		goto nomem;
	b->e = e;
	s = realloc(b->src, cap * sizeof(*s));
	if (!s)
		goto nomem;
	b->src = s;
	b->cap = cap;
	return 0;
nomem:
	err_msg("out of memory");
	return -1;
}

int batch_push(struct batch *b, const struct op25b_entry *e,
	       const struct batch_src *s)
{
	if (b->n == b->cap && batch_grow(b))
		return -1;
	b->e[b->n] = *e;
	b->e[b->n].pos = b->n;
	b->src[b->n++] = *s;
	return 0;
}

/*
 * Adds one entry: @text is a prefix, or with @iif an interface pattern,
 * then the @n words of its options (conf_entry_opts(); del ignores
 * them, so that a line of "list" deletes its entry).  Returns -1 only
 * for fatal errors; a bad entry is counted in nerrs.
 */
static int batch_add(struct batch *b, const char *text, bool iif,
		     char *const *opts, int n, const char *file,
		     uint32_t line)
{
	struct batch_src s = { .text = text, .file = file, .line = line,
			       .iif = iif };
	enum op25b_parse_err perr;
	char err[256];
	struct entry_opts o;
	struct op25b_entry e;
	const char *why;

	if (iif) {
		why = b->allow_iif ? entry_parse_ifname(text, &e) :
			"interface entries are only valid in the subscriber table";
	} else {
		perr = op25b_parse_prefix(text, strlen(text), &e);
		why = perr ? op25b_parse_strerror(perr) : NULL;
	}
	if (!why && strcmp(b->verb, "del") &&
	    conf_entry_opts(opts, n, iif, &o, err, sizeof(err)))
		why = err;
	if (why) {
		batch_error(b, &s, why);
		return 0;
	}
	if (strcmp(b->verb, "del"))
		entry_opts_apply(&o, &e);
	return batch_push(b, &e, &s);
}

/* ---- files ---- */

static char *read_stream(FILE *f, size_t *len)
{
	size_t cap = 65536, n = 0, got;
	char *buf = malloc(cap), *nb;

	while (buf) {
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
		if (cap - n - 1 == 0) {
			nb = cap < SIZE_MAX / 2 ? realloc(buf, cap * 2) : NULL;
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (!buf)
		return NULL;
	buf[n] = '\0';
	*len = n;
	return buf;
}

char *file_read_all(const char *path, const char *name, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *buf;

	if (!f) {
		err_msg("%s: %s", name, strerror(errno));
		return NULL;
	}
	buf = read_stream(f, len);
	if (!buf)
		err_msg("%s: out of memory", name);
	else if (ferror(f)) {
		err_msg("%s: %s", name, strerror(errno));
		free(buf);
		buf = NULL;
	}
	if (f != stdin)
		fclose(f);
	return buf;
}

/*
 * One line of an "add -f" file: ENTRY or iif NAME, then maybe timeout,
 * expires and comment: what "list" prints.  Words and quoting as in op25b.conf(5),
 * except that '#' may start the NAME after iif: '#' is valid in an
 * interface name, and "list" prints "iif #x" for one.
 */
static int batch_line(struct batch *b, char *line, const char *name,
		      uint32_t lineno)
{
	struct batch_src s = { .text = "", .file = name, .line = lineno };
	const char *why = NULL;
	char *w[2 + ENTRY_OPTS_WORDS + 1];
	int n = conf_split(line, w, ARRAY_SIZE(w), true, &why), i;

	if (n == 0)
		return 0;
	if (n < 0) {
		batch_error(b, &s, why);
		return 0;
	}
	s.text = w[0];
	s.iif = !strcmp(w[0], "iif");
	i = s.iif ? 2 : 1;	/* the words of the entry */
	if (n < i) {
		s.iif = false;
		batch_error(b, &s, "missing interface name");
		return 0;
	}
	s.text = w[i - 1];
	return batch_add(b, s.text, s.iif, w + i, n - i, name, lineno);
}

static int batch_keep_buf(struct batch *b, char *buf)
{
	char **nb = realloc(b->bufs, (b->nbufs + 1) * sizeof(*nb));

	if (!nb) {
		free(buf);
		err_msg("out of memory");
		return -1;
	}
	b->bufs = nb;
	b->bufs[b->nbufs++] = buf;
	return 0;
}

static int batch_read_file(struct batch *b, const char *path)
{
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	char *buf, *line, *nl;
	uint32_t lineno = 0;
	size_t len;

	buf = file_read_all(path, name, &len);
	if (!buf || batch_keep_buf(b, buf))
		return -1;
	/* a NUL would silently cut an entry short: "10.0.0.0\0/8" */
	if (memchr(buf, '\0', len)) {
		lineno = 1;
		for (line = buf; line < (char *)memchr(buf, '\0', len); line++)
			lineno += *line == '\n';
		err_msg("%s:%u: NUL byte in the file", name, lineno);
		return -1;
	}
	for (line = buf; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (batch_line(b, line, name, ++lineno))
			return -1;
		if (!nl)
			break;
	}
	return 0;
}

/* ---- the command line ---- */

int batch_from_args(struct batch *b, int argc, char **argv)
{
	bool any = false;
	int i;

	for (i = 0; i < argc; i++) {
		const char *w = argv[i], *text = w;
		bool iif = !strcmp(w, "iif");
		int err, nopts = 0;

		if (!strcmp(w, "-f") || iif) {
			if (i + 1 == argc)
				return usage_err("%s %s: '%s' needs %s",
						 b->table, b->verb, w,
						 iif ? "a NAME" : "a FILE");
			text = argv[++i];
		} else if (conf_is_entry_opt(w)) {
			return usage_err("%s %s: '%s' must follow an entry",
					 b->table, b->verb, w);
		} else if (w[0] == '-') {
			return usage_err("%s %s: unknown option '%s'",
					 b->table, b->verb, w);
		}
		/* an entry's options: keyword and value pairs */
		while (w[0] != '-' && i + 1 + nopts < argc &&
		       conf_is_entry_opt(argv[i + 1 + nopts]))
			nopts += i + 2 + nopts < argc ? 2 : 1;
		if (w[0] == '-')
			err = batch_read_file(b, text);
		else
			err = batch_add(b, text, iif, argv + i + 1, nopts,
					NULL, 0);
		i += nopts;
		if (err)
			return EXIT_ERR;
		any = true;
	}
	if (!any)
		return usage_err("%s %s: no entries given", b->table, b->verb);
	if (b->nerrs > BATCH_ERRS_SHOWN)
		err_msg("... and %u more invalid entries",
			b->nerrs - BATCH_ERRS_SHOWN);
	if (b->nerrs) {
		if (b->nerrs > 1)
			err_msg("%u invalid entries; nothing was sent",
				b->nerrs);
		return EXIT_ERR;
	}
	return EXIT_OK;
}

/* The entry's spelling and place, to point at the first of two. */
static void batch_first(const struct batch *b, uint32_t pos, char *buf,
			size_t len)
{
	const struct batch_src *s = &b->src[pos];
	char where[512];

	batch_where(s, where, sizeof(where));
	snprintf(buf, len, "%s (first: %s%s%s)",
		 op25b_table_strerror(OP25B_TERR_DUPLICATE), where,
		 s->iif ? "iif " : "", s->text);
}

int batch_sort(struct batch *b)
{
	char why[768];
	uint32_t i;

	qsort(b->e, b->n, sizeof(*b->e), op25b_entry_cmp);
	for (i = 1; i < b->n; i++) {
		const struct op25b_entry *x = &b->e[i - 1], *y = &b->e[i];

		if (op25b_entry_cmp(x, y))
			continue;
		/* qsort is not stable: order the pair by position */
		if (x->pos > y->pos) {
			const struct op25b_entry *t = x;

			x = y;
			y = t;
		}
		batch_first(b, x->pos, why, sizeof(why));
		batch_error(b, &b->src[y->pos], why);
	}
	if (b->nerrs > BATCH_ERRS_SHOWN)
		err_msg("... and %u more duplicate entries",
			b->nerrs - BATCH_ERRS_SHOWN);
	return b->nerrs ? EXIT_ERR : EXIT_OK;
}
