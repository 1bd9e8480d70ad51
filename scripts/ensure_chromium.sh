#!/usr/bin/env bash
# The browser tests (tests/browser/) drive Debian's Chromium through Playwright; Playwright never
# downloads a browser of its own. `make test` runs this first, so a fresh machine either gets the
# package (as root, the way `make run` sets up what it needs) or stops before any test runs with
# one line saying what to install, rather than one red error at the end of the suite.
#
#   scripts/ensure_chromium.sh
#
# HAVEN_CHROMIUM names the browser when it lives elsewhere (the browser tests read it too);
# the default is Debian's /usr/bin/chromium.
set -euo pipefail

chromium="${HAVEN_CHROMIUM:-/usr/bin/chromium}"
needed="make test needs Debian's chromium ($chromium) for the browser tests: sudo apt-get install chromium"

if [ -x "$chromium" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "$needed" >&2
  exit 1
fi

echo "Installing Debian's chromium for the browser tests (apt-get)..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

if [ ! -x "$chromium" ]; then
  # Installed, yet not where HAVEN_CHROMIUM says it is.
  echo "$needed" >&2
  exit 1
fi
"$chromium" --version
