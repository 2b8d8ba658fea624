#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of op25bctl's command line, TAP output.
#   test_cli.sh ./op25bctl
#
# Usage, validation and help, all of which must be settled before any
# socket is opened; and, where the op25b module is not loaded, the "not
# loaded" message.  Nothing here changes a live system: with the module
# loaded, only commands that fail validation are run.
#
# Everything that needs the module runs in a guest against the real one:
# tests/scenarios/27-op25bctl-cli.sh (and 19-22).

BIN=${1:-./op25bctl}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
failed=0

ok() {	# ok COND-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
		sed 's/^/#   /' "$T/out" "$T/err" 2>/dev/null | head -20
	fi
}

run() {	# run CMD...: output in $T/out, $T/err, status in $rc
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
}

# expect RC STDERR-SUBSTRING DESCRIPTION -- CMD...
expect() {
	local want=$1 msg=$2 desc=$3
	shift 4
	run "$@"
	[ "$rc" = "$want" ] && grep -qF -- "$msg" "$T/err"
	ok $? "$desc (exit $rc)"
}

# exact RC STDERR-EXACT DESCRIPTION -- CMD...: as expect, the whole stderr
exact() {
	run "${@:5}"
	[ "$rc" = "$1" ] && [ "$(cat "$T/err")" = "$2" ]
	ok $? "$3 (exit $rc)"
}

# out RC STDOUT-EXACT DESCRIPTION -- CMD...
out() {
	local want=$1 text=$2 desc=$3
	shift 4
	run "$@"
	[ "$rc" = "$want" ] && [ "$(cat "$T/out")" = "$text" ]
	ok $? "$desc (exit $rc)"
}

# ---- usage and validation: no kernel involved ----

NOSOCK=
if command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null; then
	NOSOCK=1
fi

# invalid CMD...: exit 2 without ever opening a netlink socket
nosock() {
	if [ -z "$NOSOCK" ]; then
		ok 0 "no socket for: $* # SKIP no strace"
		return
	fi
	strace -f -e trace=socket -o "$T/strace" "$@" >/dev/null 2>&1
	! grep -q AF_NETLINK "$T/strace"
	ok $? "no socket opened for: $*"
}

B=$BIN
expect 2 "op25bctl: allow add 10.0.0.1/8: host bits set under the prefix length" \
	"host bits" -- $B allow add 10.0.0.1/8
nosock $B allow add 10.0.0.1/8
nosock $B subscriber add 10.0.0.0/8 192.0.2.300
expect 2 "op25bctl: exempt del 192.0.2.300: not an IPv4 or IPv6 address" \
	"bad address" -- $B exempt del 192.0.2.300
expect 2 "op25bctl: allow add 010.0.0.0/8: not an IPv4 or IPv6 address" \
	"leading zero refused like the kernel" -- $B allow add 010.0.0.0/8
expect 2 "op25bctl: allow add 2001:db8::/129: bad prefix length" \
	"bad prefix length" -- $B allow add 2001:db8::/129
expect 2 "op25bctl: allow add 10.0.0.0/: bad prefix length" \
	"empty prefix length" -- $B allow add 10.0.0.0/
expect 2 "op25bctl: allow add iif ppp+: interface entries are only valid in the subscriber table" \
	"iif outside subscriber" -- $B allow add iif ppp+
expect 2 "op25bctl: subscriber add iif ppp0123456789012: interface name longer than 15 characters" \
	"iif too long" -- $B subscriber add iif ppp0123456789012
expect 2 "op25bctl: subscriber add iif pp+p: '+' is only allowed as the last character" \
	"iif + not last" -- $B subscriber add iif pp+p
expect 2 "'iif' needs a NAME" "iif without NAME" -- $B subscriber add iif
expect 2 "op25bctl: subscriber add 10.0.0.0/8: entry given twice in one request (first: 10.0.0.0/8)" \
	"duplicate" -- $B subscriber add 10.0.0.0/8 10.1.0.0/16 10.0.0.0/8
