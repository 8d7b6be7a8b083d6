#!/usr/bin/env bash
# Sets up and runs every check: lint, then the whole test suite (browser tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
python3 -m ruff check .
python3 -m ruff format --check .
# Two to four test processes (pytest-xdist), a test module's tests kept together in one so that its
# fixtures (app servers, Chromium, PostgreSQL) start once: most tests wait on a server or a browser,
# so two processes nearly halve the time even on two cores (19 to 11 minutes on two). `-n 0` after
# the command runs them in one.
workers=$(nproc)
if ((workers < 2)); then workers=2; elif ((workers > 4)); then workers=4; fi
python3 -m pytest -q -n "$workers" --dist loadscope "$@"
