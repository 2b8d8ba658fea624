#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# op25bctl against the real module: the exact output of status, stats,
# list and check, as text and as JSON, checked against /proc/net/op25b;
# list output fed back to add -f; kernel errors naming the entry (and the
# FILE:LINE) they are about; requests split into several messages, with a
# later one failing; listings racing with changes retried, never torn.
# (Round trips, check vs traffic, bad input, permissions: 19-22.)
# op25bctl's output over the module's answers, the same on every kernel:
# op25b: once
. "$(dirname "$0")/../lib.sh"
require_module
MAXP=/sys/module/op25b/parameters/table_max
read -r max <$MAXP
SLOTS=4096
[ -r /sys/module/op25b/parameters/offenders_max ] &&
	read -r SLOTS </sys/module/op25b/parameters/offenders_max
GWPID='' TOGGLER=''
trap 'kill $GWPID $TOGGLER 2>/dev/null; echo "$max" > $MAXP; cleanup' EXIT

# Every exec costs up to a second under TCG: the checks below use
# builtins wherever they can.
#
# sub (10.10.0.2, 2001:db8:10::2) -- vsub [gw] dummy0 -> default routes:
# SYNs from sub cross gw's forward hook, then vanish.  Static neighbours,
# no DAD: nothing to wait for.
ip -batch - <<-EOF || exit 1
	netns add $NS_GW
	netns add $NS_SUB
	link add eth0 netns $NS_SUB address 02:00:00:00:00:02 type veth peer name vsub netns $NS_GW address 02:00:00:00:00:01
EOF
# a process in gw's namespace: its /proc/PID/net is gw's /proc/net
nsexec $NS_GW sleep 600 &
GWPID=$!
ip -n $NS_SUB -batch - <<-EOF || exit 1
	link set eth0 up
	addr add $SUB4/24 dev eth0
	addr add $SUB6/64 dev eth0 nodad
	neigh add 10.10.0.1 lladdr 02:00:00:00:00:01 dev eth0 nud permanent
	neigh add 2001:db8:10::1 lladdr 02:00:00:00:00:01 dev eth0 nud permanent
	route add default via 10.10.0.1
	route add default via 2001:db8:10::1
EOF
ip -n $NS_GW -batch - <<-EOF || exit 1
	link set lo up
	link set vsub up
	addr add 10.10.0.1/24 dev vsub
	addr add 2001:db8:10::1/64 dev vsub nodad
	link add dummy0 type dummy
	link set dummy0 up
	route add default dev dummy0
	route add ::/0 dev dummy0
EOF
in_ns $NS_GW sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 || exit 1
wait_until 5 test /proc/$GWPID/ns/net -ef /run/netns/$NS_GW || { log "no process in $NS_GW"; exit 1; }
GWPROC=/proc/$GWPID/net/op25b

OUT=$WORK/out
ERR=$WORK/err
# slurp VAR FILE: the file without its final newline, by builtins
slurp() { IFS= read -rd '' "$1" <"$2"; printf -v "$1" '%s' "${!1%$'\n'}"; }
run() { ctl "$@" >"$OUT" 2>"$ERR"; rc=$?; slurp GOT "$OUT"; slurp GOTERR "$ERR"; }
show() {
	printf '%s\n' "$1" | sed 's/^/    want:   /'
	printf '%s\n' "$GOT" | head -20 | sed 's/^/    stdout: /'
	printf '%s\n' "$GOTERR" | head -5 | sed 's/^/    stderr: /'
}

# out_is DESCRIPTION RC STDOUT ARGS...: exit status, all of stdout, no stderr
out_is() {
	local what=$1 want_rc=$2 want=$3
	shift 3
	run "$@"
	if [ "$rc" = "$want_rc" ] && [ "$GOT" = "$want" ] && [ -z "$GOTERR" ]; then
		ok "$what"
	else
		fail "$what: exit $rc (want $want_rc)"
		show "$want"
	fi
}

# err_is DESCRIPTION STDERR ARGS...: exit 2, all of stderr, no stdout
err_is() {
	local what=$1 want=$2
	shift 2
	run "$@"
	if [ "$rc" = 2 ] && [ "$GOTERR" = "$want" ] && [ -z "$GOT" ]; then
		ok "$what"
	else
		fail "$what: exit $rc (want 2)"
		show "$want"
	fi
}

