#!/usr/bin/env bash
# Read benchmark in one command: point reads of the product against a bare gRPC service that answers
# the same methods with the same replies from a dictionary (bench/ActorCrm.Read.Benchmarks), both
# driven by h2load on this machine.
#
#   bench/read.sh [--no-build] [--seconds S] [--reps R] [--targets "NAME …"] [--skip-latency]
#
#   --seconds S   length of each measured run (default 10; h2load warms up 2 s before it)
#   --reps R      A B B A rounds per target (default 2, i.e. bare, silo, silo, bare twice)
#   --targets     which reads (default: all): GetAccount-small GetAccount-full GetAccount-full-no-insights GetContact
#                 GetOpportunity GetAccountRank ListTopAccounts-20 GetConcentration
#   --skip-latency  skip the p99 comparison at half the bare service's best rate
#   --silo-arg ARG  one more setting for the silo (repeatable), e.g. --silo-arg --Auth:Mode=None
#
# Settings: a Release silo on the memory store with the demo data (60 accounts), default trace
# sampling (0.01), dashboard off, auth on (the local admin API key on every call; GetContact then
# audits each personal-profile read before answering); the bare service on Kestrel with the silo's settings
# (HTTP/2 cleartext, loopback). Load: h2load (Debian's nghttp2-client), 4 processes × 1 connection ×
# 16 streams, one process per core being what the silo and the bare service get too: the load
# tool, the silo and the bare service all share this machine's cores, so the absolute figures are
# the machine's, and the ratios (measured back to back in the same run) are the result.
#
# Output: per target the req/s of each run, the ratio silo/bare (min/median/max over the pairs of
# an A B B A round; one warm-up run of each before), and, unless --skip-latency, the p99 latency of both at 50 % of the bare
# service's best rate. Ports: silo gRPC 7070, HTTP 7080, Orleans 11111/30000, bare 7170.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

seconds=10
reps=2
targets="GetAccount-small GetAccount-full GetAccount-full-no-insights GetContact GetOpportunity GetAccountRank ListTopAccounts-20 GetConcentration"
build=true
latency=true
silo_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=false ;;
    --seconds) seconds="${2:?}"; shift ;;
    --reps) reps="${2:?}"; shift ;;
    --targets) targets="${2:?}"; shift ;;
    --skip-latency) latency=false ;;
    --silo-arg) silo_args+=("${2:?}"); shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
command -v h2load >/dev/null || { echo "h2load is missing: apt-get install nghttp2-client" >&2; exit 2; }

silo_dll="silo/ActorCrm.Silo/bin/Release/net10.0/ActorCrm.Silo.dll"
bench_dll="bench/ActorCrm.Read.Benchmarks/bin/Release/net10.0/ActorCrm.Read.Benchmarks.dll"
work="$root/.state/read-bench"
mkdir -p "$work"
if $build; then
  echo "building the silo and the bare service (Release)…" >&2
  dotnet build silo/ActorCrm.Silo -c Release --nologo -v quiet >&2
  dotnet build bench/ActorCrm.Read.Benchmarks -c Release --nologo -v quiet >&2
fi

in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in 7070 7080 7170 11111 30000; do
  if in_use "$port"; then echo "port 127.0.0.1:$port is in use; stop what uses it" >&2; exit 1; fi
done

pids=()
stop() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
}
trap stop EXIT
trap 'exit 130' INT TERM

(cd "$(dirname "$silo_dll")" && exec dotnet "$(basename "$silo_dll")" --Storage:Provider=Memory --Demo:Seed=true \
  "--Auth:LocalAdminKeyFile=$root/.state/admin-api-key" --Logging:LogLevel:Default=Warning ${silo_args[@]+"${silo_args[@]}"}) > "$work/silo.log" 2>&1 &
pids+=($!)
echo "silo started (pid ${pids[0]}, memory store, demo data); waiting until it is ready…" >&2
for _ in $(seq 1 600); do
  curl -fsS -o /dev/null http://127.0.0.1:7080/health/ready 2>/dev/null && break
  kill -0 "${pids[0]}" 2>/dev/null || { tail -n 30 "$work/silo.log" >&2; exit 1; }
  sleep 0.2
done
# Every call carries the local admin key the silo provisioned (the bare service ignores the header).
api_key="$(cat "$root/.state/admin-api-key")"
# The demo seed runs after the silo is ready: wait until its accounts are listed.
for _ in $(seq 1 300); do
  dotnet "$bench_dll" prepare http://127.0.0.1:7070 "$work" >"$work/prepare.log" 2>&1 && break
  sleep 1
done
cat "$work/prepare.log" >&2

dotnet "$bench_dll" serve http://127.0.0.1:7070 http://127.0.0.1:7170 "$work" > "$work/bare.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do grep -q "bare service on" "$work/bare.log" 2>/dev/null && break; sleep 0.2; done
grep -q "bare service on" "$work/bare.log" || { cat "$work/bare.log" >&2; exit 1; }

