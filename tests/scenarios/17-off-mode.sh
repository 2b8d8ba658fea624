#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Mode off passes everything and counts nothing: subscribers' mail to a
# foreign MTA, to the ISP's MTA, and mail from a host that is not a
# subscriber, each of which a counter would count in another mode.
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1

ctl mode off || exit 1
assert "v4: foreign :25 connects when off" connects $NS_SUB $FOREIGN4 25
assert "v6: foreign :25 connects when off" connects $NS_SUB $FOREIGN6 25
assert "ISP MTA :25 connects when off" connects $NS_SUB $ISP4 25
assert "lan (not a subscriber) :25 connects when off" connects $NS_LAN $FOREIGN4 25
ctl exempt add $SUB6 || exit 1
assert "exempt source :25 connects when off" connects $NS_SUB $FOREIGN6 25
for c in inspected blocked monitored allowed_mta allowed_exempt not_subscriber attempts_blocked attempts_monitored; do
	assert_eq "$c stays 0" 0 "$(counter $c)"
done
# the same traffic counts once the mode is not off: the counters above
# could have moved
ctl mode monitor || exit 1
connects $NS_SUB $ISP4 25 && connects $NS_LAN $FOREIGN4 25 && connects $NS_SUB $FOREIGN6 25 &&
	connects $NS_SUB $FOREIGN4 25 || fail "monitor: connections"
for c in allowed_mta not_subscriber allowed_exempt monitored; do
	assert "monitor mode: $c counts the same traffic" [ "$(counter $c)" -gt 0 ]
done
ctl mode off || exit 1
assert_eq "check passes when off (exit 0)" 0 "$(check_exit $SUB4 $FOREIGN4)"
assert "status warns that mode is off" bash -c "nsexec $NS_GW op25bctl status | grep -q 'warning: mode is off'"
finish
