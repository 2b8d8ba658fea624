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
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1
CNT_PID= SEND_PID=
trap 'kill $CNT_PID $SEND_PID 2>/dev/null; cleanup' EXIT
DURATION=15
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

# not in_ns: $! must be the helper itself (ip netns exec execs it)
ip netns exec $NS_INET syncount -i eth0 >"$WORK/count" &
CNT_PID=$!
for ((i = 0; i < 50; i++)); do
	read -r line 2>/dev/null <"$WORK/count" && [ "$line" = ready ] && break
	sleep 0.1
done
[ "$line" = ready ] || { log "syncount did not start"; exit 1; }
ip netns exec $NS_SUB synsend -r $RATE -d $DURATION $ISP4 $FOREIGN4 >"$WORK/sent" &
SEND_PID=$!

loads=0 failed=0
while kill -0 $SEND_PID 2>/dev/null; do
	for f in b a; do
		if ctl load "$WORK/$f.conf" 2>>"$WORK/load.err"; then
			loads=$((loads + 1))
		else
			failed=$((failed + 1))
		fi
	done
done
wait $SEND_PID
assert_eq "synsend sent everything" 0 $?
SEND_PID=
sleep 1		# the last SYNs cross the gateway
kill $CNT_PID
wait $CNT_PID
CNT_PID=

declare -A SENT GOT
while read -r k v; do SENT[$k]=$v; done <"$WORK/sent"
while read -r k v; do GOT[$k]=$v; done <"$WORK/count"
log "sent: ${SENT[$ISP4]} to the ISP MTA, ${SENT[$FOREIGN4]} to the foreign MTA; $loads loads"
assert "$loads loads, alternating, while the SYNs flowed" [ $loads -ge 6 ]
assert_eq "no load failed" 0 $failed
[ -s "$WORK/load.err" ] && log "$(<"$WORK/load.err")"
assert "SYNs were sent to the ISP MTA (${SENT[$ISP4]})" [ "${SENT[$ISP4]:-0}" -gt $((RATE * DURATION / 4)) ]
assert_eq "the packet counter lost nothing" 0 "${GOT[drops]}"
assert_eq "every SYN to the ISP MTA arrived" "${SENT[$ISP4]}" "${GOT[$ISP4]:-0}"
assert_eq "no SYN to the foreign MTA arrived" 0 "${GOT[$FOREIGN4]:-0}"
counters
assert_eq "each SYN to the foreign MTA was blocked" "${SENT[$FOREIGN4]}" "${C[blocked]}"

n=0
while read -r _; do n=$((n + 1)); done < <(ctl allow list)
assert_eq "the allow table is one file's, whole" 3002 $n
finish
