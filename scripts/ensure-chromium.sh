#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright's own browser download is not available here).
# Installs it when missing and we are root; otherwise says what to run.
set -euo pipefail
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium_path" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "Chromium not found at $chromium_path. Install it (sudo apt-get install chromium) or set CHROMIUM_PATH." >&2
  exit 1
fi
