#!/bin/bash
# harness self-test: tests/lib.sh's skip() with no failed check before it
# is a SKIP (exit 4)
. "$OP25B_ROOT/tests/lib.sh"
ok "a check that passes"
skip "the kernel lacks something (on purpose)"
