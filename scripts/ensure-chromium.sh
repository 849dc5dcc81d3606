#!/bin/sh
# Browser tests need Debian's Chromium (npx playwright install cannot download browsers here).
set -e
if [ -n "$PHT_CHROMIUM" ] && [ -x "$PHT_CHROMIUM" ]; then exit 0; fi
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "[pht] Installerer Chromium fra Debian (apt-get install chromium) ..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "[pht] Nettlesertestene trenger Chromium. Installer det med: sudo apt-get install chromium" >&2
echo "      (eller sett PHT_CHROMIUM=/sti/til/chromium)" >&2
exit 1
