#!/usr/bin/env bash
# Starts or stops the pinned Azurite (Azure Storage emulator) on 127.0.0.1:10000-10002.
#   tools/azurite/azurite.sh start   installs it if needed (npm ci), starts it unless it already answers
#   tools/azurite/azurite.sh stop    stops the instance this script started (by its PID file)
# Data lives in .state/azurite, the PID in .state/azurite.pid, the log in .state/azurite.log.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
state="$root/.state"
pidfile="$state/azurite.pid"
mkdir -p "$state/azurite"

answers() { (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; }

case "${1:-}" in
  start)
    if answers; then echo "azurite already answers on 127.0.0.1:10002"; exit 0; fi
    if [ ! -x "$here/node_modules/.bin/azurite" ]; then
      (cd "$here" && npm ci --no-audit --no-fund --loglevel=error --prefer-offline --fetch-timeout=60000 --fetch-retries=5)
    fi
    nohup "$here/node_modules/.bin/azurite" --silent --disableTelemetry \
      --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
      --location "$state/azurite" > "$state/azurite.log" 2>&1 &
    echo $! > "$pidfile"
    for _ in $(seq 1 100); do
      if answers; then echo "azurite started (pid $(cat "$pidfile"))"; exit 0; fi
      sleep 0.2
    done
    echo "azurite did not start; see $state/azurite.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$pidfile" ]; then
      pid="$(cat "$pidfile")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$pidfile"
      echo "azurite stopped"
    fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
