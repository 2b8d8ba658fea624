#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The ISP's own MTA stays reachable on port 25 from subscribers.
# On the debug kernel, 18-counters-match takes the same paths:
# op25b: nodebug
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1

assert "v4: subscriber -> ISP MTA :25 connects" connects $NS_SUB $ISP4 25
assert "v6: subscriber -> ISP MTA :25 connects" connects $NS_SUB $ISP6 25
assert_eq "blocked counter" 0 "$(counter blocked)"
assert "allowed_mta counted" [ "$(counter allowed_mta)" -ge 2 ]
assert_eq "the MTA saw both" 2 "$(grep -c '^tcp 25 ' "$WORK/sink.log")"
# a prefix, not just a host, allowlists a whole relay farm
ctl allow flush
ctl allow add 198.51.100.0/24 2001:db8:ff::/48
assert "v4: allowlisted prefix reachable" connects $NS_SUB $FOREIGN4 25
assert "v6: allowlisted prefix reachable" connects $NS_SUB $FOREIGN6 25
assert "ISP MTA no longer listed: blocked" blocked $NS_SUB $ISP4 25
finish
