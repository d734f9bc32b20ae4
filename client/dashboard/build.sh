#!/usr/bin/env bash
# Makes the dashboard ready for the silo to serve (dist/), doing only what is needed: `npm ci` when
# node_modules is missing or older than package-lock.json, `npm run build` (code generation from
# protos/, type check, Vite) when dist/ is missing or older than the sources or the protos.
# Quiet when all goes well; shows npm's output when a step fails.
set -euo pipefail
app="$(cd "$(dirname "$0")" && pwd)"
cd "$app"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

run() { # run DESCRIPTION COMMAND…: quiet unless it fails
  echo "dashboard: $1…" >&2
  "${@:2}" >"$log" 2>&1 || { cat "$log" >&2; echo "dashboard: $1 failed" >&2; exit 1; }
}

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  run "installing packages (npm ci)" npm ci --no-audit --no-fund --loglevel=error --prefer-offline --fetch-timeout=60000 --fetch-retries=5
fi
if [ ! -f dist/index.html ] || [ -n "$(find src index.html package-lock.json vite.config.ts tsconfig.json buf.gen.yaml scripts ../../protos \
     -newer dist/index.html -type f -not -path 'src/gen/*' -print -quit)" ]; then
  run "building (npm run build)" npm run build
fi
