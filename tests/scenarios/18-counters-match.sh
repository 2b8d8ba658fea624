#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# /proc/net/op25b/stats counts exactly the packets that crossed the hook.
# An nftables rule at a priority before op25b's counts the same packets
# independently; the two must agree for every counter and family.
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1
ctl exempt add 10.10.0.0/25 || exit 1   # sub (.2) is exempt ...
ctl exempt del 10.10.0.0/25 || exit 1   # ... not any more
need nft

in_ns $NS_GW nft -f - <<'NFT' || exit 1
table inet count {
	counter foreign4 { }
	counter foreign6 { }
	counter isp4 { }
	counter isp6 { }
	counter lan4 { }
	counter lan6 { }
	chain before_op25b {
		type filter hook forward priority -100;
		ip saddr 10.10.0.0/24 ip daddr 198.51.100.25 tcp dport 25 counter name "foreign4"
		ip6 saddr 2001:db8:10::/64 ip6 daddr 2001:db8:ff::25 tcp dport 25 counter name "foreign6"
		ip saddr 10.10.0.0/24 ip daddr 192.0.2.25 tcp dport 25 counter name "isp4"
		ip6 saddr 2001:db8:10::/64 ip6 daddr 2001:db8:ee::25 tcp dport 25 counter name "isp6"
		ip saddr 10.20.0.0/24 tcp dport 25 counter name "lan4"
		ip6 saddr 2001:db8:20::/64 tcp dport 25 counter name "lan6"
	}
}
NFT

nft_packets() {
	in_ns $NS_GW nft list counter inet count "$1" |
		awk '/packets/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

# 3 blocked attempts and 2 allowed connections per family, 2 from the LAN
for _ in 1 2 3; do
	blocked $NS_SUB $FOREIGN4 25
	blocked $NS_SUB $FOREIGN6 25
done
for _ in 1 2; do
	connects $NS_SUB $ISP4 25
	connects $NS_SUB $ISP6 25
	connects $NS_LAN $FOREIGN4 25
	connects $NS_LAN $FOREIGN6 25
done
nap 1	# let the last FIN/ACKs cross

for fam in 4 6; do
	f=$(nft_packets foreign$fam); s=$(nft_packets isp$fam); l=$(nft_packets lan$fam)
	assert "ipv$fam: the three blocked attempts reached the hook" [ "$f" -ge 3 ]
	assert_eq "blocked_ipv$fam = packets to the foreign MTA" "$f" "$(counter blocked_ipv$fam)"
	assert_eq "allowed_mta_ipv$fam = packets to the ISP MTA" "$s" "$(counter allowed_mta_ipv$fam)"
	assert_eq "inspected_ipv$fam = all subscriber packets to 25" "$((f + s))" "$(counter inspected_ipv$fam)"
	assert_eq "not_subscriber_ipv$fam = LAN packets to 25" "$l" "$(counter not_subscriber_ipv$fam)"
	assert_eq "monitored_ipv$fam" 0 "$(counter monitored_ipv$fam)"
	assert_eq "allowed_exempt_ipv$fam" 0 "$(counter allowed_exempt_ipv$fam)"
done
assert_eq "blocked = blocked_ipv4 + blocked_ipv6" \
	"$(( $(counter blocked_ipv4) + $(counter blocked_ipv6) ))" "$(counter blocked)"
assert "op25bctl stats shows the same blocked count" \
	bash -c "nsexec $NS_GW op25bctl stats | grep -qx 'blocked $(counter blocked)'"
ctl stats reset || exit 1
assert_eq "after reset: blocked" 0 "$(counter blocked)"
assert_eq "after reset: inspected_ipv6" 0 "$(counter inspected_ipv6)"
blocked $NS_SUB $FOREIGN4 25
assert_eq "counting resumes after reset" 1 "$(counter blocked)"
finish
