#!/usr/bin/env bash
# Runs every benchmark of BENCHMARKS.md in one go and prints the tables. PostgreSQL rows need
# PROCESS_OPTIMIZER_TEST_POSTGRES; the /optimize load test starts its own service on
# loopback, on a port the system picks.
#
# Duration: about 30 minutes on a quiet 2-core machine (load average ~2), estimated from each step run with small
# counts and from the quiet runs' own timings: workers 300 5 ~4-5 min, single 200 8 ~2-3 min, import 3 (two builds, SQLite and PostgreSQL)
# ~4-5 min, backtest 7 28 ~3-4 min, BenchmarkDotNet's short jobs ~4 min, cluster 30 ~3 min, building the previous
# state ~2-3 min, memory 10000 ~1 min, and under a minute each for the rest. Under a load of 20-40 every step takes
# 5-15 times as long. Each step is also a command of its own (BENCHMARKS.md).
#
# import-data is compared with the build before it streamed (commit 615254d's parent), built here from git into a
# temporary folder unless PREVIOUS_SERVICE_DLL names a build of it; without git history the import runs alone.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/bench/ProcessOptimizer.Benchmarks"
step() { echo; echo "=== $* ($(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg))"; }
run() { step "$@"; dotnet run -c Release --no-build -- "$@"; }

dotnet build -c Release >/dev/null
service="$root/src/ProcessOptimizer/bin/Release/net10.0/ProcessOptimizer.dll"
dotnet build -c Release "$root/src/ProcessOptimizer" >/dev/null
work="$(mktemp -d)"
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

previous="${PREVIOUS_SERVICE_DLL:-}"
if [ -z "$previous" ] && git -C "$root" rev-parse -q --verify "615254d^{commit}" >/dev/null; then
    step "building the state before the streamed import-data, for its side-by-side row"
    mkdir "$work/previous"
    git -C "$root" archive "615254d^" | tar -x -C "$work/previous"
    if dotnet build -c Release "$work/previous/src/ProcessOptimizer" >"$work/previous.log" 2>&1; then
        previous="$work/previous/src/ProcessOptimizer/bin/Release/net10.0/ProcessOptimizer.dll"
    else
        tail -5 "$work/previous.log"; echo "the previous state did not build: import-data runs without it"
    fi
fi

# BenchmarkDotNet builds a project of its own per run and gives up after 2 minutes by default, which a loaded machine
# passes (it failed so at a load of 30): the limit is raised, the runs themselves are unchanged.
run --filter '*' --job short --buildTimeout 1200
run suite 30
run cycle 30
run alloc 1000
run warm 30
run scaling 5
run data 200
run memory 10000
run cold 5
# The load step starts its own service, with a worker per core, on a port the system picks and stops it after.
run load "$service" 300
# The three services run at once and are loaded in turn: 5 rounds of a 300-request chunk each at 8, 32 and 1 clients,
# so 1,500 requests a cell spread over the run rather than 2 s of it.
run workers "$service" 300 5
run single "$service" 200 8
run backtest "$service" 7 28
run import "$service" ${previous:+--previous "$previous"} 3
run cluster "$service" 30
step dashboard-trends.sh 20
"$root/bench/dashboard-trends.sh" 20
