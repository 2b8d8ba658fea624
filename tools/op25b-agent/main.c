// SPDX-License-Identifier: GPL-2.0
/*
 * op25b-agent [-c FILE] run | publish ... | status [-j] | check-config
 * (op25b-agent(8)).
 */
#include <stdio.h>
#include <string.h>

#include "agent.h"

#define DEFAULT_CONF	"/etc/op25b/agent.conf"

static const char usage[] =
"usage: op25b-agent [-c FILE] COMMAND\n"
"  run                          the daemon: apply the fleet's configuration from etcd\n"
"  publish [--force] [--revision REV] [--gateway NAME] FILE\n"
"                               validate FILE, then write it as the fleet's (or\n"
"                               one gateway's) configuration, unless it changed\n"
"  status [-j] [GATEWAY]        every gateway of the fleet (or one): alive,\n"
"                               revision, sha256, state, age; -j: JSON\n"
"  check-config                 read the configuration file and say what is wrong\n"
"  -c FILE                      the configuration (default " DEFAULT_CONF ")\n"
"  --version, --help\n"
"Exit status: 0 ok, 1 error, 2 usage or configuration, 3 publish: changed since read.\n";

int main(int argc, char **argv)
{
	const char *path = DEFAULT_CONF;
	struct agent_conf c;
	char err[512];
	int i = 1;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
			 !strcmp(argv[1], "help"))) {
		fputs(usage, stdout);
		return AGENT_EXIT_OK;
	}
	if (argc > 1 && !strcmp(argv[1], "--version")) {
		printf("op25b-agent %s\n", AGENT_VERSION);
		return AGENT_EXIT_OK;
	}
	if (argc > 2 && !strcmp(argv[1], "-c")) {
		path = argv[2];
		i = 3;
	}
	if (i >= argc) {
		fputs(usage, stderr);
		return AGENT_EXIT_USAGE;
	}
	conf_defaults(&c);
	if (conf_load(&c, path, err, sizeof(err))) {
		logmsg("%s", err);
		return AGENT_EXIT_USAGE;
	}
	if (!strcmp(argv[i], "run") && i + 1 == argc)
		return agent_run(&c);
	if (!strcmp(argv[i], "publish"))
		return cmd_publish(&c, argc - i, argv + i);
	if (!strcmp(argv[i], "status"))
		return cmd_status(&c, argc - i, argv + i);
	if (!strcmp(argv[i], "check-config") && i + 1 == argc) {
		printf("%s: fleet %s, gateway %s, %d endpoint(s), %d namespace(s)\n",
		       path, c.fleet, c.gateway, c.n_endpoints, c.n_namespaces);
		return AGENT_EXIT_OK;
	}
	fputs(usage, stderr);
	return AGENT_EXIT_USAGE;
}
