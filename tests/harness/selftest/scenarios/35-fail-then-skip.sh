#!/bin/bash
# harness self-test: a check fails, then the scenario skips (as 26 may,
# after its asserts); tests/lib.sh's skip() must make that a failure
# (exit 1), never a SKIP that hides the failed check
. "$OP25B_ROOT/tests/lib.sh"
fail "a check that fails on purpose"
skip "the kernel lacks something (on purpose)"
