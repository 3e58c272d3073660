#!/usr/bin/env bash
# Creates .venv with a Python 3.8-3.10 and installs the project with the locked versions.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if (3, 8) <= sys.version_info[:2] <= (3, 10) else 1)'; then
    python=$(scripts/find_python.sh)
    echo "Creating .venv with $python ($("$python" --version 2>&1))"
    rm -rf .venv
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade "pip<25" wheel
echo "Installing dependencies (a few minutes on a fresh machine)..."
.venv/bin/python -m pip install --quiet --constraint constraints.txt --editable ".[dev]"
.venv/bin/python -m pip check