expect 2 "op25bctl: allow add 192.0.2.1/32: entry given twice in one request (first: 192.0.2.1)" \
	"duplicate in another spelling" -- $B allow add 192.0.2.1 192.0.2.1/32
nosock $B subscriber add 10.0.0.0/8 10.0.0.0/8
run $B allow add 1.2.3.4/8 5.6.7 1.2.3.0/24
[ "$rc" = 2 ] && [ "$(wc -l <"$T/err")" = 3 ] &&
	grep -qF "2 invalid entries; nothing was sent" "$T/err"
ok $? "every invalid entry is reported"
expect 2 "allow add: no entries given" "add without entries" -- $B allow add
expect 2 "unknown option '-x'" "unknown option in add" -- $B allow add -x

printf '10.0.0.0/8\n# comment\n\n  192.0.2.0/24   # trailing\n10.0.0.1/8\niif ppp+\n' >"$T/f1"
expect 2 "op25bctl: $T/f1:5: allow add 10.0.0.1/8: host bits set under the prefix length" \
	"file error names FILE:LINE" -- $B allow add -f "$T/f1"
run $B allow add -f "$T/f1"
grep -qF "$T/f1:6: allow add iif ppp+: interface entries are only valid" "$T/err"
ok $? "file: iif line refused outside subscriber, with its line"
# addf STDERR DESCRIPTION CONTENT: "subscriber add -f $F", with CONTENT (a
# printf format) in $F, fails with exactly STDERR
F=$T/addf
addf() {
	# shellcheck disable=SC2059
	printf "$3" >"$F"
	exact 2 "$1" "file: $2" -- $B subscriber add -f "$F"
}
addf "op25bctl: $F:1: subscriber add iif: missing interface name" \
	"iif without name" 'iif\n'
# '#' is valid in interface names: "list" prints "iif #1", add -f takes it
addf "op25bctl: $F:3: subscriber add 10.0.0.1/8: host bits set under the prefix length" \
	"'#' starts a comment, except as the NAME after iif" 'iif #1  # a comment\n# iif x\n10.0.0.1/8\n'
addf "op25bctl: $F:1: subscriber add 10.0.0.0/8: unexpected '10.1.0.0/16' (timeout, expires or comment?)" \
	"two entries on a line" '10.0.0.0/8 10.1.0.0/16\n'
addf "op25bctl: $F:2: NUL byte in the file" "NUL byte" '10.0.0.0/8\n10.0.0.0\0/8\n'
expect 2 "$T/nonexistent: No such file or directory" "missing file" -- \
	$B subscriber add -f "$T/nonexistent"
expect 2 "'-f' needs a FILE" "-f without FILE" -- $B subscriber add -f
run $B subscriber add -f - <<<"10.0.0.1/8"
grep -qF "<stdin>:1: subscriber add 10.0.0.1/8: host bits" "$T/err"
ok $? "stdin is named <stdin>"
printf '10.0.0.0/8\n' >"$T/f5"
expect 2 "$T/f5:1: subscriber add 10.0.0.0/8: entry given twice in one request (first: 10.0.0.0/8)" \
	"duplicate between argv and file" -- $B subscriber add 10.0.0.0/8 -f "$T/f5"

expect 2 "unknown table 'foo' (subscriber, allow, exempt, target)" "unknown table" -- \
	$B foo add 10.0.0.0/8
run $B foo add 10.0.0.0/8
grep -qx "see: op25bctl help" "$T/err"
ok $? "usage errors end with the hint line"
expect 2 "unknown command 'foo'" "unknown command" -- $B foo
expect 2 "missing command" "no command" -- $B
expect 2 "missing command" "only options" -- $B -j
expect 2 "subscriber: missing command (add, del, list, flush)" \
	"table without verb" -- $B subscriber
expect 2 "subscriber: unknown command 'show'" "unknown table verb" -- \
	$B subscriber show
expect 2 "subscriber list: unexpected argument 'x'" "list with argument" -- \
	$B subscriber list x
