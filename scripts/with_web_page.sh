#!/usr/bin/env bash
# Serves the assistant's web page (web/serve.py, on 127.0.0.1), runs the given command (the Rasa server),
# then stops the page. Prints the page's address, and again once the Rasa server answers.
# Used by `make run`. WEB_PORT (default 8080) and RASA_SOCKET_URL (default http://127.0.0.1:5005) change them;
# WEB_TIMEOUT (default 10) is the number of seconds a browser has to send its request once connected (read by
# web/serve.py: slow or silent connections are closed after it).
set -euo pipefail
cd "$(dirname "$0")/.."

web_port=${WEB_PORT:-8080}
rasa_url=${RASA_SOCKET_URL:-http://127.0.0.1:5005}
log=${WEB_LOG:-logs/web.log}
page="http://127.0.0.1:$web_port/"
mkdir -p "$(dirname "$log")"

if [ ! -s web/node_modules/rasa-webchat/lib/index.js ]; then
    scripts/setup_web.sh
fi
# credentials.yml lists the page on port 8080; on another port, the socket must accept that origin.
if [ "$web_port" != 8080 ] && [ -z "${WEBCHAT_ALLOWED_ORIGINS:-}" ]; then
    export WEBCHAT_ALLOWED_ORIGINS="http://127.0.0.1:$web_port,http://localhost:$web_port"
fi

.venv/bin/python -m web.serve --port "$web_port" --socket-url "$rasa_url" >"$log" 2>&1 &
server=$!
watcher=""
cleanup() {
    for pid in $watcher $server; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT INT TERM

for _ in $(seq 1 50); do
    if curl -fsS "${page}health" >/dev/null 2>&1; then
        break
    fi
    if ! kill -0 "$server" 2>/dev/null; then
        echo "The web page did not start (port $web_port busy? set WEB_PORT):" >&2
        tail -n 20 "$log" >&2
        exit 1
    fi
    sleep 0.2
done
echo "Page de l'assistant : $page (log: $log) — the widget connects once the Rasa server is up."

(
    until curl -fsS "$rasa_url/" >/dev/null 2>&1; do
        sleep 1
    done
    echo
    echo "Assistant prêt : ouvrez $page dans votre navigateur."
) &
watcher=$!

"$@"
