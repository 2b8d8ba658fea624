// SPDX-License-Identifier: GPL-2.0
/*
 * op25b.conf(5): parser and writer; see conf.h.
 *
 * The parser is one pass over the buffer, linear in its size: lines are
 * split in place, entries parsed into per-table batches, and duplicates
 * found afterwards by sorting each table and comparing neighbours.  It
 * stops at the first error, and a duplicate can only be reported once
 * both of its lines are read, so the duplicate check also runs over what
 * was read before an error: a duplicate found there lies on an earlier
 * line than the error, and is the one reported.
 */
#include <stdarg.h>
#include <string.h>

#include "../../src/op25b_parse.h"
#include "../../src/op25b_names.h"
#include "conf.h"
#include "entrytext.h"

#define STR_(x)	#x
#define STR(x)	STR_(x)

/* The most words a line can have: "log on rate R burst N privacy on". */
#define CONF_WORDS_MAX	20	/* log with every option: 14 */

const char *const conf_key_names[CONF_KEY_NR] = {
	[CONF_MODE]		= "mode",
	[CONF_ACTION]		= "action",
	[CONF_SCOPE]		= "scope",
	[CONF_REJECT_RATE]	= "reject-rate",
	[CONF_LOG]		= "log",
	[CONF_ALERT]		= "alert",
};

/* ---- settings ---- */

void settings_defaults(struct settings *s)
{
	struct op25b_settings d;
	int i;

	op25b_settings_default(&d);
	for (i = 0; i < __OP25B_SET_MAX; i++) {
		if (s->has & SET_BIT(i))
			continue;
		if (op25b_settings_map[i].string)
			op25b_setting_put_str(&s->v, i,
					      op25b_setting_str(&d, i));
		else
			op25b_setting_put(&s->v, i, op25b_setting_get(&d, i));
	}
	s->has = SET_ALL;
}