path_of() { awk -F'\t' -v n="$1" '$1 == n { print $2 }' "$work/targets.tsv"; }

# One measured run: 4 h2load processes in parallel; prints the summed req/s.
# With RATE set, each process sends at most RATE/4 req/s and logs every request (for percentiles).
run() {
  local port="$1" name="$2" rate="${3:-}"
  local url="http://127.0.0.1:$port$(path_of "$name")"
  local outs=()
  for i in 1 2 3 4; do
    local extra=()
    if [ -n "$rate" ]; then extra=(--rps "$(( (rate + 3) / 4 ))" --log-file "$work/latency.$i.log"); fi
    h2load -c 1 -m 16 -D "$seconds" --warm-up-time 2 \
      -H 'content-type: application/grpc' -H 'te: trailers' -H "x-api-key: $api_key" -d "$work/$name.bin" "${extra[@]}" "$url" \
      > "$work/h2load.$i.out" 2>&1 &
    outs+=($!)
  done
  wait "${outs[@]}"
  for i in 1 2 3 4; do
    if ! grep -q "status codes: [1-9][0-9]* 2xx" "$work/h2load.$i.out"; then
      echo "h2load against $url failed:" >&2; cat "$work/h2load.$i.out" >&2; exit 1
    fi
  done
  cat "$work"/h2load.[1-4].out | awk '/^finished in/ { for (i = 1; i <= NF; i++) if ($(i+1) == "req/s,") sum += $i } END { printf "%.0f\n", sum }'
}

# p99 of the request durations in the last rated run (h2load's log: start µs, status, duration µs).
p99() { cat "$work"/latency.[1-4].log | awk '{ print $3 }' | sort -n | awk '{ v[NR] = $1 } END { i = int(NR * 0.99); if (i < 1) i = 1; printf "%.2f", v[i] / 1000 }'; }

stats() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s / %.3f / %s", v[1], m, v[NR] }'; }

# Calls the silo answered with an error status so far (its actorcrm_api_errors_total counter): h2load
# sees HTTP 200 for a gRPC error too, so this is how a run proves every read succeeded.
silo_errors() { curl -fsS -H "x-api-key: $api_key" http://127.0.0.1:7080/metrics | awk '/^actorcrm_api_errors_total/ { sum += $NF } END { printf "%d", sum }'; }

printf "\n%-20s %-34s %-34s %-20s %s\n" "target" "bare req/s (runs)" "silo req/s (runs)" "ratio min/med/max" "p99 at 50% of bare max: bare / silo (ms)"
errors_before=$(silo_errors)
for name in $targets; do
  [ -n "$(path_of "$name")" ] || { echo "unknown target $name" >&2; exit 2; }
  # Warm-up, not measured: both processes JIT the target's path to its final tier first.
  run 7170 "$name" > /dev/null; run 7070 "$name" > /dev/null
  bare_runs=() silo_runs=() ratios=()
  for _ in $(seq 1 "$reps"); do
    b1=$(run 7170 "$name"); s1=$(run 7070 "$name"); s2=$(run 7070 "$name"); b2=$(run 7170 "$name")
    bare_runs+=("$b1" "$b2"); silo_runs+=("$s1" "$s2")
    ratios+=("$(awk -v s="$s1" -v b="$b1" 'BEGIN { printf "%.3f", s / b }')" "$(awk -v s="$s2" -v b="$b2" 'BEGIN { printf "%.3f", s / b }')")
  done
  latency_cell="—"
  if $latency; then
    best=$(printf '%s\n' "${bare_runs[@]}" | sort -g | tail -1)
    half=$(( best / 2 ))
    run 7170 "$name" "$half" > /dev/null; bare_p99=$(p99)
    run 7070 "$name" "$half" > /dev/null; silo_p99=$(p99)
    latency_cell="$bare_p99 / $silo_p99 at $half req/s"
  fi
  printf "%-20s %-34s %-34s %-20s %s\n" "$name" "${bare_runs[*]}" "${silo_runs[*]}" "$(echo "${ratios[*]}" | stats)" "$latency_cell"
done
errors=$(( $(silo_errors) - errors_before ))
if [ "$errors" -ne 0 ]; then echo "the silo answered $errors calls with an error status during the runs" >&2; exit 1; fi
echo
echo "every silo call answered OK (actorcrm_api_errors_total unchanged)"
echo "settings: ${seconds} s runs after 2 s warm-up, ${reps} A B B A rounds, h2load 4 processes × 1 connection × 16 streams;"
echo "Release silo, memory store, demo data, default sampling, dashboard off, auth on (an admin API key on every call)${silo_args[*]+, silo args: ${silo_args[*]}}; load tool, silo and bare service share $(nproc) cores"
