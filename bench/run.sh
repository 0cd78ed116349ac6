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
#   COMPASSCI_BENCH_PROFILE        a file: record the silo's CPU profile over the whole load with `perf record -g`
#                                  (the silo writes a perf map for its JIT-compiled code; read it with perf report)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

port="${COMPASSCI_BENCH_PORT:-3000}"
ready_seconds="${COMPASSCI_BENCH_READY_SECONDS:-300}"
stop_seconds="${COMPASSCI_BENCH_STOP_SECONDS:-60}"
url="http://127.0.0.1:${port}"
# Relative to src/Silo: the silo runs there, as `dotnet run --project src/Silo` runs it, so it reads its appsettings.json
# (log levels above all: without them every request is logged at Information, which the bench would measure).
silo_dll="bin/Release/net10.0/CompassCi.Silo.dll"
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
silo_pid=""

stop_silo() {
  if [[ -n "$silo_pid" ]] && kill -0 "$silo_pid" 2>/dev/null; then
    kill -TERM "$silo_pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$silo_pid" 2>/dev/null && (( waited < stop_seconds * 10 )); do
      sleep 0.1
      waited=$((waited + 1))
    done
    if kill -0 "$silo_pid" 2>/dev/null; then
      echo "run.sh: silo ${silo_pid} ignored SIGTERM for ${stop_seconds}s; sending SIGKILL" >&2
      kill -KILL "$silo_pid" 2>/dev/null || true
    fi
    wait "$silo_pid" 2>/dev/null || true
  fi
  silo_pid=""
  # A MariaDB the silo started is found by its unique data directory on the command line; ended by pid, one by one.
  local leftover
  for leftover in $(pgrep -f -- "$data_dir" || true); do
    echo "run.sh: ending leftover process ${leftover} that still uses ${data_dir}" >&2
    kill -TERM "$leftover" 2>/dev/null || true
  done
}

cleanup() {
  stop_silo
  rm -rf -- "$data_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "run.sh: starting silo on ${url}, data in ${data_dir}, log in ${silo_log}"
# No extra WebDAV address (port 3080 by default): another silo on this machine may hold it, and the bench's uploads
# (--extract-jobs) go to the main address, which serves the same result server. The queued-job quotas are lifted
# (each of the 5 accounts queues 20,000 of the 100,000 jobs, above the default hard limit of 10,000) unless the
# caller's environment sets them. Other CompassCi__ variables in the caller's environment reach the silo as they
# are (say CompassCi__FairShare__Enabled=false, to compare).
CompassCi__DataDirectory="$data_dir" ASPNETCORE_URLS="$url" CompassCi__Results__WebDavUrl="" \
  CompassCi__Quotas__QueuedSoftLimit="${CompassCi__Quotas__QueuedSoftLimit:-100000000}" \
  CompassCi__Quotas__QueuedHardLimit="${CompassCi__Quotas__QueuedHardLimit:-100000000}" \
  DOTNET_PerfMapEnabled="$([[ -n "${COMPASSCI_BENCH_PROFILE:-}" ]] && echo 1 || echo 0)" \
  bash -c 'cd "$1/src/Silo" && exec dotnet "$2"' silo "$silo_tree" "$silo_dll" >"$silo_log" 2>&1 &
silo_pid=$!

deadline=$((SECONDS + ready_seconds))
until curl -s -f -o /dev/null --max-time 2 "${url}/readyz"; do
  if ! kill -0 "$silo_pid" 2>/dev/null; then
    echo "run.sh: the silo exited before it was ready; last lines of ${silo_log}:" >&2
    tail -n 40 "$silo_log" >&2 || true
    exit 1
  fi
  if (( SECONDS >= deadline )); then
    echo "run.sh: the silo was not ready within ${ready_seconds}s; last lines of ${silo_log}:" >&2
    tail -n 40 "$silo_log" >&2 || true
    exit 1
  fi
  sleep 0.5
done
echo "run.sh: silo ${silo_pid} is ready"

# CPU seconds (user + system) the silo has used so far, from /proc: the bench's work is the difference.
silo_cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/${silo_pid}/stat"
}

profiler_pid=""
if [[ -n "${COMPASSCI_BENCH_PROFILE:-}" ]]; then
  perf record -F 499 -g -p "$silo_pid" -o "$COMPASSCI_BENCH_PROFILE" >/dev/null 2>&1 </dev/null &
  profiler_pid=$!
fi

cpu_before=$(silo_cpu_seconds)
status=0
dotnet "$bench_dll" --url "$url" --silo-pid "$silo_pid" "$@" || status=$?
cpu_after=$(silo_cpu_seconds)
if [[ -n "$profiler_pid" ]]; then
  # perf writes its file on SIGINT.
  kill -INT "$profiler_pid" 2>/dev/null || true
  wait "$profiler_pid" 2>/dev/null || true
  echo "run.sh: silo CPU profile in ${COMPASSCI_BENCH_PROFILE} (perf report -i ${COMPASSCI_BENCH_PROFILE} --no-children)"
fi
echo "silo CPU for the run: $(awk -v a="$cpu_after" -v b="$cpu_before" 'BEGIN { printf "%.1f", a - b }') s (user + system)"
exit "$status"
