#!/usr/bin/env bash
# Runs the CompassCi load generator against a fresh silo on this machine.
#
#   bench/run.sh [load generator options...]      e.g.  bench/run.sh --jobs 10000 --json /tmp/bench.json
#
# Builds the silo and the load generator in Release, starts the silo on a new, empty data directory (it
# provisions its own MariaDB there), waits for /readyz, runs the bench with --url and --silo-pid filled in,
# then stops the silo with SIGTERM and deletes the data directory. Exits with the load generator's status.
#
# Environment (all optional):
#   COMPASSCI_BENCH_PORT           loopback port for the silo            (default 3000)
#   COMPASSCI_BENCH_READY_SECONDS  how long the silo may take to be ready (default 300)
#   COMPASSCI_BENCH_STOP_SECONDS   how long SIGTERM may take before SIGKILL (default 60)
#   COMPASSCI_BENCH_SILO_TREE      another checkout whose silo to build and measure with this tree's load generator,
#                                  for a side-by-side run (git worktree add /tmp/before <rev>; default: this tree)
#   COMPASSCI_BENCH_PROFILE        a file: record the silo's CPU samples over the whole load with perf (199 Hz, flat);
#                                  bench/profile-top.sh prints the top frames
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
# silo_start, silo_wait_ready, silo_stop, silo_cpu_seconds: shared with suite.sh.
# shellcheck source=bench/silo.sh
source bench/silo.sh

port="${COMPASSCI_BENCH_PORT:-3000}"
ready_seconds="${COMPASSCI_BENCH_READY_SECONDS:-300}"
stop_seconds="${COMPASSCI_BENCH_STOP_SECONDS:-60}"
url="http://127.0.0.1:${port}"
bench_dll="bench/LoadGenerator/bin/Release/net10.0/CompassCi.LoadGenerator.dll"

# Something already answering on the port would be benchmarked instead of the fresh silo: refuse.
if curl -s -o /dev/null --max-time 2 "${url}/readyz"; then
  echo "run.sh: something already listens on ${url}; stop it or set COMPASSCI_BENCH_PORT" >&2
  exit 1
fi

silo_tree="${COMPASSCI_BENCH_SILO_TREE:-$repo}"
dotnet build -c Release "$silo_tree/src/Silo"
dotnet build -c Release bench/LoadGenerator

data_dir="$(mktemp -d -t compassci-bench.XXXXXX)"
# The log lives outside the data directory so it survives the clean-up for a post-mortem.
silo_log="$(mktemp -t compassci-bench-silo.XXXXXX.log)"

cleanup() {
  silo_stop "$stop_seconds"
  rm -rf -- "$data_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -n "${COMPASSCI_BENCH_PROFILE:-}" ]]; then
  # The silo writes a perf map so perf can name its JIT-compiled code (which W^X double mapping would hide from it).
  export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
fi

echo "run.sh: starting silo on ${url}, data in ${data_dir}, log in ${silo_log}"
silo_start "$silo_tree" "$data_dir" "$url" "$silo_log"
silo_wait_ready "$url" "$ready_seconds" "$silo_log" || exit 1
echo "run.sh: silo ${silo_pid} is ready"

profiler_pid=""
if [[ -n "${COMPASSCI_BENCH_PROFILE:-}" ]]; then
  # Flat samples (no call graphs: perf -g costs more CPU than the silo on this kind of VM).
  perf record -F 199 -p "$silo_pid" -o "$COMPASSCI_BENCH_PROFILE" >/dev/null 2>&1 </dev/null &
  profiler_pid=$!
fi

cpu_before=$(silo_cpu_seconds)
status=0
dotnet "$bench_dll" --url "$url" --silo-pid "$silo_pid" "$@" || status=$?
cpu_after=$(silo_cpu_seconds)
if [[ -n "$profiler_pid" ]]; then
  # perf writes its file when the process it follows exits (a background job ignores SIGINT).
  silo_stop "$stop_seconds"
  wait "$profiler_pid" 2>/dev/null || true
  echo "run.sh: silo CPU profile in ${COMPASSCI_BENCH_PROFILE}: bench/profile-top.sh ${COMPASSCI_BENCH_PROFILE}"
fi
echo "silo CPU for the run: $(awk -v a="$cpu_after" -v b="$cpu_before" 'BEGIN { printf "%.1f", a - b }') s (user + system)"
exit "$status"
