#!/usr/bin/env bash
# Runs the dashboard's end-to-end tests (node's test runner, TAP output) in headless Chromium from
# Debian's packages against a real silo (the built silo/ActorCrm.Silo; .ci/test builds it first).
# Installs what they need when missing: Debian's chromium and a CJK font (fonts-noto-cjk, so Chinese
# text renders in screenshots), the npm packages, the built page. Exit code: the test runner's.
set -euo pipefail
app="$(cd "$(dirname "$0")/.." && pwd)"

need() { # need FILE-OR-CHECK PACKAGE
  eval "$1" >/dev/null 2>&1 && return
  echo "installing $2 (Debian package)…" >&2
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y -qq "$2" >/dev/null 2>&1 || { $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq "$2" >/dev/null; }
}
need "test -x /usr/bin/chromium" chromium
need "fc-list :lang=zh | grep -q ." fonts-noto-cjk

"$app/build.sh"
cd "$app"
exec node --test --test-reporter=tap --test-concurrency=1 e2e/*.test.mjs
