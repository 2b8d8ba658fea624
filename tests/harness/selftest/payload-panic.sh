#!/bin/bash
# harness self-test payload: crashes the kernel (sysrq 'c')
echo "selftest: crashing the kernel now"
echo c >/proc/sysrq-trigger
sleep 600
