#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# About 2-4 minutes under TCG (three dozen op25bctl runs, two alert
# windows), more on a busy machine:
# op25b: long 50
# op25b: timeout 600
# "op25bctl monitor": the module's events as a stream, like nft monitor.
#  (a) joining needs CAP_NET_ADMIN over the namespace: nobody is refused
#      (exit 2, the permission message); a container's root monitors its
#      own namespace and sees none of the gateway's changes;
#  (b) config events: with two writers and a load running at once, every
#      committed change gives one event, the generations consecutive and
#      the last one the namespace's; each writer's changes in its order;
#      a refused request gives none;
#  (c) offender alerts ("set alert 5 per 12"): exactly one alert per
#      source and window once it reaches 5 attempts, none for a source
#      under it, a second one in the next window; the source cut to /24
#      while log privacy is on, whole with it off; the alerts counter;
#      The example tools/examples/op25b-alerts-syslog, started before the
#      writers of (b), turns the same alerts into syslog lines (logger to
#      a socket of the test's: the guest runs no syslog daemon);
#  (d) a listener that does not read loses events (ENOBUFS), the writers
#      never wait for it, and monitor says "events lost" and goes on.
. "$(dirname "$0")/../lib.sh"
need setpriv unshare nsenter python3
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1
ip -n $NS_SUB addr add 10.10.0.3/24 dev eth0 || exit 1
syn_counter $NS_SUB || exit 1
MON_PID='' SYSLOG_PID='' EXAMPLE_PID=''
stop_all() {
	kill $MON_PID $CPID $SYSLOG_PID 2>/dev/null
	[ -z "$EXAMPLE_PID" ] || kill -- -"$EXAMPLE_PID" 2>/dev/null
}
trap 'stop_all; cleanup' EXIT
PERM="CAP_NET_ADMIN is needed in the user namespace that owns this network namespace"

gen() { awk '$1 == "generation" { print $2 }' "$GWPROC/status"; }
# a change that is one (setting a value to what it is commits nothing and
# says nothing): reject-rate 2001, 2002, ...
JOIN=0
join_change() { JOIN=$((JOIN + 1)); "$@" op25bctl set reject-rate $((2000 + JOIN)); }
# monitor_start FILE: monitor -j all in gw's namespace into FILE, and
# back once it has joined (a change made until it shows one: its event)
monitor_start() {
	local f=$1
	: >"$f"
	# appended: the file may be emptied while it runs
	nsexec $NS_GW op25bctl -j monitor all >>"$f" 2>"$f.err" &
	MON_PID=$!
	_joined() { join_change nsexec $NS_GW && [ -s "$f" ]; }
	wait_until 20 _joined
}
monitor_stop() {
	kill -INT $MON_PID
	wait $MON_PID
	local rc=$?
	MON_PID=
	return $rc
}

# ---- (a) who may listen ----
out=$(in_ns $NS_GW setpriv --reuid=65534 --regid=65534 --clear-groups op25bctl monitor 2>&1)
rc=$?
if [ "$rc" = 2 ] && [[ $out == *"$PERM"* ]]; then
	ok "nobody: monitor refused (exit 2, the permission message)"
else
	fail "nobody: monitor refused with exit 2 and '$PERM': exit $rc: $out"
fi
container_start || { fail "the container did not start"; finish; }
"${CONTAINER[@]}" op25bctl -j monitor config >"$WORK/c.json" 2>"$WORK/c.err" &
CMON=$!
_cjoined() { join_change in_container && [ -s "$WORK/c.json" ]; }
wait_until 20 _cjoined || fail "container: its monitor shows its own change: $(cat "$WORK/c.err")"
ctl allow add 192.0.2.99 || fail "allow add on the gateway"
in_container op25bctl set reject-rate 77 || fail "container: a second change"
_c2() { grep -q '"new":"77"' "$WORK/c.json"; }
wait_until 20 _c2 || fail "container: its monitor shows its second change"
kill -INT $CMON
wait $CMON
assert_eq "container: its monitor saw its own changes (set) and none of the gateway's (add)" \
	"set" "$(python3 -c 'import json,sys; print(" ".join(sorted(set(json.loads(l)["event"] for l in sys.stdin))))' <"$WORK/c.json")"
ctl allow del 192.0.2.99 || fail "allow del"

# ---- the alerts example, on a syslog socket of ours ----
python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "ab", buffering=0) as f:
    print("ready", flush=True)
    while True:
        f.write(s.recv(65536) + b"\n")
' "$WORK/log.sock" "$WORK/syslog" >"$WORK/syslog.ready" &
SYSLOG_PID=$!
wait_until 10 grep -q ready "$WORK/syslog.ready" || fail "the syslog socket"
# its own process group: the script, monitor and logger go together
LOGGER_OPTS="--socket $WORK/log.sock" setsid "$OP25B_ROOT/tools/examples/op25b-alerts-syslog" $NS_GW \
	>"$WORK/example.out" 2>&1 &
