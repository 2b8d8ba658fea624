#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shared by the guest scenarios, in the style of the kernel's netfilter
# selftests: each scenario sources this, builds the topology below in
# fresh network namespaces, checks one behaviour and exits 0 (pass),
# 1 (fail) or 4 (skip).
#
#   sub  10.10.0.2  2001:db8:10::2 ──┐
#                                    ├── gw (op25b, forwarding) ── inet
#   lan  10.20.0.2  2001:db8:20::2 ──┘   203.0.113.1/24             203.0.113.2
#                                        2001:db8:f0::1/64          2001:db8:f0::2
#   inet (on lo): foreign MTA 198.51.100.25  2001:db8:ff::25
#                 ISP MTA     192.0.2.25     2001:db8:ee::25
#   mailsink listens there on TCP 25, 587, 465 and UDP 25 (echo).

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

OP25B_ROOT=${OP25B_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
export PATH="$OP25B_ROOT/tools/op25bctl:$OP25B_ROOT/build/host:$OP25B_ROOT/tests/helpers:$PATH"

SUFFIX=$$
NS_SUB=op25b-sub-$SUFFIX
NS_LAN=op25b-lan-$SUFFIX
NS_GW=op25b-gw-$SUFFIX
NS_INET=op25b-inet-$SUFFIX

SUB4=10.10.0.2
LAN4=10.20.0.2
FOREIGN4=198.51.100.25
ISP4=192.0.2.25
SUB6=2001:db8:10::2
LAN6=2001:db8:20::2
FOREIGN6=2001:db8:ff::25
ISP6=2001:db8:ee::25

# A blocked connect is a SYN that is dropped: wait far less than TCP's
# initial 1 s retransmission timeout, so that each attempt is one packet
# even on a loaded machine (closing a socket in SYN_SENT sends nothing).
# Whether it was blocked is the gateway's counter's to say, not the wait's.
BLOCK_WAIT_MS=100
PASS_WAIT_MS=8000

WORK=$(mktemp -d /tmp/op25b-test.XXXXXX)
failures=0
SINK_PID=
GW_PID=

log() { printf '%s\n' "$*"; }

ok() {
	log "ok: $*"
}

fail() {
	log "FAIL: $*"
	failures=$((failures + 1))
}

# assert DESCRIPTION COMMAND...: the command must succeed
assert() {
	local what=$1
	shift
	if "$@"; then ok "$what"; else fail "$what"; fi
}

# assert_eq DESCRIPTION EXPECTED ACTUAL
assert_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1 ($3)"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# skip WHY: the kernel lacks what the scenario is about (a config option, a
# cgroup controller); the suite reports it, once per scenario.  A missing
# program or file is a failure instead (tests/harness/deps.sh installs
# them: need), and so is a skip after a failed assertion, which would hide it.
skip() {
	if [ "$failures" -gt 0 ]; then
		log "FAIL: $failures check(s) failed before this skip ($*)"
		exit $KSFT_FAIL
	fi
	log "SKIP: $*"
	exit $KSFT_SKIP
}

# need CMD...: each is installed, or the scenario fails
need() {
	local c
	for c; do
		command -v "$c" >/dev/null || { log "FAIL: $c is missing (tests/harness/deps.sh)"; exit $KSFT_FAIL; }
	done
}

finish() {
	if [ "$failures" -gt 0 ]; then
		log "$failures check(s) failed"
		exit $KSFT_FAIL
	fi
	exit $KSFT_PASS
}

# nap SECONDS: sleeps without an exec, which costs up to a second under
# TCG on the debug kernel: read's timeout on a pipe that nobody writes
# (the scenario holds both ends, opened once)
NAP_FD=
nap() {
	[ -n "$NAP_FD" ] || exec {NAP_FD}<> <(:)
	read -rt "$1" -u "$NAP_FD" _ || :
}

# within SECONDS CMD...: polls CMD every 0.2 s until it succeeds: 0, or 1
# once SECONDS of wall time have passed (for polls that may take seconds
# each under TCG: an etcd client, a scrape)
within() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$end" ] || return 1
		nap 0.2
	done
}

