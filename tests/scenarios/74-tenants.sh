#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What a container's root (an unprivileged user's user namespace owning a
# network namespace) can do with op25b stays inside it:
#  (a) it cannot write to the host's kernel log while the host has not
#      allowed netfilter logging from every namespace
#      (net.netfilter.nf_log_all_netns, as netfilter's own loggers):
#      "set log on" and a load saying "log on" fail with the reason and
#      change nothing;
#  (b) once the host allows it, its lines name its interfaces escaped (a
#      name with an escape byte prints as \e), and all namespaces together
#      write no more than log_rate_max lines a second;
#  (c) it cannot pin memory with unread offenders dumps: each holds only
#      what the store holds, and past OP25B_TOP_DUMPS_MAX (8) a new one
#      is refused with EBUSY and a message.
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
need setpriv unshare nsenter python3
ALLOWLOG=$(sysctl -n net.netfilter.nf_log_all_netns)
P=/sys/module/op25b/parameters
RATEMAX=$(cat $P/log_rate_max) OFFMAX=$(cat $P/offenders_max)
restore() {
	[ -n "$CPID" ] && kill "$CPID" 2>/dev/null
	sysctl -qw net.netfilter.nf_log_all_netns="$ALLOWLOG"
	echo "$RATEMAX" >$P/log_rate_max
	echo "$OFFMAX" >$P/offenders_max
	cleanup
}
trap restore EXIT

# the container: a user namespace of nobody's, owning a network namespace
container_start || { fail "the container did not start"; finish; }
_root_inside() { [ "$(in_container id -u)" = 0 ]; }
assert "the container's root is root inside" _root_inside

# ---- (a) no log lines while the host does not allow them ----
sysctl -qw net.netfilter.nf_log_all_netns=0 || exit 1
out=$(in_container op25bctl set log on rate 1000000 burst 1000000 2>&1)
rc=$?
assert_eq "container: set log on refused (exit 2)" 2 $rc
assert "... saying why" grep -q "needs net.netfilter.nf_log_all_netns=1 in the initial namespace" <<<"$out"
printf 'log on\nsubscriber 10.0.0.0/8\n' >"$WORK/log.conf"
out=$(in_container op25bctl load - <"$WORK/log.conf" 2>&1)
rc=$?
assert_eq "container: a load with log on refused (exit 2)" 2 $rc
assert "... saying why" grep -q "nf_log_all_netns" <<<"$out"
_no_subscribers() { in_container op25bctl status | grep -qx 'subscriber: 0 entries (0 ipv4, 0 ipv6, 0 iif), max [0-9]*'; }
assert "... and nothing changed" _no_subscribers
out=$(ctl set log on 2>&1)
assert_eq "host root in another namespace: refused as well" 2 $?
assert_eq "the initial namespace may log" 0 "$(op25bctl set log on >/dev/null 2>&1; echo $?; op25bctl set log off)"

# ---- (b) escaped names, and a cap on all namespaces ----
sysctl -qw net.netfilter.nf_log_all_netns=1 || exit 1
ESC=$(printf 'c\033[31mx')
ip link add op25b-cin type veth peer name cin netns $NS_SUB || exit 1
ip link set op25b-cin netns /proc/$CPID/ns/net || exit 1
in_container ip link set op25b-cin name "$ESC" || exit 1
in_container sh -c "ip link set lo up && ip link set '$ESC' up && ip addr add 10.30.0.1/24 dev '$ESC' &&
	ip link add d0 type dummy && ip link set d0 up && ip addr add 203.0.113.9/24 dev d0 &&
	ip route add default via 203.0.113.10 dev d0 && sysctl -qw net.ipv4.ip_forward=1" ||
	{ fail "container topology"; finish; }
