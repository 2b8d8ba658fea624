/* SPDX-License-Identifier: GPL-2.0 */
/*
 * op25b.conf(5): the whole configuration of a namespace as text, which
 * "save" writes and "load" reads; and the quoting rules that "list" and
 * "add -f" share with it.
 *
 * Plain C, no libnl and no output of its own: the parser takes a buffer
 * and gives settings plus one entry batch per table, or the first error
 * as "FILE:LINE: message".  So it can be unit-tested and fuzzed alone
 * (with batch.c, entrytext.c, util.c and the shared src/op25b_*.c).
 *
 * The format, line by line ('#' starts a comment where it starts an
 * unquoted word; words are separated by blanks; "..." is one word that
 * may hold blanks and the escapes \" and \\):
 *
 *	mode enforce|monitor|off
 *	action drop|reject-tcp|reject-icmp
 *	scope all|targets
 *	reject-rate RATE [burst N]
 *	log on|off [rate RATE] [burst N] [privacy on|off]
 *	TABLE ENTRY [comment TEXT]	TABLE: subscriber, allow, exempt, target
 *					ENTRY: PREFIX, ADDRESS or iif NAME
 */
#ifndef OP25BCTL_CONF_H
#define OP25BCTL_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "batch.h"

#include "../../src/op25b_settings.h"

/*
 * The settings of a namespace, as the module has them (the map of
 * src/op25b_settings.c), and which of them were given: one bit each,
 * SET_BIT(enum op25b_setting_id).
 */
#define SET_BIT(s)	(1U << (s))
#define SET_ALL		(SET_BIT(__OP25B_SET_MAX) - 1)

struct settings {
	struct op25b_settings v;
	unsigned int has;
};

/* The setting keywords of the file; each may appear once. */
enum conf_key {
	CONF_MODE,
	CONF_ACTION,
	CONF_SCOPE,
	CONF_REJECT_RATE,
	CONF_LOG,
	CONF_ALERT,
	CONF_KEY_NR
};
extern const char *const conf_key_names[CONF_KEY_NR];

/* Fills every setting not in s->has with its default. */
void settings_defaults(struct settings *s);

/*
 * Parses the words after keyword @key into @s: "enforce", "1000/s burst
 * 5", "on rate 10/s privacy off".  For CONF_LOG, @partial allows leaving
 * out on|off ("op25bctl set log rate 5/s").  Each option at most once.
 * Returns 0, or -1 with the reason in @err.
 */
int settings_parse(struct settings *s, enum conf_key key, char *const *w,
		   int n, bool partial, char *err, size_t errlen);

/* "1000/s" or "1000": 1 to OP25B_RATE_MAX; burst the same range. */
bool conf_parse_rate(const char *s, uint32_t *out);
bool conf_parse_count(const char *s, uint32_t *out);

/*
 * NULL if @s may be an entry comment (1 to OP25B_COMMENT_MAX bytes of
 * UTF-8 without control characters), else why not.
 */
const char *conf_comment_check(const char *s);

/* What may follow an entry: see conf_entry_opts(). */
struct entry_opts {
	const char *comment;	/* NULL: none */
	uint32_t timeout;	/* seconds, 0: permanent */
	uint32_t left;		/* "expires": seconds left, 0: all */
};

#define ENTRY_OPTS_WORDS	6	/* each keyword once, with its value */

/* True when @w is one of the words conf_entry_opts() reads. */
bool conf_is_entry_opt(const char *w);

/*
 * Reads the @n words after an entry: timeout DURATION, expires DURATION
 * (with a timeout: what is left of it, as "save" writes it) and comment
 * TEXT, in any order, each at most once.  @iif: the entry is an
 * interface pattern, which cannot have a timeout.  Returns 0, or -1
 * with @why (of @len bytes) saying what is wrong.
 */
int conf_entry_opts(char *const *w, int n, bool iif, struct entry_opts *o,
		    char *why, size_t len);
/* Gives @e the options read. */
void entry_opts_apply(const struct entry_opts *o, struct op25b_entry *e);

/*
 * Splits @line (NUL terminated) in place into at most @max words,
 * unquoting quoted ones.  With @iif_literal (the "add -f" format), the
 * word after "iif" is never a comment: "iif #1" names an interface.
 * Returns the number of words; -1 with *why set if there are more than
 * @max or a quoted word is malformed.
 */
int conf_split(char *line, char **w, int max, bool iif_literal,
	       const char **why);

#define CONF_ERR_MAX	512

struct conf {
	struct settings set;
	uint32_t key_line[CONF_KEY_NR];	/* line of each keyword, 0: absent */
	struct batch t[__OP25B_TABLE_MAX];	/* sorted, without duplicates */
	const char *name;
	uint32_t lines;
	uint32_t err_line;		/* of the first error */
	char err[CONF_ERR_MAX];		/* "NAME:LINE: message" */
};

void conf_init(struct conf *c);
void conf_free(struct conf *c);

/*
 * Parses the @len bytes at @buf, which must have room for one more (a
 * NUL is written there).  @buf is modified in place and entries point
 * into it: it must outlive @c.  @name names the file in messages.
 * Returns 0, or -1 with c->err describing the first error in the file:
 * the one on the lowest line, a duplicate entry included.
 */
int conf_parse(struct conf *c, char *buf, size_t len, const char *name);

/*
 * Writing, with the quoting conf_split() reads back.
 * conf_put_word(): @s as one word, quoted only when needed; with
 * @iif_literal as "list" and "add -f" want it.
 */
void conf_put_word(FILE *f, const char *s, bool iif_literal);
void conf_put_quoted(FILE *f, const char *s);
/*
 * "ENTRY" or "iif NAME", then ' comment "TEXT"' if it has one: a line of
 * "list" (@list), or what follows the table keyword in the file.
 */
void conf_put_entry(FILE *f, const struct op25b_entry *e, bool list);
/* The setting lines for what s->has holds ("log" needs OP25B_SET_LOG). */
void conf_put_settings(FILE *f, const struct settings *s);
/*
 * The settings, then the tables in order, one "TABLE ENTRY ..." line
 * each, in the order given; a blank line before each non-empty table.
 */
void conf_put(FILE *f, const struct settings *s,
	      const struct op25b_entry *const e[__OP25B_TABLE_MAX],
	      const uint32_t n[__OP25B_TABLE_MAX]);

#endif /* OP25BCTL_CONF_H */