# wait_until SECONDS CMD...: within ten times SECONDS.  A witness wait,
# never a timing assertion: the bound only ends a wait that would
# otherwise never end, and a guest on the debug kernel runs several times
# slower than on Debian's (a poll there of an exec and a "sleep 0.1"
# took 1.5 s, against 0.25 s on Debian's 6.1).
wait_until() { within $((10 * $1)) "${@:2}"; }

# has_text FILE TEXT: FILE holds TEXT (by builtins, for polling)
has_text() {
	local body=
	[ -r "$1" ] || return 1
	IFS= read -r -d '' body <"$1"
	[[ $body == *"$2"* ]]
}

# op25b_namespaces: how many namespaces op25b keeps state for (the initial
# namespace's /proc/net/op25b/status says)
op25b_namespaces() { awk '$1 == "namespaces" { print $2 }' /proc/1/net/op25b/status; }
# netns_torn_down N: "ip netns del" returns before the namespace is torn
# down; waits until op25b is down to N namespaces again, so that a crash
# in the teardown shows in the scenario that caused it
netns_torn_down() {
	local want=$1
	_fewer() { [ "$(op25b_namespaces)" -le "$want" ]; }
	wait_until 120 _fewer
}

# in_ns NS CMD...: CMD in namespace NS.  nsexec (tests/helpers) joins the
# network namespace as "ip netns exec" does, at a third of its cost on the
# debug kernel, but keeps the caller's /sys: read a namespace's devices
# with "ip -n".  01-readme runs the README's "ip netns exec" as users do.
in_ns() { nsexec "$@"; }

ctl() { nsexec "$NS_GW" op25bctl "$@"; }

# link_mac NS DEV: DEV's MAC address in namespace NS, by "ip -n" (in_ns
# keeps the caller's /sys)
link_mac() {
	local _n _s mac _r
	read -r _n _s mac _r < <(ip -n "$1" -br link show "$2")
	echo "$mac"
}

# allow_netns_log: lets namespaces other than the initial one write kernel
# log lines (net.netfilter.nf_log_all_netns=1), which a host must allow
# for op25b's log in them, as for netfilter's own loggers; cleanup puts
# the old value back
LOG_ALL_NETNS=
allow_netns_log() {
	LOG_ALL_NETNS=$(sysctl -n net.netfilter.nf_log_all_netns) &&
		sysctl -qw net.netfilter.nf_log_all_netns=1
}

