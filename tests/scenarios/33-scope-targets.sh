#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scope targets: only destinations in the target table are policed.  The
# foreign MTA is a target and stays blocked; a second foreign MTA is not
# and passes (reason and counter not_target); the allow table still wins.
# Back to scope all, the second one is blocked too.
# On the debug kernel, the target table is one more table of the same
# code, which 84 (timed target entries) takes:
# op25b: nodebug
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1
OTHER4=198.51.100.26
OTHER6=2001:db8:ff::26
ip -n $NS_INET -batch - <<-EOF || exit 1
	addr add $OTHER4/32 dev lo
	addr add $OTHER6/128 dev lo
EOF

ctl target add $FOREIGN4 $FOREIGN6 $ISP4 || exit 1
ctl scope targets || exit 1
read -r max </sys/module/op25b/parameters/table_max
out=$(ctl status)
assert "status shows the scope" has_line "$out" "scope: targets"
assert "status shows the target table" has_line "$out" \
	"target: 3 entries (2 ipv4, 1 ipv6, 0 iif), max $max"

assert "v4: the target is blocked" blocked $NS_SUB $FOREIGN4 25
assert "v6: the target is blocked" blocked $NS_SUB $FOREIGN6 25
assert "v4: another destination passes" connects $NS_SUB $OTHER4 25
assert "v6: another destination passes" connects $NS_SUB $OTHER6 25
assert "an allowlisted target still passes" connects $NS_SUB $ISP4 25
counters
assert_eq "blocked: the two SYNs to the target" 2 "${C[blocked]}"
assert "not_target counted, each family (${C[not_target_ipv4]} ${C[not_target_ipv6]})" \
	[ "${C[not_target_ipv4]}" -ge 1 -a "${C[not_target_ipv6]}" -ge 1 ]

out=$(ctl check $SUB4 $OTHER4)
assert_eq "check: not a target passes" \
	"passes: $SUB4 is a subscriber (10.10.0.0/24) but scope is targets and $OTHER4 is not in the target table" \
	"$out"
out=$(ctl check $SUB4 $FOREIGN4)
assert_eq "check: the target is blocked, naming its entry" \
	"blocked: $SUB4 is a subscriber (10.10.0.0/24) and $FOREIGN4 is a target ($FOREIGN4/32); send via port 587 with SMTP AUTH" \
	"$out"
out=$(ctl -j check $SUB4 $OTHER4)
case $out in
*'"reason":"not_target"'*) ok "check -j: reason not_target" ;;
*) fail "check -j: $out" ;;
esac

ctl scope all || exit 1
assert "scope all: the other destination is blocked too" blocked $NS_SUB $OTHER4 25
finish
