#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Submission (587), submissions (465) and UDP to port 25 are untouched:
# only TCP to port 25 is policed.
# On the debug kernel, every scenario's other traffic takes this path:
# op25b: nodebug
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1

for dst in $FOREIGN4 $FOREIGN6; do
	assert "$dst :587 connects" connects $NS_SUB $dst 587
	assert "$dst :465 connects" connects $NS_SUB $dst 465
	assert "$dst UDP/25 echoes" in_ns $NS_SUB mailclient -u -t $PASS_WAIT_MS $dst 25
done
assert_eq "nothing inspected" 0 "$(counter inspected)"
assert_eq "nothing blocked" 0 "$(counter blocked)"
finish
