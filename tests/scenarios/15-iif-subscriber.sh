#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Subscribers by arrival interface: everything entering on "vl+" (the LAN
# port here) is a subscriber's, whatever its source address.
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
gw_proc || exit 1
ctl allow add $ISP4 $ISP6 || exit 1

assert "no iif entry yet: lan passes" connects $NS_LAN $FOREIGN4 25
out=$(ctl allow add iif vlan 2>&1)
assert_eq "iif entry refused outside the subscriber table (exit 2)" 2 $?
assert "... saying why" grep -qF "allow add iif vlan: interface entries are only valid in the subscriber table" <<<"$out"
assert_eq "... and the allow table is unchanged" "$(printf '%s\n' 192.0.2.25/32 2001:db8:ee::25/128)" "$(ctl allow list)"
ctl subscriber add iif vl+ || exit 1
assert "v4: lan (iif vl+) -> foreign :25 blocked" blocked $NS_LAN $FOREIGN4 25
assert "v6: lan (iif vl+) -> foreign :25 blocked" blocked $NS_LAN $FOREIGN6 25
assert "lan -> ISP MTA still connects" connects $NS_LAN $ISP4 25
n0=$(counter not_subscriber)
assert "sub (other interface) passes" connects $NS_SUB $FOREIGN4 25
assert "... counted as not a subscriber's" [ "$(counter not_subscriber)" -gt "$n0" ]
ctl subscriber del iif vl+
ctl subscriber add iif vlan
assert "exact name vlan: blocked" blocked $NS_LAN $FOREIGN4 25
ctl subscriber flush
ctl subscriber add iif vlan0
n0=$(counter not_subscriber)
assert "exact name vlan0 does not match vlan" connects $NS_LAN $FOREIGN4 25
assert "... counted as not a subscriber's" [ "$(counter not_subscriber)" -gt "$n0" ]
# the cap on interface patterns: 256 per table, and the 257th is refused
for i in $(seq 1 255); do echo "iif p$i+"; done >"$WORK/iif.txt"
ctl subscriber add -f "$WORK/iif.txt" || fail "255 more patterns (256 in all)"
out=$(ctl subscriber add iif q+ 2>&1)
assert_eq "the 257th pattern refused (exit 2)" 2 $?
assert "... saying why ($out)" grep -q "too many interface entries" <<<"$out"
assert_eq "... and the table holds 256" 256 "$(ctl subscriber list | wc -l)"
ctl subscriber del -f "$WORK/iif.txt" || fail "deleting the 255"
assert_eq "list shows the entry" "iif vlan0" "$(ctl subscriber list)"
finish
