// SPDX-License-Identifier: GPL-2.0
/* "op25bctl help [TOPIC]" and "op25bctl CMD help". */
#include <string.h>

#include "op25bctl.h"

static const char usage_text[] =
"usage:\n"
"  op25bctl [-j|--json] status                        mode, settings, table sizes, counters, warnings\n"
"  op25bctl TABLE add ENTRY [comment TEXT]...         TABLE: subscriber | allow | exempt | target\n"
"  op25bctl TABLE del ENTRY...                        ENTRY: PREFIX | ADDRESS (subscriber also: iif NAME)\n"
"  op25bctl TABLE add|del -f FILE                     entries from FILE, or - for stdin\n"
"  op25bctl [-j] TABLE list\n"
"  op25bctl TABLE flush\n"
"  op25bctl mode enforce|monitor|off\n"
"  op25bctl action drop|reject-tcp|reject-icmp        what enforce mode does with a blocked packet\n"
"  op25bctl scope all|targets                         police every destination, or the target table's\n"
"  op25bctl set reject-rate RATE [burst N]\n"
"  op25bctl set log [on|off] [rate RATE] [burst N] [privacy on|off]\n"
"  op25bctl [-j] stats [reset]\n"
"  op25bctl stats --prometheus [FILE]                 Prometheus text format, to stdout or atomically to FILE\n"
"  op25bctl [-j] check SRC DST [PORT] [iif NAME]      the kernel's own verdict for that packet\n"
"  op25bctl [-j] top [N] | top reset                  the N sources with most blocked attempts (default 20)\n"
"  op25bctl save                                      the whole configuration, as op25b.conf(5), to stdout\n"
"  op25bctl load [--check] FILE|-                     replace it in one transaction; --check: only validate\n"
"  op25bctl help | op25bctl CMD help | -h/--help anywhere | --version\n";

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
"-f FILE reads entries from FILE (- for stdin), one per line in the same\n"
"spelling, each maybe followed by comment TEXT, where TEXT may be quoted\n"
"as \"...\" with the escapes \\\" and \\\\; blank lines are ignored, and so\n"
"is the rest of a line from a word starting with '#' (except the NAME\n"
"after iif: \"iif #1\" is a name).  \"list\" prints exactly this format,\n"
"so its output can be fed back with \"add -f\".  -f may be repeated and\n"
"mixed with ENTRY words.  \"list -j\" gives {\"table\", \"entries\": [...],\n"
"\"comments\": {ENTRY: TEXT}}.\n"
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
"  TABLE ENTRY [comment TEXT]        subscriber, allow, exempt, target\n"
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
"\n"
"--prometheus prints them in the Prometheus text format instead\n"
"(op25b_NAME_total{family=\"ipv4\"}, with table sizes, mode and\n"
"generation as gauges); with FILE, writes FILE.tmp.PID beside it, syncs\n"
"it and renames it over FILE, so a collector never reads half a file.\n";

static const char status_text[] =
"\n"
"Prints the mode, the generation (bumped by every change), the settings\n"
"(action, scope, reject-rate, log, offenders slots per CPU; \"transaction:\n"
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

struct topic {
	const char *name;
	const char *text;
};

static const struct topic topics[] = {
	{ "status", status_text },
	{ "subscriber", table_text },
	{ "allow", table_text },
	{ "exempt", table_text },
	{ "target", table_text },
	{ "mode", mode_text },
	{ "action", action_text },
	{ "scope", scope_text },
	{ "set", set_text },
	{ "stats", stats_text },
	{ "check", check_text },
	{ "top", top_text },
	{ "save", save_text },
	{ "load", load_text },
};

static const struct topic *topic_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < ARRAY_SIZE(topics); i++)
		if (!strcmp(topics[i].name, name))
			return &topics[i];
	return NULL;
}

bool help_topic_known(const char *topic)
{
	return !topic || !strcmp(topic, "help") || topic_find(topic);
}

void help_print(FILE *f, const char *topic)
{
	const struct topic *t = topic_find(topic);

	fputs(usage_text, f);
	fputs(t ? t->text : general_text, f);
}
