#!/usr/bin/env bash
# Installs what the service and its tests need on Debian 12, skipping what is already there.
# Usage: scripts/install-deps.sh [runtime|test]
set -euo pipefail
mode="${1:-runtime}"

packages=(coinor-libipopt1v5)
# The build installs the dashboard's chart library from npm (tools/dashboard).
command -v npm >/dev/null || packages+=(nodejs npm)
if [ "$mode" = test ]; then
  # chromium: the dashboard's browser tests drive Debian's build through Playwright.
  packages+=(postgresql-15 python3-torch python3-sklearn python3-onnx chromium)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -f "$root/tools/dashboard/node_modules/uplot/dist/uPlot.iife.min.js" ]; then
  (cd "$root/tools/dashboard" && npm ci --no-audit --no-fund --loglevel=error)
fi

if [ "$mode" = test ]; then
  if [ ! -x "$root/tools/s3rver/node_modules/.bin/s3rver" ]; then
    (cd "$root/tools/s3rver" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi
