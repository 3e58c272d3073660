#!/usr/bin/env bash
# Installs the web page's chat widget from the npm registry into web/node_modules: rasa-webchat 1.0.1,
# exactly as pinned by web/package-lock.json (npm ci; no install scripts run). Nothing is vendored.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing: install Node.js 18 or later with npm (Debian: apt-get install nodejs npm)." >&2
    exit 1
fi
echo "Installing the web widget (rasa-webchat 1.0.1) into web/node_modules..."
npm ci --prefix web --ignore-scripts --no-audit --no-fund --loglevel=error
version=$(node -p 'require("./web/node_modules/rasa-webchat/package.json").version')
if [ "$version" != "1.0.1" ]; then
    echo "rasa-webchat $version was installed, 1.0.1 expected (web/package-lock.json)." >&2
    exit 1
fi
test -s web/node_modules/rasa-webchat/lib/index.js
touch web/node_modules/.installed
