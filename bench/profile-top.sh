#!/usr/bin/env bash
# The top frames of a silo CPU profile that bench/run.sh recorded (COMPASSCI_BENCH_PROFILE): by symbol, and by where
# the code lives (the silo's JIT-compiled .NET code, the runtime, the kernel, ...).
#
#   bench/profile-top.sh /tmp/after.perf [how many lines, default 30]
set -euo pipefail
profile="$1"
lines="${2:-30}"
echo "== top symbols (self time) =="
perf report -i "$profile" --no-children --sort symbol --stdio 2>/dev/null | cut -c1-200 | sed "s/  *-  *-  *$//" | grep -E '^ +[0-9]' | head -n "$lines"
echo
echo "== by module =="
perf report -i "$profile" --no-children --sort dso --stdio 2>/dev/null | cut -c1-200 | sed "s/  *-  *-  *$//" | grep -E '^ +[0-9]' | head -n 12
