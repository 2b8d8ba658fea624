// SPDX-License-Identifier: GPL-2.0
/*
 * The command registry: every command with its function or verbs, its
 * lines of the usage, its help text, the words it takes a value after and
 * its own option.  The usage is printed from it, the help topics are its
 * commands, and main.c dispatches through it.
 */
#include <string.h>

#include "cmd.h"

static const char general_text[] =
"\n"
"op25b blocks outbound SMTP (TCP port 25) from subscribers, except to the\n"
"allowlisted MTAs and from exempt sources.  All state belongs to the\n"
"network namespace op25bctl runs in (ip netns exec works as expected).\n"
"\n"
"tables:\n"
"  subscriber  sources that are policed: prefixes, or iif NAME patterns\n"
"  allow       destinations always reachable: the operator's own MTAs\n"
"  exempt      subscriber sources that are not policed\n"
"  target      with scope targets, the only destinations that are policed\n"
"\n"
"A packet is decided in this order: not TCP to port 25, mode off, source\n"
"not a subscriber, exempt, destination allowlisted, (scope targets)\n"
"destination not a target: it passes; otherwise it is blocked.\n"
"\n"
"options:\n"
"  -j, --json  one JSON document on stdout (status, list, stats, check, top);\n"
"              may come before or after the command\n"
"  -h, --help  this help, or the help of the command given\n"
"  --version   print the version\n"
"\n"
"Changing anything, listing tables and offenders (they name customers),\n"
"and check (a verdict tells table membership) need CAP_NET_ADMIN in the\n"
"user namespace that owns the network namespace; status and stats do not.\n"
"\n"
"exit status:\n"
"  0  success; for check: the packet passes\n"
"  1  check: the packet is blocked, or would be (monitor mode)\n"
"  2  error: bad usage, invalid entry or file, module not loaded, kernel\n"
"     refused\n";

static const char table_text[] =
"\n"
"ENTRY is a prefix (10.0.0.0/8, 2001:db8::/32) or an address (192.0.2.25,\n"
"taken as /32 or /128).  Host bits under the prefix length are an error,\n"
"not silently cleared.  In the subscriber table only, \"iif NAME\" matches\n"
"packets arriving on interface NAME; a trailing '+' matches any name with\n"
"that prefix (iif ppp+).  NAME has at most 15 characters.\n"
"\n"
"\"comment TEXT\" after an entry of \"add\" labels it (a customer, a\n"
"ticket): TEXT is one word (quote it in the shell), 1 to 64 bytes of\n"
"UTF-8 without control characters.  \"list\" and \"save\" show it; \"del\"\n"
"ignores it.\n"
"\n"
"\"timeout DURATION\" makes an entry temporary: the kernel removes it\n"
"when DURATION has passed (to the second).  DURATION as nft writes it:\n"
"90s, 30m, 24h, 7d, 1d12h (units d h m s, largest first), 1s to 365d.\n"
"\"expires DURATION\" (at most the timeout) is how much of it is left, as\n"
"\"list\" and \"save\" show it.  Adding an entry that has a timeout again\n"
"refreshes it (without a timeout: it becomes permanent); a permanent\n"
"entry cannot be added again.  Interface patterns do not expire.\n"
"\n"
"-f FILE reads entries from FILE (- for stdin), one per line in the same\n"
"spelling, each maybe followed by timeout, expires and comment TEXT,\n"
"where TEXT may be quoted as \"...\" with the escapes \\\" and \\\\; blank\n"
"lines are ignored, and so is the rest of a line from a word starting\n"
"with '#' (except the NAME after iif: \"iif #1\" is a name).  \"list\"\n"
"prints exactly this format, so its output can be fed back with \"add\n"
"-f\".  -f may be repeated and mixed with ENTRY words.  \"list -j\" gives\n"
"{\"table\", \"entries\": [...], \"comments\": {ENTRY: TEXT},\n"
"\"timeouts\": {ENTRY: {\"timeout\": SECONDS, \"expires\": SECONDS}}}.\n"
"\n"
"Every entry is checked before anything is sent: one invalid entry and\n"
"nothing changes.  Adding an entry already present, deleting one that is\n"
"absent, or naming one twice is an error.\n"
"\n"
"Large requests are split into several messages, sent in order: at most\n"
"4096 entries each, and no more than fit the 64 KiB netlink attribute\n"
"limit (about 3270 IPv4, 2040 IPv6 or 2730 interface entries).  The\n"
"kernel applies each message atomically, whole or not at all.  If a later\n"
"message fails, the earlier ones stay applied; op25bctl then says how many\n"
"entries were applied.  Entries are sent sorted, so those are the first\n"
"ones in \"list\" order.\n";