# snap: gw's /proc/net/op25b as PV[key] (first value), for the few
# checks that read a count back; expectations never come from it
declare -A PV
snap() {
	local k v rest
	PV=()
	while read -r k v rest; do PV[$k]=$v; done <$GWPROC/status
	while read -r k v; do PV[$k]=$v; done <$GWPROC/stats
}

# The expected state, written out after each known operation: E_MODE,
# E_GEN, E_TAB[table]="ipv4 ipv6 iif", and E4/E6[counter] (0 if unset).
COUNTERS="inspected blocked monitored allowed_mta allowed_exempt not_subscriber reject_sent reject_limited not_target logged log_suppressed reject_unanswerable attempts_blocked attempts_monitored nflogged alerts alerts_suppressed expired"
declare -A E_TAB E4 E6
E_MODE=enforce E_GEN=1
E_TAB=([subscriber]="0 0 0" [allow]="0 0 0" [exempt]="0 0 0" [target]="0 0 0")
# want WHAT [WARNING...]: WANT = what "op25bctl WHAT" must print
want() {
	local what=$1 t n4 n6 ni c v4 v6 st sj tt="" tj="" ct="" cf="" cj="" wt="" wj=""
	shift
	st="action: drop"$'\n'"scope: all"$'\n'"reject-rate: 1000/s burst 5"$'\n'
	st+="log: off rate 10/s burst 5 privacy on"$'\n'"nflog: off"$'\n'"alert: off"$'\n'
	st+="offenders: $SLOTS slots per CPU"$'\n'
	sj="\"action\":\"drop\",\"scope\":\"all\",\"reject_rate\":{\"rate\":1000,\"burst\":5},"
	sj+="\"log\":{\"enabled\":false,\"rate\":10,\"burst\":5,\"privacy\":true},"
	sj+="\"nflog\":{\"enabled\":false,\"group\":0,\"prefix\":\"op25b\",\"snaplen\":0},"
	sj+="\"alert\":{\"attempts\":0,\"seconds\":60},"
	sj+="\"offender_slots\":$SLOTS,\"transaction_open\":false"
	for t in subscriber allow exempt target; do
		read -r n4 n6 ni <<<"${E_TAB[$t]}"
		tt+="$t: $((n4 + n6 + ni)) entries ($n4 ipv4, $n6 ipv6, $ni iif), max $max"$'\n'
		tj+="${tj:+,}\"$t\":{\"ipv4\":$n4,\"ipv6\":$n6,\"iif\":$ni,\"max\":$max,\"timed\":0}"
	done
	for c in $COUNTERS; do
		v4=${E4[$c]:-0} v6=${E6[$c]:-0}
		ct+="$c $((v4 + v6))"$'\n'
		cf+="${c}_ipv4 $v4"$'\n'
		cj+="${cj:+,}\"$c\":{\"total\":$((v4 + v6)),\"ipv4\":$v4,\"ipv6\":$v6}"
	done
	for c in $COUNTERS; do cf+="${c}_ipv6 ${E6[$c]:-0}"$'\n'; done
	for t; do
		wt+="warning: $t"$'\n'
		wj+="${wj:+,}\"$t\""
	done
	case $what in
	status)
		WANT="mode: $E_MODE"$'\n'"generation: $E_GEN"$'\n'"$st$tt$ct$wt"
		WANT=${WANT%$'\n'} ;;
	status-j)
		WANT="{\"mode\":\"$E_MODE\",\"generation\":$E_GEN,$sj,\"tables\":{$tj},\"stats\":{$cj},\"warnings\":[$wj]}" ;;
	stats)
		WANT="$ct$cf"
		WANT=${WANT%$'\n'} ;;
	stats-j)
		WANT="{$cj}" ;;
	esac
}

EMPTY="the subscriber table is empty: nothing is enforced"
OFF="mode is off: nothing is enforced"

# ---- a fresh namespace ----
want status "$EMPTY"
out_is "status, fresh namespace: text, with a warning" 0 "$WANT" status
mapfile -t L <<<"$GOT"
assert_eq "fresh namespace: enforce, empty tables, zero counters" \
	"mode: enforce|subscriber: 0 entries (0 ipv4, 0 ipv6, 0 iif), max $max|inspected 0" \
	"${L[0]}|${L[9]}|${L[13]}"
out_is "list -j of an empty table" 0 '{"table":"exempt","entries":[],"comments":{},"timeouts":{}}' -j exempt list

