#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A source outside the subscriber table (the LAN) sends mail anywhere;
# with an empty subscriber table nothing at all is policed.
# On the debug kernel, 18-counters-match takes the same paths:
# op25b: nodebug
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1

assert "empty table: subscriber -> foreign :25 connects" connects $NS_SUB $FOREIGN4 25
assert "status warns about the empty subscriber table" \
	bash -c "nsexec $NS_GW op25bctl status | grep -q 'warning: .*subscriber table is empty'"
config_default || exit 1
assert "v4: lan -> foreign MTA :25 connects" connects $NS_LAN $FOREIGN4 25
assert "v6: lan -> foreign MTA :25 connects" connects $NS_LAN $FOREIGN6 25
assert "not_subscriber counted" [ "$(counter not_subscriber)" -ge 2 ]
assert_eq "nothing inspected" 0 "$(counter inspected)"
finish