EXAMPLE_PID=$!

# ---- (b) config events under concurrent writers ----
monitor_start "$WORK/m.json" config || { fail "monitor did not start: $(cat "$WORK/m.json.err")"; finish; }
G0=$(gen)
# writer A: 12 subscribers added and removed, one request each (a delete
# fails when the load came in between, which replaces the tables: then it
# must give no event); writer B: reject-rate 101 .. 112; a load in
# between; a refused request or two
# req CMD...: op25bctl CMD in gw, again while the load's transaction holds
# the namespace (writers then get EBUSY, by design)
req() {
	local out
	while :; do
		out=$(nsexec $NS_GW op25bctl "$@" 2>&1) && return 0
		[[ $out == *"a transaction (op25bctl load) is open"* ]] || { echo "$out" >&2; return 1; }
		# not sooner: each try is two execs, which slow the load on
		# the debug kernel (tries every 0.1 s doubled its run time)
		nap 0.5
	done
}
writer_a() {
	local i op
	for i in $(seq 1 12); do
		for op in add del; do
			if req subscriber $op 10.50.$i.0/24 2>/dev/null; then
				echo "$op ok"
			else
				echo "$op refused"
			fi
		done
	done
}
writer_b() {
	local i
	for i in $(seq 101 112); do
		req set reject-rate $i || echo fail
	done
}
writer_a >"$WORK/a.ops" 2>&1 &
A=$!
writer_b >"$WORK/b.out" 2>&1 &
B=$!
printf 'subscriber 10.10.0.0/24\nsubscriber 2001:db8:10::/64\nallow %s\nallow %s\n' $ISP4 $ISP6 >"$WORK/load.conf"
ctl load "$WORK/load.conf" || fail "load"
assert_eq "a refused request: exit 2 (no such entry)" 2 "$(ctl exempt del 10.99.0.1 >/dev/null 2>&1; echo $?)"
assert_eq "a refused setting: exit 2" 2 "$(ctl set reject-rate 0 >/dev/null 2>&1; echo $?)"
wait $A
wait $B
assert_eq "writer B's requests all succeeded" "" "$(cat "$WORK/b.out")"
assert_eq "writer A's adds all succeeded" 12 "$(grep -c '^add ok$' "$WORK/a.ops")"
NA=$(grep -c ' ok$' "$WORK/a.ops")
G1=$(gen)
_caught_up() { [ "$(tail -n1 "$WORK/m.json" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("generation"))')" = "$G1" ]; }
wait_until 20 _caught_up || fail "the monitor's last event is the namespace's generation $G1"
monitor_stop || fail "monitor exits 0 on SIGINT"
python3 - "$WORK/m.json" "$G0" "$G1" "$WORK/a.ops" >"$WORK/check.txt" <<'EOF'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
g0, g1 = int(sys.argv[2]), int(sys.argv[3])
a_ok = [l.split()[0] for l in open(sys.argv[4]) if l.endswith(" ok\n")]
after = [e for e in ev if e["generation"] > g0]
gens = [e["generation"] for e in after]
print("consecutive", gens == list(range(g0 + 1, g1 + 1)))
print("count", len(after))
a = [(e["event"], e["entries"]) for e in after if e["event"] in ("add", "del") and e["table"] == "subscriber"]
print("writer_a", a == [(op, 1) for op in a_ok])
b = [e["changes"]["reject_rate"]["new"] for e in after if e["event"] == "set" and "reject_rate" in e["changes"]]
print("writer_b", b == [str(i) for i in range(101, 113)])
loads = [(e["entries"], e["tables"]) for e in after if e["event"] == "load"]
print("load", loads)
print("others", sorted(set(e["event"] for e in after) - {"add", "del", "set", "load"}))
print("pid", all(e["pid"] > 0 and e["uid"] == 0 for e in after))
EOF
assert_eq "every change once, generations $G0+1 .. $G1 consecutive" "consecutive True" "$(sed -n 1p "$WORK/check.txt")"
assert_eq "... A's $NA + B's 12 + the load's 1, none for the refused requests" "count $((NA + 13))" "$(sed -n 2p "$WORK/check.txt")"
assert_eq "... writer A's adds and deletes that succeeded, in its order" "writer_a True" "$(sed -n 3p "$WORK/check.txt")"
assert_eq "... writer B's settings in its order (old -> new)" "writer_b True" "$(sed -n 4p "$WORK/check.txt")"
assert_eq "... the load: 4 entries in 2 tables" "load [(4, 2)]" "$(sed -n 5p "$WORK/check.txt")"
assert_eq "... nothing else" "others []" "$(sed -n 6p "$WORK/check.txt")"
assert_eq "... each with the writer's pid and uid" "pid True" "$(sed -n 7p "$WORK/check.txt")"
assert_eq "monitor said nothing on stderr" "" "$(cat "$WORK/m.json.err")"

