#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# NFLOG into the carrier's own pipeline: "set log group 25" hands each
# logged attempt to nfnetlink_log; ulogd2 (Debian's, with the JSON output)
# runs in the gateway's namespace on the example file op25b ships
# (packaging/ulogd-op25b.conf, its output file moved to this test's
# directory) and writes a JSON line per attempt from two subscribers, with
# source, destination, port 25, input interface and the prefix; tcpdump
# -i nflog:25 sees the same packets (before, as a group has one listener
# at a time); past the log rate the lines stop;
# with log privacy on the addresses are cut; monitor mode says
# "monitored"; kernel log lines and NFLOG together; "group off" stops it.
# The witness is what the subscriber's SYN counter says it sent.
# op25b: long 35
. "$(dirname "$0")/../lib.sh"
need ulogd tcpdump python3
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1
ip -n $NS_SUB addr add 10.10.0.3/24 dev eth0 || exit 1
syn_counter $NS_SUB || exit 1
ULOGD_PID='' DUMP_PID=''
trap 'kill $ULOGD_PID $DUMP_PID 2>/dev/null; cleanup' EXIT

# attempts: two from 10.10.0.2, one from 10.10.0.3, one over IPv6; N is
# how many SYNs the subscriber really sent
attempts() {
	local s0
	s0=$(syns $NS_SUB)
	in_ns $NS_SUB mailclient -s 10.10.0.2 -t 20 -n 2 $FOREIGN4 25 >/dev/null
	in_ns $NS_SUB mailclient -s 10.10.0.3 -t 20 -n 1 $FOREIGN4 25 >/dev/null
	in_ns $NS_SUB mailclient -t 20 -n 1 $FOREIGN6 25 >/dev/null
	N=$(($(syns $NS_SUB) - s0))
}
WANT="10.10.0.2 198.51.100.25 25 vsub op25b blocked
10.10.0.2 198.51.100.25 25 vsub op25b blocked
10.10.0.3 198.51.100.25 25 vsub op25b blocked
2001:db8:10::2 2001:db8:ff::25 25 vsub op25b blocked"

ctl set log group 25 privacy off || exit 1
assert "status shows NFLOG" bash -c "nsexec $NS_GW op25bctl status | grep -qx 'nflog: on group 25 prefix op25b snaplen 0'"

# tcpdump first: a group has one listener at a time
nsexec $NS_GW tcpdump -n -U -i nflog:25 -w "$WORK/nflog.pcap" 2>"$WORK/tcpdump.log" &
DUMP_PID=$!
wait_until 20 grep -q "listening on" "$WORK/tcpdump.log" || fail "tcpdump did not start: $(cat "$WORK/tcpdump.log")"
attempts
_dumped() { [ "$(tcpdump -n -r "$WORK/nflog.pcap" 2>/dev/null | wc -l)" -ge "$N" ]; }
wait_until 20 _dumped || fail "tcpdump got less than $N packets"
kill $DUMP_PID
wait $DUMP_PID 2>/dev/null
DUMP_PID=
# its group binding goes when the kernel releases its socket, a little later
_bound() { in_ns $NS_GW awk '$1 == 25 { f = 1 } END { exit !f }' /proc/net/netfilter/nfnetlink_log; }
_unbound() { ! _bound; }
wait_until 20 _unbound || fail "tcpdump's binding of group 25 stayed"
assert_eq "tcpdump -i nflog:25 sees the attempts, their prefix and interface" \
	"$(sed 's/ vsub op25b blocked//' <<<"$WANT")" \
	"$(tcpdump -n -r "$WORK/nflog.pcap" 2>/dev/null |
		sed -nE 's/.* IP6? ([0-9a-f:.]+)\.[0-9]+ > ([0-9a-f:.]+)\.(25): .*/\1 \2 \3/p' | sort)"
counters
n1=$N
assert_eq "nflogged counts them" "$n1" "${C[nflogged]}"

JSON=$WORK/op25b.json
# its output and its own log (syslog in the file: the guest has none)
sed -e "s|^file=.*|file=\"$JSON\"|" -e "s|^logfile=.*|logfile=\"$WORK/ulogd.log\"|" \
	"$OP25B_ROOT/packaging/ulogd-op25b.conf" >"$WORK/ulogd.conf" || exit 1
assert "the example file logs group 25 to a JSON file" \
	grep -qx 'group=25' "$WORK/ulogd.conf"
