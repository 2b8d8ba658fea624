#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Mode off passes everything and counts nothing.
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1

ctl mode off || exit 1
assert "v4: foreign :25 connects when off" connects $NS_SUB $FOREIGN4 25
assert "v6: foreign :25 connects when off" connects $NS_SUB $FOREIGN6 25
for c in inspected blocked monitored allowed_mta allowed_exempt not_subscriber; do
	assert_eq "$c stays 0" 0 "$(counter $c)"
done
assert_eq "check passes when off (exit 0)" 0 "$(check_exit $SUB4 $FOREIGN4)"
assert "status warns that mode is off" bash -c "ip netns exec $NS_GW op25bctl status | grep -q 'warning: mode is off'"
finish
