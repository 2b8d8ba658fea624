// SPDX-License-Identifier: GPL-2.0
/*
 * op25bctl: control tool for op25b, Outbound Port 25 Blocking.
 *
 * Argument handling: global options may appear anywhere (before or after
 * the command), so a pre-pass takes them out and leaves the command words
 * in order.  The words after "-f", "iif" and "comment" are values, never
 * options.  --check (load) and --prometheus (stats) are options too, so
 * they may come anywhere; the commands they do not belong to refuse them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "op25bctl.h"

struct cmdline {
	struct opts o;
	bool help, version;
	int argc;
	char **argv;		/* the command words */
};

static bool takes_value(const char *w)
{
	return !strcmp(w, "-f") || !strcmp(w, "iif") || !strcmp(w, "comment");
}

static int scan_option(struct cmdline *c, const char *w)
{
	if (!strcmp(w, "-j") || !strcmp(w, "--json"))
		c->o.json = true;
	else if (!strcmp(w, "-h") || !strcmp(w, "--help"))
		c->help = true;
	else if (!strcmp(w, "--version"))
		c->version = true;
	else if (!strcmp(w, "--check"))
		c->o.check = true;
	else if (!strcmp(w, "--prometheus"))
		c->o.prometheus = true;
	else
		return usage_err("unknown option '%s'", w);
	return EXIT_OK;
}

/* Splits argv into options and command words; "--" ends the options. */
static int scan_args(struct cmdline *c, int argc, char **argv)
{
	bool opts_done = false;
	int i;

	c->argv = calloc(argc + 1, sizeof(*c->argv));
	if (!c->argv) {
		err_msg("out of memory");
		return EXIT_ERR;
	}
	for (i = 1; i < argc; i++) {
		char *w = argv[i];

		if (!opts_done && !strcmp(w, "--")) {
			opts_done = true;
		} else if (!opts_done && takes_value(w)) {
			c->argv[c->argc++] = w;
			if (i + 1 < argc)
				c->argv[c->argc++] = argv[++i];
		} else if (!opts_done && w[0] == '-' && w[1]) {
			if (scan_option(c, w))
				return EXIT_ERR;
		} else {
			c->argv[c->argc++] = w;
		}
	}
	return EXIT_OK;
}

/* "CMD help", "CMD add help": the word help, where it is not a value. */
static bool wants_help(const struct cmdline *c)
{
	int i;

	for (i = 1; i < c->argc; i++) {
		if (takes_value(c->argv[i]))
			i++;
		else if (!strcmp(c->argv[i], "help"))
			return true;
	}
	return false;
}

static bool is_table_verb(const char *w)
{
	return w && (!strcmp(w, "add") || !strcmp(w, "del") ||
		     !strcmp(w, "list") || !strcmp(w, "flush"));
}

static int unknown_command(const struct cmdline *c)
{
	/* "foo add 10.0.0.0/8" was meant as a table */
	if (c->argc > 1 && is_table_verb(c->argv[1]))
		return usage_err("unknown table '%s' (subscriber, allow, exempt, target)",
				 c->argv[0]);
	return usage_err("unknown command '%s'", c->argv[0]);
}

static int do_help(const struct cmdline *c)
{
	const char *topic;

	if (!c->argc)
		topic = NULL;
	else if (strcmp(c->argv[0], "help"))
		topic = c->argv[0];
	else
		topic = c->argc > 1 ? c->argv[1] : NULL;
	if (!help_topic_known(topic))
		return usage_err("unknown command '%s'", topic);
	help_print(stdout, topic && strcmp(topic, "help") ? topic : NULL);
	return EXIT_OK;
}

static const struct {
	const char *name;
	int (*fn)(const struct opts *o, int argc, char **argv);
} commands[] = {
	{ "status", cmd_status },
	{ "subscriber", cmd_table },
	{ "allow", cmd_table },
	{ "exempt", cmd_table },
	{ "target", cmd_table },
	{ "mode", cmd_mode },
	{ "action", cmd_action },
	{ "scope", cmd_scope },
	{ "set", cmd_set },
	{ "stats", cmd_stats },
	{ "check", cmd_check },
	{ "top", cmd_top },
	{ "save", cmd_save },
	{ "load", cmd_load },
};

static int dispatch(const struct cmdline *c)
{
	const char *cmd = c->argv[0];
	size_t i;

	if (c->o.check && strcmp(cmd, "load"))
		return usage_err("--check belongs to load");
	if (c->o.prometheus && strcmp(cmd, "stats"))
		return usage_err("--prometheus belongs to stats");
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(cmd, commands[i].name))
			return commands[i].fn(&c->o, c->argc, c->argv);
	return unknown_command(c);
}

static int run(const struct cmdline *c)
{
	if (c->version) {
		printf("op25bctl %s (generic netlink family %s, version %d)\n",
		       OP25BCTL_VERSION, OP25B_GENL_NAME, OP25B_GENL_VERSION);
		return EXIT_OK;
	}
	if (c->help || (c->argc && !strcmp(c->argv[0], "help")) ||
	    wants_help(c))
		return do_help(c);
	if (!c->argc)
		return usage_err("missing command");
	return dispatch(c);
}

int main(int argc, char **argv)
{
	struct cmdline c = { 0 };
	int ret;

	ret = scan_args(&c, argc, argv);
	if (!ret)
		ret = run(&c);
	free(c.argv);
	/* output lost to a full disk or closed pipe is a failure too */
	if (fflush(stdout) || ferror(stdout)) {
		err_msg("write error: %s", strerror(errno));
		ret = EXIT_ERR;
	}
	return ret;
}
