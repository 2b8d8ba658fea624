#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A million prefixes load in one transaction (some 300 netlink messages),
# replace a configuration whole, and save back to the same file.  Times
# are logged, never asserted: TCG runs 10-50x slower than hardware.
# On the debug kernel, 37, 38 and 70 take the transaction and publish
# paths, and the table code runs under ASan and libFuzzer on the host:
# op25b: nodebug
. "$(dirname "$0")/../lib.sh"
require_module
trap cleanup EXIT
ns_new $NS_GW || exit 1
N=1000000

# 10.0.0.0/30 ... : a million disjoint IPv4 prefixes, as save writes them
awk -v n=$N 'BEGIN {
	print "mode monitor"
	print "allow 192.0.2.25/32 comment \"ISP MTA\""
	for (i = 0; i < n; i++)
		printf "subscriber %d.%d.%d.%d/30\n", 10 + int(i / 4194304),
			int(i / 16384) % 256, int(i / 64) % 256, (i % 64) * 4
}' >"$WORK/big.conf" || exit 1
ctl subscriber add 172.16.0.0/12 || exit 1

t0=$(date +%s%N)
ctl load "$WORK/big.conf"
rc=$?
t1=$(date +%s%N)
assert_eq "load of $N prefixes succeeds" 0 $rc
log "load took $(((t1 - t0) / 1000000)) ms under TCG"
status=$(in_ns $NS_GW cat /proc/net/op25b/status)
assert "all $N subscribers are there" grep -q "^subscriber $N ipv4 $N " <<< "$status"
assert_eq "the old subscribers are gone (check passes)" 0 \
	"$(ctl check 172.16.0.1 198.51.100.25 >/dev/null; echo $?)"
assert "the file's mode came with it" grep -q "^mode monitor" <<< "$status"
assert_eq "a subscriber in the middle would be blocked (monitor: exit 1)" 1 \
	"$(ctl check 10.8.0.9 198.51.100.25 >/dev/null; echo $?)"

t0=$(date +%s%N)
ctl save >"$WORK/saved.conf"
t1=$(date +%s%N)
log "save took $(((t1 - t0) / 1000000)) ms under TCG"
# the bodies, sorted: every line of the file is in the saved one and no
# other (save adds only its header, blank lines and the default settings)
body() { grep -v -e '^#' -e '^$' "$1" | LC_ALL=C sort; }
body "$WORK/big.conf" >"$WORK/want"
body "$WORK/saved.conf" | grep -v -x -e 'action drop' -e 'scope all' -e 'reject-rate 1000/s burst 5' \
	-e 'log off rate 10/s burst 5 privacy on' -e 'alert off' >"$WORK/got"
if cmp -s "$WORK/want" "$WORK/got"; then
	ok "save gives the file back: $(wc -l <"$WORK/got") lines, sorted, identical"
else
	fail "save gives the file back: $(diff "$WORK/want" "$WORK/got" | head -5)"
fi
assert_eq "... and the settings, defaults written out" 5 \
	"$(grep -c -x -e 'action drop' -e 'scope all' -e 'reject-rate 1000/s burst 5' -e 'log off rate 10/s burst 5 privacy on' -e 'alert off' "$WORK/saved.conf")"
finish
