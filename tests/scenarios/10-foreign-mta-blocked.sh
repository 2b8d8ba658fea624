#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A subscriber's mail to port 25 of a foreign MTA is dropped, IPv4 and
# IPv6, and counted as blocked; the mail server never sees it.
# On the debug kernel, 18-counters-match takes the same paths:
# op25b: nodebug
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1

assert "v4: subscriber -> foreign MTA :25 blocked" blocked $NS_SUB $FOREIGN4 25
assert "v6: subscriber -> foreign MTA :25 blocked" blocked $NS_SUB $FOREIGN6 25
assert_eq "blocked counter" 2 "$(counter blocked)"
assert_eq "blocked_ipv4" 1 "$(counter blocked_ipv4)"
assert_eq "blocked_ipv6" 1 "$(counter blocked_ipv6)"
assert_eq "nothing reached the foreign MTA on 25" 0 \
	"$(grep -c '^tcp 25 ' "$WORK/sink.log")"
finish
