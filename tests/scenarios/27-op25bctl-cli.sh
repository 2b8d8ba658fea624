#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# op25bctl against the real module: the exact output of status, stats,
# list and check, as text and as JSON, checked against /proc/net/op25b;
# list output fed back to add -f; kernel errors naming the entry (and the
# FILE:LINE) they are about; requests split into several messages, with a
# later one failing.  (Round trips, check vs traffic, bad input and
# permissions are 19-22.)
. "$(dirname "$0")/../lib.sh"
require_module
MAXP=/sys/module/op25b/parameters/table_max
max=$(cat $MAXP)
trap 'echo "$max" > $MAXP; cleanup' EXIT

# sub (10.10.0.2, 2001:db8:10::2) -- vsub [gw] dummy0 -> default routes:
# SYNs from sub cross gw's forward hook, then vanish.  Static neighbours,
# no DAD: nothing to wait for.
ip -batch - <<-EOF || exit 1
	netns add $NS_GW
	netns add $NS_SUB
	link add eth0 netns $NS_SUB address 02:00:00:00:00:02 type veth peer name vsub netns $NS_GW address 02:00:00:00:00:01
EOF
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

OUT=$WORK/out
ERR=$WORK/err
run() { ctl "$@" >"$OUT" 2>"$ERR"; rc=$?; }
show() {
	sed 's/^/    stdout: /' "$OUT" | head -20
	sed 's/^/    stderr: /' "$ERR" | head -5
}

# out_is DESCRIPTION RC STDOUT ARGS...: exit status, all of stdout, no stderr
out_is() {
	local what=$1 want_rc=$2 want=$3
	shift 3
	run "$@"
	if [ "$rc" = "$want_rc" ] && [ "$(cat "$OUT")" = "$want" ] && [ ! -s "$ERR" ]; then
		ok "$what"
	else
		fail "$what: exit $rc (want $want_rc), want stdout:"
		printf '%s\n' "$want" | sed 's/^/    want:   /'
		show
	fi
}

# err_is DESCRIPTION STDERR ARGS...: exit 2, all of stderr, no stdout
err_is() {
	local what=$1 want=$2
	shift 2
	run "$@"
	if [ "$rc" = 2 ] && [ "$(cat "$ERR")" = "$want" ] && [ ! -s "$OUT" ]; then
		ok "$what"
	else
		fail "$what: exit $rc (want 2), want stderr:"
		printf '%s\n' "$want" | sed 's/^/    want:   /'
		show
	fi
}

# The kernel's own view, from /proc: what status and stats must agree with.
PROC=$WORK/proc
snap() { in_ns $NS_GW cat /proc/net/op25b/status /proc/net/op25b/stats >"$PROC"; }

# want WHAT [WARNING...]: from $PROC, what "op25bctl [-j] WHAT" prints
want() {
	local what=$1 warn="" w
	shift
	for w; do warn="$warn${warn:+,}\"$w\""; done
	awk -v what="$what" -v max="$(cat $MAXP)" -v warn="$warn" '
	$1 == "mode" || $1 == "generation" { v[$1] = $2; next }
	$3 == "ipv4" {
		txt = txt sprintf("%s: %d entries (%d ipv4, %d ipv6, %d iif), max %d\n",
				  $1, $2, $4, $6, $8, max)
		js = js (js ? "," : "") sprintf("\"%s\":{\"ipv4\":%d,\"ipv6\":%d,\"iif\":%d,\"max\":%d}",
						 $1, $4, $6, $8, max)
		next
	}
	{ v[$1] = $2; if ($1 !~ /_ipv[46]$/) cnt[n++] = $1 }
	END {
		for (i = 0; i < n; i++) {
			c = cnt[i]
			totals = totals c " " v[c] "\n"
			sj = sj (i ? "," : "") sprintf("\"%s\":{\"total\":%d,\"ipv4\":%d,\"ipv6\":%d}",
						       c, v[c], v[c "_ipv4"], v[c "_ipv6"])
		}
		if (what == "status")
			printf "mode: %s\ngeneration: %d\n%s%s", v["mode"], v["generation"], txt, totals
		else if (what == "status-j")
			printf "{\"mode\":\"%s\",\"generation\":%d,\"tables\":{%s},\"stats\":{%s},\"warnings\":[%s]}\n",
			       v["mode"], v["generation"], js, sj, warn
		else if (what == "stats-j")
			printf "{%s}\n", sj
	}' "$PROC"
	if [ "$what" = status ]; then
		for w; do echo "warning: $w"; done
	fi
}

EMPTY="the subscriber table is empty: nothing is enforced"
OFF="mode is off: nothing is enforced"

# ---- a fresh namespace ----
snap
out_is "status, fresh namespace: text, with a warning" 0 "$(want status "$EMPTY")" status
assert_eq "fresh namespace: enforce, empty tables, zero counters" \
	"mode: enforce|subscriber: 0 entries (0 ipv4, 0 ipv6, 0 iif), max $max|inspected 0" \
	"$(sed -n '1p;3p;6p' "$OUT" | paste -sd'|')"
out_is "list -j of an empty table" 0 '{"table":"exempt","entries":[]}' -j exempt list

# ---- configuration, listed back ----
ctl subscriber add 10.10.0.0/24 2001:DB8:10:0::/64 iif ppp+ iif '#1' || fail "subscriber add"
ctl allow add 2001:db8:ee::25 $ISP4 || fail "allow add"
ctl exempt add 10.10.0.5 || fail "exempt add"
out_is "list: one canonical entry per line, IPv4, IPv6, interfaces" 0 \
	"$(printf '10.10.0.0/24\n2001:db8:10::/64\niif #1\niif ppp+')" subscriber list
