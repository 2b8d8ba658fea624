// SPDX-License-Identifier: GPL-2.0
/*
 * op25bctl: control tool for op25b, Outbound Port 25 Blocking.
 *
 * Argument handling: options may appear anywhere (before or after the
 * command), so a pre-pass takes them out and leaves the command words in
 * order.  It knows the global options; the rest comes from the command's
 * registry entry (cmd.c): the words its next word is a value of, never an
 * option (-f FILE), and its own option (load --check), which the other
 * commands refuse.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

struct cmdline {
	struct opts o;
	bool help, version;
	const struct command *cmd;	/* argv[0]'s, if it is one */
	int argc;
	char **argv;			/* the command words */
	int nown;
	char **own;			/* commands' own options, maybe not its */
};

/* The global options, and any command's own option, kept for later. */
static int scan_option(struct cmdline *c, char *w)
{
	if (!strcmp(w, "-j") || !strcmp(w, "--json"))
		c->o.json = true;
	else if (!strcmp(w, "-h") || !strcmp(w, "--help"))
		c->help = true;
	else if (!strcmp(w, "--version"))
		c->version = true;
	else if (cmd_option_owner(w))
		c->own[c->nown++] = w;	/* maybe before the command */
	else
		return usage_err("unknown option '%s'", w);
	return EXIT_OK;
}

static void add_word(struct cmdline *c, char *w)
{
	if (!c->argc)
		c->cmd = cmd_find(w);
	c->argv[c->argc++] = w;
}

/* Splits argv into options and command words; "--" ends the options. */
static int scan_args(struct cmdline *c, int argc, char **argv)
{
	bool opts_done = false;
	int i;

	c->argv = calloc(argc + 1, sizeof(*c->argv));
	c->own = calloc(argc + 1, sizeof(*c->own));
	if (!c->argv || !c->own) {
		err_msg("out of memory");
		return EXIT_ERR;
	}
	for (i = 1; i < argc; i++) {
		char *w = argv[i];

		if (!opts_done && !strcmp(w, "--")) {
			opts_done = true;
		} else if (!opts_done && c->argc &&	/* after the command */
			   cmd_takes_value(c->cmd, w)) {
			add_word(c, w);
			if (i + 1 < argc)
				add_word(c, argv[++i]);
		} else if (!opts_done && w[0] == '-' && w[1]) {
			if (scan_option(c, w))
				return EXIT_ERR;
		} else {
			add_word(c, w);
		}
	}
	return EXIT_OK;
}

/* "help", "CMD help", "CMD add help": the word help, where not a value. */
static bool wants_help(const struct cmdline *c)
{
	int i;

	if (c->argc && !strcmp(c->argv[0], "help"))
		return true;
	for (i = 1; i < c->argc; i++) {
		if (cmd_takes_value(c->cmd, c->argv[i]))
			i++;
		else if (!strcmp(c->argv[i], "help"))
			return true;
	}
	return false;
}

/* Another command's own option is an error; the command's own is set. */
static int own_options(struct cmdline *c)
{
	const struct command *owner;
	int i;

	for (i = 0; i < c->nown; i++) {
		owner = cmd_option_owner(c->own[i]);
		if (owner != c->cmd)
			return usage_err("%s belongs to %s", c->own[i],
					 owner->name);
		c->o.option = true;
	}
	return EXIT_OK;
}

static int run(struct cmdline *c)
{
	if (c->version) {
		printf("op25bctl %s (generic netlink family %s, version %d)\n",
		       OP25BCTL_VERSION, OP25B_GENL_NAME, OP25B_GENL_VERSION);
		return EXIT_OK;
	}
	if (c->help || wants_help(c))
		return cmd_help(&c->o, c->argc, c->argv);
	if (!c->argc)
		return usage_err("missing command");
	if (own_options(c))
		return EXIT_ERR;
	if (!c->cmd)
		return cmd_unknown(c->argc, c->argv);
	return cmd_run(c->cmd, &c->o, c->argc, c->argv);
}

int main(int argc, char **argv)
{
	struct cmdline c = { 0 };
	int ret;

	ret = scan_args(&c, argc, argv);
	if (!ret)
		ret = run(&c);
	free(c.argv);
	free(c.own);
	/* output lost to a full disk or closed pipe is a failure too */
	if (fflush(stdout) || ferror(stdout)) {
		err_msg("write error: %s", strerror(errno));
		ret = EXIT_ERR;
	}
	return ret;
}
