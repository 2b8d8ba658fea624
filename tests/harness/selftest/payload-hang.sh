#!/bin/bash
# harness self-test payload: never finishes
echo "selftest: hanging"
sleep infinity
