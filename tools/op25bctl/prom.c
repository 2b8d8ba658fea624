// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus text format of GET_STATUS: every counter per family, table
 * sizes, mode, action, scope and generation.  Metric names are fixed by
 * the spelling of the counters in src/op25b_names.c: op25b_NAME_total.
 * Labels the caller adds (label netns=gw1) come first in every sample.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/op25b_names.h"
#include "prom.h"

/* The labels op25b writes itself: a caller's label must not clash. */
static const char *const own_labels[] = {
	"family", "table", "mode", "action", "scope",
};

static bool label_name_ok(const char *name, size_t len)
{
	size_t i;

	if (!len || len > PROM_LABEL_NAME_MAX ||
	    (name[0] >= '0' && name[0] <= '9'))
		return false;
	for (i = 0; i < len; i++)
		if (!(name[i] == '_' || (name[i] >= '0' && name[i] <= '9') ||
		      (name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= 'A' && name[i] <= 'Z')))
			return false;
	return true;
}

int prom_label_add(struct prom_labels *l, const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t nlen = eq ? (size_t)(eq - arg) : 0, at = strlen(l->text), i;
	const char *v;

	if (!eq || !label_name_ok(arg, nlen)) {
		err_msg("label '%s': NAME=VALUE, NAME of letters, digits and _ (at most %d), not starting with a digit",
			arg, PROM_LABEL_NAME_MAX);
		return -1;
	}
	if (nlen >= 2 && arg[0] == '_' && arg[1] == '_') {
		err_msg("label '%.*s': names starting with __ are Prometheus' own",
			(int)nlen, arg);
		return -1;
	}
	for (i = 0; i < ARRAY_SIZE(own_labels); i++)
		if (strlen(own_labels[i]) == nlen &&
		    !strncmp(arg, own_labels[i], nlen)) {
			err_msg("label '%s': op25b writes that label itself",
				own_labels[i]);
			return -1;
		}
	if (strlen(eq + 1) > PROM_LABEL_VALUE_MAX) {
		err_msg("label %.*s: the value is longer than %d bytes",
			(int)nlen, arg, PROM_LABEL_VALUE_MAX);
		return -1;
	}
	if (l->n == PROM_LABELS_MAX) {
		err_msg("at most %d labels", PROM_LABELS_MAX);
		return -1;
	}
	at += sprintf(l->text + at, "%s%.*s=\"", l->n ? "," : "", (int)nlen,
		      arg);
	for (v = eq + 1; *v; v++) {
		if (*v == '\\' || *v == '"')
			l->text[at++] = '\\';
		if (*v == '\n') {
			l->text[at++] = '\\';
			l->text[at++] = 'n';
			continue;
		}
		l->text[at++] = *v;
	}
	l->text[at++] = '"';
	l->text[at] = '\0';
	l->n++;
	return 0;
}

static void prom_head(FILE *f, const char *name, const char *type,
		      const char *help)
{
	fprintf(f, "# HELP op25b_%s %s\n# TYPE op25b_%s %s\n", name, help,
		name, type);
}

/* The caller's labels, then a comma when more follow. */
static const char *lead(const struct prom_labels *l)
{
	return l ? l->text : "";
}

static const char *comma(const struct prom_labels *l)
{
	return l && l->n ? "," : "";
}

/* One gauge line per name, 1 for @cur: op25b_mode{mode="enforce"} 1. */
static void prom_enum(FILE *f, const struct prom_labels *l, const char *name,
		      const char *help, const char *const *names, size_t n,
		      unsigned int cur)
{
	size_t i;

	prom_head(f, name, "gauge", help);
	for (i = 0; i < n; i++)
		fprintf(f, "op25b_%s{%s%s%s=\"%s\"} %d\n", name, lead(l),
			comma(l), name, names[i], i == cur);
}

