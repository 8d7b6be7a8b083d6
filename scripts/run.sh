#!/usr/bin/env bash
# Sets up and starts the dashboard on the bundled sample data (or KFP_DATA_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -r requirements.txt
# streamlit run app.py, with the pages' modules imported before the first visitor arrives.
exec python3 -m kfp_metrics.server.appprocess "$@"
