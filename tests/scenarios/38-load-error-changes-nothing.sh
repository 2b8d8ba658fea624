#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A file that fails to load changes nothing: with an error on its last
# line (found before the kernel is asked), and with one the kernel finds
# (a table over table_max: the transaction is aborted).  save before and
# after are identical; load --check reports FILE:LINE with exit 2.
. "$(dirname "$0")/../lib.sh"
require_module
MAXP=/sys/module/op25b/parameters/table_max
read -r max <$MAXP
trap 'echo "$max" >$MAXP; cleanup' EXIT
ns_new $NS_GW || exit 1
allow_netns_log || exit 1

cat >"$WORK/good.conf" <<'EOF'
mode monitor
action reject-tcp
log on privacy off
subscriber 10.10.0.0/24 comment "pool 1"
allow 192.0.2.25 comment "ISP MTA"
target 198.51.100.0/24
EOF
ctl load "$WORK/good.conf" || exit 1
ctl save >"$WORK/before" || exit 1
IFS= read -rd '' before <"$WORK/before"
before=${before#*$'\n'}

# 2000 good lines that would change everything, then a bad last line
awk 'BEGIN {
	print "mode enforce\naction drop\nscope targets"
	for (i = 0; i < 2000; i++)
		printf "allow 10.77.%d.%d\n", int(i / 256), i % 256
	printf "exempt 10.10.0.1/8"	# no newline: the very last line
}' >"$WORK/bad.conf"
WANT="op25bctl: $WORK/bad.conf:2004: exempt 10.10.0.1/8: host bits set under the prefix length"

# same_as_before WHAT: save again, compare all but the header line
same_as_before() {
	local after
	ctl save >"$WORK/after" || { fail "$1: save"; return; }
	IFS= read -rd '' after <"$WORK/after"
	assert_eq "$1: save unchanged" "$before" "${after#*$'\n'}"
}

err=$(ctl load --check "$WORK/bad.conf" 2>&1)
assert_eq "load --check: exit 2" 2 $?
assert_eq "load --check: FILE:LINE: message" "$WANT" "$err"
err=$(ctl load "$WORK/bad.conf" 2>&1)
assert_eq "load: exit 2" 2 $?
assert_eq "load: FILE:LINE: message" "$WANT" "$err"
same_as_before "error on the last line"
err=$(ctl load - <"$WORK/bad.conf" 2>&1)
assert_eq "load - names <stdin>" \
	"op25bctl: <stdin>:2004: exempt 10.10.0.1/8: host bits set under the prefix length" "$err"

# valid text, refused by the kernel half way: 2000 allow entries over a
# table_max of 1000.  Whatever was staged is thrown away.
head -n 2003 "$WORK/bad.conf" >"$WORK/big.conf"
ctl load --check "$WORK/big.conf" || fail "big.conf is valid"
echo 1000 >$MAXP
err=$(ctl load "$WORK/big.conf" 2>&1)
rc=$?
echo "$max" >$MAXP
log "$err"
assert_eq "over table_max: exit 2" 2 $rc
assert "... saying nothing was changed" has_line "$err" \
	"op25bctl: load $WORK/big.conf: nothing was changed"
same_as_before "refused by the kernel"
assert "and the file loads once the limit allows" ctl load "$WORK/big.conf"
finish