# ulogd2 loads every plugin it finds; the ones without their libraries
# (databases) say so and are skipped
nsexec $NS_GW ulogd -c "$WORK/ulogd.conf" -v >"$WORK/ulogd.out" 2>&1 &
ULOGD_PID=$!
wait_until 30 _bound || { fail "ulogd did not bind group 25: $(tail -5 "$WORK/ulogd.log")"; finish; }

# lines_json: the JSON lines so far
lines_json() { [ -f "$JSON" ] && wc -l <"$JSON" || echo 0; }
_have() { [ "$(lines_json)" -ge "$1" ]; }
attempts
wait_until 20 _have $N || fail "ulogd wrote $(lines_json) lines for $N attempts: $(tail -5 "$WORK/ulogd.log")"
nap 1	# nothing more must come
assert_eq "a JSON line per attempt" "$N" "$(lines_json)"
counters
assert_eq "nflogged counts them" $((n1 + N)) "${C[nflogged]}"
assert_eq "the JSON lines: sources, destination, port, interface, prefix" "$WANT" \
	"$(python3 -c '
import json, sys
rows = []
for line in open(sys.argv[1]):
    d = json.loads(line)
    rows.append("%s %s %s %s %s" % (d.get("src_ip"), d.get("dest_ip"),
        d.get("dest_port"), d.get("oob.in"), d.get("oob.prefix")))
print("\n".join(sorted(rows)))' "$JSON" 2>&1)"

# past the log rate the lines stop; what is held back is counted
ctl set log rate 1/s burst 2 || exit 1
l0=$(lines_json) s0=$(syns $NS_SUB) t0=$SECONDS
counters
sup0=${C[log_suppressed]}
in_ns $NS_SUB mailclient -t 20 -n 10 $FOREIGN4 25 >/dev/null
n=$(($(syns $NS_SUB) - s0)) secs=$((SECONDS - t0 + 1))
nap 1
got=$(($(lines_json) - l0))
counters
assert "the rate: 2 to 2 + $secs of $n attempts written ($got)" \
	[ "$got" -ge 2 -a "$got" -le $((2 + secs)) -a "$got" -lt "$n" ]
assert_eq "the rest counted in log_suppressed" $((n - got)) $((C[log_suppressed] - sup0))

# privacy on: no full subscriber address leaves op25b, NFLOG included
ctl set log rate 100/s burst 100 privacy on || exit 1
l0=$(lines_json)
in_ns $NS_SUB mailclient -s 10.10.0.3 -t 20 $FOREIGN4 25 >/dev/null
in_ns $NS_SUB mailclient -t 20 $FOREIGN6 25 >/dev/null
wait_until 20 _have $((l0 + 2)) || fail "no lines with privacy on"
assert_eq "privacy on: the addresses cut to /24 and /48" \
	"10.10.0.0 198.51.100.0 25
2001:db8:10:: 2001:db8:ff:: 25" \
	"$(tail -n +$((l0 + 1)) "$JSON" | python3 -c '
import json, sys
print("\n".join(sorted("%s %s %s" % (d["src_ip"], d["dest_ip"], d["dest_port"])
                       for d in map(json.loads, sys.stdin))))' 2>&1)"

# monitor mode says so; kernel log lines and NFLOG both
allow_netns_log || exit 1
ctl mode monitor || exit 1
ctl set log on || exit 1
l0=$(lines_json) k0=$(dmesg | grep -c "op25b: monitored TCP 10.10.0.0/24")
in_ns $NS_SUB mailclient -t 2000 $FOREIGN4 25 >/dev/null
wait_until 20 _have $((l0 + 1)) || fail "no line in monitor mode"
assert "monitor mode: the prefix says monitored" \
	grep -q '"oob.prefix": *"op25b monitored"' <(tail -n +$((l0 + 1)) "$JSON")
assert "and the kernel log line as well" \
	[ "$(dmesg | grep -c "op25b: monitored TCP 10.10.0.0/24")" -gt "$k0" ]
ctl mode enforce || exit 1

ctl set log off group off || exit 1
l0=$(lines_json)
in_ns $NS_SUB mailclient -t 20 -n 3 $FOREIGN4 25 >/dev/null
nap 2
assert_eq "group off: no more lines" "$l0" "$(lines_json)"
assert "status: nflog off" bash -c "nsexec $NS_GW op25bctl status | grep -qx 'nflog: off'"
finish
