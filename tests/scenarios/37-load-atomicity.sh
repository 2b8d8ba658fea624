#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# load is atomic for packets.  While SYNs stream at a fixed rate to the
# allowlisted ISP MTA and to a foreign MTA, "op25bctl load" alternates
# between two files that both allow the ISP MTA but differ in 3000 other
# allow entries and in their action.  Every SYN to the ISP MTA must
# arrive (a packet that saw a half-loaded allow table would be dropped),
# and none to the foreign MTA.
#
# synsend sends raw SYNs, never retransmitted, so one sent is one packet;
# syncount counts the SYNs arriving on the MTAs' side with a packet
# socket, whether or not anything answers them.
# op25b: smp
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1
CNT_PID='' SEND_PID=''
trap 'kill $CNT_PID $SEND_PID 2>/dev/null; cleanup' EXIT
RATE=100

awk -v a="$WORK/a.conf" -v b="$WORK/b.conf" 'BEGIN {
	for (f = 0; f < 2; f++) {
		out = f ? b : a
		printf "mode enforce\naction %s\n", f ? "reject-tcp" : "drop" > out
		printf "subscriber 10.10.0.0/24\nsubscriber 2001:db8:10::/64\n" > out
		printf "allow 192.0.2.25 comment \"ISP MTA\"\nallow 2001:db8:ee::25\n" > out
		for (i = 0; i < 3000; i++)
			printf "allow 10.%d.%d.%d\n", 200 + f, int(i / 256), i % 256 > out
	}
}' || exit 1
ctl load --check "$WORK/b.conf" || exit 1
ctl load "$WORK/a.conf" || exit 1

# not in_ns: $! must be the helper itself (nsexec execs it)
nsexec $NS_INET syncount -i eth0 >"$WORK/count" &
CNT_PID=$!
wait_until 5 grep -qx ready "$WORK/count" || { log "syncount did not start"; exit 1; }
# the sender runs until it is stopped, after the loads: every load is
# under traffic, whatever the speed of the machine
nsexec $NS_SUB synsend -r $RATE -d 100000 $ISP4 $FOREIGN4 >"$WORK/sent" &
SEND_PID=$!
# flowing WAS: the gateway's ISP-MTA counter passed WAS (traffic crossed it)
flowing() { counters; [ "${C[allowed_mta]}" -gt "$1" ]; }
wait_until 30 flowing 0 || fail "SYNs to the ISP MTA cross the gateway"
loads=0 failed=0 quiet=0
for f in b a b a b a; do
	counters
	was=${C[allowed_mta]}
	if ctl load "$WORK/$f.conf" 2>>"$WORK/load.err"; then
		loads=$((loads + 1))
	else
		failed=$((failed + 1))
	fi
	# the next load only once traffic has crossed the new configuration
	wait_until 30 flowing "$was" || quiet=$((quiet + 1))
done
kill -TERM $SEND_PID
wait $SEND_PID
assert_eq "synsend stopped cleanly" 0 $?
SEND_PID=
syn_counts
log "sent: ${SENT[$ISP4]} to the ISP MTA, ${SENT[$FOREIGN4]} to the foreign MTA; $loads loads"
assert_eq "six loads, alternating" 6 $loads
assert_eq "no load failed" 0 $failed
assert_eq "traffic crossed the gateway after each load" 0 $quiet
[ -s "$WORK/load.err" ] && log "$(<"$WORK/load.err")"
assert "SYNs were sent to the ISP MTA (${SENT[$ISP4]})" [ "${SENT[$ISP4]:-0}" -gt 0 ]
assert_eq "the packet counter lost nothing" 0 "${GOT[drops]}"
assert_eq "every SYN to the ISP MTA arrived" "${SENT[$ISP4]}" "${GOT[$ISP4]:-0}"
assert_eq "no SYN to the foreign MTA arrived" 0 "${GOT[$FOREIGN4]:-0}"
counters
assert_eq "each SYN to the foreign MTA was blocked" "${SENT[$FOREIGN4]}" "${C[blocked]}"

n=0
while read -r _; do n=$((n + 1)); done < <(ctl allow list)
assert_eq "the allow table is one file's, whole" 3002 $n
finish
