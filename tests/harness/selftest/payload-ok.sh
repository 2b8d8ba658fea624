#!/bin/bash
# harness self-test payload: succeeds and prints a marker to console and log
echo "selftest-marker-$(uname -r)"
echo "panic_on_warn=$(cat /proc/sys/kernel/panic_on_warn)"
# a background process left behind must not keep the guest from finishing
sleep 1000 &
exit 0
