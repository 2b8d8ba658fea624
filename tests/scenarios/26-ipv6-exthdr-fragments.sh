#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The hook finds TCP behind IPv6 extension headers, and never reads a
# non-first fragment's payload as a TCP header: such a fragment passes,
# while a first fragment carrying TCP to port 25 is blocked, and so is any
# first fragment whose headers do not reach readable ports: too short,
# IPv4 options pushing the ports out, an IPv6 header chain cut in the
# middle (the second fragment carrying the rest and the SYN, as a lax
# reassembler would accept it), an extension header running past the end,
# an unknown extension header, an unknown next header.  Then the same with
# nf_defrag_ipv6 active on the gateway (conntrack), where the gateway
# reassembles first: the whole packet is judged, nothing reaches the MTA.
# op25b: long 45
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1

assert "IPv6 + Destination Options -> foreign :25 blocked" \
	bash -c "[ \"\$(nsexec $NS_SUB mailclient -x -t $BLOCK_WAIT_MS $FOREIGN6 25)\" = timeout ]"
assert "IPv6 + Destination Options -> ISP :25 connects" \
	in_ns $NS_SUB mailclient -x -t $PASS_WAIT_MS $ISP6 25
assert "IPv6 + Destination Options -> foreign :587 connects" \
	in_ns $NS_SUB mailclient -x -t $PASS_WAIT_MS $FOREIGN6 587

need nft
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
gwmac=$(link_mac $NS_GW vsub)
b0=$(counter blocked)
n0=$(seen any6)
# send4 KIND, send6 KIND: hand-made fragments of KIND from the subscriber
send4() { in_ns $NS_SUB rawfrag.py eth0 "$gwmac" $SUB4 $FOREIGN4 "$1"; }
send6() { in_ns $NS_SUB rawfrag.py eth0 "$gwmac" $SUB6 $FOREIGN6 "$1"; }
# settle: the packets crossed the gateway; a wait for the inet side's count
settle() { nap 0.5; }
send4 later
send6 later
settle
assert_eq "v4 non-first fragment forwarded" 1 "$(seen later4)"
assert_eq "v6 non-first fragment forwarded" $((n0 + 1)) "$(seen any6)"
assert_eq "non-first fragments not counted as blocked" "$b0" "$(counter blocked)"
n0=$((n0 + 1))
# first fragments judged as TCP/25: one packet each
expect=$b0
for kind in first short opts; do
	send4 $kind
	settle
	expect=$((expect + 1))
	assert_eq "v4 $kind fragment dropped" 0 "$(seen first4)"
	assert_eq "v4 $kind: counted blocked" $expect "$(counter blocked)"
done
for kind in first short trunc unknown upper; do
	send6 $kind
	settle
	expect=$((expect + 1))
	assert_eq "v6 $kind fragment dropped" "$n0" "$(seen any6)"
	assert_eq "v6 $kind: counted blocked" $expect "$(counter blocked)"
done
# the cut chain: the first fragment (its chain ends inside) is dropped,
# the second (offset 8: the rest of the chain and the SYN) passes as any
# non-first fragment does, and cannot be reassembled into anything
send6 cut
settle
expect=$((expect + 1))
assert_eq "v6 cut chain: only the second fragment reaches the MTA's side" \
	$((n0 + 1)) "$(seen any6)"
assert_eq "v6 cut chain: the first fragment counted blocked" $expect "$(counter blocked)"
n0=$((n0 + 1))

# with nf_defrag_ipv6 on the gateway, fragments are reassembled before the
# forward hook: the cut chain becomes one packet whose walk reaches the SYN
in_ns $NS_GW nft -f - <<'NFT' || { fail "conntrack rule on the gateway"; finish; }
table ip6 defrag {
	chain pre {
		type filter hook prerouting priority 0;
		ct state new counter
	}
}
NFT
assert "nf_defrag_ipv6 loaded" grep -q '^nf_defrag_ipv6 ' /proc/modules
a0=$(counter attempts_blocked)
send6 cut
settle
expect=$((expect + 1))
assert_eq "defrag, v6 cut chain: nothing reaches the MTA's side" "$n0" "$(seen any6)"
assert_eq "defrag, v6 cut chain: the reassembled SYN counted blocked" $expect "$(counter blocked)"
assert_eq "defrag, v6 cut chain: one attempt" $((a0 + 1)) "$(counter attempts_blocked)"
send6 first
settle
assert_eq "defrag, a lone first fragment never reaches the MTA's side" "$n0" "$(seen any6)"
finish