expect 2 "unknown mode 'bar' (enforce, monitor, off)" "bad mode" -- $B mode bar
expect 2 "mode: missing mode" "mode without argument" -- $B mode
expect 2 "stats: unexpected argument 'x'" "stats with argument" -- $B stats x
expect 2 "status: unexpected argument 'x'" "status with argument" -- $B status x
expect 2 "unknown option '--jsn'" "unknown long option" -- $B --jsn status
nosock $B mode bar

expect 2 "check: needs SRC and DST addresses" "check without DST" -- \
	$B check 10.0.0.1
expect 2 "check 10.0.0.1 2001:db8::1: source and destination are not of the same address family" \
	"check across families" -- $B check 10.0.0.1 2001:db8::1
expect 2 "check 10.0.0.0/8: an address is needed, not a prefix" \
	"check with a prefix" -- $B check 10.0.0.0/8 10.0.0.1
expect 2 "check: bad port '0' (1-65535)" "check port 0" -- \
	$B check 10.0.0.1 10.0.0.2 0
expect 2 "check: bad port '65536' (1-65535)" "check port 65536" -- \
	$B check 10.0.0.1 10.0.0.2 65536
expect 2 "check: bad port '-1' (1-65535)" "check port -1" -- \
	$B check 10.0.0.1 10.0.0.2 -- -1
expect 2 "check: bad port 'smtp' (1-65535)" "check port name" -- \
	$B check 10.0.0.1 10.0.0.2 smtp
expect 2 "check iif a/b: interface names cannot contain" "check bad iif" -- \
	$B check 10.0.0.1 10.0.0.2 iif a/b
expect 2 "check: unexpected argument '26'" "check two ports" -- \
	$B check 10.0.0.1 10.0.0.2 25 26
nosock $B check 10.0.0.1 2001:db8::1


# ---- issue 4: settings, target, comments, top, save/load, prometheus ----

expect 2 "op25bctl: unknown action 'deny' (drop, reject-tcp, reject-icmp)" \
	"bad action" -- $B action deny
expect 2 "action: missing value (drop, reject-tcp, reject-icmp)" \
	"action without value" -- $B action
expect 2 "action: unexpected 'drop'" "two actions" -- $B action drop drop
expect 2 "unknown scope 'some' (all, targets)" "bad scope" -- $B scope some
expect 2 "set: missing setting (reject-rate, log, alert)" "set alone" -- $B set
expect 2 "set: unknown setting 'mode' (reject-rate, log, alert)" "set mode" -- \
	$B set mode off
expect 2 "op25bctl: set reject-rate: bad rate '0' (N/s or N, 1-1000000)" \
	"reject-rate 0" -- $B set reject-rate 0
expect 2 "set reject-rate: bad rate '1000001/s'" "reject-rate too high" -- \
	$B set reject-rate 1000001/s
expect 2 "set reject-rate: missing RATE" "reject-rate without RATE" -- \
	$B set reject-rate
expect 2 "set reject-rate: 'burst' needs a value" "burst without N" -- \
	$B set reject-rate 5/s burst
expect 2 "set reject-rate: bad burst '0' (1-1000000)" "burst 0" -- \
	$B set reject-rate 5 burst 0
expect 2 "set log: nothing to set (on, off, rate RATE, burst N, privacy on|off, group N|off, prefix TEXT, snaplen BYTES)" \
	"set log alone" -- $B set log
expect 2 "set log: bad rate '10/m' (N/s or N, 1-1000000)" "log rate per minute" -- \
	$B set log on rate 10/m
expect 2 "set log: bad privacy 'yes' (on, off)" "log privacy yes" -- \
	$B set log privacy yes
expect 2 "set log: rate given twice" "log rate twice" -- \
	$B set log rate 1 rate 2
