#!/usr/bin/env bash
# Regenerates the dashboard screenshots in docs/ (shown in the README): the browser tests' screenshot test,
# on the test script's PostgreSQL and s3rver, with the pictures written to docs/ instead of the test output.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
PROCESS_OPTIMIZER_SCREENSHOTS="$root/docs" exec "$root/scripts/test.sh" --filter "FullyQualifiedName~ProcessOptimizer.Tests.Dashboard.DashboardBrowserTests.Screenshot"