static const char mode_text[] =
"\n"
"  enforce  drop outbound SMTP from subscribers (the default after load)\n"
"  monitor  let it pass, but count what would have been dropped\n"
"  off      pass everything, count nothing\n";

static const char action_text[] =
"\n"
"What enforce mode does with a blocked packet:\n"
"  drop         drop it silently; the client retries until it times out\n"
"               (the default)\n"
"  reject-tcp   drop it and answer with a TCP RST: connection refused\n"
"  reject-icmp  drop it and answer with ICMP destination unreachable,\n"
"               communication administratively prohibited (ICMPv6:\n"
"               administratively prohibited)\n"
"Answers are rate limited per namespace (op25bctl set reject-rate); past\n"
"the limit a packet is only dropped and counted in reject_limited.\n"
"blocked counts every dropped packet, reject_sent those answered, and\n"
"reject_unanswerable those no answer can be made for (a RST, a fragment,\n"
"a bad checksum).  ICMP errors are further limited by the kernel\n"
"(net.ipv4.icmp_ratelimit, net.ipv6.icmp.ratelimit: about one a second\n"
"per subscriber by default).  The first reject action loads the kernel\n"
"modules nf_reject_ipv4 and nf_reject_ipv6.\n";

static const char scope_text[] =
"\n"
"Which destinations are policed:\n"
"  all      every destination that is not allowlisted (the default)\n"
"  targets  only those in the target table (op25bctl target add ...);\n"
"           the others pass and are counted in not_target\n"
"The allow table still wins over the target table.\n";

static const char set_text[] =
"\n"
"  set reject-rate RATE [burst N]\n"
"      answers of reject-tcp/reject-icmp per second, and back to back\n"
"      (default 1000/s, burst 5)\n"
"  set log [on|off] [rate RATE] [burst N] [privacy on|off]\n"
"      one kernel log line per blocked or monitored attempt, at most RATE\n"
"      per second after a burst of N (default: off, 10/s, burst 5,\n"
"      privacy on); past the rate, attempts are counted in log_suppressed.\n"
"      Outside the initial network namespace only while the host allows\n"
"      it (sysctl net.netfilter.nf_log_all_netns=1); all namespaces\n"
"      together write at most log_rate_max lines a second (module\n"
"      parameter, default 100).\n"
"      With privacy on, addresses are cut to /24 (IPv4) and /48 (IPv6):\n"
"          op25b: blocked TCP 10.10.0.0/24 -> 198.51.100.0/24:25 in=veth0\n"
"      At least one word; what is not given stays as it is.\n"
"  set log group N|off [prefix TEXT] [snaplen BYTES]\n"
"      each logged attempt, behind the same rate, also to nfnetlink_log\n"
"      group N (0-65535), so that ulogd2, \"tcpdump -i nflog:N\" or Suricata\n"
"      read it; \"group off\" stops that.  The prefix is \"TEXT blocked\" or\n"
"      \"TEXT monitored\" (TEXT: 1 to 31 printable ASCII characters,\n"
"      default op25b); snaplen bounds the bytes copied (0-65535, default 0:\n"
"      the whole packet).  With privacy on the packet logged is a copy\n"
"      whose addresses are cut as above.  NFLOG is the namespace's own\n"
"      and needs no nf_log_all_netns; kernel log lines stay as set.\n"
"  set alert ATTEMPTS per SECONDS | set alert off\n"
"      a source (an IPv4 address, an IPv6 /64) that makes ATTEMPTS\n"
"      blocked or monitored attempts within SECONDS (N or Ns, 1-86400)\n"
"      raises one alert for that window: an event in \"op25bctl monitor\n"
"      alerts\".  At most 4096 sources are followed, and 10 alerts a\n"
"      second leave a namespace (counted: alerts, alerts_suppressed).\n"
"      Default: off.\n"
"\n"
"RATE is N/s or N, N from 1 to 1000000; burst N from 1 to 1000000.\n"
"Every setting given in one command changes at once.\n";