static void prom_tables(FILE *f, const struct status *st,
			const struct prom_labels *l)
{
	static const char *const kind[] = { "ipv4", "ipv6", "iif" };
	uint32_t n[3];
	int i, k;

	prom_head(f, "table_entries", "gauge", "Entries in each table.");
	for (i = 0; i < __OP25B_TABLE_MAX; i++) {
		const struct tinfo *t = &st->t[i];

		if (!t->present)
			continue;
		n[0] = t->ipv4;
		n[1] = t->ipv6;
		n[2] = t->iif;
		for (k = 0; k < 3; k++)
			fprintf(f, "op25b_table_entries{%s%stable=\"%s\",family=\"%s\"} %" PRIu32 "\n",
				lead(l), comma(l), op25b_table_names[i],
				kind[k], n[k]);
	}
	prom_head(f, "table_limit", "gauge",
		  "Bound on the entries of each table (module parameter table_max).");
	for (i = 0; i < __OP25B_TABLE_MAX; i++)
		if (st->t[i].present)
			fprintf(f, "op25b_table_limit{%s%stable=\"%s\"} %" PRIu32 "\n",
				lead(l), comma(l), op25b_table_names[i],
				st->t[i].max);
}

void prom_write(FILE *f, const struct status *st, const struct prom_labels *l)
{
	static const char *const fam[FAM_NR] = { "ipv4", "ipv6" };
	char name[64];
	int i, k;

	for (i = 0; i < __OP25B_CNT_MAX; i++) {
		snprintf(name, sizeof(name), "%s_total", op25b_counter_names[i]);
		prom_head(f, name, "counter", op25b_counter_help[i]);
		for (k = 0; k < FAM_NR; k++)
			fprintf(f, "op25b_%s{%s%sfamily=\"%s\"} %" PRIu64 "\n",
				name, lead(l), comma(l), fam[k],
				st->c.v[k][i]);
	}
	prom_tables(f, st, l);
	prom_enum(f, l, "mode", "The mode: 1 for the current one.",
		  op25b_mode_names, __OP25B_MODE_MAX, st->mode);
	if (st->set.has & SET_BIT(OP25B_SET_ACTION))
		prom_enum(f, l, "action",
			  "What enforce mode does with a blocked packet: 1 for the current action.",
			  op25b_action_names, __OP25B_ACTION_MAX,
			  st->set.v.action);
	if (st->set.has & SET_BIT(OP25B_SET_SCOPE))
		prom_enum(f, l, "scope",
			  "Which destinations are policed: 1 for the current scope.",
			  op25b_scope_names, __OP25B_SCOPE_MAX, st->set.v.scope);
	prom_head(f, "generation", "gauge",
		  "Configuration generation, bumped by every change.");
	if (l && l->n)
		fprintf(f, "op25b_generation{%s} %" PRIu32 "\n", l->text,
			st->generation);
	else
		fprintf(f, "op25b_generation %" PRIu32 "\n", st->generation);
}

/* fsync of the directory, so the rename itself survives a crash. */
static void sync_dir(const char *path)
{
	char *copy = strdup(path);
	int fd;

	if (!copy)
		return;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

int prom_write_file(const char *path, const struct status *st,
		    const struct prom_labels *l)
{
	size_t len = strlen(path) + 32;
	char *tmp = malloc(len);
	FILE *f = NULL;
	int fd, err;

	if (!tmp) {
		err_msg("out of memory");
		return -1;
	}
	snprintf(tmp, len, "%s.tmp.%ld", path, (long)getpid());
	/* never through a symlink; a stale file of a dead process goes */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	if (fd < 0 && errno == EEXIST && !unlink(tmp))
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			  O_CLOEXEC, 0644);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		err_msg("%s: %s", tmp, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		return -1;
	}
	prom_write(f, st, l);
	err = fflush(f) || ferror(f) || fsync(fd);
	err = fclose(f) || err;
	if (err || rename(tmp, path)) {
		err_msg("%s: %s", err ? tmp : path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	sync_dir(path);
	free(tmp);
	return 0;
}
