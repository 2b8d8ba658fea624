#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An exempt source (a static-IP business customer running its own mail
# server) may send to any port 25, even though it is a subscriber.
# On the debug kernel, 17-off-mode takes the exempt lookup (allowed_exempt):
# op25b: nodebug
. "$(dirname "$0")/../lib.sh"
topo_setup || exit 1
config_default || exit 1

assert "before: blocked" blocked $NS_SUB $FOREIGN4 25
ctl exempt add $SUB4 2001:db8:10::/120
assert "v4: exempt -> foreign MTA :25 connects" connects $NS_SUB $FOREIGN4 25
assert "v6: exempt -> foreign MTA :25 connects" connects $NS_SUB $FOREIGN6 25
assert "allowed_exempt counted" [ "$(counter allowed_exempt)" -ge 2 ]
ctl exempt del $SUB4
assert "exemption withdrawn: blocked again" blocked $NS_SUB $FOREIGN4 25
finish
