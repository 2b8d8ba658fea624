#!/bin/bash
# harness self-test: a scenario that is skipped
echo "skipped on purpose"
exit 4
