#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Logging: off by default; "set log on" writes one kernel log line per
# blocked attempt, with privacy on the addresses cut to /24 and /48;
# privacy off prints them whole; "set log off" stops it; the log rate
# holds back the excess, counted in log_suppressed.  The gateway is a
# namespace of its own, which logs only while the host allows it
# (74-tenants checks the refusal).
# On the debug kernel, 76-attempts-and-answers logs every attempt
# (set log on rate 1000, privacy off):
# op25b: nodebug
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1
allow_netns_log || exit 1
# a line per attempt: the SYNs the subscriber really sent are the witness
syn_counter $NS_SUB || exit 1

CUT4="op25b: blocked TCP 10.10.0.0/24 -> 198.51.100.0/24:25 in=vsub"
CUT6="op25b: blocked TCP 2001:db8:10::/48 -> 2001:db8:ff::/48:25 in=vsub"
FULL4="op25b: blocked TCP $SUB4 -> $FOREIGN4:25 in=vsub"
ANY="op25b: blocked TCP "

# lines LINE: how many kernel log lines contain LINE
lines() { dmesg | grep -cF -- "$1"; }

n0=$(lines "$ANY")
blocked $NS_SUB $FOREIGN4 25 || fail "blocked"
assert_eq "log off (the default): no line" "$n0" "$(lines "$ANY")"

ctl set log on || exit 1
out=$(ctl status)
assert "status: log on, privacy on" has_line "$out" "log: on rate 10/s burst 5 privacy on"
c4=$(lines "$CUT4") c6=$(lines "$CUT6")
s0=$(syns $NS_SUB)
blocked $NS_SUB $FOREIGN4 25 || fail "blocked"
s4=$(($(syns $NS_SUB) - s0))
blocked $NS_SUB $FOREIGN6 25 || fail "blocked"
s6=$(($(syns $NS_SUB) - s0 - s4))
assert_eq "log on: a line per IPv4 SYN sent, cut to /24" $((c4 + s4)) "$(lines "$CUT4")"
assert_eq "log on: a line per IPv6 SYN sent, cut to /48" $((c6 + s6)) "$(lines "$CUT6")"
counters
assert_eq "logged counts them" $((s4 + s6)) "${C[logged]}"

ctl set log privacy off || exit 1
f4=$(lines "$FULL4") f6=$(lines "$ANY$SUB6 -> ")
s0=$(syns $NS_SUB)
blocked $NS_SUB $FOREIGN4 25 || fail "blocked"
p4=$(($(syns $NS_SUB) - s0))
blocked $NS_SUB $FOREIGN6 25 || fail "blocked"
p6=$(($(syns $NS_SUB) - s0 - p4))
assert_eq "privacy off: the full IPv4 addresses" $((f4 + p4)) "$(lines "$FULL4")"
out=$(dmesg | grep -F -- "$ANY$SUB6 -> " | tail -1)
assert_eq "privacy off: the full IPv6 addresses" $((f6 + p6)) "$(lines "$ANY$SUB6 -> ")"
assert "... without a prefix length ($out)" [ "${out/\/}" = "$out" ]

ctl set log off || exit 1
n1=$(lines "$ANY")
blocked $NS_SUB $FOREIGN4 25 || fail "blocked"
assert_eq "log off: no line" "$n1" "$(lines "$ANY")"
counters
all=$((s4 + s6 + p4 + p6))
assert_eq "logged: every attempt while log was on ($all)" $all "${C[logged]}"

# the rate: burst 1, 1/s; of 6 quick attempts, the first is logged, and
# about one more per second; the rest are suppressed
ctl set log on rate 1/s burst 1 || exit 1
t0=$SECONDS
s0=$(syns $NS_SUB)
in_ns $NS_SUB mailclient -t 100 -n 6 $FOREIGN4 25 >/dev/null
n=$(($(syns $NS_SUB) - s0))
secs=$((SECONDS - t0 + 1))
counters
logged=$((C[logged] - all))
assert "rate limited: 1 to 1 + ${secs} of $n attempts logged ($logged)" \
	[ $logged -ge 1 -a $logged -le $((1 + secs)) -a $logged -lt $n ]
assert_eq "the others counted in log_suppressed" $((n - logged)) "${C[log_suppressed]}"
finish