nosock $B action deny
nosock $B set log on rate 0
expect 2 "top: bad number '0' (1-4294967295, or reset)" "top 0" -- $B top 0
expect 2 "top: bad number '4294967296'" "top too many" -- $B top 4294967296
expect 2 "top: bad number 'x'" "top x" -- $B top x
expect 2 "top: unexpected argument '6'" "top 5 6" -- $B top 5 6
expect 2 "top reset: unexpected argument 'x'" "top reset x" -- $B top reset x
expect 2 "save: unexpected argument 'f' (it writes to stdout)" "save FILE" -- \
	$B save f
expect 2 "load: missing FILE (or - for stdin)" "load alone" -- $B load
expect 2 "load: unexpected argument 'b'" "load two files" -- $B load a b
expect 2 "$T/nonexistent.conf: No such file or directory" "load missing file" -- \
	$B load "$T/nonexistent.conf"
expect 2 "--check belongs to load" "--check elsewhere" -- $B status --check
expect 2 "--prometheus belongs to stats" "--prometheus elsewhere" -- \
	$B --prometheus status
expect 2 "stats --prometheus: not with -j" "--prometheus with -j" -- \
	$B -j stats --prometheus
expect 2 "stats --prometheus: not with reset" "--prometheus with reset" -- \
	$B stats reset --prometheus
expect 2 "target add iif x: interface entries are only valid in the subscriber table" \
	"target table refuses iif" -- $B target add iif x

# comments on the command line and in -f files
C65=$(printf '%065d' 0)
expect 2 "subscriber add 10.0.0.0/8: comment needs a TEXT" "comment without TEXT" -- \
	$B subscriber add 10.0.0.0/8 comment
expect 2 "subscriber add: 'comment' must follow an entry" "comment first" -- \
	$B subscriber add comment x 10.0.0.0/8
expect 2 "subscriber add 10.0.0.0/8: comment given twice" "two comments" -- \
	$B subscriber add 10.0.0.0/8 comment x comment y
expect 2 "op25bctl: allow add 192.0.2.25: empty comment" "empty comment" -- \
	$B allow add 192.0.2.25 comment ""
expect 2 "op25bctl: allow add 192.0.2.25: comment longer than 64 bytes" \
	"65-byte comment" -- $B allow add 192.0.2.25 comment "$C65"
nosock $B allow add 192.0.2.25 comment "$C65"
expect 2 "allow add 192.0.2.25: comment is not valid UTF-8" "Latin-1 comment" -- \
	$B allow add 192.0.2.25 comment $'caf\xe9'
expect 2 "allow add 192.0.2.25: comment contains a control character" \
	"tab in a comment" -- $B allow add 192.0.2.25 comment $'a\tb'
addf "op25bctl: $F:2: subscriber add: unterminated quoted word" \
	"bad quoting named by FILE:LINE, the good comment accepted" \
	'10.0.0.0/8 comment "good one"\n10.1.0.0/16 comment "abc\n'
addf "op25bctl: $F:2: subscriber add 10.0.0.1/8: host bits set under the prefix length" \
	"list lines with escaped comments read back (iif #1 comment ...)" \
	'iif #1 comment "a \\"b\\" \\\\ c"\n10.0.0.1/8 comment x\n'
addf "op25bctl: $F:1: subscriber add 10.0.0.0/8: unexpected 'y' (timeout, expires or comment?)" \
	"two words of comment" '10.0.0.0/8 comment x y\n'

# timeouts (issue 15): each error names the entry and changes nothing
expect 2 "exempt add 10.0.0.1: timeout '0s': duration out of range (1s to 365d)" \
	"timeout 0" -- $B exempt add 10.0.0.1 timeout 0s
expect 2 "exempt add 10.0.0.1: timeout '1h-1h': expected a number" \
	"negative timeout" -- $B exempt add 10.0.0.1 timeout 1h-1h
expect 2 "exempt add 10.0.0.1: timeout '-1h': expected a number" "negative timeout, as a word" -- \
	$B exempt add 10.0.0.1 timeout -1h
expect 2 "exempt add 10.0.0.1: timeout '366d': duration out of range (1s to 365d)" \
	"timeout over 365 days" -- $B exempt add 10.0.0.1 timeout 366d
