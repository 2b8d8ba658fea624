#!/bin/bash
# harness self-test: runs after 45-unload.sh; op25b must be loaded again
# (when the suite runs with a module at all).
[ -e "$OP25B_KO" ] || { echo "no module"; exit 4; }
lsmod | grep -q '^op25b ' || { echo "op25b was not reloaded"; exit 1; }
exit 0
