#!/usr/bin/env bash
# Regenerate docs/report.png, the README's picture of the audit report: the
# report for the bundled corpus, rendered by headless Chromium (no network,
# throwaway profile) at 1280 px wide.
#
#   docs/make-report-screenshot.sh [HEIGHT]   # default 1600
set -euo pipefail
cd "$(dirname "$0")/.."
height=${1:-1600}
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -x /usr/bin/chromium ] && chromium=/usr/bin/chromium
if [ -z "$chromium" ]; then
  echo "chromium not found (apt-get install --no-install-recommends chromium)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo build --quiet --locked
# Exits 2: the sample charges file has one malformed row on purpose.
target/debug/notelint report --no-config corpus/notes corpus/exports \
  --charges corpus/charges/billing.csv --title "Injection note audit: sample corpus" \
  --out "$tmp/report.html" || [ $? -eq 2 ]
timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --disable-extensions \
  --user-data-dir="$tmp/profile" --hide-scrollbars --virtual-time-budget=2000 \
  --window-size=1280,"$height" --screenshot="$PWD/docs/report.png" "file://$tmp/report.html" 2>/dev/null
ls -l docs/report.png