static const char top_text[] =
"\n"
"The sources with most blocked (or, in monitor mode, would-be blocked)\n"
"attempts, most first: N of them (default 20).  One line each: rank,\n"
"source (an IPv4 address, or an IPv6 /64), attempts (packets), first and\n"
"last seen (UTC), an estimate of the distinct destinations.\n"
"\n"
"The kernel keeps a bounded number of sources per CPU (module parameter\n"
"offenders_max) with the Space-Saving algorithm: attempts is an upper\n"
"bound, at most error too high (error is in the JSON output, with the\n"
"total of attempts recorded and the slots), and every source with more\n"
"than total/slots attempts is listed.  \"top reset\" forgets them all.\n"
"Needs CAP_NET_ADMIN: sources name customers.\n";

static const char save_text[] =
"\n"
"Writes the namespace's whole configuration to stdout in the format of\n"
"op25b.conf(5), which \"load\" reads: a header comment, every setting\n"
"explicitly, then the entries of subscriber, allow, exempt and target,\n"
"each in list order, with their comments:\n"
"\n"
"    mode enforce\n"
"    action drop\n"
"    scope all\n"
"    reject-rate 1000/s burst 5\n"
"    log off rate 10/s burst 5 privacy on\n"
"\n"
"    subscriber 10.10.0.0/24 comment \"PPPoE pool 1\"\n"
"    subscriber iif \"#1\"\n"
"    allow 192.0.2.25/32\n"
"\n"
"save -> load -> save gives the same file but for the header line.\n"
"Needs CAP_NET_ADMIN: tables name customers.\n";

static const char load_text[] =
"\n"
"Replaces the namespace's whole configuration with FILE (- for stdin),\n"
"in the format \"save\" writes: settings the file leaves out take their\n"
"defaults, tables it leaves out end up empty.\n"
"\n"
"FILE is line oriented: blank lines are ignored, '#' starts a comment\n"
"where it starts a word outside quotes, words are separated by blanks,\n"
"and \"...\" is one word that may contain blanks and the escapes \\\" and \\\\.\n"
"  mode enforce|monitor|off\n"
"  action drop|reject-tcp|reject-icmp\n"
"  scope all|targets\n"
"  reject-rate RATE [burst N]\n"
"  log on|off [rate RATE] [burst N] [privacy on|off]\n"
"      [group N|off] [prefix TEXT] [snaplen BYTES]\n"
"  alert ATTEMPTS per SECONDS | alert off\n"
"  TABLE ENTRY [timeout DURATION [expires DURATION]] [comment TEXT]\n"
"                                    subscriber, allow, exempt, target\n"
"Each setting at most once, each entry at most once per table.\n"
"\n"
"The whole file is checked first: at the first error (unknown keyword,\n"
"bad value, invalid or duplicate entry, a setting given twice, a bad\n"
"comment) load prints FILE:LINE: message, exits 2 and changes nothing.\n"
"Then one kernel transaction stages the new configuration and swaps it\n"
"in at once: a packet sees the old configuration or the new one, never a\n"
"mix.  If anything fails, the transaction is aborted and nothing changes.\n"
"Only one transaction per namespace runs at a time.\n"
"\n"
"--check only validates FILE, without the kernel: exit 0 if it would\n"
"load, 2 with FILE:LINE: message if not.\n";

