#!/usr/bin/env bash
# Builds CoWork (release, no tests) and starts the headless kernel with its
# defaults: config in $XDG_CONFIG_HOME/cowork/cowork.toml (created, commented,
# on first run), embedded SQLite in $XDG_DATA_HOME/cowork, loopback listeners.
# Extra arguments go to coworkd (try: scripts/run.sh --help).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
BUILD=${COWORK_BUILD_DIR:-build-release}
# Release: no debug info, so plugin libraries are small and their SHA-256
# check before dlopen (on every start) stays cheap.
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOWORK_BUILD_TESTS=OFF -DCOWORK_BUILD_BENCH=OFF >/dev/null
cmake --build "$BUILD" --parallel "$(nproc)"
exec "$BUILD/out/bin/coworkd" "$@"
