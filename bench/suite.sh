#!/usr/bin/env bash
# Measures everything issue 17 asks for, each item on a fresh silo, and prints ONE table (and writes ONE JSON file).
#
#   bench/suite.sh [--depths 1000,10000,100000] [--before CHECKOUT] [--json FILE] [--restart-jobs 100000]
#                  [--long-poll-testboxes 200] [--trickle-rate 100] [--trickle-jobs 2000] [--keep-dir DIR]
#
# Items, in this order, each on a new silo with an empty data directory (see bench/README.md, "The suite"):
#   depth-N    for each N of --depths: submit N (16 submitters), drain with 64 testboxes over 8 shapes, exactly-once,
#              silo RSS before / with N pending / after the drain, silo CPU per 1,000 consumes
#   long-poll  200 testboxes wait in 30 s long polls; a trickle submits 2,000 jobs at 100/s; dispatch latency, exactly-once
#   restart    submit --restart-jobs, SIGKILL the silo, start it on the same data directory; time to the first consume
#              and until every queue is loaded; drain the rest; exactly-once over the whole
# With --before CHECKOUT every item runs for that checkout's silo too, before/after alternating per item, and the table
# has both columns and their ratio. The load generator is always this tree's.
#
# Environment: COMPASSCI_BENCH_PORT (default 3300), COMPASSCI_BENCH_READY_SECONDS (300), COMPASSCI_BENCH_STOP_SECONDS (60).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
# shellcheck source=bench/silo.sh
source "$repo/bench/silo.sh"

depths="1000,10000,100000"
before_tree=""
json=""
restart_jobs=100000
testboxes=200
trickle_rate=100
trickle_jobs=2000
keep_dir=""
while (( $# > 0 )); do
  case "$1" in
    --depths) depths="$2" ;;
    --before) before_tree="$(cd "$2" && pwd)" ;;
    --json) json="$2" ;;
    --restart-jobs) restart_jobs="$2" ;;
    --long-poll-testboxes) testboxes="$2" ;;
    --trickle-rate) trickle_rate="$2" ;;
    --trickle-jobs) trickle_jobs="$2" ;;
    --keep-dir) keep_dir="$2" ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "suite.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  (( $# >= 2 )) || { echo "suite.sh: option $1 needs a value" >&2; exit 2; }
  shift 2
done
[[ "$depths" =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "suite.sh: --depths needs numbers separated by commas, not '$depths'" >&2; exit 2; }
for n in "$restart_jobs" "$testboxes" "$trickle_rate" "$trickle_jobs"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "suite.sh: '$n' is not a whole number of at least 1" >&2; exit 2; }
done
if [[ -n "$json" && ! -d "$(dirname "$json")" ]]; then
  echo "suite.sh: --json: the directory of '$json' does not exist" >&2
  exit 2
fi

port="${COMPASSCI_BENCH_PORT:-3300}"
ready_seconds="${COMPASSCI_BENCH_READY_SECONDS:-300}"
stop_seconds="${COMPASSCI_BENCH_STOP_SECONDS:-60}"
url="http://127.0.0.1:${port}"
bench_dll="$repo/bench/LoadGenerator/bin/Release/net10.0/CompassCi.LoadGenerator.dll"

if curl -s -o /dev/null --max-time 2 "${url}/readyz"; then
  echo "suite.sh: something already listens on ${url}; stop it or set COMPASSCI_BENCH_PORT" >&2
  exit 1
fi

sides=(after)
[[ -n "$before_tree" ]] && sides=(before after)
dotnet build -c Release bench/LoadGenerator -v quiet -nologo | tail -2
dotnet build -c Release "$repo/src/Silo" -v quiet -nologo | tail -2
[[ -n "$before_tree" ]] && dotnet build -c Release "$before_tree/src/Silo" -v quiet -nologo | tail -2

