#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# op25b judges forwarded traffic only (op25b(4)): the gateway's own mail
# (its addresses made subscribers on purpose) and mail to the gateway
# itself pass and are counted nowhere; forwarded mail from the same
# subscriber is still blocked.
# On the debug kernel, 78-hooks-follow-policy takes the hooks' paths
# (which hook op25b registers is the same code on every kernel):
# op25b: nodebug
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1
# the gateway's own uplink addresses as subscribers: were its own traffic
# judged, it would be blocked
ctl subscriber add 203.0.113.0/24 2001:db8:f0::/64 || exit 1
nsexec $NS_GW mailsink 25 >"$WORK/gwsink.log" 2>&1 &
GWSINK=$!
trap 'kill $GWSINK 2>/dev/null; cleanup' EXIT
wait_until 5 grep -q ready "$WORK/gwsink.log" || { fail "the gateway's own MTA"; finish; }
counters
before=$(declare -p C)
assert "the gateway's own mail to a foreign MTA (IPv4) connects" connects $NS_GW $FOREIGN4 25
assert "the gateway's own mail to a foreign MTA (IPv6) connects" connects $NS_GW $FOREIGN6 25
assert "a subscriber's mail to the gateway itself connects" connects $NS_SUB 10.10.0.1 25
assert "... and over IPv6" connects $NS_SUB 2001:db8:10::1 25
counters
assert_eq "none of it judged: every counter unchanged" "$before" "$(declare -p C)"
assert "forwarded mail from the subscriber is still blocked" blocked $NS_SUB $FOREIGN4 25
finish
