#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# op25b beside the rest of netfilter on a gateway:
#  - a CGNAT gateway: conntrack and defragmentation loaded, SNAT
#    (masquerade) at postrouting and a DNAT at prerouting.  Verdicts are
#    unchanged: the forward hook sees addresses after DNAT and before SNAT,
#    so a subscriber's mail DNATed to the ISP's MTA is allowed, mail to a
#    foreign MTA blocked, submission passes, and the MTA sees the
#    masqueraded address.
#  - a packet that an NFQUEUE consumer reinjects runs op25b's hook from
#    that process's system call, with bottom halves enabled: it is counted
#    exactly once, like any other.
# On the debug kernel, 26 and 76 take op25b's reading of odd packets;
# what NAT and NFQUEUE change is checked on every Debian kernel:
# op25b: nodebug
# op25b: smp
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1
need nft python3
NFQ=
trap 'kill $NFQ 2>/dev/null; cleanup' EXIT
in_ns $NS_GW nft -f - <<'NFT' || { fail "the NAT rules"; finish; }
table ip cgnat {
	chain pre {
		type nat hook prerouting priority dstnat;
		ip saddr 10.10.0.0/24 ip daddr 198.51.100.99 tcp dport 25 dnat to 192.0.2.25
	}
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "vinet" ip saddr 10.10.0.0/24 masquerade
	}
}
table inet track {
	chain forward_filter {
		type filter hook forward priority 0;
		ct state invalid counter
	}
}
NFT
for m in nf_conntrack nf_nat nf_defrag_ipv4 nf_defrag_ipv6; do
	assert "$m loaded" grep -q "^$m " /proc/modules
done
: >"$WORK/sink.log.mark"
assert "NAT: foreign MTA :25 blocked" blocked $NS_SUB $FOREIGN4 25
assert "NAT: foreign MTA :25 blocked (IPv6, conntrack only)" blocked $NS_SUB $FOREIGN6 25
assert "NAT: the ISP's MTA connects" connects $NS_SUB $ISP4 25
assert "NAT: ... masqueraded: the MTA sees the gateway's address" grep -q "^tcp 25 203.0.113.1" "$WORK/sink.log"
c0=$(counter allowed_mta)
assert "NAT: mail DNATed to the ISP's MTA connects" connects $NS_SUB 198.51.100.99 25
assert "NAT: ... judged on the translated destination: allowed_mta" [ "$(counter allowed_mta)" -gt "$c0" ]
assert "NAT: submission to the foreign MTA connects" connects $NS_SUB $FOREIGN4 587
assert_eq "NAT: check agrees (blocked, exit 1)" 1 "$(check_exit $SUB4 $FOREIGN4)"
in_ns $NS_GW nft delete table ip cgnat
in_ns $NS_GW nft delete table inet track

# NFQUEUE before op25b (priority -5 < op25b's filter + 10)
# exec: $NFQ is then the reader itself, which prints its count on SIGTERM
nsexec $NS_GW nfqaccept.py 7 >"$WORK/nfq.log" 2>&1 &
NFQ=$!
wait_until 10 grep -q ready "$WORK/nfq.log" || { fail "nfqaccept: $(cat "$WORK/nfq.log")"; finish; }
in_ns $NS_GW nft -f - <<'NFT' || { fail "the queue rule"; finish; }
table inet q {
	chain forward_filter {
		type filter hook forward priority -5;
		tcp dport 25 queue num 7
	}
}
NFT
ctl stats reset || exit 1
in_ns $NS_SUB mailclient -t 200 -n 5 $FOREIGN4 25 >/dev/null
in_ns $NS_SUB mailclient -t 200 -n 3 $FOREIGN6 25 >/dev/null
kill -TERM $NFQ
wait $NFQ
NFQ=
accepted=$(sed -n 's/^accepted //p' "$WORK/nfq.log")
counters
assert_eq "NFQUEUE: every SYN queued and reinjected" 8 "$accepted"
assert_eq "NFQUEUE: each reinjected SYN blocked once, in its family" "8 5 3" \
	"${C[blocked]} ${C[blocked_ipv4]} ${C[blocked_ipv6]}"
assert_eq "NFQUEUE: and counted as an attempt once" 8 "${C[attempts_blocked]}"
assert_eq "NFQUEUE: inspected counts the same packets" 8 "${C[inspected]}"
finish
