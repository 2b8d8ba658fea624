#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared by the guest benchmarks (fwd.sh, load.sh, kmod.sh; run in a QEMU
# guest by tests/bench/run.sh or by tests/scenarios/50-bench-smoke.sh).
#
# The forwarding topology, three namespaces, fixed MACs (the trafgen
# configuration of gen_data.py names them):
#
#   sub  eth0 10.10.0.2/24 ─── vsub 10.10.0.1/24  gw  vinet 203.0.113.1/24 ─── eth0 203.0.113.2/24  inet
#        02:0b:00:00:00:02     02:0b:00:00:00:01       02:0b:00:00:01:01      02:0b:00:00:01:02
#
# gw forwards (default route to inet, a permanent neighbour entry, so no
# ARP); inet drops everything at tc ingress (its rx counter has counted it
# by then: a veth's rx is its peer's successful tx).  The generators run in
# sub: pktgen (its kernel thread of sub's namespace, CPU 0) for ordinary
# UDP traffic, trafgen (one process, CPU 0, TX_RING, qdisc bypass) for the
# SYN flood.  Counters are read through /proc/PID/net/dev of one sleeper
# per namespace, by builtins: no exec in a measurement window.

BENCH_ROOT=${OP25B_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
export PATH="$BENCH_ROOT/tools/op25bctl:$BENCH_ROOT/build/host:$PATH"
BENCH_KO=${OP25B_KO:-$BENCH_ROOT/build/$(uname -r)/op25b.ko}

B_SUF=$$
NS_SUB=bsub-$B_SUF
NS_GW=bgw-$B_SUF
NS_INET=binet-$B_SUF
MAC_SUB=02:0b:00:00:00:02
MAC_GW_SUB=02:0b:00:00:00:01
MAC_GW_INET=02:0b:00:00:01:01
MAC_INET=02:0b:00:00:01:02
UDP_DST=198.51.100.80

B_PIDS=()	# sleepers, one per namespace
PID_SUB= PID_GW= PID_INET=
GEN_PID=	# a running generator (pktgen's "start" writer or trafgen)
GEN_PGRP=0	# 1: GEN_PID leads a process group (trafgen)
OP25B_WAS_LOADED=0

blog() { printf '[bench] %s\n' "$*" >&2; }
bdie() { blog "FATAL: $*"; exit 1; }

# now_us: microseconds since the epoch, by a builtin
now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }

op25b_loaded() { [ -d /sys/module/op25b ]; }

op25b_load() {
	op25b_loaded && return 0
	[ -e "$BENCH_KO" ] || { blog "no $BENCH_KO (make module)"; return 1; }
	insmod "$BENCH_KO"
}

op25b_unload() {
	op25b_loaded || return 0
	rmmod op25b
}

# sleeper NS: a process in NS (its pid in SLEEPER), to read NS's
# /proc/PID/net by builtins
sleeper() {
	local ns=$1 pid i
	ip netns exec "$ns" sleep 1000000 </dev/null >/dev/null 2>&1 &
	pid=$!
	B_PIDS+=("$pid")
	for ((i = 0; i < 100; i++)); do
		[ /proc/$pid/ns/net -ef "/run/netns/$ns" ] && break
		sleep 0.05
	done
	[ /proc/$pid/ns/net -ef "/run/netns/$ns" ] || return 1
	SLEEPER=$pid
}

bench_cleanup() {
	gen_stop
	local p ns
	for p in "${B_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for ns in "$NS_SUB" "$NS_GW" "$NS_INET"; do
		ip netns del "$ns" 2>/dev/null
	done
	wait 2>/dev/null
}

# bench_modules: what the benchmarks use, loaded up front so that a
# failure names the module (autoloading would only say "Unknown device
# type" or "Protocol not supported")
BENCH_MODULES="veth sch_ingress cls_matchall act_gact pktgen nfnetlink nf_tables
	nft_compat ip_set ip_set_hash_net xt_set"
bench_modules() {
	local m
	for m in $BENCH_MODULES; do
		modprobe "$m" 2>&1 || { blog "modprobe $m failed (the host's /lib/modules rewritten while the guest runs? a guest caches it)"; return 1; }
	done
}

