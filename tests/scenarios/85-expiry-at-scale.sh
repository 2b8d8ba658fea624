#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Expiry at scale (issue 15's measurement): 10^5 exempt entries with
# random timeouts of 1 to 60 s, added in one go, expire while SYNs flow.
# Asserted, by witnesses rather than clocks:
#  - no missed expiry: a sampler reads CLOCK_BOOTTIME (/proc/uptime) and
#    the count of timed entries (/proc/net/op25b/status) with builtins;
#    at each sample the count lies between the entries whose expiry
#    (the add's second + timeout) is certainly still ahead and those not
#    certainly more than 1 s past; at the end every entry has expired,
#    each counted once;
#  - no wrong verdict: every SYN to the ISP MTA arrives; the subscriber,
#    exempt for 30 s among the 10^5, reaches the foreign MTA until then
#    and judged by its entry no packet more than 1 s past its expiry.
# Reported, not asserted: the CPU the expiry work spent (its executions,
# from the workqueue tracepoints), per second of the run.
#
# Knobs: OP25B_EXPIRY_ENTRIES (default 100000), OP25B_EXPIRY_SECONDS
# (the longest timeout, default 60).
# op25b: long 80
# op25b: once
# op25b: timeout 900
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1
CNT_PID='' SEND_PID='' SAMPLER_PID=''
TR=/sys/kernel/tracing
# the guest's tracing as it was, for the scenarios after this one (21
# reads the netlink_extack tracepoint)
TR_ON='' TR_KB=''
trace_restore() {
	[ -n "$TR_ON" ] || return 0
	echo 0 >$TR/events/workqueue/workqueue_execute_start/enable
	echo 0 >$TR/events/workqueue/workqueue_execute_end/enable
	echo "$TR_KB" >$TR/buffer_size_kb
	echo "$TR_ON" >$TR/tracing_on
}
trap 'kill $CNT_PID $SEND_PID $SAMPLER_PID 2>/dev/null; trace_restore 2>/dev/null; cleanup' EXIT
N=${OP25B_EXPIRY_ENTRIES:-100000}
S=${OP25B_EXPIRY_SECONDS:-60}
SUB_T=$((S / 2))

# N entries outside the subscriber's /24, timeouts 1..S (seeded), and
# the subscriber itself with SUB_T; "T COUNT" of them in timeouts
awk -v n="$N" -v s="$S" -v st=$SUB_T -v d="$WORK" 'BEGIN {
	srand(25)
	for (i = 0; i < n; i++) {
		t = 1 + int(rand() * s)
		h[t]++
		printf "10.%d.%d.%d timeout %ds\n", 100 + int(i / 65536), int(i / 256) % 256, i % 256, t > d "/entries"
	}
	printf "10.10.0.2 timeout %ds\n", st > d "/entries"
	h[st]++
	for (t = 1; t <= s; t++)
		print t, h[t] + 0 > d "/timeouts"
}'

[ -d $TR/events ] || mount -t tracefs nodev $TR 2>/dev/null
tracing=0
if [ -d $TR/events/workqueue ]; then
	TR_ON=$(<$TR/tracing_on) TR_KB=$(<$TR/buffer_size_kb)
	echo 0 >$TR/tracing_on
	echo >$TR/trace
	echo 16384 >$TR/buffer_size_kb
	echo 1 >$TR/events/workqueue/workqueue_execute_start/enable
	echo 1 >$TR/events/workqueue/workqueue_execute_end/enable
	tracing=1
fi

nsexec $NS_INET syncount -i eth0 >"$WORK/count" &
CNT_PID=$!
wait_until 5 grep -qx ready "$WORK/count" || { log "syncount did not start"; exit 1; }
nsexec $NS_SUB synsend -r 60 -d $((S + 8)) $ISP4 $FOREIGN4 >"$WORK/sent" &
SEND_PID=$!

# sampler END: "UPTIME_BEFORE TIMED ALLOWED_EXEMPT BLOCKED UPTIME_AFTER"
sampler() {
	local u0 u1 _ k w v timed
	while :; do
		read -r u0 _ </proc/uptime
		timed=0
		while read -r k _ _ _ _ _ _ _ w v _; do
			[ "$k" = exempt ] && [ "$w" = timed ] && timed=$v
		done <<<"$(<"$GWPROC/status")"
		counters
		read -r u1 _ </proc/uptime
		echo "$u0 $timed ${C[allowed_exempt]} ${C[blocked]} $u1"
		[ "${u1%.*}" -lt "$1" ] || break
		nap 0.2
	done
}

