#!/usr/bin/env bash
# Starts the action server, waits until it answers, runs the given command, then stops the server.
# Used by `make run` and `make shell` so that counsellors need a single command.
set -euo pipefail
cd "$(dirname "$0")/.."

port=${ACTION_SERVER_PORT:-5055}
# rasa_sdk listens on SANIC_HOST (its default is every interface): loopback unless ACTION_SERVER_HOST says otherwise.
export SANIC_HOST=${ACTION_SERVER_HOST:-127.0.0.1}
log=${ACTION_SERVER_LOG:-logs/action-server.log}
mkdir -p "$(dirname "$log")"
# rasa_sdk directly: the `rasa` command would import much of Rasa first (0.7 s to ready against 2.4 s).
.venv/bin/python -m rasa_sdk --actions actions --port "$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then
        break
    fi
    if ! kill -0 $server 2>/dev/null; then
        echo "The action server did not start:" >&2
        tail -n 20 "$log" >&2
        exit 1
    fi
    sleep 0.5
done
echo "Action server ready on port $port (log: $log)"
"$@"
