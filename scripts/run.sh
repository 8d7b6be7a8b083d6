#!/usr/bin/env bash
# Sets up and starts the dashboard on the bundled sample data (or KFP_DATA_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -r requirements.txt
exec python3 -m streamlit run app.py "$@"