expect 2 "exempt add 10.0.0.1: timeout '5x': unknown unit (d, h, m or s)" \
	"unit typo" -- $B exempt add 10.0.0.1 timeout 5x
expect 2 "exempt add 10.0.0.1: timeout '90': missing unit after the number (d, h, m or s)" \
	"no unit" -- $B exempt add 10.0.0.1 timeout 90
expect 2 "exempt add 10.0.0.1: timeout '12h1d': units must come largest first" \
	"units out of order" -- $B exempt add 10.0.0.1 timeout 12h1d
expect 2 "exempt add 10.0.0.1: timeout needs a DURATION" "timeout without DURATION" -- \
	$B exempt add 10.0.0.1 timeout
expect 2 "exempt add 10.0.0.1: expires needs a timeout" "expires alone" -- \
	$B exempt add 10.0.0.1 expires 1h
expect 2 "exempt add 10.0.0.1: expires is longer than the timeout" \
	"expires past the timeout" -- $B exempt add 10.0.0.1 timeout 1h expires 2h
expect 2 "subscriber add iif ppp+: interface entries cannot have a timeout" \
	"timeout on an interface pattern" -- $B subscriber add iif ppp+ timeout 1h
expect 2 "exempt add: 'timeout' must follow an entry" "timeout first" -- \
	$B exempt add timeout 1h 10.0.0.1
nosock $B exempt add 10.0.0.1 timeout 5x
addf "op25bctl: $F:2: subscriber add 10.0.0.2: timeout 'x': expected a number (as in 90s, 30m, 24h, 7d, 1d12h)" \
	"file: a bad timeout named by FILE:LINE" \
	'10.0.0.1 timeout 1d expires 23h59m12s comment "a b"\n10.0.0.2 timeout x\n'

# op25b.conf(5): load --check validates without the kernel
cat >"$T/good.conf" <<'CONF'
# op25b configuration saved by op25bctl 0.1 from netns x at 2026-01-01T00:00:00Z
mode enforce
action reject-tcp
scope targets
reject-rate 1000/s burst 5
log on rate 10/s burst 5 privacy on

subscriber 10.10.0.0/24 comment "PPPoE \"pool\" 1"
subscriber iif "#1"
allow 192.0.2.25/32
target 198.51.100.0/24
CONF
out 0 "" "load --check of a good file: silent, exit 0" -- $B load --check "$T/good.conf"
[ ! -s "$T/err" ]
ok $? "... and nothing on stderr"
nosock $B load --check "$T/good.conf"
{ cat "$T/good.conf"; printf 'allow 192.0.2.25\n'; } >"$T/dup.conf"
exact 2 "op25bctl: $T/dup.conf:12: allow 192.0.2.25: duplicate entry (first on line 10: 192.0.2.25/32)" \
	"load --check: a duplicate on the last line, both lines named" -- $B load --check "$T/dup.conf"
{ cat "$T/good.conf"; printf 'mode monitor'; } >"$T/twice.conf"
expect 2 "op25bctl: $T/twice.conf:12: mode given twice (first on line 2)" \
	"load --check: a setting twice, on a last line without newline" -- \
	$B load --check "$T/twice.conf"
nosock $B load "$T/twice.conf"
exact 2 "op25bctl: <stdin>:1: unknown keyword 'frobnicate'" "load -: stdin is <stdin>" -- \
	$B load - <<<"frobnicate"
printf 'allow 192.0.2.25 comment "%s"\n' "$C65" >"$T/long.conf"
expect 2 "$T/long.conf:1: allow 192.0.2.25: comment longer than 64 bytes" \
	"load --check: comment too long" -- $B load --check "$T/long.conf"
printf 'mode enforce\nallow 192.0.2.0\0/24\n' >"$T/nul.conf"
expect 2 "$T/nul.conf:2: NUL byte in the file" "load --check: NUL byte" -- \
	$B load --check "$T/nul.conf"

