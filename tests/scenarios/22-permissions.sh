#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Changing the policy needs CAP_NET_ADMIN over the network namespace:
# an unprivileged user, and root of a user namespace that does not own
# the gateway's network namespace, are refused; root of a user namespace
# that owns its own network namespace may configure that one.
. "$(dirname "$0")/../lib.sh"
require_module
trap cleanup EXIT
ns_new $NS_GW || exit 1
ctl allow add 192.0.2.25 || exit 1
ctl subscriber add 10.0.0.0/8 || exit 1
before=$(ctl allow list)
nobody() { in_ns $NS_GW setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

out=$(nobody op25bctl allow add 198.51.100.25 2>&1)
rc=$?
assert_eq "unprivileged add refused (exit 2)" 2 $rc
assert "error explains CAP_NET_ADMIN" grep -q CAP_NET_ADMIN <<< "$out"
assert "unprivileged flush refused" bash -c "! ip netns exec $NS_GW setpriv --reuid=65534 --regid=65534 --clear-groups op25bctl allow flush 2>/dev/null"
assert "unprivileged mode change refused" bash -c "! ip netns exec $NS_GW setpriv --reuid=65534 --regid=65534 --clear-groups op25bctl mode off 2>/dev/null"
assert "unprivileged list refused (tables name customers)" bash -c "! ip netns exec $NS_GW setpriv --reuid=65534 --regid=65534 --clear-groups op25bctl allow list 2>/dev/null"
assert "unprivileged status allowed" nobody op25bctl status
assert "unprivileged check allowed" bash -c "ip netns exec $NS_GW setpriv --reuid=65534 --regid=65534 --clear-groups op25bctl check 10.0.0.1 192.0.2.25; [ \$? -ne 2 ]"

assert "check names the matching entry to root" \
	bash -c "ip netns exec $NS_GW op25bctl check 10.0.0.1 198.51.100.25 | grep -q '(10.0.0.0/8)'"
assert "check hides table entries from an unprivileged user" \
	bash -c "ip netns exec $NS_GW setpriv --reuid=65534 --regid=65534 --clear-groups op25bctl check 10.0.0.1 198.51.100.25 | grep -q '^blocked: 10.0.0.1 is a subscriber and'"
assert "userns root over a foreign netns refused" \
	bash -c "! ip netns exec $NS_GW unshare --user --map-root-user op25bctl allow add 198.51.100.25 2>/dev/null"
assert "userns root stats reset refused" \
	bash -c "! ip netns exec $NS_GW unshare --user --map-root-user op25bctl stats reset 2>/dev/null"
assert_eq "nothing changed" "$before" "$(ctl allow list)"
assert "unprivileged user may configure a netns its own userns owns" \
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	unshare --user --map-root-user --net \
	sh -c 'op25bctl allow add 198.51.100.25 && op25bctl allow list | grep -qx 198.51.100.25/32'
finish
