/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "op25bctl stats --prometheus [FILE] [label NAME=VALUE]...": the
 * Prometheus text format.
 */
#ifndef OP25BCTL_PROM_H
#define OP25BCTL_PROM_H

#include <stdio.h>

#include "status.h"

/*
 * Labels added to every sample: what tells apart the files of several
 * network namespaces in one node_exporter textfile directory.
 */
#define PROM_LABELS_MAX		8
#define PROM_LABEL_NAME_MAX	64
#define PROM_LABEL_VALUE_MAX	256

struct prom_labels {
	unsigned int n;
	/* name="escaped value",... (each value may grow 2x escaped) */
	char text[PROM_LABELS_MAX * (PROM_LABEL_NAME_MAX + 2 * PROM_LABEL_VALUE_MAX + 4)];
};

/*
 * Adds "NAME=VALUE" to @l: NAME as Prometheus wants it, not one of the
 * labels op25b writes itself; VALUE any text, escaped.  Returns 0, or -1
 * after printing why.
 */
int prom_label_add(struct prom_labels *l, const char *arg);

/* Every metric of @st, in the text exposition format 0.0.4; @l may be NULL. */
void prom_write(FILE *f, const struct status *st, const struct prom_labels *l);

/*
 * Writes them to @path atomically: to @path.tmp.PID in the same
 * directory, fsync, rename over @path; so a collector reading @path
 * (node_exporter's textfile collector) sees the old file or the new one,
 * never half of one.  Returns 0, or -1 after printing why.
 */
int prom_write_file(const char *path, const struct status *st,
		    const struct prom_labels *l);

#endif /* OP25BCTL_PROM_H */
