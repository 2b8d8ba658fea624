// SPDX-License-Identifier: GPL-2.0
/* "op25bctl help [TOPIC]" and "op25bctl CMD help". */
#include <string.h>

#include "op25bctl.h"

static const char usage_text[] =
"usage:\n"
"  op25bctl [-j|--json] status                        mode, table sizes, counters, warnings\n"
"  op25bctl {subscriber|allow|exempt} add ENTRY...   ENTRY: PREFIX | ADDRESS (subscriber also: iif NAME)\n"
"  op25bctl {subscriber|allow|exempt} del ENTRY...\n"
"  op25bctl {subscriber|allow|exempt} add|del -f FILE  entries from FILE, or - for stdin\n"
"  op25bctl [-j] {subscriber|allow|exempt} list\n"
"  op25bctl {subscriber|allow|exempt} flush\n"
"  op25bctl mode enforce|monitor|off\n"
"  op25bctl [-j] stats [reset]\n"
"  op25bctl [-j] check SRC DST [PORT] [iif NAME]      the kernel's own verdict for that packet\n"
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
"\n"
"options:\n"
"  -j, --json  one JSON document on stdout (status, list, stats, check);\n"
"              may come before or after the command\n"
"  -h, --help  this help, or the help of the command given\n"
"  --version   print the version\n"
"\n"
"Changing anything, and listing tables (they name customers), needs\n"
"CAP_NET_ADMIN in the user namespace that owns the network namespace.\n"
"\n"
"exit status:\n"
"  0  success; for check: the packet passes\n"
"  1  check: the packet is blocked, or would be (monitor mode)\n"
"  2  error: bad usage, invalid entry, module not loaded, kernel refused\n";

static const char table_text[] =
"\n"
"ENTRY is a prefix (10.0.0.0/8, 2001:db8::/32) or an address (192.0.2.25,\n"
"taken as /32 or /128).  Host bits under the prefix length are an error,\n"
"not silently cleared.  In the subscriber table only, \"iif NAME\" matches\n"
"packets arriving on interface NAME; a trailing '+' matches any name with\n"
"that prefix (iif ppp+).  NAME has at most 15 characters.\n"
"\n"
"-f FILE reads entries from FILE (- for stdin), one per line in the same\n"
"spelling; blank lines are ignored, and so is the rest of a line from a\n"
"word starting with '#' (except the NAME after iif: \"iif #1\" is a name).\n"
"\"list\" prints exactly this format, so its output can be fed back with\n"
"\"add -f\".  -f may be repeated and mixed with ENTRY words.\n"
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

static const char stats_text[] =
"\n"
"Prints every counter as \"name total\", then \"name_ipv4 value\" and\n"
"\"name_ipv6 value\", as /proc/net/op25b/stats does.  \"stats reset\" sets\n"
"all counters to zero.\n";

static const char status_text[] =
"\n"
"Prints the mode, the generation (bumped by every change), the size of\n"
"each table, the counter totals, and a warning line for configurations\n"
"that enforce nothing (mode off, empty subscriber table).\n";

static const char check_text[] =
"\n"
"Asks the kernel for the decision its packet hook would take for a TCP\n"
"packet from SRC to DST port PORT (default 25), arriving on interface\n"
"NAME if given, and explains it in one line.  SRC and DST are addresses\n"
"of the same family.  Exit status: 0 passes, 1 blocked or would be\n"
"(monitor mode), 2 error.\n";

struct topic {
	const char *name;
	const char *text;
};

static const struct topic topics[] = {
	{ "status", status_text },
	{ "subscriber", table_text },
	{ "allow", table_text },
	{ "exempt", table_text },
	{ "mode", mode_text },
	{ "stats", stats_text },
	{ "check", check_text },
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