cp "$OUT" "$WORK/listing"
out_is "list -j" 0 '{"table":"allow","entries":["192.0.2.25/32","2001:db8:ee::25/128"]}' \
	allow list --json
ctl subscriber flush || fail "flush"
assert "list output re-adds with add -f - (iif lines too, '#1' is a name)" \
	ctl subscriber add -f - <"$WORK/listing"
out_is "... and lists the same" 0 "$(cat "$WORK/listing")" subscriber list

# ---- counters: real packets through the hook ----
in_ns $NS_SUB mailclient -t 200 -n 3 $FOREIGN4 25 >/dev/null
in_ns $NS_SUB mailclient -t 200 $ISP4 25 >/dev/null
in_ns $NS_SUB mailclient -t 200 -n 2 $FOREIGN6 25 >/dev/null
ctl mode monitor || fail "mode monitor"
out_is "check in monitor mode: would be blocked, exit 1" 1 \
	"would be blocked (monitor mode): $SUB4 is a subscriber (10.10.0.0/24) and $FOREIGN4 is not an allowlisted MTA; send via port 587 with SMTP AUTH" \
	check $SUB4 $FOREIGN4
in_ns $NS_SUB mailclient -t 200 $FOREIGN6 25 >/dev/null
ctl mode enforce || fail "mode enforce"
snap
out_is "stats: text exactly as /proc/net/op25b/stats" 0 \
	"$(sed -n '/^inspected /,$p' "$PROC")" stats
assert_eq "stats: the packets sent, each in its family" \
	"blocked_ipv4 3|allowed_mta_ipv4 1|blocked_ipv6 2|monitored_ipv6 1" \
	"$(grep -E '^(blocked_ipv[46] [1-9]|allowed_mta_ipv4|monitored_ipv6)' "$OUT" | paste -sd'|')"
out_is "stats -j: {counter: {total, ipv4, ipv6}} in /proc order" 0 "$(want stats-j)" -j stats
cp "$OUT" "$WORK/stats.json"
out_is "status: text, counts from /proc, max = table_max" 0 "$(want status)" status
out_is "status -j" 0 "$(want status-j)" status -j
cp "$OUT" "$WORK/status.json"

# ---- check ----
out_is "check -j, blocked: exit 1, shape" 1 \
	"{\"verdict\":\"block\",\"reason\":\"blocked\",\"mode\":\"enforce\",\"src\":\"$SUB4\",\"dst\":\"$FOREIGN4\",\"port\":25,\"match\":{\"subscriber\":\"10.10.0.0/24\",\"allow\":null,\"exempt\":null},\"message\":\"blocked: $SUB4 is a subscriber (10.10.0.0/24) and $FOREIGN4 is not an allowlisted MTA; send via port 587 with SMTP AUTH\"}" \
	-j check $SUB4 $FOREIGN4
cp "$OUT" "$WORK/check.json"
out_is "check -j, exempt: exit 0, every match" 0 \
	"{\"verdict\":\"pass\",\"reason\":\"exempt\",\"mode\":\"enforce\",\"src\":\"10.10.0.5\",\"dst\":\"$ISP4\",\"port\":25,\"match\":{\"subscriber\":\"10.10.0.0/24\",\"allow\":\"$ISP4/32\",\"exempt\":\"10.10.0.5/32\"},\"message\":\"passes: 10.10.0.5 is a subscriber (10.10.0.0/24) but exempt (10.10.0.5/32)\"}" \
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
snap
out_is "status -j with mode off: the warning" 0 "$(want status-j "$OFF")" -j status
ctl mode enforce || fail "mode enforce"

# ---- JSON: escaping of what the kernel returns ----
odd=(iif 'a"b\c' iif café iif $'x\xff')
ctl subscriber add "${odd[@]}" || fail "add odd interface names"
out_is "list -j escapes names; invalid UTF-8 becomes U+FFFD" 0 \
	'{"table":"subscriber","entries":["10.10.0.0/24","2001:db8:10::/64","iif #1","iif a\"b\\c","iif café","iif ppp+","iif x\ufffd"]}' \
	-j subscriber list
cp "$OUT" "$WORK/list.json"
ctl subscriber del "${odd[@]}" || fail "del odd interface names"
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
ctl exempt flush || fail "exempt flush"
echo 3286 > $MAXP
err_is "table full in the second message: says how much was applied" \
	"$(printf '%s\n' "op25bctl: exempt add: table full (see module parameter table_max)" \
		"op25bctl: exempt add: 3276 of 5000 entries were applied before the error (the request was split into 2 messages, each applied whole or not at all)")" \
	exempt add -f "$WORK/big.txt"
echo "$max" > $MAXP
run exempt list
assert "the first message stayed applied: the lowest 3276 entries" cmp -s "$OUT" "$WORK/low.txt"
ctl exempt flush || fail "exempt flush"
# entry 3999 sorts into the second message; it is line 1001 of the file
ctl exempt add 10.100.15.159 || fail "exempt add"
err_is "an entry of the second message named by FILE:LINE" \
	"$(printf '%s\n' "op25bctl: $WORK/big.txt:1001: exempt add 10.100.15.159: entry already in table" \
		"op25bctl: exempt add: 3276 of 5000 entries were applied before the error (the request was split into 2 messages, each applied whole or not at all)")" \
	exempt add -f "$WORK/big.txt"
snap
assert_eq "the first message applied, the second not" "exempt 3277" \
	"$(awk '$1 == "exempt" { print $1, $2 }' "$PROC")"

log "took ${SECONDS}s"
finish
