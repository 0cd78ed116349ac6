# Starting and stopping one bench silo; sourced by run.sh and suite.sh (not run on its own).
#
#   silo_start TREE DATA_DIR URL LOG   start TREE's built silo in the background on DATA_DIR (sets silo_pid, silo_data_dir)
#   silo_wait_ready URL SECONDS        wait for GET /readyz = 200; 1 (with the log's tail) if the silo died or took too long
#   silo_stop STOP_SECONDS             SIGTERM, SIGKILL after STOP_SECONDS, then end what still uses the data directory
#   silo_kill9                         SIGKILL the silo alone, as a crash would (its MariaDB child lives on)
#   silo_cpu_seconds                   the silo's user + system CPU seconds so far
#
# The silo runs in its tree's src/Silo, as `dotnet run --project src/Silo` runs it, so it reads its appsettings.json
# (log levels above all: without them every request is logged at Information, which the bench would measure).

silo_dll="bin/Release/net10.0/CompassCi.Silo.dll"
silo_pid=""
silo_data_dir=""

silo_start() {
  local tree="$1" data_dir="$2" url="$3" log="$4"
  silo_data_dir="$data_dir"
  # No extra WebDAV address (port 3080 by default): another silo on this machine may hold it, and the bench's uploads
  # (--extract-jobs) go to the main address, which serves the same result server. The queued-job quotas are lifted
  # (each of the 5 accounts queues 20,000 of the 100,000 jobs, above the default hard limit of 10,000) unless the
  # caller's environment sets them. Other CompassCi__ variables in the caller's environment reach the silo as they
  # are (say CompassCi__FairShare__Enabled=false, to compare).
  CompassCi__DataDirectory="$data_dir" ASPNETCORE_URLS="$url" CompassCi__Results__WebDavUrl="" \
    CompassCi__Quotas__QueuedSoftLimit="${CompassCi__Quotas__QueuedSoftLimit:-100000000}" \
    CompassCi__Quotas__QueuedHardLimit="${CompassCi__Quotas__QueuedHardLimit:-100000000}" \
    bash -c 'cd "$1/src/Silo" && exec dotnet "$2"' silo "$tree" "$silo_dll" >>"$log" 2>&1 &
  silo_pid=$!
}

silo_wait_ready() {
  local url="$1" seconds="$2" log="$3"
  local deadline=$((SECONDS + seconds))
  until curl -s -f -o /dev/null --max-time 2 "${url}/readyz"; do
    if ! kill -0 "$silo_pid" 2>/dev/null; then
      echo "silo: the silo exited before it was ready; last lines of ${log}:" >&2
      tail -n 40 "$log" >&2 || true
      return 1
    fi
    if (( SECONDS >= deadline )); then
      echo "silo: the silo was not ready within ${seconds}s; last lines of ${log}:" >&2
      tail -n 40 "$log" >&2 || true
      return 1
    fi
    sleep 0.5
  done
}

silo_stop() {
  local stop_seconds="$1"
  if [[ -n "$silo_pid" ]] && kill -0 "$silo_pid" 2>/dev/null; then
    kill -TERM "$silo_pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$silo_pid" 2>/dev/null && (( waited < stop_seconds * 10 )); do
      sleep 0.1
      waited=$((waited + 1))
    done
    if kill -0 "$silo_pid" 2>/dev/null; then
      echo "silo: silo ${silo_pid} ignored SIGTERM for ${stop_seconds}s; sending SIGKILL" >&2
      kill -KILL "$silo_pid" 2>/dev/null || true
    fi
    wait "$silo_pid" 2>/dev/null || true
  fi
  silo_pid=""
  silo_end_leftovers
}

# A MariaDB the silo started is found by its unique data directory on the command line; ended by pid, one by one.
silo_end_leftovers() {
  [[ -n "$silo_data_dir" ]] || return 0
  local leftover
  for leftover in $(pgrep -f -- "$silo_data_dir" || true); do
    echo "silo: ending leftover process ${leftover} that still uses ${silo_data_dir}" >&2
    kill -TERM "$leftover" 2>/dev/null || true
  done
  # Its files go next; give it the time a clean shutdown takes.
  local waited=0
  while pgrep -f -- "$silo_data_dir" >/dev/null && (( waited < 300 )); do
    sleep 0.1
    waited=$((waited + 1))
  done
}

silo_kill9() {
  if [[ -n "$silo_pid" ]]; then
    kill -KILL "$silo_pid" 2>/dev/null || true
    wait "$silo_pid" 2>/dev/null || true
  fi
  silo_pid=""
}

silo_cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/${silo_pid}/stat"
}
