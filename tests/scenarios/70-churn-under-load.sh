#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Table churn under load.  While raw SYNs stream at a fixed rate from a
# subscriber to the allowlisted ISP MTA (192.0.2.25), to the foreign MTA
# (198.51.100.25, never allowed) and to a third inet destination
# (192.0.2.99, "churn MTA") whose allow entry comes and goes, a writer
# loop keeps changing the allow table: adds and deletes of chunks of
# entries (add/del -f), add/del of the churn MTA, atomic replaces
# ("op25bctl load") of the whole configuration with a large file and with
# an (almost) empty one, and add + flush of exempt entries (subscriber
# addresses other than the sending one), and subscriber entries added and
# deleted (every policy meanwhile blocks: op25b's hooks, registered only
# while the policy can block, must stay, without a gap).
# A bare "allow flush" would also remove the ISP MTA's entry, so the allow
# table is "flushed" atomically by loading a file holding only the stable
# entries; the flush path itself runs on the exempt table.
#
# Asserted on the receiving side (syncount on inet's eth0): every SYN to
# the ISP MTA arrived, none to the foreign MTA; the writer's requests all
# succeeded.  The last line is a summary: operations, entries, packets.
#
# Knobs (environment):
#   OP25B_CHURN_SECONDS  how long the SYNs flow and the writer runs (default 20;
#                        >= 60 in the debug-kernel run)
#   OP25B_CHURN_ENTRIES  size of the big load file, i.e. the most allow
#                        entries in the table at once (default 10000; up to
#                        100000 in the debug-kernel run); add/del chunks are
#                        a tenth of it
#   OP25B_CHURN_RATE     SYNs per second over the three destinations (default 150)
# op25b: smp
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1
CNT_PID='' SEND_PID=''
trap 'kill $CNT_PID $SEND_PID 2>/dev/null; cleanup' EXIT
DURATION=${OP25B_CHURN_SECONDS:-20}
ENTRIES=${OP25B_CHURN_ENTRIES:-10000}
RATE=${OP25B_CHURN_RATE:-150}
CHUNK=$((ENTRIES / 10))
CHURN4=192.0.2.99
ip -n $NS_INET addr add $CHURN4/32 dev lo || exit 1

# big.conf: the whole configuration with ENTRIES allow entries besides the
# ISP MTA; small.conf: only the stable entries (the atomic "flush");
# chunkN: CHUNK entries outside both, for add/del -f
awk -v d="$WORK" -v n=$ENTRIES -v c=$CHUNK 'BEGIN {
	for (f = 0; f < 2; f++) {
		out = d "/" (f ? "small.conf" : "big.conf")
		printf "mode enforce\naction drop\n" > out
		printf "subscriber 10.10.0.0/24\nsubscriber 2001:db8:10::/64\n" > out
		printf "allow 192.0.2.25 comment \"ISP MTA\"\nallow 2001:db8:ee::25\n" > out
		if (!f)
			for (i = 0; i < n; i++)
				printf "allow 10.%d.%d.%d\n", 100 + int(i / 65536), int(i / 256) % 256, i % 256 > out
		close(out)
	}
	for (k = 0; k < 4; k++) {
		out = d "/chunk" k
		for (i = 0; i < c; i++)
			printf "172.%d.%d.%d/32\n", 16 + k, int(i / 256) % 256, i % 256 > out
		close(out)
	}
	out = d "/exempt"
	for (i = 128; i < 256; i++)
		printf "10.10.0.%d/32\n", i > out
}' || exit 1
ctl load --check "$WORK/big.conf" || exit 1

nsexec $NS_INET syncount -i eth0 >"$WORK/count" &
CNT_PID=$!
wait_until 5 grep -qx ready "$WORK/count" || { log "syncount did not start"; exit 1; }
nsexec $NS_SUB synsend -r $RATE -d $DURATION $ISP4 $FOREIGN4 $CHURN4 >"$WORK/sent" &
SEND_PID=$!

# the writer: every request's failure is counted
ops=0 failed=0 entries=0 cycles=0
op() {
	if ctl "$@" >/dev/null 2>>"$WORK/writer.err"; then
		ops=$((ops + 1))
	else
		failed=$((failed + 1))
		log "request failed: $*"
	fi
}
k=0
while kill -0 $SEND_PID 2>/dev/null; do
	op allow add $CHURN4
	op allow add -f "$WORK/chunk$k";	entries=$((entries + CHUNK))
	op allow del $CHURN4
	op load "$WORK/big.conf";		entries=$((entries + ENTRIES))
	op allow add $CHURN4 comment churn
	op allow add -f "$WORK/chunk$k";	entries=$((entries + CHUNK))
	op allow del -f "$WORK/chunk$k";	entries=$((entries + CHUNK))
	op exempt add -f "$WORK/exempt";	entries=$((entries + 128))
	op exempt flush
	# policies that block all along: op25b's hooks stay registered
	op subscriber add 10.10.1.0/24
	op subscriber del 10.10.1.0/24
	op load "$WORK/small.conf";		entries=$((entries + 2))
	k=$(( (k + 1) % 4 ))
	cycles=$((cycles + 1))
done
wait $SEND_PID
assert_eq "synsend sent everything" 0 $?
SEND_PID=
syn_counts
[ -s "$WORK/writer.err" ] && log "$(head -5 "$WORK/writer.err")"
assert "the writer ran (cycles $cycles)" [ $cycles -ge 1 ]
assert_eq "no writer request failed" 0 $failed
assert "SYNs were sent to the ISP MTA (${SENT[$ISP4]})" [ "${SENT[$ISP4]:-0}" -gt $((RATE * DURATION / 12)) ]
assert_eq "the packet counter lost nothing" 0 "${GOT[drops]}"
assert_eq "every SYN to the ISP MTA arrived" "${SENT[$ISP4]}" "${GOT[$ISP4]:-0}"
assert_eq "no SYN to the foreign MTA arrived" 0 "${GOT[$FOREIGN4]:-0}"
assert "SYNs to the churn MTA: some arrived, at most all (${GOT[$CHURN4]:-0}/${SENT[$CHURN4]})" \
	[ "${GOT[$CHURN4]:-0}" -gt 0 -a "${GOT[$CHURN4]:-0}" -le "${SENT[$CHURN4]:-0}" ]
counters
assert "the foreign MTA's SYNs were all blocked" [ "${C[blocked]}" -ge "${SENT[$FOREIGN4]}" ]
assert_eq "allow table: the stable entries" 2 "$(ctl allow list | wc -l)"
log "summary: churn ${DURATION}s entries=$ENTRIES: $ops requests ok, $failed failed, $cycles cycles, $entries entries written; SYNs sent isp=${SENT[$ISP4]} foreign=${SENT[$FOREIGN4]} churn=${SENT[$CHURN4]}; arrived isp=${GOT[$ISP4]:-0} foreign=${GOT[$FOREIGN4]:-0} churn=${GOT[$CHURN4]:-0}; blocked=${C[blocked]}"
finish
