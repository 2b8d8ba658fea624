#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lifecycle under load.
#  (c) N namespaces are created (ip -batch), configured (allow and
#      subscriber entries added, one deleted, a top dump: by
#      helpers/op25b_nscycle.py, one process for all, no exec per
#      namespace) and deleted, in batches; afterwards the module still
#      answers in a fresh namespace, which starts empty.
#  (a) rmmod while SYNs flow and a writer changes the tables, then the
#      module is loaded again (plain insmod) and
#      blocks again.
#  (b) a configured gateway namespace (tables, a transaction left open by
#      a raw netlink client with staged entries, offenders from blocked
#      SYNs) is deleted while SYNs flow; the module then still answers.
# Leaks are for kmemleak, which the debug-kernel run checks after the
# suite; any kernel warning fails the run (harness).
#
# Knobs (environment):
#   OP25B_NETNS_COUNT     namespaces cycled in (c) (default 100, also in
#                         the debug-kernel run; 1000 in its long run)
#   OP25B_NETNS_BATCH     namespaces alive at once in (c) (default 25)
#   OP25B_LIFE_SECONDS    traffic/writer time before rmmod in (a) and
#                         before the namespace deletion in (b) (default 3)
# op25b: smp
. "$(dirname "$0")/../lib.sh"
require_ko
require_module
COUNT=${OP25B_NETNS_COUNT:-100}
BATCH=${OP25B_NETNS_BATCH:-25}
LIFE=${OP25B_LIFE_SECONDS:-3}
SEND_PID='' WPID='' HOLD_PID=''
trap 'kill $SEND_PID $WPID $HOLD_PID 2>/dev/null; lsmod | grep -q "^op25b " || insmod "$OP25B_KO"; cleanup' EXIT

# ---- (c) namespaces cycled
n0=$(op25b_namespaces)
cycled=0 cfgfail=0 t0=$SECONDS
while [ $cycled -lt $COUNT ]; do
	n=$((COUNT - cycled < BATCH ? COUNT - cycled : BATCH))
	names=()
	for ((i = 0; i < n; i++)); do names+=("op25b-c$SUFFIX-$i"); done
	printf 'netns add %s\n' "${names[@]}" | ip -batch - || exit 1
	# one process configures them all (no exec per namespace)
	out=$(op25b_nscycle.py "${names[@]}" 2>&1)
	good=$(sed -n 's/^configured //p' <<<"$out")
	[ "${good:-0}" -eq "$n" ] || { cfgfail=$((cfgfail + n - ${good:-0})); log "$out" | tail -5; }
	printf 'netns del %s\n' "${names[@]}" | ip -batch - || exit 1
	cycled=$((cycled + n))
done
assert "(c) ... and every one torn down" netns_torn_down "$n0"
log "(c) $cycled namespaces created, configured, deleted and torn down in $((SECONDS - t0))s"
assert_eq "(c) every namespace was configured" 0 $cfgfail
ns_new op25b-chk-$SUFFIX || exit 1
assert "(c) the module answers in a new namespace afterwards" \
	nsexec op25b-chk-$SUFFIX op25bctl allow add 192.0.2.25
assert_eq "(c) and starts empty" "192.0.2.25/32" "$(nsexec op25b-chk-$SUFFIX op25bctl allow list)"
ip netns del op25b-chk-$SUFFIX

# ---- (a) rmmod under traffic and a writer
topo_setup || exit 1
trap 'kill $SEND_PID $WPID $HOLD_PID 2>/dev/null; lsmod | grep -q "^op25b " || insmod "$OP25B_KO"; cleanup' EXIT
config_default || exit 1
writer() {
	local i=0 ok=0
	while :; do
		i=$(( (i + 1) % 200 ))
		ctl allow add 10.30.$i.0/24 2>/dev/null && ok=$((ok + 1))
		ctl exempt add 10.10.0.$((i + 50))/32 2>/dev/null && ok=$((ok + 1))
		ctl allow del 10.30.$i.0/24 2>/dev/null && ok=$((ok + 1))
		ctl exempt flush 2>/dev/null && ok=$((ok + 1))
		echo $ok >"$WORK/writer.ok"
	done
}
nsexec $NS_SUB synsend -r 100 -d 600 $ISP4 $FOREIGN4 >"$WORK/sent" 2>&1 &
SEND_PID=$!
writer &
WPID=$!
nap "$LIFE"
assert "(a) rmmod under traffic and writes" rmmod op25b
assert "(a) op25bctl says the module is not loaded" \
	bash -c "nsexec $NS_GW op25bctl status 2>&1 | grep -q 'not loaded'"
nap 1
kill $WPID; wait $WPID 2>/dev/null; WPID=
wops=$(cat "$WORK/writer.ok" 2>/dev/null || echo 0)
assert "(a) insmod again" insmod "$OP25B_KO"
config_default || exit 1
assert "(a) blocking again after reload" blocked $NS_SUB $FOREIGN4 25
assert "(a) the ISP MTA is reachable after reload" connects $NS_SUB $ISP4 25

# ---- (b) deleting a configured namespace under traffic
ctl load - <<-EOF2 || exit 1
	mode enforce
	subscriber 10.10.0.0/24
	subscriber 2001:db8:10::/64
	allow 192.0.2.25
	allow 2001:db8:ee::25
	exempt 10.10.0.200/32
	target 198.51.100.0/24
EOF2
ctl allow add -f <(for i in $(seq 0 999); do echo "10.40.$((i / 256)).$((i % 256))"; done) || exit 1
nsexec $NS_GW python3 -c '
import sys, time
sys.path.insert(0, sys.argv[1])
import op25b_rawnl as R
g = R.Genl()
T = R.U["OP25B_A_TXN"]
err, _, p = g.op("TXN_BEGIN")
tid = R.Genl.find_attr(p[4:], T, "=I")
err2, _, _ = g.op("ADD_ENTRIES", R.table(R.U["OP25B_TABLE_ALLOW"]) + R.u32(T, tid) + R.entries(R.entry4("10.77.0.0", 16)))
print("open" if not err and not err2 else "error %d %d" % (err, err2), flush=True)
time.sleep(100000)
' "$OP25B_ROOT/tests/helpers" >"$WORK/hold" 2>&1 &
HOLD_PID=$!
wait_until 10 test -s "$WORK/hold"
assert_eq "(b) a transaction is open with staged entries" open "$(cat "$WORK/hold")"
nap "$LIFE"
top=$(ctl top 2>&1)
assert "(b) there are offenders" grep -q 10.10.0.2 <<<"$top"
n1=$(op25b_namespaces)
assert "(b) deleting the configured namespace under traffic" ip netns del $NS_GW
# the transaction's owner still holds its socket, and with it the
# namespace: it goes when that socket does
kill $HOLD_PID; wait $HOLD_PID 2>/dev/null; HOLD_PID=
assert "(b) ... and it is torn down, under traffic" netns_torn_down $((n1 - 1))
kill $SEND_PID; wait $SEND_PID 2>/dev/null; SEND_PID=
ns_new op25b-chk-$SUFFIX || exit 1
assert "(b) the module still answers" nsexec op25b-chk-$SUFFIX op25bctl status >/dev/null
assert_eq "(b) a new namespace starts empty" "" "$(nsexec op25b-chk-$SUFFIX op25bctl allow list)"
ip netns del op25b-chk-$SUFFIX
log "summary: lifecycle: $cycled namespaces cycled (batch $BATCH), writer requests before rmmod $wops, rmmod+insmod 1, configured netns deleted under traffic 1"
finish
