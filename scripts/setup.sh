#!/usr/bin/env bash
# Installs what the app and its tests need on a fresh Debian machine: Python packages, and
# Chromium plus poppler for the browser test and the printed report, LibreOffice Writer for
# reading the Word report back as pages, and PostgreSQL for the state store's tests (when run as root),
# and axe-core from npm for the accessibility tests (tests/axe/package.json pins it).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v fc-list >/dev/null 2>&1 && fc-list | grep -qi dejavu || need+=(fonts-dejavu-core)
# PostgreSQL's server programs for the state store's tests (run in a temp dir, not as a service).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "Saknas: ${need[*]} (installera med apt-get som root)" >&2
  fi
fi
if command -v npm >/dev/null 2>&1; then
  [ -f tests/axe/node_modules/axe-core/axe.min.js ] || npm ci --prefix tests/axe --no-audit --no-fund --silent
fi
