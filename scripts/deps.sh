#!/usr/bin/env bash
# Installs whatever system packages CoWork needs and the machine lacks.
# Debian 12, run as root (or with sudo available). Idempotent and quick when
# everything is present: it asks dpkg first and only calls apt-get if needed.
set -euo pipefail

PACKAGES=(
  cmake g++ ninja-build pkg-config ccache git
  libboost-dev libsqlite3-dev sqlite3 nlohmann-json3-dev libsodium-dev libssl-dev
  libtomlplusplus-dev libspdlog-dev libgtest-dev libgmock-dev
  tzdata ca-certificates procps
)
if [[ "${COWORK_WITH_TEST_PEERS:-0}" == 1 ]]; then
  # Real peers the test suite drives (UI under Xvfb, sandbox, browser, npm tools).
  PACKAGES+=(libwxgtk3.2-dev xvfb xauth bubblewrap chromium)
  # Node/npm for npm-hosted test peers: any working install will do (the
  # image may carry one from outside Debian, and Debian's npm conflicts
  # with it), so only ask Debian when the commands are missing.
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    PACKAGES+=(nodejs npm)
  fi
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "cowork: installing ${#missing[@]} missing package(s): ${missing[*]}" >&2
SUDO=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "cowork: run as root or install sudo to install: ${missing[*]}" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
