#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fwd.sh DATA OUT [SIZE...]   (in the guest, as root)
#
# Forwarded packets per second through gw (tests/bench/guest/lib.sh) for
# four configurations of its NF_INET_FORWARD hook: none, op25b, nftables
# (interval sets), iptables + ipset (hash:net), plus none2, no hook
# measured a second time (an A/A control: the spread of none2/none is the
# noise floor any other ratio must be read against), and, when
# BENCH_CONFIGS names it, nftempty (an nftables chain at forward without
# a rule: the cost of having a hook at all) and op25bidle (op25b loaded,
# gw without a policy: op25b registers no hook there); under two loads:
# ordinary traffic (UDP from pktgen, 64-byte frames, one flow) and a SYN
# flood to port 25 (trafgen, one SYN per subscriber source of
# DATA/fwd-SIZE/flood.trafgen, round robin), and, when BENCH_LOADS names
# it, syn2: the same flood from two trafgen processes, one on each vCPU;
# and, when BENCH_CONFIGS names it, op25brej: op25b with action
# reject-tcp (every blocked SYN asks the reject limiter).  For each SIZE (subscriber
# prefixes, data in DATA/fwd-SIZE/ from gen_data.py) the sets are loaded
# once, then REPS rounds each measure every configuration under both
# loads, the order of the configurations rotating from round to round
# (report.py compares configurations round by round).
#
# A measurement: the generator starts, WARM seconds pass, then the packets
# counted during DUR seconds: UDP at inet's rx (forwarded), the flood at
# gw's rx (handled: forwarded or dropped by the hook; a veth's rx counts
# what entered the backlog, so backlog drops are not counted as handled).
#
# One line per measurement is appended to OUT:
#   fwd SIZE ROUND CONFIG LOAD PACKETS T0_US T1_US GW_RX INET_RX SUB_TXDROP
# then "busy SIZE ROUND CONFIG LOAD WHAT...": the tasks that got CPU time
# during the window (comm/tid:ticks, most first) and the softirqs raised
# (softirq:NAME:count), from lib.sh's busy_since; with BENCH_PROFILE=1
# also OUT.prof/SIZE-ROUND-CONFIG-LOAD.txt, the window's perf samples by
# function (BENCH_PROFILE_HZ, 20000 a second);
# PACKETS counted (UDP: INET_RX, flood: GW_RX) from T0 to T1 (guest clock,
# microseconds), and after it "vclk" lines (lib.sh: vclock_sync) when the
# host runs tests/bench/vcpuclock.c, from which report.py also gives
# packets per second of host CPU time that vCPU 0 (generator and
# forwarding) got.
# Environment: BENCH_REPS (5), BENCH_DUR (4), BENCH_WARM (1), BENCH_CONFIGS
# ("none op25b nft ipset none2"), BENCH_LOADS ("udp syn"), BENCH_SETTLE (3: seconds
# of rest after loading the sets, then an untimed UDP warm-up).
# Exit status 0; 1 when a measurement could not be made or a configuration
# did not do what it should (the flood passing a filter, UDP not passing).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

DATA=${1:?usage: fwd.sh DATA OUT [SIZE...]}
OUT=${2:?usage: fwd.sh DATA OUT [SIZE...]}
shift 2
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 100000)
REPS=${BENCH_REPS:-5}
DUR=${BENCH_DUR:-4}
SETTLE=${BENCH_SETTLE:-3}
WARM=${BENCH_WARM:-1}
PROFILE=${BENCH_PROFILE:-0}
read -r -a CONFIGS <<<"${BENCH_CONFIGS:-none op25b nft ipset none2}"
read -r -a LOADS <<<"${BENCH_LOADS:-udp syn}"
B_TMP=$(mktemp -d /tmp/op25b-bench.XXXXXX)
BAD=0

finish_fwd() {
	bench_cleanup
	rm -rf "$B_TMP"
	# leave op25b as we found it
	if [ "$OP25B_WAS_LOADED" = 1 ]; then op25b_load; else op25b_unload; fi
}
trap finish_fwd EXIT

for s in "${SIZES[@]}"; do
	[ -r "$DATA/fwd-$s/op25b.conf" ] && [ -r "$DATA/fwd-$s/flood.trafgen" ] ||
		bdie "no data in $DATA/fwd-$s (tests/bench/gen_data.py --prefixes $s --sources ...)"
done
for t in nft ipset iptables trafgen tc op25bctl; do
	command -v $t >/dev/null || bdie "$t is missing (tests/harness/deps.sh)"
done
[ "$PROFILE" = 0 ] || command -v perf >/dev/null || bdie "BENCH_PROFILE=1 needs perf (linux-perf)"

# this script (sleeping, reading counters, switching configurations) on
# CPU 1 when there is one; the generators and the forwarding on CPU 0
# (syn2: on both)
[ "$(nproc)" -gt 1 ] && taskset -p 2 $$ >/dev/null
topo_up || bdie "topology setup failed"
op25b_unload || bdie "cannot unload op25b"
pktgen_setup || bdie "pktgen setup failed"
blog "kernel $(uname -r), $(nproc --all) CPUs; iptables: $(iptables -V)"
blog "sizes ${SIZES[*]}, $REPS rounds, configurations ${CONFIGS[*]}, loads ${LOADS[*]}, ${WARM}s + ${DUR}s each"

