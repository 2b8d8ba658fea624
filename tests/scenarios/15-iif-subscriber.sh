#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Subscribers by arrival interface: everything entering on "vl+" (the LAN
# port here) is a subscriber's, whatever its source address.
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
ctl allow add $ISP4 $ISP6 || exit 1

assert "no iif entry yet: lan passes" connects $NS_LAN $FOREIGN4 25
assert "iif entry refused outside the subscriber table" \
	bash -c "! ip netns exec $NS_GW op25bctl allow add iif vlan 2>/dev/null"
ctl subscriber add iif vl+ || exit 1
assert "v4: lan (iif vl+) -> foreign :25 blocked" blocked $NS_LAN $FOREIGN4 25
assert "v6: lan (iif vl+) -> foreign :25 blocked" blocked $NS_LAN $FOREIGN6 25
assert "lan -> ISP MTA still connects" connects $NS_LAN $ISP4 25
assert "sub (other interface) passes" connects $NS_SUB $FOREIGN4 25
ctl subscriber del iif vl+
ctl subscriber add iif vlan
assert "exact name vlan: blocked" blocked $NS_LAN $FOREIGN4 25
ctl subscriber flush
ctl subscriber add iif vlan0
assert "exact name vlan0 does not match vlan" connects $NS_LAN $FOREIGN4 25
assert_eq "list shows the entry" "iif vlan0" "$(ctl subscriber list)"
finish
