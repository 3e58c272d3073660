"""Load test: many visitors at once, each holding a whole conversation; nothing may be lost.

    python -m evaluation.load [--visitors 50] [--timeout 600]

Starts the real servers as shipped (SQLite tracker store) on loopback, runs `--visitors`
concurrent visitors each saying the 10 turns of the benchmark conversation, then reads every
visitor's tracker back through the token-protected HTTP API and checks it holds all 10 messages
and an answer to each. Prints the figures; exits 1 on any error or lost turn.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Dict

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from evaluation.bench import CONVERSATION, conversation, percentile, run_concurrently  # noqa: E402
from evaluation.servers import running_assistant  # noqa: E402


def stored_turns(base_url: str, token: str, sender: str) -> Dict[str, int]:
    """How many visitor messages and bot answers the tracker store holds for `sender`."""
    with urllib.request.urlopen(f"{base_url}/conversations/{sender}/tracker?token={token}", timeout=60) as response:
        events = json.loads(response.read())["events"]
    messages = answered = 0
    for event in events:
        if event["event"] == "user":
            messages += 1
        elif event["event"] == "bot" and answered < messages:
            answered += 1  # the first answer after each message
    return {"messages": messages, "answered": answered}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visitors", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed for all conversations")
    args = parser.parse_args()
    token = uuid.uuid4().hex
    senders = [f"load-{i:03d}-{uuid.uuid4().hex[:6]}" for i in range(args.visitors)]

    with tempfile.TemporaryDirectory() as tmp, running_assistant(Path(tmp), {"ASSISTANT_API_TOKEN": token}) as assistant:
        crowd = run_concurrently([lambda s=s: conversation(assistant, s, CONVERSATION) for s in senders], args.timeout)
        started = time.perf_counter()
        stored = [stored_turns(assistant.bot.base_url, token, s) for s in senders]
        check_seconds = time.perf_counter() - started

    expected = len(CONVERSATION)
    lost = sum(expected - s["messages"] for s in stored) + sum(s["messages"] - s["answered"] for s in stored)
    latencies = [x * 1000 for x in crowd["latencies"]]
    print(f"Load test: {args.visitors} concurrent visitors x {expected} turns, SQLite tracker store, loopback")
    print(f"| turns answered | {len(latencies)} / {args.visitors * expected} |")
    print(f"| errors | {len(crowd['errors'])} |")
    print(f"| lost turns (missing from the trackers or unanswered) | {lost} |")
    print(f"| duration | {crowd['seconds']:.1f} s |")
    print(f"| throughput | {crowd['throughput']:.1f} turns/s |")
    if latencies:
        print(f"| latency p50 / p95 / max | {statistics.median(latencies):.0f} / {percentile(latencies, 95):.0f} / "
              f"{max(latencies):.0f} ms |")
    print(f"| trackers read back | {len(stored)} in {check_seconds:.1f} s |")
    for error in crowd["errors"][:5]:
        print(f"error: {error}", file=sys.stderr)
    return 1 if crowd["errors"] or lost else 0


if __name__ == "__main__":
    sys.exit(main())
