#!/usr/bin/env bash
# Builds CoWork with every test suite and runs them all under ctest.
# Installs missing system packages and test peers first.
set -euo pipefail
cd "$(dirname "$0")/.."
COWORK_WITH_TEST_PEERS=1 scripts/deps.sh
BUILD=${COWORK_BUILD_DIR:-build}
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOWORK_BUILD_TESTS=ON >/dev/null
cmake --build "$BUILD" --parallel "$(nproc)"
ctest --test-dir "$BUILD" --output-on-failure --timeout 300 -j "$(nproc)"
