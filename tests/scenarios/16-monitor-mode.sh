#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Monitor mode lets everything through but counts what enforce would
# have blocked: the first stage of a rollout.
# On the debug kernel, 17-off-mode takes monitor mode's paths:
# op25b: nodebug
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1

ctl mode monitor || exit 1
assert "status says monitor" bash -c "nsexec $NS_GW op25bctl status | grep -q '^mode: monitor'"
assert "v4: foreign :25 connects in monitor" connects $NS_SUB $FOREIGN4 25
assert "v6: foreign :25 connects in monitor" connects $NS_SUB $FOREIGN6 25
assert "monitored counted" [ "$(counter monitored)" -ge 2 ]
assert_eq "nothing blocked" 0 "$(counter blocked)"
assert_eq "check says would be blocked (exit 1)" 1 "$(check_exit $SUB4 $FOREIGN4)"
ctl mode enforce
assert "back to enforce: blocked" blocked $NS_SUB $FOREIGN4 25
finish
