#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Generated and mutated generic netlink messages (tests/helpers/nlfuzz.c):
# as root, an invalid-only phase must change nothing (save identical) and
# get every write refused; then a phase of anything (valid writes,
# transactions left open, abandoned dumps) must leave the module alive;
# unprivileged (nobody, and root of a user namespace that does not own
# the gateway's network namespace) nothing may change.
# OP25B_FUZZ_MSGS: messages per phase (default 20000; the debug-kernel
# run may use 1000000).  OP25B_FUZZ_SEED: the seed (default: random,
# printed, so that a failure can be replayed).
. "$(dirname "$0")/../lib.sh"
require_module
trap cleanup EXIT
ns_new $NS_GW || exit 1
N=${OP25B_FUZZ_MSGS:-20000}
SEED=${OP25B_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
log "seed $SEED, $N messages per phase"

# enough entries that an entries dump takes several messages
{
	echo "mode monitor"
	for i in $(seq 0 1499); do
		echo "subscriber 10.$((i / 256)).$((i % 256)).0/24 comment \"c$i\""
	done
	echo "subscriber iif ppp+"
	echo "allow 192.0.2.25"
	echo "exempt 2001:db8:10::/48"
	echo "target 198.51.100.0/24"
} > "$WORK/conf"
ctl load "$WORK/conf" || exit 1
# save without its header (which names the time)
saved() { ctl save 2>&1 | grep -v '^#'; }
# unchanged WHAT: the configuration is still $before (a diff if not)
unchanged() {
	local now
	now=$(saved)
	if [ "$now" = "$before" ]; then
		ok "$1: save unchanged"
	else
		fail "$1: save changed:"
		diff <(echo "$before") <(echo "$now") | head -20
	fi
}
before=$(saved)
assert "configuration loaded" grep -q '^subscriber 10.5.219.0/24 comment "c1499"$' <<< "$before"

fuzz() { in_ns $NS_GW nlfuzz -n "$N" "$@"; }

assert "root, invalid messages only: every write refused" fuzz -s "$SEED" -m invalid
unchanged "root, invalid messages only"

assert "unprivileged (nobody): every admin command refused" \
	fuzz -s $((SEED + 1)) -m any -u
unchanged "unprivileged (nobody)"

assert "userns root over a foreign netns: every admin command refused" \
	in_ns $NS_GW unshare --user --map-root-user \
	nlfuzz -n $((N / 4)) -s $((SEED + 2)) -m any -P
unchanged "userns root"

assert "root, anything: module alive" fuzz -s $((SEED + 3)) -m any
assert "op25bctl status answers" ctl status
assert "op25bctl save answers" ctl save
assert "op25bctl load still works" ctl load "$WORK/conf"
unchanged "reloaded after the root run of anything"
finish