# JSON documents built from made-up replies (test_docs) parse
DOCS=$(dirname "$BIN")/test_docs
if [ ! -x "$DOCS" ]; then
	ok 0 "JSON documents parse # SKIP no $DOCS"
elif ! command -v python3 >/dev/null; then
	ok 0 "JSON documents parse # SKIP no python3"
else
	mkdir "$T/docs"
	"$DOCS" --write "$T/docs" >/dev/null
	for d in status list stats top; do
		python3 -m json.tool "$T/docs/$d.json" >"$T/out" 2>"$T/err"
		ok $? "$d -j output is valid JSON (python3 -m json.tool)"
	done
fi

run $B help
[ "$rc" = 0 ] && grep -q "^exit status:" "$T/out" &&
	grep -q "1  check: the packet is blocked" "$T/out" &&
	grep -q "op25bctl \[-j\] check SRC DST \[PORT\] \[iif NAME\]" "$T/out"
ok $? "help: grammar and exit codes on stdout"
for h in "subscriber help" "allow add help" "mode help" "stats help" \
	 "check help" "status help" "help check" "-h" "status -h" \
	 "--help allow add 10.0.0.1/8" "action help" "scope help" \
	 "set help" "set log help" "top help" "save help" "load help" \
	 "target help" "help load" "load --check help"; do
	run $B $h
	[ "$rc" = 0 ] && grep -q "^usage:" "$T/out"
	ok $? "help: op25bctl $h"
done
run $B subscriber help
grep -q "applied whole or not at all\|each applied\|earlier ones stay applied" "$T/out"
ok $? "table help documents the split into atomic messages"
run $B help
for w in "op25bctl action drop|reject-tcp|reject-icmp" "op25bctl scope all|targets" \
	 "op25bctl set reject-rate RATE \[burst N\]" \
	 "op25bctl set log \[on|off\] \[rate RATE\] \[burst N\] \[privacy on|off\]" \
	 "op25bctl \[-j\] top \[N\] | top reset" "op25bctl save" \
	 "op25bctl load \[--check\] FILE|-" "op25bctl stats --prometheus \[FILE\]" \
	 "add ENTRY \[timeout DURATION\] \[comment TEXT\]"; do
	grep -q -- "$w" "$T/out"
	ok $? "help shows: $w"
done
run $B load help
grep -q "FILE:LINE: message" "$T/out" && grep -q "one kernel transaction" "$T/out"
ok $? "load help: errors and the transaction"
run $B top help
grep -q "upper" "$T/out" && grep -q "Space-Saving" "$T/out"
ok $? "top help: counts are estimates"
expect 2 "unknown command 'nope'" "help on an unknown topic" -- $B help nope
out 0 "op25bctl 0.1 (generic netlink family op25b, version 1)" "--version" -- \
	$B --version

# ---- the command registry (cmd.c) ----

# every command word (the completion's list, which test_docs holds to the
# registry): its help topic by each spelling, and the other commands
# refusing the own options of load and stats
COMP=$(dirname "$BIN")/../completion/op25bctl
CMDS=$(sed -n "/local commands='/,/'/p" "$COMP" 2>/dev/null | tr -d "'" |
	sed 's/local commands=//' | xargs)
[ -n "$CMDS" ]
ok $? "the command words, from $COMP: $CMDS"
$B help >"$T/general" 2>/dev/null
for c in $CMDS; do
	run $B help "$c"
	cp "$T/out" "$T/topic"
	same=0
	for h in "$c help" "-h $c" "$c -h" "--help $c"; do
		run $B $h
		[ "$rc" = 0 ] && cmp -s "$T/out" "$T/topic" || same=1
	done
	if [ "$c" = help ]; then
		cmp -s "$T/topic" "$T/general"
	else
		[ $same = 0 ] && grep -q "^usage:" "$T/topic" && ! cmp -s "$T/topic" "$T/general"
	fi
	ok $? "help topic $c: the same text by help $c, $c help, -h, --help; its own"
	case $c in
	load | help) ;;
	*) expect 2 "op25bctl: --check belongs to load" "$c refuses --check" -- $B $c --check ;;
	esac
	case $c in
	stats | help) ;;
	*) expect 2 "op25bctl: --prometheus belongs to stats" "$c refuses --prometheus" -- \
		$B --prometheus $c ;;
	esac