[ $tracing = 1 ] && echo 1 >$TR/tracing_on
read -r up0 _ </proc/uptime
ctl exempt add -f "$WORK/entries" || { log "FAIL: the add"; exit 1; }
read -r up1 _ </proc/uptime
a0=${up0%.*} a1=${up1%.*}
log "$((N + 1)) entries added between uptime $up0 and $up1"
sampler $((a1 + S + 3)) >"$WORK/samples" &
SAMPLER_PID=$!
wait $SAMPLER_PID
SAMPLER_PID=
[ $tracing = 1 ] && echo 0 >$TR/tracing_on
wait $SEND_PID
SEND_PID=
syn_counts

# an entry with timeout T goes at second E in [a0 + T, a1 + T]
bad=$(awk -v a0="$a0" -v a1="$a1" 'NR == FNR { h[$1] = $2; next }
	{
		# certainly ahead at the sample end: a0 + T > after
		lo = 0; hi = 0
		for (t in h) {
			if (a0 + t > $5) lo += h[t]
			if (a1 + t + 1 >= $1) hi += h[t]
		}
		if ($2 < lo || $2 > hi) { printf "%s: %d timed, bounds %d..%d\n", $1, $2, lo, hi; n++ }
	}
	END { exit n > 0 }' "$WORK/timeouts" "$WORK/samples")
assert "no missed or early expiry at any of $(wc -l <"$WORK/samples") samples${bad:+: $bad}" [ -z "$bad" ]
assert_eq "every entry expired, each counted once" "0 $((N + 1))" \
	"$(awk '$1 == "exempt" { print ($9 == "timed" ? $10 : 0) }' "$GWPROC/status") $(counter expired)"
assert_eq "the exempt table is empty" 0 "$(ctl exempt list | wc -l)"

# the subscriber's own entry, under all that churn
read -r last_pass < <(awk 'NR > 1 && $3 > pe { lp = prev } { prev = $1; pe = $3 }
	END { print (lp == "" ? "none" : lp) }' "$WORK/samples")
assert "the subscriber was exempt for a while" [ "$last_pass" != none ]
assert "its entry judged no packet more than 1 s past its expiry ($last_pass <= $((a1 + SUB_T + 1)))" \
	awk -v t="$last_pass" -v lim=$((a1 + SUB_T + 1)) 'BEGIN { exit !(t <= lim) }'
assert_eq "every SYN to the ISP MTA arrived" "${SENT[$ISP4]}" "${GOT[$ISP4]:-0}"
assert "SYNs to the foreign MTA arrived only while exempt (${GOT[$FOREIGN4]:-0} of ${SENT[$FOREIGN4]})" \
	[ "${GOT[$FOREIGN4]:-0}" -gt 0 -a "${GOT[$FOREIGN4]:-0}" -lt "${SENT[$FOREIGN4]:-0}" ]

# the expiry work's CPU: execute_start to execute_end of op25b_expire_work
if [ $tracing = 1 ]; then
	awk -v span="$S" '
		/workqueue_execute_start/ && /op25b_expire_work/ {
			cpu = $2; t = $4; sub(":", "", t); start[cpu] = t; next }
		/workqueue_execute_end/ && /op25b_expire_work/ {
			cpu = $2; t = $4; sub(":", "", t)
			if (cpu in start) { d = t - start[cpu]; sum += d; n++; if (d > max) max = d; delete start[cpu] } }
		END {
			if (!n) { print "expiry work: no execution traced"; exit }
			printf "expiry work: %d runs, %.1f ms in all, mean %.1f ms, max %.1f ms: %.2f%% of one CPU over %d s (TCG)\n",
				n, sum * 1000, sum * 1000 / n, max * 1000, sum * 100 / span, span }' $TR/trace >"$WORK/cpu"
	echo >$TR/trace
	echo 0 >$TR/events/workqueue/workqueue_execute_start/enable
	echo 0 >$TR/events/workqueue/workqueue_execute_end/enable
	log "$(cat "$WORK/cpu")"
	# one run per second that has entries due (they fall in at most
	# a1 - a0 + S seconds), not one per entry nor a spin before each
	runs=$(awk '{ print $3 }' "$WORK/cpu")
	assert "the expiry work ran once per second with entries due ($runs runs, at most $((a1 - a0 + S + 3)))" \
		[ "${runs:-0}" -ge 1 -a "${runs:-0}" -le $((a1 - a0 + S + 3)) ]
else
	log "no workqueue tracepoints: the expiry work's CPU is not measured"
fi
log "summary: expiry of $((N + 1)) entries over ${S}s: $(wc -l <"$WORK/samples") samples; SYNs isp ${GOT[$ISP4]:-0}/${SENT[$ISP4]} foreign ${GOT[$FOREIGN4]:-0}/${SENT[$FOREIGN4]}"
finish
