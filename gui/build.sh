#!/bin/sh
# Build the GUI into $1 (Maven passes target/classes/io/dhcpshield/gui/static): npm ci only when node_modules is
# missing (so the build works offline once installed), then Vite and the bundle budget.
set -eu
cd "$(dirname "$0")"
out="${1:?usage: build.sh OUTPUT_DIR}"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
GUI_OUT_DIR="$out" npx --no-install vite build --logLevel warn
node scripts/budget.mjs "$out"
