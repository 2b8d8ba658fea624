#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# op25bctl top: three subscriber hosts make 30, 20 and 10 blocked
# attempts, and an IPv6 host 5; top ranks them in that order with exactly
# those counts (IPv6 as its /64), top N cuts the list, -j parses, and
# top reset empties it.
#
# The counts are packets.  An attempt is made exactly one SYN: mailclient
# gives up after 20 ms, long before TCP's first retransmission (1 s), and
# closing a socket in SYN_SENT sends nothing.  The blocked counter checks
# that no attempt sent more.
# op25b: smp
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1
ip -n $NS_SUB -batch - <<-EOF || exit 1
	addr add 10.10.0.3/24 dev eth0
	addr add 10.10.0.4/24 dev eth0
EOF
# neighbours resolved by connections that are allowed, so not offenders
connects $NS_SUB $ISP4 25 && connects $NS_SUB $ISP6 25 || exit 1

in_ns $NS_SUB sh -c "
	mailclient -s 10.10.0.4 -t 20 -n 30 $FOREIGN4 25
	mailclient -s 10.10.0.2 -t 20 -n 20 $FOREIGN4 25
	mailclient -s 10.10.0.3 -t 20 -n 10 $FOREIGN4 25
	mailclient -s 2001:db8:10::2 -t 20 -n 5 $FOREIGN6 25" >"$WORK/clients"
counters
assert_eq "exactly one blocked SYN per attempt" "60 5" \
	"${C[blocked_ipv4]} ${C[blocked_ipv6]}"

# rank source attempts first-seen last-seen destinations
ctl top >"$WORK/top" || fail "top"
rows=() header=
while read -r rank src n first last dests; do
	[ -z "$header" ] && { header="$rank $src"; continue; }
	rows+=("$rank $src $n $dests")
	[[ $first == ????-??-??T??:??:??Z && $last == ????-??-??T??:??:??Z ]] ||
		fail "times of $src not UTC ISO 8601: $first $last"
done <"$WORK/top"
assert_eq "header line" "rank source" "$header"
assert_eq "ranked by attempts, exact counts, one destination each" \
	"1 10.10.0.4 30 1|2 10.10.0.2 20 1|3 10.10.0.3 10 1|4 2001:db8:10::/64 5 1" \
	"$(IFS='|'; echo "${rows[*]}")"

n=0
while read -r _; do n=$((n + 1)); done < <(ctl top 2)
assert_eq "top 2: the header and two offenders" 3 "$n"

if command -v python3 >/dev/null; then
	ctl -j top >"$WORK/top.json" || fail "top -j"
	assert_eq "top -j parses, with error 0 and first <= last" \
		"65 10.10.0.4:30:0 10.10.0.2:20:0 10.10.0.3:10:0 2001:db8:10::/64:5:0" \
		"$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert all(o["first_seen"] <= o["last_seen"] for o in d["offenders"])
print(d["total"], " ".join("%s:%d:%d" % (o["source"], o["attempts"], o["error"])
			for o in d["offenders"]))' "$WORK/top.json" 2>&1)"
fi

ctl top reset || fail "top reset"
n=0
while read -r _; do n=$((n + 1)); done < <(ctl top)
assert_eq "after top reset: the header alone" 1 "$n"
in_ns $NS_SUB mailclient -s 10.10.0.3 -t 20 $FOREIGN4 25 >/dev/null
ctl top >"$WORK/top" || fail "top"
rows=()
{
	read -r _
	while read -r rank src n _; do
		rows+=("$rank $src $n")
	done
} <"$WORK/top"
assert_eq "counting resumes after reset" "1 10.10.0.3 1" "${rows[*]}"
finish
