#!/bin/sh
# Installs the npm dependencies (including Node 22 itself, the npm package `node`) when they are missing
# or older than package-lock.json. Runs on any Node >= 18, before Node 22 is there.
set -e
cd "$(dirname "$0")/.."
stamp=node_modules/.install-stamp
if [ ! -x node_modules/.bin/node ] || [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  echo "[pht] Installerer avhengigheter (npm ci) ..."
  # --loglevel=error: npm runs on the machine's own Node here, before Node 22 is installed, and would
  # warn about every package that needs Node 22 (the scripts then run on Node 22).
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