# ---- (c) offender alerts ----
ctl set alert 5 per 12 || fail "set alert 5 per 12"
assert "status shows it" bash -c "nsexec $NS_GW op25bctl status | grep -qx 'alert: 5 per 12s'"
monitor_start "$WORK/al.json" || { fail "monitor alerts did not start"; finish; }
s0=$(syns $NS_SUB)
t0=$(date +%s)
# one process each: the attempts of a source fall within a window
in_ns $NS_SUB mailclient -s 10.10.0.2 -t 20 -n 8 $FOREIGN4 25 >/dev/null
in_ns $NS_SUB mailclient -s 10.10.0.3 -t 20 -n 3 $FOREIGN4 25 >/dev/null
in_ns $NS_SUB mailclient -t 20 -n 6 $FOREIGN6 25 >/dev/null
assert_eq "17 SYNs sent (one per attempt)" 17 $(($(syns $NS_SUB) - s0))
_alerts() { [ "$(grep -c '"event":"alert"' "$WORK/al.json")" -ge "$1" ]; }
wait_until 20 _alerts 2 || fail "two alerts"
nap 2		# none more may come
alerts_of() { python3 -c '
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["event"] == "alert":
        print(e["event"], e["source"], e["attempts"], e["seconds"], e["iif"], e["verdict"])
' "$1" | sort; }
assert_eq "one alert per source that reached 5 in 12 s (privacy on: /24, /48), none for 10.10.0.3's 3" \
	"alert 10.10.0.0/24 5 12 vsub block
alert 2001:db8:10::/48 5 12 vsub block" "$(alerts_of "$WORK/al.json")"
counters
assert_eq "the alerts counter" 2 "${C[alerts]}"
_logged() { [ "$(grep -c 'op25b-alert: alert' "$WORK/syslog")" -ge 2 ]; }
wait_until 10 _logged
assert_eq "the example made them syslog lines: auth.warning, tag op25b-alert" \
	"<36> op25b-alert: alert 10.10.0.0/24 5 attempts in 12s in=vsub (block)
<36> op25b-alert: alert 2001:db8:10::/48 5 attempts in 12s in=vsub (block)" \
	"$(sed -nE 's/^(<[0-9]+>).* (op25b-alert: .*)/\1 \2/p' "$WORK/syslog" | sort)"
kill -- -"$EXAMPLE_PID"
EXAMPLE_PID=
# the next window of 10.10.0.2, whole addresses now
ctl set log privacy off || fail "privacy off"
_next_window() { [ $(($(date +%s) - t0)) -ge 13 ]; }
wait_until 20 _next_window
: >"$WORK/al.json"
in_ns $NS_SUB mailclient -s 10.10.0.2 -t 20 -n 6 $FOREIGN4 25 >/dev/null
wait_until 20 _alerts 1 || fail "an alert in the next window"
nap 1
assert_eq "a second window gives a second alert, the source whole with privacy off" \
	"alert 10.10.0.2/32 5 12 vsub block" "$(alerts_of "$WORK/al.json")"
monitor_stop || fail "monitor exits 0"
ctl set alert off || fail "set alert off"

# ---- (d) a listener that does not read ----
monitor_start "$WORK/slow.json" config || fail "monitor (to be stopped)"
kill -STOP $MON_PID
out=$(in_ns $NS_GW op25b_rawnl.py slowlistener 2000)
log "$out"
n=$(sed -nE 's/^changes 2000 failed ([0-9]+); listener read ([0-9]+) events, then errno ([0-9]+)$/\1 \3/p' <<<"$out")
assert_eq "2000 changes beside a listener that does not read: none failed, the listener gets ENOBUFS" "0 105" "$n"
kill -CONT $MON_PID
# Resumed, the monitor first reads what is still queued: a change made
# before it has finds the socket full again and is lost to it as well
# (seen on the debug kernel, where the ctl comes sooner since nsexec).
# So changes are made, reject-rate 1001, 1002, ..., until one shows.
RR=1000
_goes_on() {
	RR=$((RR + 1))
	ctl set reject-rate $RR || return 1
	nap 2
	grep -q '"reject_rate":{"old":"[0-9]*","new":"1[0-9][0-9][0-9]"}' "$WORK/slow.json"
}
wait_until 30 _goes_on || fail "the stopped monitor, resumed, goes on to a later change"
assert "... and says events were lost" grep -q "events lost (this reader was too slow)" "$WORK/slow.json.err"
monitor_stop || fail "monitor exits 0 after losing events"
finish
