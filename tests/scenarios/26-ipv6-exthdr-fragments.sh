#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The hook finds TCP behind IPv6 extension headers, and never reads a
# non-first fragment's payload as a TCP header: such a fragment passes,
# while a first fragment carrying TCP to port 25 is blocked, and so is a
# first fragment too short to show its ports (the evasion RFC 7112 names).
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1

assert "IPv6 + Destination Options -> foreign :25 blocked" \
	bash -c "[ \"\$(ip netns exec $NS_SUB mailclient -x -t $BLOCK_WAIT_MS $FOREIGN6 25)\" = timeout ]"
assert "IPv6 + Destination Options -> ISP :25 connects" \
	in_ns $NS_SUB mailclient -x -t $PASS_WAIT_MS $ISP6 25
assert "IPv6 + Destination Options -> foreign :587 connects" \
	in_ns $NS_SUB mailclient -x -t $PASS_WAIT_MS $FOREIGN6 587

command -v nft >/dev/null || skip "nft not installed"
# count what reaches the internet side, before any reassembly
in_ns $NS_INET nft -f - <<'NFT' || exit 1
table netdev seen {
	counter later4 { }
	counter first4 { }
	counter any6 { }
	chain ingress_count {
		type filter hook ingress device eth0 priority 0;
		ip saddr 10.10.0.2 ip frag-off & 0x1fff != 0 counter name "later4"
		ip saddr 10.10.0.2 ip frag-off & 0x1fff == 0 ip protocol tcp counter name "first4"
		ip6 saddr 2001:db8:10::2 counter name "any6"
	}
}
NFT
seen() {
	in_ns $NS_INET nft list counter netdev seen "$1" |
		awk '/packets/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}
gwmac=$(in_ns $NS_GW cat /sys/class/net/vsub/address)
b0=$(counter blocked)
n0=$(seen any6)
# send KIND: one IPv4 and one IPv6 fragment of KIND from the subscriber
send() {
	in_ns $NS_SUB rawfrag.py eth0 $gwmac $SUB4 $FOREIGN4 "$1"
	in_ns $NS_SUB rawfrag.py eth0 $gwmac $SUB6 $FOREIGN6 "$1"
	sleep 0.5
}
send later
assert_eq "v4 non-first fragment forwarded" 1 "$(seen later4)"
assert_eq "v6 non-first fragment forwarded" $((n0 + 1)) "$(seen any6)"
assert_eq "non-first fragments not counted as blocked" "$b0" "$(counter blocked)"
# a first fragment with TCP/25, and one too short to show its ports,
# which is judged as port 25
expect=$b0
for kind in first short; do
	send $kind
	expect=$((expect + 2))
	assert_eq "v4 $kind fragment dropped" 0 "$(seen first4)"
	assert_eq "v6 $kind fragment dropped" $((n0 + 1)) "$(seen any6)"
	assert_eq "$kind: both counted blocked" $expect "$(counter blocked)"
done
finish