results="${keep_dir:-$(mktemp -d -t compassci-suite.XXXXXX)}"
mkdir -p "$results"
data_dir=""
cleanup() {
  silo_stop "$stop_seconds"
  [[ -n "$data_dir" ]] && rm -rf -- "$data_dir"
  [[ -z "$keep_dir" ]] && rm -rf -- "$results"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

tree_of() { [[ "$1" == before ]] && echo "$before_tree" || echo "$repo"; }
commit_of() { git -C "$1" rev-parse --short HEAD 2>/dev/null || echo unknown; }

# A fresh silo for one item: new data directory, started and ready.
fresh_silo() {
  local side="$1" item="$2"
  data_dir="$(mktemp -d -t compassci-suite-data.XXXXXX)"
  silo_log="$results/${side}-${item}.silo.log"
  silo_start "$(tree_of "$side")" "$data_dir" "$url" "$silo_log"
  silo_wait_ready "$url" "$ready_seconds" "$silo_log"
}

done_with_silo() {
  silo_stop "$stop_seconds"
  rm -rf -- "$data_dir"
  data_dir=""
}

run_depth() {
  local side="$1" n="$2"
  fresh_silo "$side" "depth-$n" || return 1
  dotnet "$bench_dll" --url "$url" --silo-pid "$silo_pid" --jobs "$n" --json "$results/${side}-depth-${n}.json" || true
  done_with_silo
}

run_long_poll() {
  local side="$1"
  fresh_silo "$side" long-poll || return 1
  dotnet "$bench_dll" --mode long-poll --url "$url" --testboxes "$testboxes" --trickle-rate "$trickle_rate" --trickle-jobs "$trickle_jobs" \
    --json "$results/${side}-long-poll.json" || true
  done_with_silo
}

run_restart() {
  local side="$1"
  local pending="$results/${side}-restart.pending"
  fresh_silo "$side" restart || return 1
  if ! dotnet "$bench_dll" --mode preload --url "$url" --jobs "$restart_jobs" --pending-file "$pending"; then
    echo "suite.sh: the restart preload did not get all ${restart_jobs} jobs acknowledged; restart item skipped" >&2
    done_with_silo
    return 1
  fi
  # A crash: the silo alone is killed. Its MariaDB, a child, lives on; the restarted silo finds it owned by a dead
  # process, stops it and starts its own on the same data directory (src/Silo/Database/LocalMariaDb.cs) — that is in the time.
  silo_kill9
  local restarted_at
  restarted_at="$(date +%s.%N)"
  silo_start "$(tree_of "$side")" "$data_dir" "$url" "$silo_log"
  dotnet "$bench_dll" --mode restart --url "$url" --pending-file "$pending" --restarted-at "$restarted_at" \
    --json "$results/${side}-restart.json" || true
  rm -f -- "$pending"
  done_with_silo
}

started=$SECONDS
cat >"$results/suite.json" <<JSON
{"depths": [${depths}], "restart_jobs": ${restart_jobs}, "long_poll_testboxes": ${testboxes}, "trickle_rate": ${trickle_rate}, "trickle_jobs": ${trickle_jobs},
 "after_commit": "$(commit_of "$repo")", "before_commit": $([[ -n "$before_tree" ]] && echo "\"$(commit_of "$before_tree")\"" || echo null),
 "host_cores": $(nproc), "started_at": "$(date -u +%FT%TZ)"}
JSON

IFS=, read -r -a depth_list <<<"$depths"
for n in "${depth_list[@]}"; do
  for side in "${sides[@]}"; do
    echo "=== suite.sh: ${side}: depth ${n} ==="
    run_depth "$side" "$n" || echo "suite.sh: ${side} depth ${n} failed" >&2
  done
done
for side in "${sides[@]}"; do
  echo "=== suite.sh: ${side}: long-poll ==="
  run_long_poll "$side" || echo "suite.sh: ${side} long-poll failed" >&2
done
for side in "${sides[@]}"; do
  echo "=== suite.sh: ${side}: restart with ${restart_jobs} pending ==="
  run_restart "$side" || echo "suite.sh: ${side} restart failed" >&2
done

elapsed=$((SECONDS - started))
# The suite's own duration goes into its JSON next to the settings.
sed -i "s/\"started_at\"/\"seconds\": ${elapsed}, \"started_at\"/" "$results/suite.json"
echo "=== suite.sh: done in ${elapsed} s; results in ${results} ==="
dotnet "$bench_dll" --mode suite-report --results-dir "$results" ${json:+--json "$json"}