ip -n $NS_SUB -batch - <<EOF || exit 1
link set cin up
addr add 10.30.0.2/24 dev cin
route add 198.51.100.99/32 via 10.30.0.1
EOF
in_container op25bctl subscriber add 10.30.0.0/24 || exit 1
in_container op25bctl set log on rate 1000000 burst 1000000 privacy off || exit 1
_logs() { in_container op25bctl status | grep -q '^log: on'; }
assert "the container may log now" _logs
ctl set log on rate 1000000 burst 1000000 || exit 1
echo 5 >$P/log_rate_max || exit 1
dmesg >"$WORK/before.txt"
n0=$(grep -c "op25b: blocked TCP" "$WORK/before.txt")
t0=$SECONDS
# both namespaces flooded at once: 200 SYNs each in about 2 s
nsexec $NS_SUB synsend -r 100 -d 2 198.51.100.99 >/dev/null &
FLOOD=$!
in_ns $NS_SUB synsend -r 100 -d 2 $FOREIGN4 >/dev/null
wait $FLOOD
secs=$((SECONDS - t0 + 1))
dmesg >"$WORK/after.txt"
n=$(($(grep -c "op25b: blocked TCP" "$WORK/after.txt") - n0))
counters_c=$(in_container cat /proc/net/op25b/stats)
logged_c=$(awk '$1 == "logged" { print $2 }' <<<"$counters_c")
logged_g=$(counter logged)
assert "at most log_rate_max x ${secs}s + 5 lines from both ($n)" [ "$n" -ge 1 -a "$n" -le $((5 * secs + 5)) ]
assert_eq "the lines are the namespaces' logged counters" "$n" "$((logged_c + logged_g))"
assert "the rest counted in log_suppressed" [ "$(awk '$1 == "log_suppressed" { print $2 }' <<<"$counters_c")" -gt 100 ]
line=$(grep "op25b: blocked TCP 10.30.0.2 -> 198.51.100.99:25 in=" "$WORK/after.txt" | tail -n1)
assert "a container's line names its interface escaped ($line)" grep -qF 'in=c\e[31mx' <<<"$line"
assert "no raw escape byte reached the kernel log" bash -c "! grep -q \$'\\033' '$WORK/after.txt'"
ctl set log off
in_container op25bctl set log off

# ---- (c) unread offenders dumps ----
echo 262144 >$P/offenders_max || exit 1
# a new namespace takes offenders_max with its first subscribers
NS_T=op25b-top-$SUFFIX
ns_new $NS_T || exit 1
nsexec $NS_T op25bctl subscriber add 10.0.0.0/8 || exit 1
# 2000 offenders there, so that a dump takes several messages and holds its
# snapshot while unread: SYNs from 10.77.0.1 on, sent from NS_TS into NS_T
# and routed out of a veth whose peer stays in NS_T (op25b drops them first)
NS_TS=op25b-tops-$SUFFIX
ns_new $NS_TS || exit 1
ip -n $NS_T -batch - <<EOF || exit 1
link add t-in type veth peer name eth0 netns $NS_TS
link add t-out type veth peer name t-out2
link set t-in up
link set t-out up
link set t-out2 up
addr add 10.0.0.1/8 dev t-in
route add 198.51.100.0/24 dev t-out
EOF
ip -n $NS_TS link set eth0 up || exit 1
nsexec $NS_T sysctl -qw net.ipv4.ip_forward=1 || exit 1
mac=$(link_mac $NS_T t-in)
nsexec $NS_TS rawfrag.py eth0 "$mac" 10.77.0.1 198.51.100.7 syns:2000 || exit 1
offenders() { nsexec $NS_T op25bctl top 5000 | grep -c '10\.77\.'; }
wait_until 10 bash -c "[ \$(nsexec $NS_T op25bctl top 5000 | grep -c '10\.77\.') -ge 2000 ]" ||
	fail "2000 offenders in the store ($(offenders))"
# What the dumps pin, in bytes: the charge of the dumper's own memory
# cgroup, since a dump's snapshot is charged to whoever started it
# (GFP_KERNEL_ACCOUNT); without a memory controller, MemAvailable, which
# everything else the guest does moves too (17 to 33 MiB seen).
CG=
member=()
if [ -z "$(memcg_why)" ]; then
	CG=$CGROOT/op25b-dumps-$SUFFIX
	memcg_new $CG || exit 1
	member=(in_cg "$CG")
fi
used() {
	if [ -n "$CG" ]; then
		cat $CG/memory.current
	else
		# by builtins: mawk prints -2.4e+09 for a number this large
		local k v _
		while read -r k v _; do
			[ "$k" = MemAvailable: ] && echo $((-v * 1024))
		done </proc/meminfo
	fi
}
coproc DUMPS { "${member[@]}" nsexec $NS_T op25b_rawnl.py topdumps 9 2>&1; }
read -r ready <&"${DUMPS[0]}"
assert_eq "the dumper started" ready "$ready"
m0=$(used)
echo go >&"${DUMPS[1]}"
read -r res <&"${DUMPS[0]}"
read -r why <&"${DUMPS[0]}"
m1=$(used)
assert_eq "eight dumps held, the ninth refused" "opened 8 busy 1 other 0" "$res"
assert "... saying why ($why)" grep -q "too many unfinished top dumps" <<<"$why"
pinned=$(((m1 - m0) / 1048576))
how=${CG:+charged to the dumper}
assert "eight unread dumps of 2000 offenders pin little (${pinned} MiB ${how:-of MemAvailable}; slots alone would be 320 MiB)" \
	[ "$pinned" -lt 32 ]
fd=${DUMPS[1]}
exec {fd}>&-
wait "$DUMPS_PID" 2>/dev/null
[ -z "$CG" ] || rmdir $CG
out=$(nsexec $NS_T op25bctl top 2>&1)
assert_eq "once they are closed, a dump works again" 0 $?
ip netns del $NS_T
ip netns del $NS_TS
finish