# ---- configuration, listed back ----
ctl subscriber add 10.10.0.0/24 2001:DB8:10:0::/64 iif ppp+ iif '#1' || fail "subscriber add"
ctl allow add 2001:db8:ee::25 $ISP4 || fail "allow add"
ctl exempt add 10.10.0.5 || fail "exempt add"
out_is "list: one canonical entry per line, IPv4, IPv6, interfaces" 0 \
	$'10.10.0.0/24\n2001:db8:10::/64\niif #1\niif ppp+' subscriber list
LISTING=$GOT
printf '%s\n' "$GOT" >"$WORK/listing"
out_is "list -j" 0 '{"table":"allow","entries":["192.0.2.25/32","2001:db8:ee::25/128"],"comments":{},"timeouts":{}}' \
	allow list --json
ctl subscriber flush || fail "flush"
assert "list output re-adds with add -f - (iif lines too, '#1' is a name)" \
	ctl subscriber add -f - <"$WORK/listing"
out_is "... and lists the same" 0 "$LISTING" subscriber list
# what follows needs these entries, whatever happened above
[ "$GOT" = "$LISTING" ] || { ctl subscriber flush
	ctl subscriber add 10.10.0.0/24 2001:db8:10::/64 iif ppp+ iif '#1'; }

# ---- counters: real packets through the hook ----
in_ns $NS_SUB sh -c "mailclient -t 200 -n 3 $FOREIGN4 25; mailclient -t 200 $ISP4 25;
	mailclient -t 200 -n 2 $FOREIGN6 25" >/dev/null
ctl mode monitor || fail "mode monitor"
out_is "check in monitor mode: would be blocked, exit 1" 1 \
	"would be blocked (monitor mode): $SUB4 is a subscriber (10.10.0.0/24) and $FOREIGN4 is not an allowlisted MTA; send via port 587 with SMTP AUTH" \
	check $SUB4 $FOREIGN4
in_ns $NS_SUB mailclient -t 200 $FOREIGN6 25 >/dev/null
ctl mode enforce || fail "mode enforce"
# generation: 1, then add, add, add, flush, add -f, monitor, enforce
E_GEN=8
E_TAB=([subscriber]="1 1 2" [allow]="1 1 0" [exempt]="1 0 0" [target]="0 0 0")
E4=([inspected]=4 [blocked]=3 [allowed_mta]=1 [attempts_blocked]=3)
E6=([inspected]=3 [blocked]=2 [monitored]=1 [attempts_blocked]=2 [attempts_monitored]=1)
want stats
out_is "stats: every counter after 3 + 2 blocked SYNs, 1 allowed, 1 monitored" 0 "$WANT" stats
slurp PSTATS $GWPROC/stats
assert_eq "/proc/net/op25b/stats says the same" "$WANT" "$PSTATS"
want stats-j
out_is "stats -j: {counter: {total, ipv4, ipv6}} in /proc order" 0 "$WANT" -j stats
printf '%s\n' "$GOT" >"$WORK/stats.json"
want status
out_is "status: text, the known state, max = table_max" 0 "$WANT" status
want status-j
out_is "status -j" 0 "$WANT" status -j
printf '%s\n' "$GOT" >"$WORK/status.json"

# ---- check ----
out_is "check -j, blocked: exit 1, shape" 1 \
	"{\"verdict\":\"block\",\"reason\":\"blocked\",\"mode\":\"enforce\",\"scope\":\"all\",\"src\":\"$SUB4\",\"dst\":\"$FOREIGN4\",\"port\":25,\"match\":{\"subscriber\":\"10.10.0.0/24\",\"allow\":null,\"exempt\":null,\"target\":null},\"message\":\"blocked: $SUB4 is a subscriber (10.10.0.0/24) and $FOREIGN4 is not an allowlisted MTA; send via port 587 with SMTP AUTH\"}" \
	-j check $SUB4 $FOREIGN4
printf '%s\n' "$GOT" >"$WORK/check.json"
out_is "check -j, exempt: exit 0, every match" 0 \
	"{\"verdict\":\"pass\",\"reason\":\"exempt\",\"mode\":\"enforce\",\"scope\":\"all\",\"src\":\"10.10.0.5\",\"dst\":\"$ISP4\",\"port\":25,\"match\":{\"subscriber\":\"10.10.0.0/24\",\"allow\":\"$ISP4/32\",\"exempt\":\"10.10.0.5/32\",\"target\":null},\"message\":\"passes: 10.10.0.5 is a subscriber (10.10.0.0/24) but exempt (10.10.0.5/32)\"}" \
	check 10.10.0.5 $ISP4 -j
