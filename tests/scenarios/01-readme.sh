#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The README's "Build and load on a gateway" block, taken from README.md
# itself (tests/readme/readme.py) and run verbatim, the way a newcomer
# types it: in a checkout without op25b.ko, with a plain PATH, on a kernel
# that has not loaded nf_reject_* (this scenario runs first), with the
# initial namespace as the gateway that the block's insmod configures.
# Then: mail from a subscriber to a foreign MTA gets the TCP reset that the
# block's "action reject-tcp" asked for, mail to the allowlisted MTA
# passes, and the helpers were loaded on that request.
#
# The checkout is the repository under a private overlay (writes go to a
# tmpfs), mounted on the repository's own path so that kbuild's recorded
# commands still match and "make" has little to do under TCG.
# The README's commands as a Debian 12 user types them, on its kernel:
# op25b: once
# Before any other scenario of its guest: nothing may have loaded nf_reject_*.
# op25b: first
. "$(dirname "$0")/../lib.sh"
require_module
need python3
# the block builds against the running kernel's headers: Debian's kernels
# have them; the debug kernel of make check-debug is built in a tree
[ -e "/lib/modules/$(uname -r)/build" ] ||
	skip "the kernel has no /lib/modules/$(uname -r)/build to build against (a kernel built in a tree)"
# The block's make must find the suite's plain build (make check-run builds
# build/KVER with WERROR=0): objects built with other flags are stale to
# kbuild and would be compiled again under TCG, for minutes.
[ -e "$OP25B_ROOT/build/$(uname -r)/op25b.ko" ] ||
	{ log "FAIL: no plain build build/$(uname -r)/op25b.ko (make module KVER=$(uname -r) WERROR=0)"; exit 1; }
BLOCK=$WORK/gateway-block.sh
python3 "$OP25B_ROOT/tests/readme/readme.py" README.md script guest gateway >"$BLOCK" ||
	{ log "FAIL: README.md has no valid guest block 'gateway'"; exit 1; }
log "the README's block, as run:"
grep '^readme_run' "$BLOCK" | sed 's/^/  /'

FWD4=$(sysctl -n net.ipv4.ip_forward)
readme_cleanup() {
	sysctl -qw net.ipv4.ip_forward="$FWD4"
	ip link del op25b-rsub 2>/dev/null
	ip link del op25b-rinet 2>/dev/null
	# the suite loads op25b again, plainly, for the next scenario
	lsmod | grep -q '^op25b ' && rmmod op25b
	cleanup
}
trap readme_cleanup EXIT

# subscriber 10.10.0.2 -- initial namespace (gateway) -- inet (MTAs on lo)
ip -batch - <<EOF || exit 1
netns add $NS_SUB
netns add $NS_INET
link add op25b-rsub type veth peer name eth0 netns $NS_SUB
link add op25b-rinet type veth peer name eth0 netns $NS_INET
link set op25b-rsub up
link set op25b-rinet up
addr add 10.10.0.1/24 dev op25b-rsub
addr add 203.0.113.1/24 dev op25b-rinet
route add 198.51.100.25/32 via 203.0.113.2
route add 192.0.2.25/32 via 203.0.113.2
EOF
ip -n "$NS_SUB" -batch - <<EOF || exit 1
link set lo up
link set eth0 up
addr add $SUB4/24 dev eth0
route add default via 10.10.0.1
EOF
ip -n "$NS_INET" -batch - <<EOF || exit 1
link set lo up
link set eth0 up
addr add 203.0.113.2/24 dev eth0
addr add $FOREIGN4/32 dev lo
addr add $ISP4/32 dev lo
route add default via 203.0.113.1
EOF
sysctl -qw net.ipv4.ip_forward=1 || exit 1
ip netns exec "$NS_INET" mailsink 25 >"$WORK/sink.log" 2>&1 &
# shellcheck disable=SC2034  # lib.sh's cleanup kills it
SINK_PID=$!
wait_until 5 grep -q ready "$WORK/sink.log" || { log "mailsink did not start"; exit 1; }

rmmod op25b || exit 1
pre=$(lsmod | awk '$1 ~ /^nf_reject/ { printf " %s", $1 }')
assert_eq "nothing has loaded nf_reject_* before the block" "" "$pre"

mkdir -p "$WORK/upper" "$WORK/work"
# shellcheck disable=SC2016
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
	timeout -k 5 200 unshare -m bash -c 'mount -t overlay overlay -o "lowerdir=$1,upperdir=$2,workdir=$3" "$1" &&
		cd "$1" && rm -f op25b.ko && ! command -v op25bctl && bash "$4"' \
	sh "$OP25B_ROOT" "$WORK/upper" "$WORK/work" "$BLOCK" >"$WORK/block.log" 2>&1
rc=$?
sed 's/^/  | /' "$WORK/block.log"
[ "$rc" != 124 ] ||
	log "the block was stopped after 200 s: did its make compile again (flags other than build/$(uname -r)'s)?"
assert_eq "the README's gateway block runs to its end" 0 "$rc"
assert "op25bctl status shows the insmod's parameters" \
	grep -qE '^subscriber: 2 entries' "$WORK/block.log"
post=$(lsmod | awk '$1 ~ /^nf_reject/ { print $1 }' | sort | tr '\n' ' ')
assert_eq "action reject-tcp loaded the helpers" "nf_reject_ipv4 nf_reject_ipv6 " "$post"

b0=$(awk '$1 == "blocked" { print $2 }' /proc/net/op25b/stats)
r0=$(awk '$1 == "reject_sent" { print $2 }' /proc/net/op25b/stats)
got=$(in_ns "$NS_SUB" mailclient -t 3000 "$FOREIGN4" 25)
case $got in
refused | reset) ok "subscriber -> foreign MTA :25 gets a TCP reset ($got)" ;;
*) fail "subscriber -> foreign MTA :25 gets a TCP reset: got '$got'" ;;
esac
assert "blocked and reject_sent counted" test \
	"$(awk '$1 == "blocked" { print $2 }' /proc/net/op25b/stats)" -gt "${b0:-0}" -a \
	"$(awk '$1 == "reject_sent" { print $2 }' /proc/net/op25b/stats)" -gt "${r0:-0}"
assert "subscriber -> ISP MTA :25 (allow=) connects" connects "$NS_SUB" "$ISP4" 25
finish
