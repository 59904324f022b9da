#!/usr/bin/env bash
# Runs the service on its embedded defaults: the bundled kiln example store, SQLite under ./data/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/install-deps.sh runtime
exec dotnet run --project src/ProcessOptimizer -c Release -- "$@"