static const char stats_text[] =
"\n"
"Prints every counter as \"name total\", then \"name_ipv4 value\" and\n"
"\"name_ipv6 value\", as /proc/net/op25b/stats does.  \"stats reset\" sets\n"
"all counters to zero.\n"
"\n"
"counters (packets: every TCP/25 packet of a flow; attempts: connection\n"
"attempts, SYN without ACK):\n"
"  inspected            packets: TCP/25 from subscribers\n"
"  blocked              packets dropped\n"
"  monitored            packets that would have been dropped (monitor mode)\n"
"  allowed_mta          packets to an allowlisted MTA\n"
"  allowed_exempt       packets from an exempt source\n"
"  not_subscriber       TCP/25 packets from other sources\n"
"  reject_sent          dropped and answered (action reject-tcp/-icmp)\n"
"  reject_limited       dropped, answer suppressed by the reject rate\n"
"  not_target           passed: scope targets, destination not a target\n"
"  logged               attempts written to the kernel log\n"
"  log_suppressed       attempts not logged: log rate or global cap\n"
"  reject_unanswerable  dropped, no answer possible (RST, fragment,\n"
"                       bad checksum)\n"
"  attempts_blocked     connection attempts dropped\n"
"  attempts_monitored   connection attempts that would have been dropped\n"
"  nflogged             attempts sent to NFLOG\n"
"  alerts               offender alerts raised\n"
"  alerts_suppressed    offender alerts not sent: the alert rate\n"
"  expired              table entries removed by their timeout\n"
"\n"
"--prometheus prints them in the Prometheus text format instead\n"
"(op25b_NAME_total{family=\"ipv4\"}, with table sizes, mode and\n"
"generation as gauges); with FILE, writes FILE.tmp.PID beside it, syncs\n"
"it and renames it over FILE, so a collector never reads half a file.\n"
"Each \"label NAME=VALUE\" (at most 8) is added to every sample, first:\n"
"\"label netns=gw1\" keeps apart the files of several namespaces in one\n"
"node_exporter textfile directory (op25b-metrics(8) writes them so).\n";

static const char monitor_text[] =
"\n"
"Prints the module's events as they come, one line each (with -j one\n"
"JSON document per line), until interrupted; lines are flushed at once,\n"
"so that \"op25bctl monitor alerts | logger -t op25b\" works.\n"
"  config  every committed change: settings (old -> new), entries added\n"
"          or deleted, a table flushed, a load, counters or offenders\n"
"          reset; with the generation after it and who made it (pid,\n"
"          uid, netlink port).  A request that fails shows nothing.\n"
"          Entries that expired: \"gen 14 expire exempt 3 entries\".\n"
"  alerts  offender alerts (op25bctl set alert)\n"
"  all     both (the default)\n"
"    gen 12 set mode enforce -> monitor (pid 812 uid 0 port 812)\n"
"    gen 13 add allow 2 entries (pid 815 uid 0 port 815)\n"
"    alert 10.10.0.0/24 20 attempts in 60s in=ppp0 (block)\n"
"Needs CAP_NET_ADMIN; events never leave the namespace.  A reader that\n"
"falls behind loses events (said on stderr), never slows the kernel.\n";

static const char status_text[] =
"\n"
"Prints the mode, the generation (bumped by every change), the settings\n"
"(action, scope, reject-rate, log, nflog, alert, offenders slots per CPU;\n"
"\"transaction:\n"
"open\" while a load runs), the size of each table, the counter totals,\n"
"and a warning line for configurations that enforce nothing (mode off,\n"
"empty subscriber table, scope targets with an empty target table).\n";

static const char check_text[] =
"\n"
"Asks the kernel for the decision its packet hook would take for a TCP\n"
"packet from SRC to DST port PORT (default 25), arriving on interface\n"
"NAME if given, and explains it in one line.  SRC and DST are addresses\n"
"of the same family.  Exit status: 0 passes, 1 blocked or would be\n"
"(monitor mode), 2 error.  Needs CAP_NET_ADMIN: the answer tells\n"
"whether an address is in a table.\n";

/* ---- the registry ---- */

static const char *const table_names[] = {
	"subscriber", "allow", "exempt", "target", NULL
};

static const struct verb table_verbs[] = {
	{ "add", cmd_table_add },
	{ "del", cmd_table_del },
	{ "list", cmd_table_list },
	{ "flush", cmd_table_flush },
	{ NULL }
};

static const struct verb set_verbs[] = {
	{ "reject-rate", cmd_set_reject_rate },
	{ "log", cmd_set_log },
	{ "alert", cmd_set_alert },
	{ NULL }
};

/*
 * In the order of the usage.  The four tables are one command, TABLE in
 * the usage, that each of their names runs: the verbs find the table by
 * that name (argv[0]), which must be the kernel's (op25b_table_names).
 */
