#!/usr/bin/env bash
# `make bench` drives its load with Debian's wrk (an HTTP benchmarking tool with Lua scripting).
# A fresh machine either gets the package (as root, the way `make test` gets Chromium) or stops
# before anything starts with one line saying what to install.
#
#   scripts/ensure_wrk.sh
#
# HAVEN_WRK names the binary when it lives elsewhere (bench/api.py reads it too); the default
# is Debian's /usr/bin/wrk.
set -euo pipefail

wrk="${HAVEN_WRK:-/usr/bin/wrk}"
needed="make bench needs Debian's wrk ($wrk) to drive the load: sudo apt-get install wrk"

if [ -x "$wrk" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "$needed" >&2
  exit 1
fi

echo "Installing Debian's wrk for the benchmark (apt-get)..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null

if [ ! -x "$wrk" ]; then
  echo "$needed" >&2
  exit 1
fi