/* 1 to @max in decimal, without sign, blanks or leading zeros. */
static bool parse_decimal(const char *s, size_t len, uint32_t max,
			  uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (!len || len > 10 || s[0] == '0')
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

bool conf_parse_rate(const char *s, uint32_t *out)
{
	size_t len = strlen(s);

	if (len > 2 && !strcmp(s + len - 2, "/s"))
		len -= 2;
	return parse_decimal(s, len, OP25B_RATE_MAX, out);
}

bool conf_parse_count(const char *s, uint32_t *out)
{
	return parse_decimal(s, strlen(s), OP25B_RATE_MAX, out);
}

static int on_off(const char *w)
{
	if (!strcmp(w, "on"))
		return 1;
	if (!strcmp(w, "off"))
		return 0;
	return -1;
}

/* "enforce, monitor, off" */
static void names_list(const char *const *names, size_t n, char *buf,
		       size_t len)
{
	size_t i, k = 0;

	buf[0] = '\0';
	for (i = 0; i < n && k < len; i++)
		k += snprintf(buf + k, len - k, "%s%s", i ? ", " : "",
			      names[i]);
}

static int set_err(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int set_err(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* mode, action, scope: one name out of a table */
static int parse_choice(struct settings *s, enum conf_key key, char *const *w,
			int n, char *err, size_t errlen)
{
	static const struct {
		const char *const *names;
		size_t n;
		int bit;
	} t[] = {
		[CONF_MODE] = { op25b_mode_names, __OP25B_MODE_MAX, OP25B_SET_MODE },
		[CONF_ACTION] = { op25b_action_names, __OP25B_ACTION_MAX,
				  OP25B_SET_ACTION },
		[CONF_SCOPE] = { op25b_scope_names, __OP25B_SCOPE_MAX,
				 OP25B_SET_SCOPE },
	};
	const char *kw = conf_key_names[key];
	char names[128];
	int v;

	names_list(t[key].names, t[key].n, names, sizeof(names));
	if (n < 1)
		return set_err(err, errlen, "%s: missing value (%s)", kw,
			       names);
	v = value_of(t[key].names, t[key].n, w[0]);
	if (v < 0)
		return set_err(err, errlen, "unknown %s '%.64s' (%s)", kw, w[0],
			       names);
	if (n > 1)
		return set_err(err, errlen, "%s: unexpected '%.64s'", kw, w[1]);
	if (key == CONF_MODE)
		s->v.mode = v;
	else if (key == CONF_ACTION)
		s->v.action = v;
	else
		s->v.scope = v;
	s->has |= SET_BIT(t[key].bit);
	return 0;
}

/* 0 to @max in decimal, without sign, blanks or leading zeros. */
static bool parse_size(const char *s, uint32_t max, uint32_t *out)
{
	if (!strcmp(s, "0")) {
		*out = 0;
		return true;
	}
	return parse_decimal(s, strlen(s), max, out);
}

/*
 * NFLOG's options of log: group N|off (NFLOG on, in group N; or off),
 * prefix TEXT, snaplen BYTES.
 */
static int parse_nflog(struct settings *s, const char *kw, int bit,
		       const char *v, char *err, size_t errlen)
{
	uint32_t x;

	switch (bit) {
	case OP25B_SET_NFLOG:		/* group N|off */
		s->v.nflog = strcmp(v, "off") != 0;
		if (!s->v.nflog)
			return 0;
		if (!parse_size(v, 65535, &x))
			return set_err(err, errlen,
				       "%s: bad group '%.64s' (0-65535, or off)",
				       kw, v);
		s->v.nflog_group = x;
		s->has |= SET_BIT(OP25B_SET_NFLOG_GROUP);
		return 0;
	case OP25B_SET_NFLOG_PREFIX:
		if (!op25b_setting_str_valid(OP25B_SET_NFLOG_PREFIX, v))
			return set_err(err, errlen,
				       "%s: bad prefix '%.64s' (1-" STR(OP25B_NFLOG_PREFIX_MAX) " printable ASCII characters)",
				       kw, v);
		op25b_setting_put_str(&s->v, OP25B_SET_NFLOG_PREFIX, v);
		return 0;
	default:
		if (!parse_size(v, OP25B_NFLOG_SNAPLEN_MAX, &x))
			return set_err(err, errlen,
				       "%s: bad snaplen '%.64s' (0-" STR(OP25B_NFLOG_SNAPLEN_MAX) " bytes, 0: all)",
				       kw, v);
		s->v.nflog_snaplen = x;
		return 0;
	}
}

/* The option word @o of log (@with_log) or reject-rate: its setting. */
static int option_setting(const char *o, bool with_log)
{
	static const struct {
		const char *word;
		int id;
	} log_opts[] = {
		{ "burst", OP25B_SET_LOG_BURST },
		{ "rate", OP25B_SET_LOG_RATE },
		{ "privacy", OP25B_SET_LOG_PRIVACY },
		{ "group", OP25B_SET_NFLOG },
		{ "prefix", OP25B_SET_NFLOG_PREFIX },
		{ "snaplen", OP25B_SET_NFLOG_SNAPLEN },
	};
	size_t i;

	if (!with_log)
		return strcmp(o, "burst") ? -1 : OP25B_SET_REJECT_BURST;
	for (i = 0; i < ARRAY_SIZE(log_opts); i++)
		if (!strcmp(o, log_opts[i].word))
			return log_opts[i].id;
	return -1;
}

#define LOG_OPTIONS "rate RATE, burst N, privacy on|off, group N|off, prefix TEXT, snaplen BYTES"

/* The "NAME VALUE" options after reject-rate RATE and log [on|off]. */
static int parse_options(struct settings *s, const char *kw, char *const *w,
			 int n, bool with_log, char *err, size_t errlen)
{
	int i;

	for (i = 0; i < n; i += 2) {
		const char *o = w[i], *v = i + 1 < n ? w[i + 1] : NULL;
		int bit, onoff;
		uint32_t x;

		bit = option_setting(o, with_log);
		if (bit < 0)
			return set_err(err, errlen, "%s: unexpected '%.64s' (%s)",
				       kw, o, with_log ? LOG_OPTIONS : "burst N");
		if (s->has & SET_BIT(bit))
			return set_err(err, errlen, "%s: %s given twice", kw,
				       o);
		if (!v)
			return set_err(err, errlen, "%s: '%s' needs a value", kw,
				       o);
		switch (bit) {
		case OP25B_SET_NFLOG:
		case OP25B_SET_NFLOG_PREFIX:
		case OP25B_SET_NFLOG_SNAPLEN:
			if (parse_nflog(s, kw, bit, v, err, errlen))
				return -1;
			break;
		case OP25B_SET_LOG_PRIVACY:
			onoff = on_off(v);
			if (onoff < 0)
				return set_err(err, errlen,
					       "%s: bad privacy '%.64s' (on, off)",
					       kw, v);
			s->v.log_privacy = onoff;
			break;
		case OP25B_SET_LOG_RATE:
			if (!conf_parse_rate(v, &x))
				goto bad_rate;
			s->v.log_rate = x;
			break;
		default:
			if (!conf_parse_count(v, &x))
				return set_err(err, errlen,
					       "%s: bad burst '%.64s' (1-" STR(OP25B_RATE_MAX) ")",
					       kw, v);
			if (bit == OP25B_SET_LOG_BURST)
				s->v.log_burst = x;
			else
				s->v.reject_burst = x;
			break;
		}
		s->has |= SET_BIT(bit);
	}
	return 0;
bad_rate:
	return set_err(err, errlen,
		       "%s: bad rate '%.64s' (N/s or N, 1-" STR(OP25B_RATE_MAX) ")",
		       kw, w[i + 1]);
}

/* "off", or "ATTEMPTS per SECONDS" (seconds as N or Ns). */
static int parse_alert(struct settings *s, const char *kw, char *const *w,
		       int n, char *err, size_t errlen)
{
	uint32_t attempts, secs;
	size_t len;

	if (n == 1 && !strcmp(w[0], "off")) {
		s->v.alert_attempts = 0;
		s->has |= SET_BIT(OP25B_SET_ALERT_ATTEMPTS);
		return 0;
	}
	if (n != 3 || strcmp(w[1], "per"))
		return set_err(err, errlen,
			       "%s: ATTEMPTS per SECONDS, or off", kw);
	if (!conf_parse_count(w[0], &attempts))
		return set_err(err, errlen,
			       "%s: bad ATTEMPTS '%.64s' (1-" STR(OP25B_RATE_MAX) ")",
			       kw, w[0]);
	len = strlen(w[2]);
	if (len > 1 && w[2][len - 1] == 's')
		len--;
	if (!parse_decimal(w[2], len, OP25B_ALERT_SECONDS_MAX, &secs))
		return set_err(err, errlen,
			       "%s: bad SECONDS '%.64s' (1-" STR(OP25B_ALERT_SECONDS_MAX) ", as N or Ns)",
			       kw, w[2]);
	s->v.alert_attempts = attempts;
	s->v.alert_seconds = secs;
	s->has |= SET_BIT(OP25B_SET_ALERT_ATTEMPTS) |
		  SET_BIT(OP25B_SET_ALERT_SECONDS);
	return 0;
}

int settings_parse(struct settings *s, enum conf_key key, char *const *w,
		   int n, bool partial, char *err, size_t errlen)
{
	const char *kw = conf_key_names[key];
	uint32_t x;
	int onoff;

	switch (key) {
	case CONF_MODE:
	case CONF_ACTION:
	case CONF_SCOPE:
		return parse_choice(s, key, w, n, err, errlen);
	case CONF_REJECT_RATE:
		if (n < 1)
			return set_err(err, errlen, "%s: missing RATE", kw);
		if (!conf_parse_rate(w[0], &x))
			return set_err(err, errlen,
				       "%s: bad rate '%.64s' (N/s or N, 1-" STR(OP25B_RATE_MAX) ")",
				       kw, w[0]);
		s->v.reject_rate = x;
		s->has |= SET_BIT(OP25B_SET_REJECT_RATE);
		return parse_options(s, kw, w + 1, n - 1, false, err, errlen);
	case CONF_LOG:
		onoff = n ? on_off(w[0]) : -1;
		if (onoff >= 0) {
			s->v.log = onoff;
			s->has |= SET_BIT(OP25B_SET_LOG);
			w++;
			n--;
		} else if (!partial) {
			return set_err(err, errlen, "%s: missing on|off", kw);
		} else if (!n) {
			return set_err(err, errlen,
				       "%s: nothing to set (on, off, " LOG_OPTIONS ")",
				       kw);
		}
		return parse_options(s, kw, w, n, true, err, errlen);
	case CONF_ALERT:
		return parse_alert(s, kw, w, n, err, errlen);
	default:
		return set_err(err, errlen, "unknown setting");
	}
}

/* ---- words ---- */

/* The module's rules (op25b_comment_check()), in op25bctl's words. */
const char *conf_comment_check(const char *s)
{
	if (!*s)
		return "empty comment";
	switch (op25b_comment_check(s)) {
	case OP25B_COMMENT_OK:
		return NULL;
	case OP25B_COMMENT_LONG:
		return "comment longer than " STR(OP25B_COMMENT_MAX) " bytes";
	case OP25B_COMMENT_UTF8:
		return "comment is not valid UTF-8";
	case OP25B_COMMENT_CONTROL:
		break;
	}
	return "comment contains a control character";
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Unquotes the word at @p (its opening quote) in place; *end after it. */
static const char *unquote(char *p, char **end)
{
	char *d = p, *r = p + 1;

	for (;;) {
		if (!*r)
			return "unterminated quoted word";
		if (*r == '"')
			break;
		if (*r == '\\') {
			if (r[1] != '"' && r[1] != '\\')
				return "bad escape in a quoted word (only \\\" and \\\\)";
			r++;
		}
		*d++ = *r++;
	}
	r++;
	if (*r && !is_blank(*r))
		return "no blank after a closing quote";
	*d = '\0';	/* d < r: the closing quote at the latest */
	*end = r;
	return NULL;
}

int conf_split(char *line, char **w, int max, bool iif_literal,
	       const char **why)
{
	char *p = line;
	int n = 0;

	for (;;) {
		bool literal = iif_literal && n == 1 && !strcmp(w[0], "iif");

		while (is_blank(*p))
			p++;
		if (!*p || (*p == '#' && !literal))
			return n;
		if (n == max) {
			*why = "too many words";
			return -1;
		}
		w[n++] = p;
		if (*p == '"') {
			*why = unquote(p, &p);
			if (*why)
				return -1;
			continue;
		}
		while (*p && !is_blank(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
}

/* ---- the parser ---- */

void conf_init(struct conf *c)
{
	int t;

	memset(c, 0, sizeof(*c));
	for (t = 0; t < __OP25B_TABLE_MAX; t++)
		batch_init(&c->t[t], t, "");
}

void conf_free(struct conf *c)
{
	int t;

	for (t = 0; t < __OP25B_TABLE_MAX; t++)
		batch_free(&c->t[t]);
}

static int conf_fail(struct conf *c, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int conf_fail(struct conf *c, uint32_t line, const char *fmt, ...)
{
	va_list ap;
	int k;

	k = snprintf(c->err, sizeof(c->err), "%s:%u: ", c->name, line);
	va_start(ap, fmt);
	if (k > 0 && (size_t)k < sizeof(c->err))
		vsnprintf(c->err + k, sizeof(c->err) - k, fmt, ap);
	va_end(ap);
	c->err_line = line;
	return -1;
}

bool conf_is_entry_opt(const char *w)
{
	return !strcmp(w, "timeout") || !strcmp(w, "expires") ||
	       !strcmp(w, "comment");
}

static int opt_duration(const char *kw, const char *v, uint32_t *out,
			char *why, size_t len)
{
	const char *err = op25b_parse_duration(v, strlen(v), out);

	if (err)
		snprintf(why, len, "%s '%.32s': %s", kw, v, err);
	return err ? -1 : 0;
}

int conf_entry_opts(char *const *w, int n, bool iif, struct entry_opts *o,
		    char *why, size_t len)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 0; i < n; i += 2) {
		const char *kw = w[i], *err;
		bool seen;

		if (!conf_is_entry_opt(kw)) {
			snprintf(why, len, "unexpected '%.64s' (timeout, expires or comment?)",
				 kw);
			return -1;
		}
		seen = kw[0] == 't' ? o->timeout : kw[0] == 'e' ? o->left :
		       o->comment != NULL;
		if (i + 1 == n) {
			snprintf(why, len, "%s needs a %s", kw,
				 kw[0] == 'c' ? "TEXT" : "DURATION");
			return -1;
		}
		if (seen) {
			snprintf(why, len, "%s given twice", kw);
			return -1;
		}
		if (kw[0] == 'c') {
			err = conf_comment_check(w[i + 1]);
			if (err) {
				snprintf(why, len, "%s", err);
				return -1;
			}
			o->comment = w[i + 1];
		} else if (opt_duration(kw, w[i + 1], kw[0] == 't' ?
					&o->timeout : &o->left, why, len)) {
			return -1;
		}
	}
	if (o->left && !o->timeout)
		snprintf(why, len, "expires needs a timeout");
	else if (o->left > o->timeout)
		snprintf(why, len, "expires is longer than the timeout");
	else if (o->timeout && iif)
		snprintf(why, len, "interface entries cannot have a timeout");
	else
		return 0;
	return -1;
}

void entry_opts_apply(const struct entry_opts *o, struct op25b_entry *e)
{
	e->comment = o->comment;
	e->timeout = o->timeout;
	e->left = o->left;
}

/* TABLE ENTRY [OPTIONS], TABLE iif NAME [comment TEXT] */
static int conf_entry(struct conf *c, enum op25b_table_id t, char **w,
		      int n, uint32_t line)
{
	const char *tn = op25b_table_names[t], *why;
	struct batch_src s = { .file = c->name, .line = line };
	enum op25b_parse_err perr;
	char err[CONF_ERR_MAX / 2];
	struct entry_opts o;
	struct op25b_entry e;
	int i = 1;

	if (!n)
		return conf_fail(c, line, "%s: missing entry (PREFIX, ADDRESS%s)",
				 tn, t == OP25B_TABLE_SUBSCRIBER ?
				 " or iif NAME" : "");
	s.iif = !strcmp(w[0], "iif");
	if (s.iif) {
		if (n < 2)
			return conf_fail(c, line, "%s iif: missing interface name",
					 tn);
		i = 2;
	}
	s.text = w[i - 1];
	if (conf_entry_opts(w + i, n - i, s.iif, &o, err, sizeof(err)))
		return conf_fail(c, line, "%s %s%.64s: %s", tn,
				 s.iif ? "iif " : "", s.text, err);
	if (s.iif) {
		why = t == OP25B_TABLE_SUBSCRIBER ?
			entry_parse_ifname(s.text, &e) :
			"interface entries are only valid in the subscriber table";
	} else {
		perr = op25b_parse_prefix(s.text, strlen(s.text), &e);
		why = perr ? op25b_parse_strerror(perr) : NULL;
	}
	if (why)
		return conf_fail(c, line, "%s %s%.64s: %s", tn,
				 s.iif ? "iif " : "", s.text, why);
	entry_opts_apply(&o, &e);
	if (batch_push(&c->t[t], &e, &s))
		return conf_fail(c, line, "out of memory");
	return 0;
}

static int conf_line(struct conf *c, char *line, uint32_t lineno)
{
	char *w[CONF_WORDS_MAX], err[CONF_ERR_MAX];
	const char *why;
	int n, k;

	n = conf_split(line, w, CONF_WORDS_MAX, false, &why);
	if (n < 0)
		return conf_fail(c, lineno, "%s", why);
	if (!n)
		return 0;
	/* most lines are entries: try the tables first */
	k = value_of(op25b_table_names, __OP25B_TABLE_MAX, w[0]);
	if (k >= 0)
		return conf_entry(c, k, w + 1, n - 1, lineno);
	k = value_of(conf_key_names, CONF_KEY_NR, w[0]);
	if (k >= 0) {
		if (c->key_line[k])
			return conf_fail(c, lineno, "%s given twice (first on line %u)",
					 w[0], c->key_line[k]);
		c->key_line[k] = lineno;
		if (settings_parse(&c->set, k, w + 1, n - 1, false, err,
				   sizeof(err)))
			return conf_fail(c, lineno, "%s", err);
		return 0;
	}
	return conf_fail(c, lineno, "unknown keyword '%.64s'", w[0]);
}

/*
 * Sorts every table (the order the kernel wants anyway) and reports the
 * duplicate whose second occurrence comes first in the file, if any.
 * An entry's pos is its index in the order read, so within a table the
 * lowest pos is the earliest line.
 */
static int conf_dups(struct conf *c)
{
	const struct batch *best = NULL;
	uint32_t best1 = 0, best2 = 0;
	int t;

	for (t = 0; t < __OP25B_TABLE_MAX; t++) {
		struct batch *b = &c->t[t];
		uint32_t i = 0, j, first, second;

		if (b->n < 2)
			continue;
		qsort(b->e, b->n, sizeof(*b->e), op25b_entry_cmp);
		for (; i < b->n; i = j) {
			first = b->e[i].pos;
			second = UINT32_MAX;
			for (j = i + 1; j < b->n &&
			     !op25b_entry_cmp(&b->e[i], &b->e[j]); j++) {
				uint32_t p = b->e[j].pos;

				if (p < first) {
					second = first;
					first = p;
				} else if (p < second) {
					second = p;
				}
			}
			if (second == UINT32_MAX)
				continue;
			if (!best || b->src[second].line <
				     best->src[best2].line) {
				best = b;
				best1 = first;
				best2 = second;
			}
		}
	}
	if (!best)
		return 0;
	conf_fail(c, best->src[best2].line,
		  "%s %s%.64s: duplicate entry (first on line %u: %s%.64s)",
		  best->table, best->src[best2].iif ? "iif " : "",
		  best->src[best2].text, best->src[best1].line,
		  best->src[best1].iif ? "iif " : "", best->src[best1].text);
	return -1;
}

int conf_parse(struct conf *c, char *buf, size_t len, const char *name)
{
	char *line = buf, *end = buf + len, *le;
	uint32_t lineno = 0;
	int err = 0;

	c->name = name;
	buf[len] = '\0';
	while (line < end) {
		if (lineno == UINT32_MAX - 1) {
			err = conf_fail(c, lineno, "too many lines");
			break;
		}
		lineno++;
		le = memchr(line, '\n', (size_t)(end - line));
		if (!le)
			le = end;
		/* a NUL would silently cut a line short */
		if (memchr(line, '\0', (size_t)(le - line))) {
			err = conf_fail(c, lineno, "NUL byte in the file");
			break;
		}
		*le = '\0';
		if (conf_line(c, line, lineno)) {
			err = -1;
			break;
		}
		line = le + 1;
	}
	c->lines = lineno;
	if (conf_dups(c))
		err = -1;
	return err;
}

/* ---- the writer ---- */

static bool needs_quotes(const char *s, bool iif_literal)
{
	if (!*s || *s == '"' || (!iif_literal && *s == '#'))
		return true;
	for (; *s; s++) {
		if (is_blank(*s) || *s == '\n')
			return true;
		if (!iif_literal && (*s == '"' || *s == '\\'))
			return true;
	}
	return false;
}

void conf_put_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void conf_put_word(FILE *f, const char *s, bool iif_literal)
{
	if (needs_quotes(s, iif_literal))
		conf_put_quoted(f, s);
	else
		fputs(s, f);
}

void conf_put_entry(FILE *f, const struct op25b_entry *e, bool list)
{
	char buf[ENTRY_TEXT_MAX];

	if (e->kind == OP25B_KIND_IIF) {
		snprintf(buf, sizeof(buf), "%.*s", IFNAMSIZ, e->ifname);
		fputs("iif ", f);
		conf_put_word(f, buf, list);
	} else {
		entry_format(e, buf, sizeof(buf));
		fputs(buf, f);
	}
	if (e->timeout) {
		char d[OP25B_DURATION_MAX];

		op25b_format_duration(e->timeout, d);
		fprintf(f, " timeout %s", d);
		/* 0 left: due this second; "expires" would be out of range */
		op25b_format_duration(e->left ? e->left : 1, d);
		fprintf(f, " expires %s", d);
	}
	if (e->comment && e->comment[0]) {
		fputs(" comment ", f);
		conf_put_quoted(f, e->comment);
	}
}

/* A name, or the number when this tool does not know it. */
static void put_name(FILE *f, const char *kw, const char *const *names,
		     size_t n, unsigned int v)
{
	const char *s = name_of(names, n, v);

	if (s)
		fprintf(f, "%s %s\n", kw, s);
	else
		fprintf(f, "%s %u\n", kw, v);
}

/* Only while on: off is the default, and its options then mean nothing. */
static void put_nflog(FILE *f, const struct settings *s)
{
	if (!(s->has & SET_BIT(OP25B_SET_NFLOG)) || !s->v.nflog)
		return;
	fprintf(f, " group %u prefix ", s->v.nflog_group);
	conf_put_word(f, s->v.nflog_prefix, false);
	fprintf(f, " snaplen %u", s->v.nflog_snaplen);
}

void conf_put_settings(FILE *f, const struct settings *s)
{
	if (s->has & SET_BIT(OP25B_SET_MODE))
		put_name(f, "mode", op25b_mode_names, __OP25B_MODE_MAX,
			 s->v.mode);
	if (s->has & SET_BIT(OP25B_SET_ACTION))
		put_name(f, "action", op25b_action_names, __OP25B_ACTION_MAX,
			 s->v.action);
	if (s->has & SET_BIT(OP25B_SET_SCOPE))
		put_name(f, "scope", op25b_scope_names, __OP25B_SCOPE_MAX,
			 s->v.scope);
	if (s->has & SET_BIT(OP25B_SET_REJECT_RATE)) {
		fprintf(f, "reject-rate %u/s", s->v.reject_rate);
		if (s->has & SET_BIT(OP25B_SET_REJECT_BURST))
			fprintf(f, " burst %u", s->v.reject_burst);
		fputc('\n', f);
	}
	if (s->has & SET_BIT(OP25B_SET_LOG)) {
		fprintf(f, "log %s", s->v.log ? "on" : "off");
		if (s->has & SET_BIT(OP25B_SET_LOG_RATE))
			fprintf(f, " rate %u/s", s->v.log_rate);
		if (s->has & SET_BIT(OP25B_SET_LOG_BURST))
			fprintf(f, " burst %u", s->v.log_burst);
		if (s->has & SET_BIT(OP25B_SET_LOG_PRIVACY))
			fprintf(f, " privacy %s",
				s->v.log_privacy ? "on" : "off");
		put_nflog(f, s);
		fputc('\n', f);
	}
	if (s->has & SET_BIT(OP25B_SET_ALERT_ATTEMPTS)) {
		if (s->v.alert_attempts)
			fprintf(f, "alert %u per %us\n", s->v.alert_attempts,
				s->v.alert_seconds);
		else
			fputs("alert off\n", f);
	}
}

void conf_put(FILE *f, const struct settings *s,
	      const struct op25b_entry *const e[__OP25B_TABLE_MAX],
	      const uint32_t n[__OP25B_TABLE_MAX])
{
	uint32_t i;
	int t;

	conf_put_settings(f, s);
	for (t = 0; t < __OP25B_TABLE_MAX; t++) {
		if (n[t])
			fputc('\n', f);
		for (i = 0; i < n[t]; i++) {
			fputs(op25b_table_names[t], f);
			fputc(' ', f);
			conf_put_entry(f, &e[t][i], false);
			fputc('\n', f);
		}
	}
}