const struct command commands[] = {
	{
		.name	= "status",
		.fn	= cmd_status,
		.usage	= (const struct usage_line[]) {
			{ "[-j|--json] status",
			  "mode, settings, table sizes, counters, warnings" },
			{ NULL }
		},
		.help	= status_text,
	}, {
		.name	= "TABLE",
		.names	= table_names,
		.verbs	= table_verbs,
		.verb_kind = "command",
		.usage	= (const struct usage_line[]) {
			{ "TABLE add ENTRY [timeout DURATION] [comment TEXT]...",
			  "TABLE: subscriber | allow | exempt | target" },
			{ "TABLE del ENTRY...",
			  "ENTRY: PREFIX | ADDRESS (subscriber also: iif NAME)" },
			{ "TABLE add|del -f FILE",
			  "entries from FILE, or - for stdin" },
			{ "[-j] TABLE list", NULL },
			{ "TABLE flush", NULL },
			{ NULL }
		},
		.help	= table_text,
		/* "comment -x" is a comment, "-f help" a file named help */
		.values	= (const char *const[]) { "-f", "iif", "comment",
						  "timeout", "expires", NULL },
	}, {
		.name	= "mode",
		.fn	= cmd_mode,
		.usage	= (const struct usage_line[]) {
			{ "mode enforce|monitor|off", NULL },
			{ NULL }
		},
		.help	= mode_text,
	}, {
		.name	= "action",
		.fn	= cmd_action,
		.usage	= (const struct usage_line[]) {
			{ "action drop|reject-tcp|reject-icmp",
			  "what enforce mode does with a blocked packet" },
			{ NULL }
		},
		.help	= action_text,
	}, {
		.name	= "scope",
		.fn	= cmd_scope,
		.usage	= (const struct usage_line[]) {
			{ "scope all|targets",
			  "police every destination, or the target table's" },
			{ NULL }
		},
		.help	= scope_text,
	}, {
		.name	= "set",
		.verbs	= set_verbs,
		.verb_kind = "setting",
		.usage	= (const struct usage_line[]) {
			{ "set reject-rate RATE [burst N]", NULL },
			{ "set log [on|off] [rate RATE] [burst N] [privacy on|off]",
			  NULL },
			{ "set log group N|off [prefix TEXT] [snaplen BYTES]",
			  "also to NFLOG group N (ulogd2, tcpdump -i nflog:N)" },
			{ "set alert ATTEMPTS per SECONDS | set alert off",
			  "an event when a source crosses ATTEMPTS" },
			{ NULL }
		},
		.help	= set_text,
	}, {
		.name	= "stats",
		.fn	= cmd_stats,
		.usage	= (const struct usage_line[]) {
			{ "[-j] stats [reset]", NULL },
			{ "stats --prometheus [FILE] [label NAME=VALUE]...",
			  "Prometheus text format, to stdout or atomically to FILE" },
			{ NULL }
		},
		.help	= stats_text,
		.values	= (const char *const[]) { "label", NULL },
		.option	= "--prometheus",
	}, {
		.name	= "check",
		.fn	= cmd_check,
		.usage	= (const struct usage_line[]) {
			{ "[-j] check SRC DST [PORT] [iif NAME]",
			  "the kernel's own verdict for that packet" },
			{ NULL }
		},
		.help	= check_text,
		.values	= (const char *const[]) { "iif", NULL },
	}, {
		.name	= "top",
		.fn	= cmd_top,
		.usage	= (const struct usage_line[]) {
			{ "[-j] top [N] | top reset",
			  "the N sources with most blocked attempts (default 20)" },
			{ NULL }
		},
		.help	= top_text,
	}, {
		.name	= "monitor",
		.fn	= cmd_monitor,
		.usage	= (const struct usage_line[]) {
			{ "[-j] monitor [config|alerts|all]",
			  "events until interrupted: changes, offender alerts" },
			{ NULL }
		},
		.help	= monitor_text,
	}, {
		.name	= "save",
		.fn	= cmd_save,
		.usage	= (const struct usage_line[]) {
			{ "save",
			  "the whole configuration, as op25b.conf(5), to stdout" },
			{ NULL }
		},
		.help	= save_text,
	}, {
		.name	= "load",
		.fn	= cmd_load,
		.usage	= (const struct usage_line[]) {
			{ "load [--check] FILE|-",
			  "replace it in one transaction; --check: only validate" },
			{ NULL }
		},
		.help	= load_text,
		.option	= "--check",
	}, {
		.name	= "help",
		.fn	= cmd_help,
		.usage	= (const struct usage_line[]) {
			{ "help | op25bctl CMD help | -h/--help anywhere | --version",
			  NULL },
			{ NULL }
		},
		.help	= general_text,
	},
	{ NULL }
};

