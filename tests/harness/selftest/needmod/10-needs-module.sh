#!/bin/bash
# harness self-test: a scenario that needs op25b loaded, as the real ones
# do (tests/lib.sh, require_module); selftest.sh runs it in a suite
# without op25b.ko, where it must fail, not skip
. "$OP25B_ROOT/tests/lib.sh"
require_module
ok "op25b is loaded"
finish
