/* SPDX-License-Identifier: GPL-2.0 */
/* "op25bctl stats --prometheus [FILE]": the Prometheus text format. */
#ifndef OP25BCTL_PROM_H
#define OP25BCTL_PROM_H

#include <stdio.h>

#include "status.h"

/* Every metric of @st, in the text exposition format 0.0.4. */
void prom_write(FILE *f, const struct status *st);

/*
 * Writes them to @path atomically: to @path.tmp.PID in the same
 * directory, fsync, rename over @path; so a collector reading @path
 * (node_exporter's textfile collector) sees the old file or the new one,
 * never half of one.  Returns 0, or -1 after printing why.
 */
int prom_write_file(const char *path, const struct status *st);

#endif /* OP25BCTL_PROM_H */