cleanup() {
	[ -n "$LOG_ALL_NETNS" ] && sysctl -qw net.netfilter.nf_log_all_netns="$LOG_ALL_NETNS"
	[ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null
	[ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null
	# one ip for the four (-force: on past those that do not exist)
	printf 'netns del %s\n' "$NS_SUB" "$NS_LAN" "$NS_GW" "$NS_INET" |
		ip -force -batch - 2>/dev/null
	rm -rf "$WORK"
}

# require_module: the suite loaded op25b; a scenario without it fails
require_module() {
	[ -d /proc/net/op25b ] || { log "FAIL: op25b is not loaded"; exit $KSFT_FAIL; }
}

# require_ko: $OP25B_KO is there to load again
require_ko() {
	[ -n "$OP25B_KO" ] && [ -f "$OP25B_KO" ] || { log "FAIL: no op25b.ko (OP25B_KO='$OP25B_KO')"; exit $KSFT_FAIL; }
}

ns_new() {
	ip netns add "$1" && ip -n "$1" link set lo up
}

# Memory cgroups, to measure what the kernel charges a process for: op25b
# charges what a writer or a dump allocates to its caller
# (GFP_KERNEL_ACCOUNT), so a cgroup's memory.current sees that alone.
CGROOT=/sys/fs/cgroup
# memcg_why: why there is no memory cgroup to be had here; nothing if there is
memcg_why() {
	[ -e $CGROOT/cgroup.controllers ] || { echo "no cgroup v2 at $CGROOT"; return; }
	grep -qw memory $CGROOT/cgroup.controllers || echo "no memory controller"
}
# memcg_new CG: a fresh memory cgroup CG (a directory under $CGROOT)
memcg_new() {
	grep -qw memory $CGROOT/cgroup.subtree_control ||
		echo +memory >$CGROOT/cgroup.subtree_control || return 1
	mkdir "$1"
}
# in_cg CG CMD...: CMD run as a member of cgroup CG (it and its children only)
in_cg() { sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$@"; }

# Every exec costs under TCG, so the topology is built by a handful of
# batched "ip" runs rather than one per address.
topo_setup() {
	require_module
	trap cleanup EXIT
	# new namespaces inherit: no duplicate address detection, addresses
	# are usable at once
	sysctl -qw net.core.devconf_inherit_init_net=1 \
		net.ipv6.conf.default.accept_dad=0 || return 1
	ip -batch - <<-EOF || return 1
		netns add $NS_SUB
		netns add $NS_LAN
		netns add $NS_GW
		netns add $NS_INET
		link add eth0 netns $NS_SUB type veth peer name vsub netns $NS_GW
		link add eth0 netns $NS_LAN type veth peer name vlan netns $NS_GW
		link add eth0 netns $NS_INET type veth peer name vinet netns $NS_GW
	EOF
	ip -n $NS_SUB -batch - <<-EOF || return 1
		link set lo up
		link set eth0 up
		addr add $SUB4/24 dev eth0
		addr add $SUB6/64 dev eth0 nodad
		route add default via 10.10.0.1
		route add default via 2001:db8:10::1
	EOF
	ip -n $NS_LAN -batch - <<-EOF || return 1
		link set lo up
		link set eth0 up
		addr add $LAN4/24 dev eth0
		addr add $LAN6/64 dev eth0 nodad
		route add default via 10.20.0.1
		route add default via 2001:db8:20::1
	EOF
	ip -n $NS_GW -batch - <<-EOF || return 1
		link set lo up
		link set vsub up
		link set vlan up
		link set vinet up
		addr add 10.10.0.1/24 dev vsub
		addr add 2001:db8:10::1/64 dev vsub nodad
		addr add 10.20.0.1/24 dev vlan
		addr add 2001:db8:20::1/64 dev vlan nodad
		addr add 203.0.113.1/24 dev vinet
		addr add 2001:db8:f0::1/64 dev vinet nodad
		route add default via 203.0.113.2
		route add default via 2001:db8:f0::2
	EOF
	ip -n $NS_INET -batch - <<-EOF || return 1
		link set lo up
		link set eth0 up
		addr add 203.0.113.2/24 dev eth0
		addr add 2001:db8:f0::2/64 dev eth0 nodad
		addr add $FOREIGN4/32 dev lo
		addr add $ISP4/32 dev lo
		addr add $FOREIGN6/128 dev lo
		addr add $ISP6/128 dev lo
		route add default via 203.0.113.1
		route add default via 2001:db8:f0::1
	EOF
	in_ns "$NS_GW" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 || return 1

	# nsexec, not in_ns: a function in the background is a subshell, and
	# killing $! would leave mailsink (and its namespace) behind
	nsexec "$NS_INET" mailsink -u 25 587 465 > "$WORK/sink.log" 2>&1 &
	SINK_PID=$!
	wait_until 5 has_text "$WORK/sink.log" ready ||
		{ log "mailsink did not start"; return 1; }
	return 0
}

# The usual gateway configuration: sub is a subscriber, the ISP MTA is
# allowlisted, lan is neither.
config_default() {
	ctl subscriber add 10.10.0.0/24 2001:db8:10::/64 &&
	ctl allow add $ISP4 $ISP6
}

# connects NS ADDR PORT: a mail client there gets through
connects() {
	in_ns "$1" mailclient -t $PASS_WAIT_MS "$2" "$3" >/dev/null
}

# blocked NS ADDR PORT: its SYN vanishes (not refused, not answered), and
# the gateway counted it blocked: a connection that was only slower than
# the wait does not pass for blocked
blocked() {
	local b0
	b0=$(counter blocked)
	[ "$(in_ns "$1" mailclient -t $BLOCK_WAIT_MS "$2" "$3")" = timeout ] &&
		wait_until 5 counter_above blocked "${b0:-0}"
}

# counter_above NAME N: the gateway's counter NAME is above N
counter_above() { [ "$(counter "$1")" -gt "$2" ]; }

# syn_counter NS: NS counts the TCP SYNs to port 25 it sends (an nftables
# counter in its output hook); syns NS reads it.  For exact attempt
# counts that must not trust a timer to beat TCP's retransmission.
syn_counter() {
	in_ns "$1" nft -f - <<-'EOF'
		table inet op25b_syns {
			counter syn { }
			chain out {
				type filter hook output priority 0;
				tcp dport 25 tcp flags & (syn | ack) == syn counter name "syn"
			}
		}
	EOF
}
syns() {
	in_ns "$1" nft list counter inet op25b_syns syn |
		awk '/packets/ { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

# counter NAME: a counter of the gateway's namespace
counter() {
	local k v
	if [ -n "${GWPROC:-}" ]; then
		# by builtins once gw_proc has run; the file in one read(2), as
		# counters() reads it
		while read -r k v; do
			[ "$k" != "$1" ] || { echo "$v"; return 0; }
		done <<<"$(<"$GWPROC/stats")"
		return 0
	fi
	in_ns "$NS_GW" awk -v n="$1" '$1 == n { print $2 }' /proc/net/op25b/stats
}

# check_exit SRC DST [PORT] [iif NAME]: op25bctl check's exit status
check_exit() {
	ctl check "$@" >/dev/null 2>&1
	echo $?
}

# gw_proc: starts a process in gw's namespace; its /proc/PID/net/op25b is
# gw's, so GWPROC/stats and GWPROC/status are read by builtins, with no
# exec per read (each costs up to a second under TCG)
gw_proc() {
	nsexec "$NS_GW" sleep 100000 &
	GW_PID=$!
	wait_until 5 test /proc/$GW_PID/ns/net -ef /run/netns/$NS_GW || return 1
	GWPROC=/proc/$GW_PID/net/op25b
}

# counters: C[NAME] = every counter of gw ("blocked", "blocked_ipv4", ...),
# read at once; needs gw_proc
declare -A C
# shellcheck disable=SC2034  # C is read by the scenarios
counters() {
	local k v
	C=()
	# the file in one read(2): bash's read seeks back after each line, and
	# the seq_file regenerated for that offset may have shifted as counters
	# grew a digit (seen under traffic: an empty key, "bad array subscript")
	while read -r k v; do
		C[$k]=$v
	done <<<"$(<"$GWPROC/stats")"
}

# syn_counts: once a scenario's synsend has ended, lets its last SYNs
# cross, stops the syncount of CNT_PID and reads both: SENT[DST] (synsend's
# output in WORK/sent), GOT[DST] and GOT[drops] (syncount's, WORK/count)
declare -A SENT GOT
syn_counts() {
	local k v
	nap 1		# the last SYNs cross the gateway
	kill "$CNT_PID"
	wait "$CNT_PID"
	CNT_PID=
	SENT=() GOT=()
	while read -r k v; do SENT[$k]=$v; done <"$WORK/sent"
	while read -r k v; do GOT[$k]=$v; done <"$WORK/count"
}

# container_start: a container, a user namespace of nobody's owning a
# network namespace, whose root is root only there; CPID is its process
# (the caller kills it) and CONTAINER the command prefix that runs as that
# root, for "${CONTAINER[@]}" CMD... & (a function in the background
# would leave CMD behind when killed).  in_container CMD...: CMD so.
CPID='' CONTAINER=()
container_start() {
	setpriv --reuid=65534 --regid=65534 --clear-groups unshare --user --map-root-user --net sleep 100000 &
	CPID=$!
	CONTAINER=(setpriv --reuid=65534 --regid=65534 --clear-groups nsenter -t "$CPID" -U -n --preserve-credentials)
	_own_netns() { [ "$(readlink /proc/$CPID/ns/net)" != "$(readlink /proc/self/ns/net)" ]; }
	wait_until 5 _own_netns
}
in_container() { "${CONTAINER[@]}" "$@"; }

# has_line TEXT LINE: one of TEXT's lines is LINE (by builtins)
has_line() {
	[[ $'\n'$1$'\n' == *$'\n'"$2"$'\n'* ]]
}
