#!/usr/bin/env bash
# Sets up and runs every check: lint, then the whole test suite (browser tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
python3 -m ruff check .
python3 -m ruff format --check .
python3 -m pytest -q "$@"
