#!/bin/bash
# harness self-test: a scenario that overruns OP25B_SCENARIO_TIMEOUT
# (selftest.sh runs the suite with a short timeout); leaves a child behind
sleep 1000 &
sleep 1000