topo_up() {
	op25b_loaded && OP25B_WAS_LOADED=1
	bench_modules || return 1
	sysctl -qw net.core.devconf_inherit_init_net=1 2>/dev/null
	ip -batch - <<-EOF || return 1
		netns add $NS_SUB
		netns add $NS_GW
		netns add $NS_INET
		link add eth0 netns $NS_SUB address $MAC_SUB type veth peer name vsub netns $NS_GW address $MAC_GW_SUB
		link add vinet netns $NS_GW address $MAC_GW_INET type veth peer name eth0 netns $NS_INET address $MAC_INET
	EOF
	ip -n "$NS_SUB" -batch - <<-EOF || return 1
		link set lo up
		link set eth0 up
		addr add 10.10.0.2/24 dev eth0
		route add default via 10.10.0.1
		neigh replace 10.10.0.1 lladdr $MAC_GW_SUB dev eth0 nud permanent
	EOF
	ip -n "$NS_GW" -batch - <<-EOF || return 1
		link set lo up
		link set vsub up
		link set vinet up
		addr add 10.10.0.1/24 dev vsub
		addr add 203.0.113.1/24 dev vinet
		route add default via 203.0.113.2
		neigh replace 203.0.113.2 lladdr $MAC_INET dev vinet nud permanent
	EOF
	ip -n "$NS_INET" -batch - <<-EOF || return 1
		link set lo up
		link set eth0 up
		addr add 203.0.113.2/24 dev eth0
		route add default via 203.0.113.1
	EOF
	ip netns exec "$NS_GW" sysctl -qw net.ipv4.ip_forward=1 || return 1
	tc -n "$NS_INET" qdisc add dev eth0 clsact || return 1
	tc -n "$NS_INET" filter add dev eth0 ingress matchall action drop || return 1
	sleeper "$NS_SUB" && PID_SUB=$SLEEPER || return 1
	sleeper "$NS_GW" && PID_GW=$SLEEPER || return 1
	sleeper "$NS_INET" && PID_INET=$SLEEPER || return 1
	[ -d "/proc/$PID_SUB/net/pktgen" ] || { modprobe pktgen || return 1; }
	[ -d "/proc/$PID_SUB/net/pktgen" ] || { blog "no pktgen in $NS_SUB"; return 1; }
	return 0
}

# counters [gw|inet]: CNT_GW_RX (gw vsub rx packets), CNT_INET_RX (inet
# eth0 rx), CNT_SUB_TXDROP (sub eth0 tx drops: a full backlog in gw), and
# CNT_T (us): the time of the named counter's read (the first read), the
# midpoint of the microseconds around it
dev_field() { # dev_field FILE DEV INDEX -> DEVF (index after "DEV:")
	local line
	local -a f
	DEVF=
	while IFS= read -r line; do
		[[ $line == *" $2:"* ]] || continue
		read -r -a f <<<"${line#*:}"
		DEVF=${f[$3]}
		return 0
	done <"$1"
	return 1
}

# gw_counter NAME: gw's op25b counter NAME (its ipv4 and ipv6 summed line)
# -> GWC, by builtins; 0 without op25b
gw_counter() {
	local name value
	GWC=0
	[ -r "/proc/$PID_GW/net/op25b/stats" ] || return 0
	while read -r name value; do
		[ "$name" = "$1" ] && GWC=$value && return 0
	done <"/proc/$PID_GW/net/op25b/stats"
}

# vclock_sync OUT: three readings of the line tests/bench/vcpuclock.c
# keeps in BENCH_VCLOCK (default /run/out/vcpu-clock) when the host runs
# it, each appended to OUT as "vclk GUEST_US_BEFORE GUEST_US_AFTER
# HOST_NS" for report.py to learn the offset between the guest's clock
# and the host's (nothing without the file)
BENCH_VCLOCK=${BENCH_VCLOCK:-/run/out/vcpu-clock}
vclock_sync() {
	local i ta tb seq host
	[ -r "$BENCH_VCLOCK" ] || return 0
	for ((i = 0; i < 3; i++)); do
		ta=${EPOCHREALTIME/./}
		read -r seq host _ <"$BENCH_VCLOCK" 2>/dev/null
		tb=${EPOCHREALTIME/./}
		[ -n "$host" ] && echo "vclk $ta $tb $host" >>"$1"
	done
}

count_gw() { dev_field "/proc/$PID_GW/net/dev" vsub 1; CNT_GW_RX=$DEVF; }
count_inet() { dev_field "/proc/$PID_INET/net/dev" eth0 1; CNT_INET_RX=$DEVF; }
counters() {
	local first=${1:-gw} second=inet ta tb
	[ "$first" = inet ] && second=gw
	ta=${EPOCHREALTIME/./}
	"count_$first"
	tb=${EPOCHREALTIME/./}
	CNT_T=$(((ta + tb) / 2))
	"count_$second"
	dev_field "/proc/$PID_SUB/net/dev" eth0 11
	CNT_SUB_TXDROP=$DEVF
}

