#!/bin/bash
# harness self-test: not executable, so guest-suite.sh must ignore it
exit 1
