#!/usr/bin/env bash
# CI's test step: the README's promise, kept. Clone HEAD into a temporary folder and run
# `make test` there, so the suite runs with a new .venv and whatever `make test` itself sets up,
# nothing a developer's checkout happens to have. Only committed files are in the clone.
#
#   scripts/test_fresh_clone.sh        (or `make test-fresh-clone`; PYTEST_ARGS passes through)
#
# The browser tests' screenshots are copied back to artifacts/ before the clone is removed.
set -euo pipefail
cd "$(dirname "$0")/.."

head="$(git rev-parse HEAD)"
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
  echo "Note: uncommitted changes are not in the clone; it tests $head as committed."
fi

workdir="$(mktemp -d)"
keep_artifacts() {
  if [ -d "$workdir/haven/artifacts" ]; then
    mkdir -p artifacts
    cp -R "$workdir/haven/artifacts/." artifacts/
  fi
  rm -rf "$workdir"
}
trap keep_artifacts EXIT

git clone --quiet --no-checkout . "$workdir/haven"
git -C "$workdir/haven" checkout --quiet --detach "$head"
echo "make test in a fresh clone of $head ($workdir/haven)"
make -C "$workdir/haven" --no-print-directory test PYTEST_ARGS="${PYTEST_ARGS:-}"
