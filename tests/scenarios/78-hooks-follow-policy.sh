#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# op25b's hooks are registered in a namespace only while its policy can
# block (subscribers, mode not off), so namespaces without a policy
# forward at full speed; the kernel's function tracer (calls of op25b's
# hook functions) is the witness, beside /proc.  No window without policy: every time a
# writer that turns blocking on has returned, the very next SYN to a
# foreign MTA is blocked, and every time one that turns it off has
# returned, the next one passes, across mode and table flips.
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1

# The witness beside /proc: the kernel's function tracer counts the calls
# of op25b's hook functions while one connection is forwarded (Debian's
# kernels have it; the debug kernel does not, and there /proc alone says)
T=/sys/kernel/tracing
[ -e $T/available_filter_functions ] || mount -t tracefs nodev $T 2>/dev/null
FTRACE=0
if grep -q '^op25b_hook_ipv4' $T/available_filter_functions 2>/dev/null; then
	FTRACE=1
	# the tracer stays set; tracing_on gates it (switching tracers
	# empties the buffer)
	echo 0 >$T/tracing_on &&
		echo 'op25b_hook_ipv4 op25b_hook_ipv6' >$T/set_ftrace_filter &&
		echo function >$T/current_tracer || FTRACE=0
fi
[ "$FTRACE" = 1 ] || log "not checked here: calls of op25b's hooks (no function tracer)"
trap 'echo nop >$T/current_tracer 2>/dev/null; echo >$T/set_ftrace_filter 2>/dev/null
	echo 1 >$T/tracing_on 2>/dev/null; cleanup' EXIT
# traced CMD...: runs CMD with the tracer on; CALLS = hook calls meanwhile
traced() {
	local rc
	[ "$FTRACE" = 1 ] && echo >$T/trace && echo 1 >$T/tracing_on
	"$@"
	rc=$?
	if [ "$FTRACE" = 1 ]; then
		echo 0 >$T/tracing_on
		CALLS=$(grep -c 'op25b_hook_ipv[46]' $T/trace)
	fi
	return $rc
}
# state on|off WHY CMD...: /proc says hooks on|off, and CMD (a connection
# through gw) meets op25b's hooks (on) or never does (off)
state() {
	local want=$1 why=$2 st
	shift 2
	st=$(in_ns $NS_GW awk '$1 == "hooks" { print $2 }' /proc/net/op25b/status)
	assert_eq "/proc: hooks $want: $why" "$want" "$st"
	CALLS=
	assert "$why: $*" traced "$@"
	[ "$FTRACE" = 1 ] || return 0
	if [ "$want" = on ]; then
		assert "$why: the connection went through op25b's hooks ($CALLS calls)" [ "$CALLS" -gt 0 ]
	else
		assert_eq "$why: the connection never entered op25b's hooks" 0 "$CALLS"
	fi
}

state off "a new namespace has no policy" connects $NS_SUB $FOREIGN4 25
assert_eq "no policy: nothing counted (not even not_subscriber)" 0 "$(counter not_subscriber)"
ctl allow add $ISP4 $ISP6 || exit 1
state off "an allow table alone blocks nothing" connects $NS_SUB $FOREIGN6 25
ctl subscriber add 10.10.0.0/24 2001:db8:10::/64 || exit 1
state on "subscribers in enforce mode: v4 blocked" blocked $NS_SUB $FOREIGN4 25
assert "v6: blocked once subscribers are in" blocked $NS_SUB $FOREIGN6 25
assert "the ISP's MTA still connects" connects $NS_SUB $ISP4 25
ctl mode off || exit 1
state off "mode off" connects $NS_SUB $FOREIGN4 25
ctl mode monitor || exit 1
m0=$(counter monitored)
state on "monitor mode counts what enforce would block" connects $NS_SUB $FOREIGN4 25
assert "monitor: counted" [ "$(counter monitored)" -gt "$m0" ]
ctl mode enforce || exit 1
ctl subscriber flush || exit 1
state off "subscriber table flushed" connects $NS_SUB $FOREIGN4 25
ctl subscriber add iif vsub || exit 1
state on "an interface pattern is a subscriber too" blocked $NS_SUB $FOREIGN4 25

# The witness loop: flips by every kind of writer (mode, table add and
# flush, a whole load), each followed at once by the SYN that must see it.
cat >"$WORK/on.conf" <<-CONF
	mode enforce
	subscriber 10.10.0.0/24
	allow $ISP4
CONF
cat >"$WORK/off.conf" <<-CONF
	mode enforce
	allow $ISP4
CONF
ROUNDS=${OP25B_HOOKS_ROUNDS:-6}
bad_on=0 bad_off=0
for ((r = 0; r < ROUNDS; r++)); do
	case $((r % 3)) in
	0) base=(load "$WORK/on.conf" mode off) on=(mode enforce) off=(mode off) ;;
	1) base=(load "$WORK/off.conf") on=(subscriber add 10.10.0.0/24) off=(subscriber flush) ;;
	2) base=(load "$WORK/off.conf") on=(load "$WORK/on.conf") off=(load "$WORK/off.conf") ;;
	esac
	ctl "${base[@]:0:2}" && { [ ${#base[@]} -eq 2 ] || ctl "${base[@]:2}"; } ||
		{ fail "round $r: ${base[*]}"; continue; }
	ctl "${on[@]}" || { fail "round $r: ${on[*]}"; continue; }
	blocked $NS_SUB $FOREIGN4 25 || bad_on=$((bad_on + 1))
	ctl "${off[@]}" || { fail "round $r: ${off[*]}"; continue; }
	connects $NS_SUB $FOREIGN4 25 || bad_off=$((bad_off + 1))
done
assert_eq "every SYN right after a writer that turned blocking on was blocked ($ROUNDS rounds)" 0 "$bad_on"
assert_eq "every SYN right after a writer that turned it off passed" 0 "$bad_off"
state off "the loop ends without a policy" connects $NS_SUB $FOREIGN4 25
finish
