#!/usr/bin/env bash
# Times GET /strategies/{name}/trends over a week of 1-minute data (10 080 rows): the kiln history repeated back
# in time into a SQLite file of its own, the service in api mode on a loopback port, then N requests for the
# whole week at 1 200 points a series, as the trends page asks. Prints the median and the p10-p90 in ms.
# Usage: bench/dashboard-trends.sh [N]   (after a Release build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-20}"
work="$(mktemp -d /tmp/po-trends.XXXXXX)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
dll="$root/src/ProcessOptimizer/bin/Release/net10.0/ProcessOptimizer.dll"
db="Data Source=$work/po.db"

# Seven days and a bit ending at the current minute, the example's rows taken in a loop.
/usr/bin/python3 - "$root/examples/kiln/data/kiln-history.csv" "$work/week.csv" <<'PY'
import csv, sys, datetime
rows = list(csv.reader(open(sys.argv[1])))
header, body = rows[0], rows[1:]
count = 7 * 1440 + 60
end = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
with open(sys.argv[2], "w", newline="") as out:
    w = csv.writer(out)
    w.writerow(header)
    for i in range(count):
        at = end - datetime.timedelta(minutes=count - 1 - i)
        w.writerow([at.strftime("%Y-%m-%dT%H:%M:%SZ")] + body[i % len(body)][1:])
PY
dotnet "$dll" import-data --csv "$work/week.csv" "--Database:ConnectionString=$db" >/dev/null

port="$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
dotnet "$dll" run "--Urls=http://127.0.0.1:$port" --App:Mode=api --Demo:Replay=false --Solver:Workers=0 \
  "--Database:ConnectionString=$db" "--Database:OutboxFolder=$work/outbox" >"$work/service.log" 2>&1 &
pid=$!
# Up to a minute: a loaded machine starts the service slowly; one that does not come up says why.
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 || { echo "the service did not start:"; tail -20 "$work/service.log"; exit 1; }

from="$(date -u -d '-7 days' +%Y-%m-%dT%H:%M:%SZ)"
to="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
url="http://127.0.0.1:$port/strategies/process-optimization/trends?from=$from&to=$to&points=1200"
curl -sf "$url" -o "$work/first.json"   # the first request compiles the endpoint
for _ in $(seq "$n"); do curl -sf -o /dev/null -w '%{time_total}\n' "$url"; done | sort -n > "$work/times"
/usr/bin/python3 - "$work/times" "$work/first.json" <<'PY'
import json, sys
t = [float(x) * 1000 for x in open(sys.argv[1])]
report = json.load(open(sys.argv[2]))
points = sum(len(s["times"]) for s in report["measured"])
pick = lambda q: t[min(len(t) - 1, int(q * len(t)))]
print(f"trends, one week, {len(report['measured'])} measured series, {points} points in all: "
      f"median {pick(0.5):.0f} ms (p10 {pick(0.1):.0f}, p90 {pick(0.9):.0f}) over {len(t)} requests")
PY
