#!/usr/bin/env bash
# Installs Debian's Chromium for the browser test (tests/test_widget_browser.py), only when it is missing.
# Installs only as root (CI, containers); otherwise says what to run and fails.
set -euo pipefail

chromium=${CHROMIUM:-/usr/bin/chromium}
# The 👍 / 👎 of the answers: without a colour emoji font, the screenshots show empty boxes where a
# visitor's browser shows the thumbs.
emoji_font=/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
if [ -x "$chromium" ]; then
    echo "Chromium: $chromium"
    if [ ! -f "$emoji_font" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-noto-color-emoji \
            || echo "fonts-noto-color-emoji not installed: the screenshots will show boxes for emoji" >&2
    fi
    exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "Chromium is missing ($chromium), needed by the browser test. Install it with:" >&2
    echo "    sudo apt-get install -y chromium" >&2
    exit 1
fi
echo "Installing Chromium from Debian's packages..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-noto-color-emoji
test -x "$chromium"
