// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus text format of GET_STATUS: every counter per family, table
 * sizes, mode, action, scope and generation.  Metric names are fixed by
 * the spelling of the counters in src/op25b_names.c: op25b_NAME_total.
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


static void prom_head(FILE *f, const char *name, const char *type,
		      const char *help)
{
	fprintf(f, "# HELP op25b_%s %s\n# TYPE op25b_%s %s\n", name, help,
		name, type);
}

/* One gauge line per name, 1 for @cur: op25b_mode{mode="enforce"} 1. */
static void prom_enum(FILE *f, const char *name, const char *help,
		      const char *const *names, size_t n, unsigned int cur)
{
	size_t i;

	prom_head(f, name, "gauge", help);
	for (i = 0; i < n; i++)
		fprintf(f, "op25b_%s{%s=\"%s\"} %d\n", name, name, names[i],
			i == cur);
}

void prom_write(FILE *f, const struct status *st)
{
	static const char *const fam[FAM_NR] = { "ipv4", "ipv6" };
	char name[64];
	int i, k;

	for (i = 0; i < __OP25B_CNT_MAX; i++) {
		snprintf(name, sizeof(name), "%s_total", op25b_counter_names[i]);
		prom_head(f, name, "counter", op25b_counter_help[i]);
		for (k = 0; k < FAM_NR; k++)
			fprintf(f, "op25b_%s{family=\"%s\"} %" PRIu64 "\n",
				name, fam[k], st->c.v[k][i]);
	}
	prom_head(f, "table_entries", "gauge", "Entries in each table.");
	for (i = 0; i < __OP25B_TABLE_MAX; i++) {
		const struct tinfo *t = &st->t[i];
		const char *tn = op25b_table_names[i];

		if (!t->present)
			continue;
		fprintf(f, "op25b_table_entries{table=\"%s\",family=\"ipv4\"} %" PRIu32 "\n"
			"op25b_table_entries{table=\"%s\",family=\"ipv6\"} %" PRIu32 "\n"
			"op25b_table_entries{table=\"%s\",family=\"iif\"} %" PRIu32 "\n",
			tn, t->ipv4, tn, t->ipv6, tn, t->iif);
	}
	prom_head(f, "table_limit", "gauge",
		  "Bound on the entries of each table (module parameter table_max).");
	for (i = 0; i < __OP25B_TABLE_MAX; i++)
		if (st->t[i].present)
			fprintf(f, "op25b_table_limit{table=\"%s\"} %" PRIu32 "\n",
				op25b_table_names[i], st->t[i].max);
	prom_enum(f, "mode", "The mode: 1 for the current one.",
		  op25b_mode_names, __OP25B_MODE_MAX, st->mode);
	if (st->set.has & SET_BIT(OP25B_SET_ACTION))
		prom_enum(f, "action",
			  "What enforce mode does with a blocked packet: 1 for the current action.",
			  op25b_action_names, __OP25B_ACTION_MAX,
			  st->set.v.action);
	if (st->set.has & SET_BIT(OP25B_SET_SCOPE))
		prom_enum(f, "scope",
			  "Which destinations are policed: 1 for the current scope.",
			  op25b_scope_names, __OP25B_SCOPE_MAX, st->set.v.scope);
	prom_head(f, "generation", "gauge",
		  "Configuration generation, bumped by every change.");
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

int prom_write_file(const char *path, const struct status *st)
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
	prom_write(f, st);
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
