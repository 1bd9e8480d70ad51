#!/usr/bin/env bash
# A Debian package a make target needs, present before anything starts: installed when missing
# (as root, with apt-get), else one line saying what to install, rather than one red error at
# the end of a long run.
#
#   scripts/ensure_debian_tool.sh PACKAGE BINARY "WHO NEEDS IT"
#
#   make test  -> chromium at $HAVEN_CHROMIUM (default /usr/bin/chromium), for the browser tests
#   make bench -> wrk at $HAVEN_WRK (default /usr/bin/wrk), to drive the load
set -euo pipefail

package="$1"
binary="$2"
needed="$3 needs Debian's $package ($binary): sudo apt-get install $package"

if [ -x "$binary" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "$needed" >&2
  exit 1
fi

echo "Installing Debian's $package ($3, apt-get)..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null

if [ ! -x "$binary" ]; then
  # Installed, yet not where the variable says it is.
  echo "$needed" >&2
  exit 1
fi
