"""Load test: many visitors at once, each holding a whole conversation; nothing may be lost.

    python -m evaluation.load [--visitors 50] [--fault-visitors 20] [--timeout 600] [--review]

Starts the real servers as shipped (SQLite tracker store) on loopback, runs `--visitors`
concurrent visitors each saying the 10 turns of the benchmark conversation, then reads every
visitor's tracker back through the token-protected HTTP API and checks it holds all 10 messages
and an answer to each.

Then the fault test: `--fault-visitors` more visitors talk while the database file is taken away
for a few seconds (as a wrong `rm`, a restore or a full disk would) and put back. Every turn the
server acknowledged (200) must be in the store; the others must have been answered with the
technical-problem message (503), never a 200 for a turn that was not stored, never an error.
Prints the figures; exits 1 on any error or lost turn.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import threading
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Dict, List

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from evaluation.bench import CONVERSATION, conversation, percentile, run_concurrently  # noqa: E402
from harness.servers import Bot, running_assistant  # noqa: E402
from channels.rest_channel import conversation_id  # noqa: E402
from review.render_text import review_of_store  # noqa: E402


APOLOGY = "un incident technique"
FAULT_AFTER_SECONDS, FAULT_SECONDS = 1.0, 3.0


def stored_events(bot: Bot, token: str, sender: str) -> List[Dict]:
    return bot.tracker(conversation_id(sender), token)["events"]


def stored_turns(bot: Bot, token: str, sender: str) -> Dict[str, int]:
    """How many visitor messages and bot answers the tracker store holds for `sender`."""
    events = stored_events(bot, token, sender)
    messages = answered = 0
    for event in events:
        if event["event"] == "user":
            messages += 1
        elif event["event"] == "bot" and answered < messages:
            answered += 1  # the first answer after each message
    return {"messages": messages, "answered": answered}


def conversation_through_a_fault(assistant, sender: str, outcomes: Dict[str, List]) -> List[float]:
    """The benchmark conversation, each turn numbered so that it can be found in the store; records
    which turns were acknowledged and which were answered with the apology."""
    latencies = []
    for number, text in enumerate(CONVERSATION):
        numbered = text if text.startswith("/") else f"{text} [{number}]"
        started = time.perf_counter()
        try:
            assistant.say(sender, numbered)
            outcomes["acknowledged"].append((sender, numbered))
        except urllib.error.HTTPError as error:
            if error.code != 503 or APOLOGY not in error.read().decode():
                raise
            outcomes["apologised"].append((sender, numbered))
        latencies.append(time.perf_counter() - started)
    return latencies


def take_the_database_away(database: Path) -> None:
    """The database file disappears for FAULT_SECONDS, then comes back as it was."""
    time.sleep(FAULT_AFTER_SECONDS)
    aside = database.with_name(database.name + ".away")
    database.rename(aside)
    time.sleep(FAULT_SECONDS)
    aside.rename(database)


def fault_test(assistant, tmp: Path, token: str, visitors: int, timeout: float) -> Dict:
    senders = [f"fault-{i:03d}-{uuid.uuid4().hex[:6]}" for i in range(visitors)]
    outcomes: Dict[str, List] = {"acknowledged": [], "apologised": []}
    fault = threading.Thread(target=take_the_database_away, args=(tmp / "conversations.db",))
    fault.start()
    crowd = run_concurrently([lambda s=s: conversation_through_a_fault(assistant, s, outcomes) for s in senders],
                             timeout)
    fault.join()
    stored = {s: {e["text"] for e in stored_events(assistant.bot, token, s) if e["event"] == "user"}
              for s in senders}
    lost = [turn for turn in outcomes["acknowledged"] if turn[1] not in stored[turn[0]]]
    return {"crowd": crowd, "acknowledged": len(outcomes["acknowledged"]),
            "apologised": len(outcomes["apologised"]), "lost": len(lost)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--visitors", type=int, default=50)
    parser.add_argument("--fault-visitors", type=int, default=20, help="visitors of the fault test (0: none)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed for all conversations")
    parser.add_argument("--review", action="store_true",
                        help="then print what a counsellor's review (make review-report) shows of this traffic")
    args = parser.parse_args()
    token = uuid.uuid4().hex
    senders = [f"load-{i:03d}-{uuid.uuid4().hex[:6]}" for i in range(args.visitors)]

    with tempfile.TemporaryDirectory() as tmp, running_assistant(Path(tmp), {"ASSISTANT_API_TOKEN": token}) as assistant:
        crowd = run_concurrently([lambda s=s: conversation(assistant, s, CONVERSATION) for s in senders], args.timeout)
        started = time.perf_counter()
        stored = [stored_turns(assistant.bot, token, s) for s in senders]
        check_seconds = time.perf_counter() - started
        fault = fault_test(assistant, Path(tmp), token, args.fault_visitors, args.timeout) if args.fault_visitors else None
        review = review_of_store(Path(tmp) / "endpoints.yml", 1) if args.review else ""

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
    errors = list(crowd["errors"])
    failed = bool(errors or lost)
    if fault:
        print(f"Fault test: {args.fault_visitors} visitors x {expected} turns, the database file taken away for "
              f"{FAULT_SECONDS:.0f} s")
        print(f"| turns acknowledged (200) | {fault['acknowledged']} |")
        print(f"| turns answered with the technical-problem message (503) | {fault['apologised']} |")
        print(f"| acknowledged turns missing from the store | {fault['lost']} |")
        print(f"| errors | {len(fault['crowd']['errors'])} |")
        errors += fault["crowd"]["errors"]
        # The fault must have been met (else the test proved nothing), and cost no acknowledged turn.
        failed = failed or bool(fault["crowd"]["errors"] or fault["lost"] or not fault["apologised"])
    if review:
        print(review)
    for error in errors[:5]:
        print(f"error: {error}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
