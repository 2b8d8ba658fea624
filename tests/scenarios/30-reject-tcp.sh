#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# action reject-tcp: a blocked connect is answered with a TCP RST, so the
# client fails at once with "connection refused" instead of waiting for a
# timeout; the packet still counts as blocked, and as reject_sent.  Mail to
# the ISP MTA is untouched.
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1

ctl action reject-tcp || exit 1
out=$(ctl status)
assert "status shows the action" has_line "$out" "action: reject-tcp"

# a drop would end in "timeout" after 5 s; a RST ends the attempt at once
for dst in $FOREIGN4 $FOREIGN6; do
	read -r what err ms <<<"$(in_ns $NS_SUB mailclient -v -t 5000 $dst 25)"
	assert_eq "$dst: connection refused" "refused ECONNREFUSED" "$what $err"
	assert "$dst: answered at once ($ms)" [ "${ms%ms}" -lt 2000 ]
done
assert_eq "nothing reached the foreign MTA" 0 "$(grep -c '^tcp 25 ' "$WORK/sink.log")"
counters
assert_eq "blocked: one SYN per family" "1 1" "${C[blocked_ipv4]} ${C[blocked_ipv6]}"
assert_eq "reject_sent: both answered" "1 1" "${C[reject_sent_ipv4]} ${C[reject_sent_ipv6]}"
assert_eq "none held back by the reject rate" 0 "${C[reject_limited]}"
assert "the ISP MTA still connects" connects $NS_SUB $ISP4 25

# actions apply in enforce mode only
ctl mode monitor || exit 1
assert "monitor mode: the foreign MTA connects" connects $NS_SUB $FOREIGN4 25
counters
assert_eq "monitor mode: nothing more answered" 2 "${C[reject_sent]}"
finish
