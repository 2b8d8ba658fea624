#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# action reject-icmp: a blocked connect is answered with ICMP destination
# unreachable, code 13 "communication administratively prohibited"
# (ICMPv6: code 1, administratively prohibited).  The client's connect
# fails at once: EHOSTUNREACH over IPv4, EACCES over IPv6.
#
# "At once" within a second: an ICMP error that reaches the client while
# connect() itself still holds the socket (it can: the whole round trip
# runs in softirqs of that syscall) is only a soft error for Linux TCP,
# and the connect fails at the retransmission, answered again.  So the
# counts are checked as blocked = reject_sent, not as exactly one.
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1

NFT=
if command -v nft >/dev/null; then
	# what reaches the subscriber, by ICMP code
	in_ns $NS_SUB nft -f - <<-'NFT' && NFT=1
	table inet codes {
		counter adm4 { }
		counter adm6 { }
		chain in {
			type filter hook input priority 0;
			icmp type destination-unreachable icmp code 13 counter name "adm4"
			icmpv6 type destination-unreachable icmpv6 code 1 counter name "adm6"
		}
	}
	NFT
fi

ctl action reject-icmp || exit 1
read -r what err ms <<<"$(in_ns $NS_SUB mailclient -v -t 5000 $FOREIGN4 25)"
assert_eq "IPv4: host unreachable" "unreachable EHOSTUNREACH" "$what $err"
assert "IPv4: answered, no timeout ($ms)" [ "${ms%ms}" -lt 4000 ]
read -r what err ms <<<"$(in_ns $NS_SUB mailclient -v -t 5000 $FOREIGN6 25)"
assert_eq "IPv6: permission denied (administratively prohibited)" \
	"unreachable EACCES" "$what $err"
assert "IPv6: answered, no timeout ($ms)" [ "${ms%ms}" -lt 4000 ]

counters
assert "blocked, each family (${C[blocked_ipv4]} ${C[blocked_ipv6]})" \
	[ "${C[blocked_ipv4]}" -ge 1 -a "${C[blocked_ipv6]}" -ge 1 ]
assert_eq "every blocked SYN answered" "${C[blocked_ipv4]} ${C[blocked_ipv6]}" \
	"${C[reject_sent_ipv4]} ${C[reject_sent_ipv6]}"
if [ -n "$NFT" ]; then
	got=$(in_ns $NS_SUB nft list table inet codes)
	adm4=$(awk '/counter adm4/ { f = 1 } f && /packets/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1); exit }' <<<"$got")
	adm6=$(awk '/counter adm6/ { f = 1 } f && /packets/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1); exit }' <<<"$got")
	assert_eq "the subscriber got ICMP code 13 and ICMPv6 code 1 for each" \
		"${C[reject_sent_ipv4]} ${C[reject_sent_ipv6]}" "$adm4 $adm6"
else
	log "no nft: ICMP codes not checked beyond the errno"
fi
assert "other ports still pass" connects $NS_SUB $FOREIGN4 587
finish
