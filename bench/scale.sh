#!/usr/bin/env bash
# Scale benchmark in one command: builds the silo and bench/ActorCrm.Scale.Benchmarks in Release, starts
# a Release silo on loopback, loads a book into it through the public gRPC API (accounts, then revenue,
# then checks the ranking; see bench/ActorCrm.Scale.Benchmarks/Program.cs), and stops the silo again.
#
#   bench/scale.sh [--azurite [--namespace NAME]] [--no-build] [BENCH OPTIONS…]
#
#   --private-azurite  durable storage on an Azurite of this run's own (127.0.0.1:10100-10102, a
#                temp folder), stopped and deleted at the end: every run starts from a fresh emulator
#   --azurite    durable storage: starts Azurite (tools/azurite/azurite.sh start; an Azurite that
#                already answers on 127.0.0.1:10002 is used as it is and left running) and runs the silo
#                with --Storage:Provider=AzureStorage in a fresh namespace (scale<random>, printed; its
#                tables stay); default is --Storage:Provider=Memory (a fresh, empty silo)
#   --namespace NAME  with --azurite: reuse that namespace instead, e.g. to run again with
#                --skip-accounts on the accounts an earlier run left there
#   --no-build   use the existing Release builds
#   --silo-arg ARG  one more silo argument (repeatable), e.g. --silo-arg --Storage:SmallRecords=Blob
#   BENCH OPTIONS go to the benchmark, e.g. --accounts 2000 --events 50000 --output json
#                (--address and --silo-pid are set by this script)
#
# Examples:
#   bench/scale.sh --accounts 2000 --events 50000
#   bench/scale.sh --accounts 100000 --events 1000000 --output json > scale.json
#
# The silo listens on 127.0.0.1 only: gRPC 7070, HTTP 7080 (health), Orleans 11111/30000. Other ports
# (e.g. when another silo runs on this machine): GRPC_PORT, HTTP_PORT, SILO_PORT, GATEWAY_PORT.
# Its log is .state/scale-silo.log. The exit code is the benchmark's: 0 = no errors and the ranking
# check is exact, 1 = errors or mismatch, 2 = bad options.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

grpc_port="${GRPC_PORT:-7070}"
http_port="${HTTP_PORT:-7080}"
silo_port="${SILO_PORT:-11111}"
gateway_port="${GATEWAY_PORT:-30000}"
azurite=false
namespace="scale$RANDOM"
build=true
private_azurite=false
bench_args=()
silo_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --azurite) azurite=true ;;
    --private-azurite) azurite=true; private_azurite=true ;;
    --namespace) namespace="${2:?--namespace needs a name}"; azurite=true; shift ;;
    --no-build) build=false ;;
    --silo-arg) silo_args+=("${2:?--silo-arg needs an argument}"); shift ;;
    *) bench_args+=("$1") ;;
  esac
  shift
done

silo_dll="silo/ActorCrm.Silo/bin/Release/net10.0/ActorCrm.Silo.dll"
bench_dll="bench/ActorCrm.Scale.Benchmarks/bin/Release/net10.0/ActorCrm.Scale.Benchmarks.dll"
log="$root/.state/scale-silo.log"
mkdir -p "$root/.state"

if $build; then
  echo "building the silo and the benchmark (Release)…" >&2
  dotnet build silo/ActorCrm.Silo -c Release --nologo -v quiet >&2 # stdout stays the report (--output json)
  dotnet build bench/ActorCrm.Scale.Benchmarks -c Release --nologo -v quiet >&2
fi

in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$grpc_port" "$http_port" "$silo_port" "$gateway_port"; do
  if in_use "$port"; then
    echo "port 127.0.0.1:$port is in use (another silo?); stop it or set GRPC_PORT/HTTP_PORT/SILO_PORT/GATEWAY_PORT" >&2
    exit 1
  fi
done

