#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Entry timeouts (issue 15): what list, status, save and load show of
# them; a refresh, a permanent entry that stays so; the verdict changing
# within a second of the expiry while SYNs flow (a witness: a sampler
# reading the counters and CLOCK_BOOTTIME, /proc/uptime, with builtins);
# everything due in the same second removed by one change (one
# generation, one event); a container's entries expiring in its own
# namespace only.  Waits overlap: what expires later is started first.
# op25b: long 40
# op25b: timeout 420
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
gw_proc || exit 1
MON_PID='' CNT_PID='' SEND_PID='' SAMPLER_PID=''
trap 'kill $MON_PID $CNT_PID $SEND_PID $SAMPLER_PID $CPID 2>/dev/null; cleanup' EXIT

# uptime_s: whole seconds of CLOCK_BOOTTIME, the clock of entries' expiry
uptime_s() {
	local up _
	read -r up _ </proc/uptime
	echo "${up%.*}"
}

nsexec "$NS_GW" op25bctl monitor config >"$WORK/monitor" 2>&1 &
MON_PID=$!

# --- what the tools show ---------------------------------------------------
ctl exempt add $SUB4 timeout 1h comment "ticket 7: moving to 587"
assert "list shows timeout, time left and comment" \
	grep -qxE "10\.10\.0\.2/32 timeout 1h expires (1h|59m[0-9]+s) comment \"ticket 7: moving to 587\"" \
	<(ctl exempt list)
j=$(ctl -j exempt list)
assert "list -j gives the timeout and the seconds left ($j)" python3 -c '
import json, sys
t = json.loads(sys.argv[1])["timeouts"]["10.10.0.2/32"]
sys.exit(not (t["timeout"] == 3600 and 3540 <= t["expires"] <= 3600))' "$j"
st=$(ctl status)
assert "status counts the timed entry and the next expiry ($(grep ^exempt <<<"$st"))" \
	grep -qE "^exempt: 1 entries .*, 1 with timeouts, next expires in (1h|59m[0-9]+s)$" <<<"$st"
assert "/proc status says it too" grep -qE "^exempt 1 ipv4 1 ipv6 0 iif 0 timed 1 next-expiry 3[0-9][0-9][0-9]s$" "$GWPROC/status"
sv=$(ctl save)
assert "save writes timeout and expires, as nft does ($(grep ^exempt <<<"$sv"))" \
	grep -qE "^exempt 10\.10\.0\.2/32 timeout 1h expires (1h|59m[0-9]+s) comment \"ticket 7: moving to 587\"$" <<<"$sv"

# --- refresh, permanent ----------------------------------------------------
ctl exempt add $SUB4 timeout 2h
assert "adding it again refreshes the timeout and keeps the comment" \
	grep -qxE "10\.10\.0\.2/32 timeout 2h expires (2h|1h59m[0-9]+s) comment \"ticket 7: moving to 587\"" \
	<(ctl exempt list)
ctl exempt add $SUB4 comment "contract checked"
assert_eq "adding it without a timeout makes it permanent" \
	'10.10.0.2/32 comment "contract checked"' "$(ctl exempt list)"
assert "status: no timed entry left" grep -qx "exempt: 1 entries (1 ipv4, 0 ipv6, 0 iif), max [0-9]*" <(ctl status)
err=$(ctl exempt add $SUB4 timeout 1h 2>&1)
assert "a permanent entry does not become temporary" \
	grep -q "exempt add 10.10.0.2: entry already in table" <<<"$err"
assert_eq "... and stays permanent" '10.10.0.2/32 comment "contract checked"' "$(ctl exempt list)"
ctl exempt del $SUB4
err=$(ctl exempt add $SUB4 timeout 0s 2>&1)
assert "timeout 0 refused, nothing changed" \
	bash -c '[[ $0 == *"out of range (1s to 365d)"* ]] && [ -z "$1" ]' "$err" "$(ctl exempt list)"

# --- started now, checked after the traffic, to overlap the waits --------
# everything due in one second goes in one change: 201 target entries of
# one request expire with one event
awk 'BEGIN { for (i = 0; i < 200; i++) printf "198.18.%d.%d/32 timeout 8s\n", int(i / 100), i % 100 }' >"$WORK/batch"
echo "2001:db8:99::9 timeout 8s" >>"$WORK/batch"
ctl target add -f "$WORK/batch"
assert_eq "201 timed entries in one request" 201 "$(ctl target list | wc -l)"
# a container's entries expire in its own namespace
container_start || exit 1
in_container op25bctl exempt add 10.0.0.1 timeout 8s
cl=$(in_container op25bctl exempt list)
assert "the container sees its timed entry ($cl)" grep -q "^10.0.0.1/32 timeout 8s" <<<"$cl"