# busy_mark FILE: the CPU time of every task (utime + stime, clock ticks)
# and every softirq's count, as "tid TICKS COMM" and "softirq COUNT NAME"
# lines.  busy_since FILE prints what ran beside a window: the tasks that
# got ticks meanwhile, most first, and the softirqs raised.  Under icount
# every instruction of them came out of the window's budget, so a
# configuration that read slower for a while can be told from one that
# costs more per packet.
busy_mark() {
	local f line comm
	local -a w
	{
		for f in /proc/[0-9]*/task/[0-9]*/stat; do
			read -r line <"$f" 2>/dev/null || continue
			comm=${line#*\(}
			comm=${comm%\)*}
			read -r -a w <<<"${line##*\) }"
			f=${f%/stat}
			echo "${f##*/} $((w[11] + w[12])) ${comm// /_}"
		done
		awk 'NR > 1 { sub(/:$/, "", $1); n = 0; for (i = 2; i <= NF; i++) n += $i; print "softirq", n, $1 }' /proc/softirqs
	} >"$1"
}

busy_since() { # busy_since FILE: "comm/tid:ticks ... softirq:NAME:count ..."
	busy_mark "$1.now"
	awk 'NR == FNR { t[$1 " " $3] = $2; next }
	     { d = $2 - t[$1 " " $3] }
	     $1 != "softirq" && d > 0 { print d, $3 "/" $1 ":" d }
	     $1 == "softirq" && d > 0 { print -1, "softirq:" $3 ":" d }' "$1" "$1.now" |
		sort -k1,1nr | awk '{ printf "%s%s", (NR > 1 ? " " : ""), $2 }'
	rm -f "$1.now"
}

# --- generators ----------------------------------------------------------------

pktgen_setup() {
	local pg=/proc/$PID_SUB/net/pktgen d
	echo "rem_device_all" >"$pg/kpktgend_0" || return 1
	echo "add_device eth0" >"$pg/kpktgend_0" || return 1
	d=$pg/eth0
	# 64-byte frames with the FCS pktgen counts in; clone_skb 0 (veth
	# does not share skbs); one UDP flow, 10.10.0.2:9 -> UDP_DST:9
	for c in "count 0" "clone_skb 0" "pkt_size 64" "delay 0" "burst 1" \
		"dst $UDP_DST" "dst_mac $MAC_GW_SUB" "src_min 10.10.0.2" \
		"src_max 10.10.0.2" "udp_src_min 9" "udp_src_max 9" \
		"udp_dst_min 9" "udp_dst_max 9"; do
		echo "$c" >"$d" || { blog "pktgen: '$c' refused: $(grep -m1 Result "$d")"; return 1; }
	done
}

# pgctrl acts on the writer's namespace (current's, not the file's)
pgctrl() {
	ip netns exec "$NS_SUB" bash -c "echo $1 >/proc/net/pktgen/pgctrl"
}

gen_start_udp() {
	pgctrl start &
	GEN_PID=$!
}

# gen_start_flood FILE [N]: trafgen, N processes (default 1) pinned to
# CPUs 0..N-1, until stopped; from a writable directory (it writes a
# temporary file beside its configuration).  Each process sends the whole
# flood from its CPU, where gw's hook then runs too: N = 2 is a flood that
# arrives on both vCPUs, as on a NIC spreading it over its queues.
gen_start_flood() {
	local n=${2:-1}
	[ "$n" -le "$(nproc)" ] || n=$(nproc)
	if [ "${B_FLOOD_SRC:-}" != "$1" ]; then
		cp "$1" "$B_TMP/flood.trafgen" || return 1
		B_FLOOD_SRC=$1
	fi
	# its own process group (setsid): trafgen forks its sender, which
	# the stop must reach too
	(cd "$B_TMP" && exec setsid taskset -c "0-$((n - 1))" ip netns exec "$NS_SUB" trafgen \
		-o eth0 -i flood.trafgen -P "$n" -n 0 -C >"$B_TMP/trafgen.log" 2>&1) &
	GEN_PID=$!
	GEN_PGRP=1
}

gen_stop() {
	local i
	[ -n "$GEN_PID" ] || return 0
	if [ -n "$PID_SUB" ] && [ -e "/proc/$PID_SUB/net/pktgen/pgctrl" ]; then
		pgctrl stop 2>/dev/null
	fi
	# SIGTERM: a background job of a non-interactive shell ignores
	# SIGINT; trafgen's group, or pktgen's "start" writer
	local target=$GEN_PID
	[ "$GEN_PGRP" = 1 ] && target=-$GEN_PID
	kill -TERM -- "$target" 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		kill -0 -- "$target" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL -- "$target" 2>/dev/null
	wait "$GEN_PID" 2>/dev/null
	GEN_PID= GEN_PGRP=0
}