/* ---- looking up ---- */

/* Whether @w is one of @words (ended by NULL; none if NULL). */
static bool word_in(const char *const *words, const char *w)
{
	for (; words && *words; words++)
		if (!strcmp(*words, w))
			return true;
	return false;
}

static bool cmd_named(const struct command *c, const char *name)
{
	return c->names ? word_in(c->names, name) : !strcmp(c->name, name);
}

const struct command *cmd_find(const char *name)
{
	const struct command *c;

	for (c = commands; c->name; c++)
		if (cmd_named(c, name))
			return c;
	return NULL;
}

const struct command *cmd_option_owner(const char *w)
{
	const struct command *c;

	for (c = commands; c->name; c++)
		if (c->option && !strcmp(c->option, w))
			return c;
	return NULL;
}

/*
 * Without a command (an unknown word), any command's value words count,
 * so that the error is about that word and not about its values.
 */
bool cmd_takes_value(const struct command *c, const char *w)
{
	if (c)
		return word_in(c->values, w);
	for (c = commands; c->name; c++)
		if (word_in(c->values, w))
			return true;
	return false;
}

bool cmd_is_table(const struct command *c)
{
	return c->verbs == table_verbs;
}

static const struct verb *verb_find(const struct command *c, const char *w)
{
	const struct verb *v;

	for (v = c->verbs; v->name; v++)
		if (!strcmp(v->name, w))
			return v;
	return NULL;
}

/* ---- running ---- */

/* Appends ", @name" (just @name to an empty @buf). */
static void list_append(char *buf, size_t len, const char *name)
{
	size_t n = strlen(buf);

	snprintf(buf + n, len - n, "%s%s", n ? ", " : "", name);
}

int cmd_run(const struct command *c, const struct opts *o, int argc,
	    char **argv)
{
	const struct verb *v;
	char verbs[128] = "";

	if (!c->verbs)
		return c->fn(o, argc, argv);
	if (argc > 1) {
		v = verb_find(c, argv[1]);
		if (v)
			return v->fn(o, argc, argv);
	}
	for (v = c->verbs; v->name; v++)
		list_append(verbs, sizeof(verbs), v->name);
	if (argc < 2)
		return usage_err("%s: missing %s (%s)", argv[0], c->verb_kind,
				 verbs);
	return usage_err("%s: unknown %s '%s' (%s)", argv[0], c->verb_kind,
			 argv[1], verbs);
}

/* "foo add 10.0.0.0/8" was meant as a table */
static int unknown_table(const struct command *c, const char *word)
{
	char tables[128] = "";
	const char *const *t;

	for (t = c->names; *t; t++)
		list_append(tables, sizeof(tables), *t);
	return usage_err("unknown table '%s' (%s)", word, tables);
}

int cmd_unknown(int argc, char **argv)
{
	const struct command *c;

	for (c = commands; c->name; c++)
		if (cmd_is_table(c) && argc > 1 && verb_find(c, argv[1]))
			return unknown_table(c, argv[0]);
	return usage_err("unknown command '%s'", argv[0]);
}

/* ---- help ---- */

static void usage_print(FILE *f)
{
	const struct usage_line *u;
	const struct command *c;

	fputs("usage:\n", f);
	for (c = commands; c->name; c++) {
		for (u = c->usage; u->synopsis; u++) {
			if (u->summary)
				fprintf(f, "  op25bctl %-41s %s\n", u->synopsis,
					u->summary);
			else
				fprintf(f, "  op25bctl %s\n", u->synopsis);
		}
	}
}

/* The usage, then @c's help text (the general one for NULL). */
static void help_print(FILE *f, const struct command *c)
{
	usage_print(f);
	fputs(c ? c->help : cmd_find("help")->help, f);
}

int cmd_help(const struct opts *o, int argc, char **argv)
{
	const struct command *c = NULL;
	const char *topic = argc ? argv[0] : NULL;

	(void)o;
	if (topic && !strcmp(topic, "help"))
		topic = argc > 1 ? argv[1] : NULL;
	if (topic) {
		c = cmd_find(topic);
		if (!c)
			return usage_err("unknown command '%s'", topic);
	}
	help_print(stdout, c);
	return EXIT_OK;
}
