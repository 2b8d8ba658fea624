#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The reject rate: with reject-rate 1/s burst 1, a quick series of blocked
# attempts gets a RST for the first and about one per second after; the
# rest are only dropped and counted in reject_limited.  Every attempt is
# blocked either way.  The same with reject-icmp.  And the limiter is the
# namespace's own: two gateways with burst 1 each answer a SYN sent to
# both at the same instant (one process, two sockets, one in each
# subscriber namespace).
# On the debug kernel, 30 and 31 take the reject paths and 50 the rate
# limiter from every CPU at once:
# op25b: nodebug
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1
need python3
NS_SUB2=op25b-sub2-$SUFFIX NS_GW2=op25b-gw2-$SUFFIX
trap 'ip netns del $NS_SUB2 2>/dev/null; ip netns del $NS_GW2 2>/dev/null; cleanup' EXIT
ip -batch - <<EOF || exit 1
netns add $NS_SUB2
netns add $NS_GW2
link add eth0 netns $NS_SUB2 type veth peer name vsub netns $NS_GW2
EOF
ip -n "$NS_SUB2" -batch - <<EOF || exit 1
link set lo up
link set eth0 up
addr add 10.60.0.2/24 dev eth0
route add default via 10.60.0.1
EOF
ip -n "$NS_GW2" -batch - <<EOF || exit 1
link set lo up
link set vsub up
addr add 10.60.0.1/24 dev vsub
link add dummy0 type dummy
link set dummy0 up
route add default dev dummy0
EOF
in_ns $NS_GW2 sysctl -qw net.ipv4.ip_forward=1 || exit 1
for ns in $NS_GW $NS_GW2; do
	in_ns $ns op25bctl action reject-tcp && in_ns $ns op25bctl set reject-rate 1/s burst 1 || exit 1
done
in_ns $NS_GW2 op25bctl subscriber add 10.60.0.0/24 || exit 1
# two SYNs at once, one through each gateway: with one limiter for both,
# one of them would go unanswered
both=$(in_ns $NS_SUB python3 - "/run/netns/$NS_SUB2" $FOREIGN4 <<'PY'
import ctypes, errno, os, select, socket, sys
a = socket.socket()
libc = ctypes.CDLL(None, use_errno=True)
fd = os.open(sys.argv[1], os.O_RDONLY)
if libc.setns(fd, 0x40000000):
    sys.exit("setns: %s" % os.strerror(ctypes.get_errno()))
b = socket.socket()
for s in (a, b):
    s.setblocking(False)
    s.connect_ex((sys.argv[2], 25))
out = []
for s in (a, b):
    select.select([], [s], [], 5)
    e = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    out.append("refused" if e == errno.ECONNREFUSED else "err%d" % e)
print(" ".join(out))
PY
)
assert_eq "two gateways, burst 1 each: both SYNs sent at once answered" "refused refused" "$both"
assert_eq "... each by its own gateway" "1 1" \
	"$(counter reject_sent) $(in_ns $NS_GW2 awk '$1 == "reject_sent" { print $2 }' /proc/net/op25b/stats)"
# with one limiter for both, the second SYN would be held back and only its
# retransmission (1 s later, the bucket full again) answered
assert_eq "... neither held back by the other's limiter" "0 0" \
	"$(counter reject_limited) $(in_ns $NS_GW2 awk '$1 == "reject_limited" { print $2 }' /proc/net/op25b/stats)"
ctl stats reset || exit 1
nap 1.5	# the bucket refills (1/s)
out=$(ctl status)
assert "status shows the rate" has_line "$out" "reject-rate: 1/s burst 1"

# 20 attempts, each one SYN: refused at once, or dropped and given up
# after 200 ms (before TCP would retransmit)
t0=$SECONDS
read -r _ connected _ timeout _ refused _ <<<"$(in_ns $NS_SUB mailclient -t 200 -n 20 $FOREIGN4 25)"
secs=$((SECONDS - t0 + 1))
counters
assert_eq "every attempt blocked: one SYN each" 20 "${C[blocked]}"
assert_eq "reject_sent + reject_limited = blocked" 20 \
	"$((${C[reject_sent]} + ${C[reject_limited]}))"
assert_eq "the client saw a RST for each one answered" "${C[reject_sent]}" "$refused"
assert_eq "and a timeout for each one held back" "${C[reject_limited]}" "$timeout"
assert "at least the burst was answered (${C[reject_sent]})" [ "${C[reject_sent]}" -ge 1 ]
assert "no more than burst + rate x ${secs}s answered (${C[reject_sent]})" \
	[ "${C[reject_sent]}" -le $((1 + secs)) ]
assert "some were held back (${C[reject_limited]})" [ "${C[reject_limited]}" -gt 0 ]
assert_eq "nothing connected" 0 "$connected"

# the bucket refills: after a pause, the next attempt is answered again
nap 1.5
read -r what _ <<<"$(in_ns $NS_SUB mailclient -v -t 2000 $FOREIGN4 25)"
assert_eq "after a pause: answered again" refused "$what"

# reject-icmp is limited the same way (and by the kernel's icmp_ratelimit
# beyond: never more answers than op25b counted sent)
ctl action reject-icmp || exit 1
ctl stats reset || exit 1
nap 1.5
t0=$SECONDS
read -r _ connected _ timeout _ _ _ _ _ unreach _ <<<"$(in_ns $NS_SUB mailclient -t 200 -n 10 $FOREIGN4 25)"
secs=$((SECONDS - t0 + 1))
counters
assert_eq "reject-icmp: every attempt blocked" 10 "${C[blocked]}"
assert_eq "reject-icmp: reject_sent + reject_limited = blocked" 10 \
	"$((${C[reject_sent]} + ${C[reject_limited]}))"
assert "reject-icmp: the burst answered, no more than burst + rate x ${secs}s (${C[reject_sent]})" \
	[ "${C[reject_sent]}" -ge 1 -a "${C[reject_sent]}" -le $((1 + secs)) ]
# (an ICMP error that arrives while connect() holds the socket is only a
# soft error: the client may time out although it was answered)
assert "reject-icmp: the client saw no more errors than were sent ($unreach)" \
	[ "${unreach:-0}" -le "${C[reject_sent]}" ]
finish