done
for v in add del list flush; do
	exact 2 "op25bctl: unknown table 'foo' (subscriber, allow, exempt, target)
see: op25bctl help" "a table verb after an unknown word: unknown table ($v)" -- $B foo $v
done
exact 2 "op25bctl: unknown command 'foo'
see: op25bctl help" "set's verbs are no table verbs: unknown command" -- $B foo log on
exact 2 "op25bctl: subscriber: unknown command 'show' (add, del, list, flush)
see: op25bctl help" "unknown table verb, the verbs listed" -- $B subscriber show
exact 2 "op25bctl: set: unknown setting 'x' (reject-rate, log, alert)
see: op25bctl help" "unknown setting, the settings listed" -- $B set x
exact 2 "op25bctl: exempt: missing command (add, del, list, flush)
see: op25bctl help" "table without verb" -- $B exempt
exact 2 "op25bctl: allow flush: unexpected argument 'x'
see: op25bctl help" "flush takes nothing" -- $B allow flush x
# the words after -f, iif, comment are values, even "help" or an option
expect 2 "allow add 10.0.0.1/8: host bits set" "comment help: a comment, not help" -- \
	$B allow add 10.0.0.1/8 comment help
expect 2 "allow add 10.0.0.1/8: host bits set" "comment -h: a comment, not an option" -- \
	$B allow add 10.0.0.1/8 comment -h
expect 2 "iif --version: interface entries are only valid in the subscriber table" \
	"iif --version: a NAME, not an option" -- $B allow add iif --version
expect 2 "$T/help: No such file or directory" "-f help: a FILE named help" -- \
	$B subscriber add -f "$T/help"
expect 2 "check 10.0.0.1 2001:db8::1: source and destination are not of the same" \
	"check iif help: a NAME, not help" -- $B check 10.0.0.1 2001:db8::1 iif help
# ... only where the command declares them
expect 2 "op25bctl: unknown option '-f'" "-f is no value word of mode" -- $B mode -f x
expect 2 "op25bctl: --check belongs to load" "iif is no value word of status" -- \
	$B status iif --check
expect 2 "op25bctl: unknown table 'foo'" "after an unknown word, any command's value words count" -- \
	$B foo add -f -x

# ---- without the module ----

if [ -d /sys/module/op25b ]; then
	ok 0 "module not loaded # SKIP op25b is loaded here"
else
	MSG="op25bctl: the op25b kernel module is not loaded in this kernel (try: modprobe op25b)"
	for c in "status" "status -j" "-j status" "stats" "stats reset" \
		 "mode off" "allow list" "allow flush" "subscriber add 10.0.0.0/8" \
		 "allow del 192.0.2.25" "check 10.0.0.1 10.0.0.2" \
		 "-j check 10.0.0.1 10.0.0.2 587 iif ppp0" "action drop" \
		 "scope targets" "set reject-rate 5/s burst 2" "set log on" \
		 "top" "-j top 3" "top reset" "save" "target list" \
		 "load $T/good.conf" "stats --prometheus" \
		 "stats --prometheus $T/m.prom" \
		 "allow del 192.0.2.25 comment $C65" \
		 "subscriber add 10.0.0.0/8 comment --check"; do
		run $B $c
		[ "$rc" = 2 ] && [ "$(cat "$T/err")" = "$MSG" ] && [ ! -s "$T/out" ]
		ok $? "not loaded: op25bctl $c"
	done
	[ ! -e "$T/m.prom" ] && ! ls "$T"/m.prom.tmp.* >/dev/null 2>&1
	ok $? "not loaded: stats --prometheus FILE leaves no file"
fi

echo "1..$n"
[ $failed = 0 ]
