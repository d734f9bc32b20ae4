#!/usr/bin/env bash
# The README's run command: a durable silo with demo data.
# Starts Azurite (the Azure Storage emulator, installed on first use) unless one already answers,
# then the silo on Azure Storage, seeding the demo book only into an empty store.
# Callers authenticate: the silo provisions a local admin API key in .state/admin-api-key on first
# start, where the actorcrm client (run from anywhere in the repository) finds it by itself.
# Extra arguments go to the silo, e.g. tools/run.sh --Storage:Provider=Memory
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ " $* " != *"--Storage:Provider=Memory"* ]]; then
  tools/azurite/azurite.sh start
fi
exec dotnet run --project silo/ActorCrm.Silo -- --Demo:Seed=true "--Auth:LocalAdminKeyFile=$root/.state/admin-api-key" "$@"
