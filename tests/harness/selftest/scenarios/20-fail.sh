#!/bin/bash
# harness self-test: a scenario that fails
echo "this scenario fails on purpose"
exit 1