out_is "check: subscriber by interface pattern" 1 \
	"blocked: $LAN4 is a subscriber (iif ppp+) and $FOREIGN4 is not an allowlisted MTA; send via port 587 with SMTP AUTH" \
	check $LAN4 $FOREIGN4 iif ppp7
out_is "check: IPv6 written oddly, printed canonical" 0 \
	"passes: 2001:db8:10::5 is a subscriber (2001:db8:10::/64) but $ISP6 is an allowlisted MTA ($ISP6/128)" \
	check 2001:DB8:10::5 2001:db8:ee:0::25
out_is "check: another port" 0 "passes: only TCP port 25 is blocked; port 587 is open" \
	check $SUB4 $FOREIGN4 587
ctl mode off || fail "mode off"
out_is "check with mode off" 0 "passes: op25b is off" check $SUB4 $FOREIGN4
E_MODE=off E_GEN=9
want status-j "$OFF"
out_is "status -j with mode off: the warning" 0 "$WANT" -j status
ctl mode enforce || fail "mode enforce"

# ---- JSON: escaping of what the kernel returns ----
ctl subscriber add iif 'a"b\c' iif café iif $'x\xff' || fail "add odd interface names"
out_is "list -j escapes names; invalid UTF-8 becomes U+FFFD" 0 \
	'{"table":"subscriber","entries":["10.10.0.0/24","2001:db8:10::/64","iif #1","iif a\"b\\c","iif café","iif ppp+","iif x\ufffd"],"comments":{},"timeouts":{}}' \
	-j subscriber list
printf '%s\n' "$GOT" >"$WORK/list.json"
# one python3 for all the documents: it takes seconds to start here
if command -v python3 >/dev/null; then
	assert_eq "JSON documents parse; names decode" 'iif a"b\c|iif café' \
		"$(cd "$WORK" && python3 -c '
import json, sys
for f in sys.argv[1:]:
    d = json.load(open(f))
print("|".join(d["entries"][3:5]))' status.json stats.json check.json list.json 2>&1)"
fi

# ---- errors name the entry the kernel blamed ----
printf '# new customers\n10.30.0.0/16\n  2001:DB8:10::/64   # we have it\n10.31.0.0/16\n' >"$WORK/new.txt"
err_is "kernel error names FILE:LINE and the entry as written" \
	"op25bctl: $WORK/new.txt:3: subscriber add 2001:DB8:10::/64: entry already in table" \
	subscriber add -f "$WORK/new.txt"
err_is "kernel error names an interface entry" \
	"op25bctl: subscriber del iif ppp9: entry not in table" \
	subscriber del 10.10.0.0/24 iif ppp9

# ---- large requests: split into messages applied one by one ----
# 5000 IPv4 hosts, in reverse order: sent sorted, 3276 per message (the
# 64 KiB attribute limit), so the first message carries the lowest 3276.
awk -v big="$WORK/big.txt" -v low="$WORK/low.txt" 'BEGIN {
	for (i = 4999; i >= 0; i--)
		printf "10.100.%d.%d\n", int(i / 256), i % 256 > big
	for (i = 0; i < 3276; i++)
		printf "10.100.%d.%d/32\n", int(i / 256), i % 256 > low
}'
SPLIT="op25bctl: exempt add: 3276 of 5000 entries were applied before the error (the request was split into 2 messages, each applied whole or not at all)"
# entry 3999 sorts into the second message; it is line 1001 of the file
ctl exempt add 10.100.15.159 || fail "exempt add"
err_is "an entry of the second message named by FILE:LINE" \
	"op25bctl: $WORK/big.txt:1001: exempt add 10.100.15.159: entry already in table"$'\n'"$SPLIT" \
	exempt add -f "$WORK/big.txt"
snap
assert_eq "the first message stayed applied, the second not" 3278 "${PV[exempt]}"
ctl exempt flush || fail "exempt flush"
echo 3286 > $MAXP
err_is "table full in the second message: says how much was applied" \
	"op25bctl: exempt add: table full (see module parameter table_max)"$'\n'"$SPLIT" \
	exempt add -f "$WORK/big.txt"
