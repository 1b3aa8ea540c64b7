#!/bin/sh
# Install the Debian 12 packages lsr needs to build, test and run its
# benchmarks and example.  Run it as root, or as a user who may use sudo:
# it then runs itself again through sudo.
set -eu
PKGS="build-essential cmake pkg-config
  libcurl4-openssl-dev libssl-dev libxml2-dev libxml2-utils libpcre2-dev
  libsqlite3-dev sqlite3 libgsl-dev libfyaml-dev libjansson-dev
  libutf8proc-dev zlib1g-dev libzstd-dev libcsv-dev liblinear-dev libcmocka-dev librsvg2-bin jq
  libmicrohttpd-dev curl clang-tidy"
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "$0: installing packages needs root, and sudo is not installed:" >&2
    echo "run this script as root (for example: su -c '$0')" >&2
    exit 1
  fi
  exec sudo sh "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $PKGS

# The browser tests (tests/browser, run by tests/cli/t3108-serve-browser.sh):
# Debian's Chromium, driven by puppeteer-core from npm, which downloads no
# browser of its own.  nodejs and npm only when node or npm is missing: a
# machine may already have a Node that Debian's npm package conflicts with.
apt-get install -y --no-install-recommends chromium
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt-get install -y --no-install-recommends nodejs npm
fi
cd "$(dirname "$0")/../tests/browser"
PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