# wait_flowing: until packets stream into gw, 1000 within 0.5 s (at most
# 60 s: trafgen parses its configuration first, some seconds under TCG)
wait_flowing() {
	local i c0
	for ((i = 0; i < 120; i++)); do
		counters
		c0=$CNT_GW_RX
		sleep 0.5
		counters
		[ $((CNT_GW_RX - c0)) -ge 1000 ] && return 0
		kill -0 "$GEN_PID" 2>/dev/null || break
	done
	blog "no packets reach gw"
	[ -s "$B_TMP/trafgen.log" ] && sed 's/^/[bench]   trafgen: /' "$B_TMP/trafgen.log" >&2
	return 1
}

# --- contenders ----------------------------------------------------------------
# Each applies the same policy in gw at NF_INET_FORWARD: TCP to port 25
# from a subscriber prefix to a destination outside the allow set is
# dropped.  Tables are loaded once per size (sets_load); "on" and "off"
# only hook and unhook, except for op25b, whose hooks come and go with the
# module (it hooks every namespace when loaded).

NFT_TABLE=op25b_bench

sets_load() { # sets_load DATADIR: nft and ipset sets in gw
	ip netns exec "$NS_GW" nft delete table ip $NFT_TABLE 2>/dev/null
	ip netns exec "$NS_GW" ipset destroy op25b_sub 2>/dev/null
	ip netns exec "$NS_GW" ipset destroy op25b_allow 2>/dev/null
	ip netns exec "$NS_GW" nft -f "$1/nft-sets.nft" || return 1
	ip netns exec "$NS_GW" ipset restore <"$1/ipset.restore" || return 1
}

# none2 is no hook too: measured as a separate configuration, it shows
# how far two measurements of the same thing differ (A/A).  nftempty is
# an nftables base chain at forward without a rule: what having any hook
# there costs, the floor under every contender.
# op25brej is op25b answering the flood with TCP resets: every blocked
# SYN asks the namespace's reject limiter (1000/s, which the flood
# exhausts), the limiter of issue 18's third item.
cfg_on() { # cfg_on none|none2|op25b|op25brej|op25bidle|nft|nftempty|ipset DATADIR
	case $1 in
	none | none2) ;;
	op25bidle) op25b_load || return 1 ;; # loaded; gw has no policy
	op25b | op25brej)
		op25b_load || return 1
		ip netns exec "$NS_GW" op25bctl load "$2/op25b.conf" || return 1
		[ "$1" = op25b ] || ip netns exec "$NS_GW" op25bctl action reject-tcp || return 1
		;;
	nft)
		ip netns exec "$NS_GW" nft -f - <<-EOF || return 1
			add chain ip $NFT_TABLE op25b_fwd { type filter hook forward priority 10; policy accept; }
			add rule ip $NFT_TABLE op25b_fwd tcp dport 25 ip saddr @sub ip daddr != @allow drop
		EOF
		;;
	nftempty)
		ip netns exec "$NS_GW" nft add chain ip $NFT_TABLE op25b_fwd \
			'{ type filter hook forward priority 10; policy accept; }' || return 1
		;;
	ipset)
		ip netns exec "$NS_GW" iptables -A FORWARD -p tcp --dport 25 \
			-m set --match-set op25b_sub src \
			-m set ! --match-set op25b_allow dst -j DROP || return 1
		;;
	esac
}

cfg_off() { # cfg_off none|none2|op25b|op25brej|op25bidle|nft|nftempty|ipset
	case $1 in
	none | none2) ;;
	op25b | op25brej | op25bidle) op25b_unload ;;
	nft | nftempty)
		ip netns exec "$NS_GW" nft -f - <<-EOF
			flush chain ip $NFT_TABLE op25b_fwd
			delete chain ip $NFT_TABLE op25b_fwd
		EOF
		;;
	ipset)
		ip netns exec "$NS_GW" iptables -F FORWARD
		# iptables-nft's table goes whole (its base chains are hooks);
		# with iptables-legacy the filter table stays, empty
		if iptables -V 2>/dev/null | grep -q nf_tables; then
			ip netns exec "$NS_GW" nft delete table ip filter
		fi
		;;
	esac
}

# the hooks at forward in gw right now, for the log
hooks_desc() {
	local h=
	op25b_loaded && h+="op25b "
	ip netns exec "$NS_GW" nft list ruleset 2>/dev/null | grep -q 'hook forward' && h+="nftables "
	echo "${h:-none}"
}