# window: the measured DUR seconds; with BENCH_PROFILE=1 under perf's
# cpu-clock sampler over every CPU (in the instruction-count guest its
# samples follow instructions), which slows the path: a profile's window
# compares with other profiled windows only
window() {
	if [ "$PROFILE" = 0 ]; then
		sleep "$DUR"
		return
	fi
	perf record -a -e cpu-clock -F "${BENCH_PROFILE_HZ:-20000}" \
		-o "$B_TMP/perf.data" -- sleep "$DUR" >/dev/null 2>&1
}

# profile_out NAME: the window's samples by function, "SAMPLES SYMBOL",
# in OUT.prof/NAME.txt
profile_out() {
	mkdir -p "$OUT.prof"
	perf report -i "$B_TMP/perf.data" --stdio --no-children --sort sym \
		-F sample,sym -q 2>/dev/null |
		awk '{ print $1, $NF }' >"$OUT.prof/$1.txt"
	rm -f "$B_TMP/perf.data"
}

# measure SIZE ROUND CONFIG LOAD DATADIR
measure() {
	local size=$1 round=$2 cfg=$3 load=$4 dir=$5 g0 i0 d0 t0 n pps secs dg di r0 rst busy
	case $load in
	udp) gen_start_udp ;;
	syn) gen_start_flood "$dir/flood.trafgen" ;;
	syn2) gen_start_flood "$dir/flood.trafgen" 2 ;;
	esac
	wait_flowing || { gen_stop; return 1; }
	sleep "$WARM"
	# UDP is counted where it leaves gw, the flood where it enters
	local at=gw
	[ "$load" = udp ] && at=inet
	gw_counter reject_sent
	r0=$GWC
	busy_mark "$B_TMP/busy"
	counters $at
	g0=$CNT_GW_RX i0=$CNT_INET_RX d0=$CNT_SUB_TXDROP t0=$CNT_T
	window
	counters $at
	busy=$(busy_since "$B_TMP/busy")
	gw_counter reject_sent
	gen_stop
	# the flood's sources are routed through inet, and so are op25brej's
	# resets to them: what reached inet, less the resets sent meanwhile
	rst=$((GWC - r0))
	dg=$((CNT_GW_RX - g0))
	di=$((CNT_INET_RX - i0))
	n=$dg
	[ "$load" = udp ] && n=$di
	secs=$(awk -v a="$t0" -v b="$CNT_T" 'BEGIN { printf "%.3f", (b - a) / 1e6 }')
	pps=$(awk -v n=$n -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
	echo "fwd $size $round $cfg $load $n $t0 $CNT_T $dg $di $((CNT_SUB_TXDROP - d0))" >>"$OUT"
	echo "busy $size $round $cfg $load $busy" >>"$OUT"
	[ "$PROFILE" = 0 ] || profile_out "$size-$round-$cfg-$load"
	vclock_sync "$OUT"
	blog "$(printf '%-7s round %d %-6s %-4s %9s pps  (gw rx %d, inet rx %d, backlog drops %d, %ss)' \
		"$size" "$round" "$cfg" "$load" "$pps" "$dg" "$di" $((CNT_SUB_TXDROP - d0)) "$secs")"
	# what each configuration must do: forward UDP; drop the flood
	# (every SYN is from a subscriber to a foreign MTA), except with
	# no filter (op25bidle: op25b loaded, gw without a policy)
	local filter=1
	[[ $cfg == none* || $cfg == nftempty || $cfg == op25bidle ]] && filter=0
	if [ "$dg" -le 0 ]; then
		blog "FAIL: nothing reached gw"
		BAD=1
	elif [ "$load" = udp ] && [ "$di" -lt $((dg * 9 / 10)) ]; then
		blog "FAIL: $cfg forwarded $di of $dg UDP packets"
		BAD=1
	elif [ "$load" != udp ] && [ $filter = 1 ] && [ $((di - rst)) -gt $((dg / 100)) ]; then
		blog "FAIL: $cfg let $((di - rst)) of $dg flood SYNs through ($rst resets)"
		BAD=1
	elif [ "$load" != udp ] && [ $filter = 0 ] && [ "$di" -lt $((dg * 9 / 10)) ]; then
		blog "FAIL: without a filter only $di of $dg SYNs were forwarded"
		BAD=1
	elif [ "$cfg" = op25brej ] && [ "$load" != udp ] &&
		{ gw_counter reject_limited; [ "$rst" -le 0 ] || [ "$GWC" -le 0 ]; }; then
		# resets sent in the window, and the limiter refusing past its
		# rate: it was asked for every packet
		blog "FAIL: op25brej sent no reset, or its limiter never refused one"
		BAD=1
	fi
	return 0
}

for size in "${SIZES[@]}"; do
	dir=$DATA/fwd-$size
	t0=$(now_us)
	sets_load "$dir" || bdie "loading the nft and ipset sets of $size prefixes failed"
	blog "$size prefixes: nft and ipset sets loaded in $((($(now_us) - t0) / 1000)) ms"
	# let the loads' deferred work (RCU callbacks, frees) finish, and
	# the path warm up, before the first measurement
	sleep "$SETTLE"
	gen_start_udp
	wait_flowing && sleep "$WARM"
	gen_stop
	n=${#CONFIGS[@]}
	for ((r = 0; r < REPS; r++)); do
		for ((k = 0; k < n; k++)); do
			cfg=${CONFIGS[$(((k + r) % n))]}
			cfg_on "$cfg" "$dir" || bdie "configuration $cfg failed"
			blog "hooks: $(hooks_desc)"
			for load in "${LOADS[@]}"; do
				measure "$size" "$r" "$cfg" "$load" "$dir" || BAD=1
			done
			cfg_off "$cfg" || bdie "removing configuration $cfg failed"
		done
	done
done
exit $BAD
