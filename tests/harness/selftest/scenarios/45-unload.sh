#!/bin/bash
# harness self-test: unloads op25b and does not reload it; guest-suite.sh
# must notice and load it again before the next scenario.
if lsmod | grep -q '^op25b '; then
	rmmod op25b || exit 1
	echo "unloaded op25b"
	exit 0
fi
echo "op25b not loaded"
exit 4
