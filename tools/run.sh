#!/usr/bin/env bash
# The README's run command: a durable silo with demo data.
# Starts Azurite (the Azure Storage emulator, installed on first use) unless one already answers,
# then the silo on Azure Storage, seeding the demo book only into an empty store.
# Callers authenticate: the silo provisions a local admin API key in .state/admin-api-key on first
# start, where the actorcrm client (run from anywhere in the repository) finds it by itself.
# The web dashboard (client/dashboard) is built first when needed and served at
# http://127.0.0.1:7080/; the sign-in link printed below opens it as the local admin.
# Extra arguments go to the silo, e.g. tools/run.sh --Storage:Provider=Memory
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ " $* " != *"--Storage:Provider=Memory"* ]]; then
  tools/azurite/azurite.sh start
fi

client/dashboard/build.sh
# The local admin key: created here on first start (a random 256-bit key, owner-only, as the silo
# itself would) so that the sign-in link can be printed before the silo starts.
key_file="$root/.state/admin-api-key"
if [ ! -s "$key_file" ]; then
  mkdir -p "$root/.state"
  (umask 077 && head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$key_file" && echo >>"$key_file")
fi
http_endpoint="http://127.0.0.1:7080"
for arg in "$@"; do case "$arg" in --Endpoints:Http=*) http_endpoint="${arg#*=}" ;; esac; done
echo "dashboard: ${http_endpoint%/}/#api-key=$(tr -d '[:space:]' <"$key_file")  (the key stays in this browser tab; the link is the local admin's)"

exec dotnet run --project silo/ActorCrm.Silo -- --Demo:Seed=true "--Auth:LocalAdminKeyFile=$key_file" "$@"
