/* SPDX-License-Identifier: GPL-2.0 */
/*
 * op25bctl: control tool for the op25b kernel module.
 * Declarations shared by the command files.
 */
#ifndef OP25BCTL_H
#define OP25BCTL_H

#include <stdbool.h>
#include <stdio.h>

#include "../../src/op25b_table.h"
#include "../../include/uapi/linux/op25b.h"

#ifndef OP25BCTL_VERSION
#define OP25BCTL_VERSION	"0.1"
#endif

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit codes; documented in "op25bctl help", scripts depend on them. */
enum {
	EXIT_OK		= 0,
	EXIT_BLOCKED	= 1,	/* check: blocked, or would be (monitor) */
	EXIT_ERR	= 2,
};

/* The options, after the pre-pass over argv in main.c. */
struct opts {
	bool json;
	/* the command's own option: load --check, stats --prometheus */
	bool option;
};

/* "op25bctl: <message>" on stderr. */
void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same plus the hint line; returns EXIT_ERR. */
int usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Name of value @v in one of the op25b_*_names tables, or NULL. */
const char *name_of(const char *const *names, size_t n, unsigned int v);
/* Value of @name in such a table, or -1. */
int value_of(const char *const *names, size_t n, const char *name);

/* The commands, registered in cmd.c. */
int cmd_status(const struct opts *o, int argc, char **argv);
int cmd_stats(const struct opts *o, int argc, char **argv);
int cmd_mode(const struct opts *o, int argc, char **argv);
int cmd_check(const struct opts *o, int argc, char **argv);
int cmd_action(const struct opts *o, int argc, char **argv);
int cmd_scope(const struct opts *o, int argc, char **argv);
int cmd_top(const struct opts *o, int argc, char **argv);
int cmd_save(const struct opts *o, int argc, char **argv);
int cmd_load(const struct opts *o, int argc, char **argv);
/* The verbs of the table commands (argv[1]: add, del, list, flush)... */
int cmd_table_add(const struct opts *o, int argc, char **argv);
int cmd_table_del(const struct opts *o, int argc, char **argv);
int cmd_table_list(const struct opts *o, int argc, char **argv);
int cmd_table_flush(const struct opts *o, int argc, char **argv);
/* ... and of set (argv[1]: reject-rate, log). */
int cmd_set_reject_rate(const struct opts *o, int argc, char **argv);
int cmd_set_log(const struct opts *o, int argc, char **argv);
int cmd_set_alert(const struct opts *o, int argc, char **argv);
int cmd_monitor(const struct opts *o, int argc, char **argv);

#endif /* OP25BCTL_H */
