/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The command registry (cmd.c): one entry per command, with everything
 * about it that is not its work: its name, its function or its verbs, its
 * lines of the usage, its help text, the words it takes a value after and
 * its own option.  main.c dispatches from it, "op25bctl help" prints from
 * it, and test_docs checks op25bctl(8) and the bash completion against it.
 */
#ifndef OP25BCTL_CMD_H
#define OP25BCTL_CMD_H

#include "op25bctl.h"

/* A command, or a verb of one; argv[0] is the command word. */
typedef int cmd_fn(const struct opts *o, int argc, char **argv);

/* One line of the usage: "op25bctl SYNOPSIS    SUMMARY". */
struct usage_line {
	const char *synopsis;		/* after "op25bctl " */
	const char *summary;		/* or NULL */
};

/* The second word of a command that has them: "subscriber add". */
struct verb {
	const char *name;
	cmd_fn *fn;			/* argv[0] the command, argv[1] the verb */
};

struct command {
	/*
	 * Its word; or, for a command that several words run (the tables),
	 * what the usage calls it (TABLE), the words being in names.
	 */
	const char *name;
	const char *const *names;	/* ended by NULL, or NULL */
	cmd_fn *fn;			/* NULL when it has verbs */
	const struct verb *verbs;	/* ended by { NULL }, or NULL */
	const char *verb_kind;		/* a verb in messages: "command" */
	const struct usage_line *usage;	/* ended by { NULL } */
	const char *help;		/* "op25bctl NAME help", after the usage */
	/*
	 * Words whose next word is a value (-f FILE, comment TEXT), even if
	 * it looks like an option or like "help"; ended by NULL, or NULL.
	 */
	const char *const *values;
	const char *option;		/* its own option (--check), or NULL */
};

/* Every command, in the order of the usage; ended by an entry without name. */
extern const struct command commands[];

/* The command that the word @name runs, or NULL. */
const struct command *cmd_find(const char *name);
/* The command whose own option @w is, or NULL. */
const struct command *cmd_option_owner(const char *w);
/* Whether the word after @w is a value of @c; of any command if @c is NULL. */
bool cmd_takes_value(const struct command *c, const char *w);
/* A table command (subscriber, allow, ...): one with the table verbs. */
bool cmd_is_table(const struct command *c);

/* Runs @c on its words (argv[0] its name): its function, or its verb's. */
int cmd_run(const struct command *c, const struct opts *o, int argc,
	    char **argv);
/* The usage error for argv[0], which is no command. */
int cmd_unknown(int argc, char **argv);

/*
 * "op25bctl help [TOPIC]", "op25bctl TOPIC help", -h: the usage, then the
 * topic's help; the topic is argv[0], or argv[1] after "help".
 */
int cmd_help(const struct opts *o, int argc, char **argv);

#endif /* OP25BCTL_CMD_H */
