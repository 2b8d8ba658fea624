#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The reject rate: with reject-rate 1/s burst 1, a quick series of blocked
# attempts gets a RST for the first and about one per second after; the
# rest are only dropped and counted in reject_limited.  Every attempt is
# blocked either way.
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1

ctl action reject-tcp || exit 1
ctl set reject-rate 1/s burst 1 || exit 1
out=$(ctl status)
assert "status shows the rate" has_line "$out" "reject-rate: 1/s burst 1"

# 20 attempts, each one SYN: refused at once, or dropped and given up
# after 200 ms (before TCP would retransmit)
t0=$SECONDS
read -r _ connected _ timeout _ refused _ <<<"$(in_ns $NS_SUB mailclient -t 200 -n 20 $FOREIGN4 25)"
secs=$((SECONDS - t0 + 1))
counters
assert_eq "every attempt blocked: one SYN each" 20 "${C[blocked]}"
assert_eq "rejected + reject_limited = blocked" 20 \
	"$((C[rejected] + C[reject_limited]))"
assert_eq "the client saw a RST for each one rejected" "${C[rejected]}" "$refused"
assert_eq "and a timeout for each one held back" "${C[reject_limited]}" "$timeout"
assert "at least the burst was answered (${C[rejected]})" [ "${C[rejected]}" -ge 1 ]
assert "no more than burst + rate x ${secs}s answered (${C[rejected]})" \
	[ "${C[rejected]}" -le $((1 + secs)) ]
assert "some were held back (${C[reject_limited]})" [ "${C[reject_limited]}" -gt 0 ]
assert_eq "nothing connected" 0 "$connected"

# the bucket refills: after a pause, the next attempt is answered again
sleep 1.5
read -r what _ <<<"$(in_ns $NS_SUB mailclient -v -t 2000 $FOREIGN4 25)"
assert_eq "after a pause: answered again" refused "$what"
finish
