#!/usr/bin/env bash
# Runs the service on its embedded defaults: the bundled kiln example store, SQLite under ./data/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/install-deps.sh runtime
# The demo's replay adds a row every minute: a cycle every minute fills the dashboard from the start. An
# environment variable, so that the command line (and any setting already exported) still decides.
export Optimization__IntervalSeconds="${Optimization__IntervalSeconds:-60}"
exec dotnet run --project src/ProcessOptimizer -c Release -- "$@"