echo "$max" > $MAXP
run exempt list
slurp LOW "$WORK/low.txt"
assert "the first message stayed applied: the lowest 3276 entries" [ "$GOT" = "$LOW" ]

# ---- a listing that races with changes is retried, never torn ----
# Adding and deleting the entry listed first shifts all the others: a dump
# that missed the change would list one entry twice, or skip one.  A dump
# that raced is flagged NLM_F_DUMP_INTR; strace counts op25bctl's requests
# (one to resolve the family, then one per try) to see a retry happen.
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "10.1.%d.%d\n", int(i / 256), i % 256 }' >"$WORK/many.txt"
ctl allow add -f "$WORK/many.txt" || fail "allow add 20000"
# not in_ns: $! must be the loop itself, to be killed
nsexec $NS_GW sh -c 'while :; do op25bctl allow add 10.0.0.0; op25bctl allow del 10.0.0.0; done' \
	>/dev/null 2>&1 &
TOGGLER=$!
STRACE=
command -v strace >/dev/null && STRACE="strace -f -o $WORK/st -e trace=sendmsg"
tries=0 retried=0 torn=0 gaveup=0
while [ $tries -lt 5 ] && [ $retried = 0 ]; do
	tries=$((tries + 1))
	in_ns $NS_GW $STRACE op25bctl allow list >"$OUT" 2>"$ERR"
	rc=$?
	slurp GOTERR "$ERR"
	if [ $rc = 2 ] && [ "$GOTERR" = "op25bctl: allow list: the table kept changing during the listing; gave up after 10 tries" ]; then
		gaveup=$((gaveup + 1))
	elif [ $rc != 0 ] || [ -n "$GOTERR" ] ||
	     ! awk '$0 == prev { dup++ } { prev = $0; n++ } $0 == "10.0.0.0/32" { z = 1 }
		    END { exit !(!dup && n == 20002 + z) }' "$OUT"; then
		torn=$((torn + 1))
		fail "listing $tries: exit $rc, $(grep -c . "$OUT") lines: $GOTERR"
	fi
	if [ -n "$STRACE" ]; then
		sends=0
		while read -r line; do
			[[ $line == *sendmsg\(* ]] && sends=$((sends + 1))
		done <"$WORK/st"
		log "listing $tries: $sends requests sent"
		[ $sends -gt 2 ] && retried=$((retried + 1))
	fi
done
kill $TOGGLER
TOGGLER=
assert_eq "$tries listings during changes: none torn ($gaveup gave up)" 0 $torn
if [ -z "$STRACE" ]; then
	log "no strace: retries not observed"
elif [ $retried -gt 0 ]; then
	ok "listing $tries raced and was retried"
else
	log "none of them raced: retry not exercised"
fi

# ---- ... but only by changes to the table listed ----
# Another table's entries and a setting change at the same pace: no
# listing of the allow table may be interrupted by them (each table has
# its own generation; settings theirs).
gen0=$(ctl status | sed -n 's/^generation: //p')
nsexec $NS_GW sh -c 'while :; do op25bctl exempt add 10.0.0.0; op25bctl exempt del 10.0.0.0;
	op25bctl set reject-rate 10; op25bctl set reject-rate 1000; done' >/dev/null 2>&1 &
TOGGLER=$!
if [ -n "$STRACE" ]; then
	extra=0
	for try in 1 2 3; do
		in_ns $NS_GW $STRACE op25bctl allow list >"$OUT" 2>"$ERR" || fail "listing $try beside other changes: exit $?"
		sends=0
		while read -r line; do
			[[ $line == *sendmsg\(* ]] && sends=$((sends + 1))
		done <"$WORK/st"
		[ "$sends" -gt 2 ] && extra=$((extra + 1))
		log "listing $try beside other tables' and settings' changes: $sends requests"
	done
	gen=$(ctl status | sed -n 's/^generation: //p')
	assert "the toggler changed things meanwhile (generation $gen0 -> $gen)" [ "${gen:-0}" -gt "$gen0" ]
	assert_eq "no listing restarted by another table or a setting" 0 "$extra"
else
	fail "strace missing (tests/harness/deps.sh): per-table generations not checked"
fi
kill $TOGGLER
TOGGLER=

log "took ${SECONDS}s"
finish