# --- the verdict changes within a second of the expiry, under traffic -------
# SYNs from the subscriber to the foreign MTA: allowed_exempt while the
# entry lives, blocked after.  The sampler writes "UPTIME EXEMPT BLOCKED"
# lines; a packet counted between two samples was judged after the first.
T=4
nsexec $NS_INET syncount -i eth0 >"$WORK/count" &
CNT_PID=$!
wait_until 5 grep -qx ready "$WORK/count" || { log "syncount did not start"; exit 1; }
sampler() {
	local up _ end=$1
	while :; do
		read -r up _ </proc/uptime
		counters
		echo "$up ${C[allowed_exempt]} ${C[blocked]}"
		[ "${up%.*}" -lt "$end" ] || break
	done
}
nsexec $NS_SUB synsend -r 50 -d $((T + 6)) $FOREIGN4 >"$WORK/sent" &
SEND_PID=$!
nap 1
u0=$(uptime_s)
ctl exempt add $SUB4 timeout ${T}s
u1=$(uptime_s)
sampler $((u1 + T + 3)) >"$WORK/samples" &
SAMPLER_PID=$!
wait $SAMPLER_PID
SAMPLER_PID=
wait $SEND_PID
SEND_PID=
syn_counts
# the entry goes at a whole second: between u0 + T and u1 + T
read -r last_pass first_block < <(awk -v lo=$((u0 + T)) '
	NR > 1 && $2 > pe { lp = prev }	# exempted after the previous sample
	NR > 1 && $3 > pb && !fb { fb = $1 }	# first sample that saw a block
	{ prev = $1; pe = $2; pb = $3 }
	END { print (lp == "" ? "none" : lp), (fb == "" ? "none" : fb) }' "$WORK/samples")
log "added at uptime $u0..$u1 with timeout ${T}s; last exempted packet after $last_pass; first block seen at $first_block; $(wc -l <"$WORK/samples") samples"
assert "packets were exempted while the entry lived" [ "$last_pass" != none ]
assert "the entry judged no packet more than 1 s past its expiry ($last_pass <= $((u1 + T + 1)))" \
	awk -v t="$last_pass" -v lim=$((u1 + T + 1)) 'BEGIN { exit !(t <= lim) }'
assert "and was not removed early (first block $first_block >= $((u0 + T)))" \
	awk -v t="$first_block" -v lim=$((u0 + T)) 'BEGIN { exit !(t != "none" && t >= lim) }'
assert "SYNs to the foreign MTA arrived only while exempt (${GOT[$FOREIGN4]:-0} of ${SENT[$FOREIGN4]})" \
	[ "${GOT[$FOREIGN4]:-0}" -gt 0 -a "${GOT[$FOREIGN4]:-0}" -lt "${SENT[$FOREIGN4]:-0}" ]
assert_eq "the exempt table is empty" "" "$(ctl exempt list)"
wait_until 15 bash -c '[ -z "$(nsexec '"$NS_GW"' op25bctl target list)" ]'
assert_eq "the 201 target entries expired" "" "$(ctl target list)"
assert_eq "expired counted per family: 1 + 200 IPv4, 1 IPv6" "202 201 1" \
	"$(counter expired) $(counter expired_ipv4) $(counter expired_ipv6)"
wait_until 15 bash -c '[ -z "$(setpriv --reuid=65534 --regid=65534 --clear-groups nsenter -t '"$CPID"' -U -n --preserve-credentials op25bctl exempt list)" ]'
assert_eq "the container's entry expired there" "" "$(in_container op25bctl exempt list)"
assert_eq "counted there" 1 "$(in_container awk '$1 == "expired" { print $2 }' /proc/net/op25b/stats)"
assert_eq "not in the host's count" 202 "$(counter expired)"

# --- save and load carry timeouts ------------------------------------------
ctl allow add 192.0.2.26 timeout 1d comment partner
ctl exempt add $SUB4 timeout 30m
ctl save >"$WORK/saved.conf"
ctl load "$WORK/saved.conf"
assert "load restores the time left (allow)" \
	grep -qxE "192\.0\.2\.26/32 timeout 1d expires (1d|23h59m[0-9]+s) comment \"partner\"" <(ctl allow list)
assert "load restores the time left (exempt)" \
	grep -qxE "10\.10\.0\.2/32 timeout 30m expires (30m|29m[0-9]+s)" <(ctl exempt list)
printf 'subscriber 10.10.0.0/24\nexempt 10.10.0.2 timeout 1d expires 20s\n' >"$WORK/short.conf"
ctl load "$WORK/short.conf"
assert "a load replaces the timeouts like any other state" \
	grep -qxE "10\.10\.0\.2/32 timeout 1d expires ([1-9]|1[0-9]|20)s" <(ctl exempt list)
assert_eq "... and the allow entry is gone with the load" "" "$(ctl allow list)"
wait_until 30 bash -c '[ -z "$(nsexec '"$NS_GW"' op25bctl exempt list)" ]'
assert_eq "the loaded entry expired at its time left" "" "$(ctl exempt list)"

# --- events ---------------------------------------------------------------
kill $MON_PID
wait $MON_PID 2>/dev/null
MON_PID=
log "$(grep expire "$WORK/monitor")"
# one event per change of a table: the 201 went in one change
assert "the monitor saw the 201 expire in one change, the module's" \
	grep -qxE "gen [0-9]+ expire target 201 entries" "$WORK/monitor"
assert_eq "exempt expire events: the traffic's entry, the loaded one" 2 "$(grep -c ' expire exempt ' "$WORK/monitor")"
assert_eq "the container's expiry is not seen here" 3 "$(grep -c ' expire ' "$WORK/monitor")"
finish
