#!/usr/bin/env bash
# Runs every benchmark of BENCHMARKS.md in one go and prints the tables. PostgreSQL rows need
# PROCESS_OPTIMIZER_TEST_POSTGRES; the /optimize load test starts its own service on loopback.
set -euo pipefail
cd "$(dirname "$0")/ProcessOptimizer.Benchmarks"
dotnet build -c Release >/dev/null
run() { dotnet run -c Release --no-build -- "$@"; }
run --filter '*' --job short
run suite 30
run cycle 30
run alloc 1000
run warm 30
run scaling 5
run data 200
run memory 10000
service="$(cd ../.. && pwd)/src/ProcessOptimizer/bin/Release/net10.0/ProcessOptimizer.dll"
dotnet build -c Release ../../src/ProcessOptimizer >/dev/null
run cold 5
work="$(mktemp -d)"
dotnet "$service" run --App:Mode=api --Urls=http://127.0.0.1:18010 --Api:MaxQueuedRequests=64 "--Database:ConnectionString=Data Source=$work/po.db" >"$work/service.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
until curl -sf http://127.0.0.1:18010/health >/dev/null; do sleep 0.2; done
run load http://127.0.0.1:18010 300
run workers "$service" 300
run backtest "$service" 7 28
# Set PREVIOUS_SERVICE_DLL to a build of the previous state to see its import-data beside this one.
run import "$service" ${PREVIOUS_SERVICE_DLL:+--previous "$PREVIOUS_SERVICE_DLL"} 3
run cluster "$service" 30
