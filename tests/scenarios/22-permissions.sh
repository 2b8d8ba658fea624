#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Changing the policy, and anything that tells table membership (list,
# check, top), needs CAP_NET_ADMIN over the network namespace: an
# unprivileged user, and root of a user namespace that does not own the
# gateway's network namespace, are refused, with exit 2 and the
# permission message, and nothing changes (counters and tables are
# non-zero first, so that a reset or a flush would show); status and stats
# stay readable.  Root of a user namespace that owns its own network
# namespace may configure that one.
# Left out on the debug kernel: the refusals are genetlink's, from the
# operations' GENL_UNS_ADMIN_PERM flags, before any op25b code runs:
# op25b: nodebug
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1
need setpriv unshare
blocked $NS_SUB $FOREIGN4 25 || fail "a blocked attempt, for the counters"
before_list=$(ctl allow list)
before_stats=$(in_ns $NS_GW cat /proc/net/op25b/stats)
assert "the counters are not zero" [ "$(counter blocked)" -gt 0 ]
PERM="CAP_NET_ADMIN is needed in the user namespace that owns this network namespace"
nobody() { in_ns $NS_GW setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
userns() { in_ns $NS_GW unshare --user --map-root-user "$@"; }

# refused WHO CMD...: exit 2 and the permission message
refused() {
	local who=$1 out rc
	shift
	out=$("$who" op25bctl "$@" 2>&1)
	rc=$?
	if [ "$rc" = 2 ] && [[ $out == *"$PERM"* ]]; then
		ok "$who: op25bctl $* refused (exit 2, permission message)"
	else
		fail "$who: op25bctl $* refused with exit 2 and '$PERM': exit $rc: $out"
	fi
}
for who in nobody userns; do
	refused $who allow add 198.51.100.25
	refused $who allow flush
	refused $who mode off
	refused $who stats reset
	refused $who top reset
	refused $who allow list
	refused $who check 10.10.0.2 198.51.100.25
	refused $who top
done
out=$(nobody op25bctl status 2>&1)
assert_eq "unprivileged status allowed (exit 0)" 0 $?
assert "... and shows the mode" has_line "$out" "mode: enforce"
out=$(nobody op25bctl stats 2>&1)
assert_eq "unprivileged stats allowed (exit 0)" 0 $?
assert "... with the real counters" has_line "$out" "blocked $(counter blocked)"
assert "check names the matching entry to root" \
	bash -c "nsexec $NS_GW op25bctl check 10.10.0.2 198.51.100.25 | grep -q '(10.10.0.0/24)'"
assert_eq "tables unchanged" "$before_list" "$(ctl allow list)"
assert_eq "counters unchanged (no reset)" "$before_stats" "$(in_ns $NS_GW cat /proc/net/op25b/stats)"
assert "mode unchanged" bash -c "nsexec $NS_GW op25bctl status | grep -qx 'mode: enforce'"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups unshare --user --map-root-user --net \
	sh -c 'op25bctl allow add 198.51.100.25 && op25bctl allow list && op25bctl check 10.0.0.1 198.51.100.25' 2>&1)
rc=$?
assert "unprivileged user may configure a netns its own userns owns (exit $rc)" \
	[ "$rc" -le 1 ]
assert "... and list and check it there" bash -c "grep -qx 198.51.100.25/32 <<<'$out' && grep -q '^passes: 10.0.0.1 is not a subscriber' <<<'$out'"
finish