storage=(--Storage:Provider=Memory)
started_azurite=false
private_pid="" private_dir=""
if $private_azurite; then
  # An emulator of this run's own (ports 10100-10102, data in a temp folder, both gone at the end):
  # an Azurite process that already served a heavy run answers the next one far slower.
  for port in 10100 10101 10102; do in_use "$port" && { echo "port 127.0.0.1:$port is in use; stop what uses it" >&2; exit 1; }; done
  [ -x tools/azurite/node_modules/.bin/azurite ] || (cd tools/azurite && npm ci --no-audit --no-fund --loglevel=error >&2)
  private_dir="$(mktemp -d)"
  tools/azurite/node_modules/.bin/azurite --silent --disableTelemetry --blobHost 127.0.0.1 --blobPort 10100 \
    --queueHost 127.0.0.1 --queuePort 10101 --tableHost 127.0.0.1 --tablePort 10102 --location "$private_dir" > "$private_dir.log" 2>&1 &
  private_pid=$!
  for _ in $(seq 1 100); do in_use 10102 && break; sleep 0.2; done
  in_use 10102 || { echo "the private Azurite did not start:" >&2; cat "$private_dir.log" >&2; exit 1; }
  key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  storage=(--Storage:Provider=AzureStorage "--Storage:Namespace=$namespace"
    "--Storage:ConnectionString=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:10100/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10101/devstoreaccount1;TableEndpoint=http://127.0.0.1:10102/devstoreaccount1;")
elif $azurite; then
  if in_use 10002; then
    echo "note: using the Azurite that already answers on 127.0.0.1:10002; namespace $namespace stays in it" >&2
  else
    started_azurite=true # and stopped at the end; its data stays in .state/azurite
  fi
  tools/azurite/azurite.sh start >&2
  storage=(--Storage:Provider=AzureStorage "--Storage:Namespace=$namespace")
fi

silo_pid=""
stop() {
  if [ -n "$silo_pid" ] && kill -0 "$silo_pid" 2>/dev/null; then
    kill "$silo_pid" 2>/dev/null || true # SIGTERM: graceful shutdown
    for _ in $(seq 1 300); do kill -0 "$silo_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$silo_pid" 2>/dev/null || true
    echo "silo stopped" >&2
  fi
  if $started_azurite; then tools/azurite/azurite.sh stop >&2; fi
  if [ -n "$private_pid" ]; then
    kill "$private_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$private_pid" 2>/dev/null || break; sleep 0.1; done
    rm -rf "$private_dir" "$private_dir.log"
  fi
}
trap stop EXIT
trap 'exit 130' INT TERM

# Started from its build directory so that its appsettings.json applies; exec keeps the PID the silo's.
(cd "$(dirname "$silo_dll")" && exec dotnet "$(basename "$silo_dll")" "${storage[@]}" \
  --Logging:LogLevel:Default=Warning "--Auth:LocalAdminKeyFile=$root/.state/admin-api-key" \
  "--Endpoints:Grpc=http://127.0.0.1:$grpc_port" "--Endpoints:Http=http://127.0.0.1:$http_port" \
  "--Orleans:Endpoints:SiloPort=$silo_port" "--Orleans:Endpoints:GatewayPort=$gateway_port" ${silo_args[@]+"${silo_args[@]}"}) > "$log" 2>&1 &
silo_pid=$!
echo "silo started (pid $silo_pid, ${storage[*]} ${silo_args[*]+${silo_args[*]}}, log $log); waiting for http://127.0.0.1:$http_port/health/ready" >&2
for _ in $(seq 1 600); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$http_port/health/ready" 2>/dev/null; then break; fi
  if ! kill -0 "$silo_pid" 2>/dev/null; then
    echo "the silo exited during startup; last lines of $log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  sleep 0.2
done
if ! curl -fsS -o /dev/null "http://127.0.0.1:$http_port/health/ready" 2>/dev/null; then
  echo "the silo was not ready after 120 s; last lines of $log:" >&2
  tail -n 30 "$log" >&2
  exit 1
fi

status=0
dotnet "$bench_dll" --address "http://127.0.0.1:$grpc_port" --silo-pid "$silo_pid" "${bench_args[@]}" || status=$?
exit "$status"
