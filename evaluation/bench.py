"""Speed and footprint of the assistant, over the REST channel on loopback.

    python -m evaluation.bench [--turns 300] [--visitors 20] [--per-visitor 30] [--skip-training]

Starts the real action server and Rasa server, then reports: cold start (process start to first
answer), turn latency for one visitor (a mix of questions and an eligibility dialogue), the same
under concurrent visitors with throughput, the bare NLU parse time of the same messages (the
floor), full training time, and the peak memory of each server. Bounded in count and time;
loopback only.
"""

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Callable, Dict, List

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from harness.servers import LAUNCHER, MODEL, ROOT, running_assistant  # noqa: E402

# One visitor's conversation: questions, follow-ups and a full eligibility dialogue (10 turns).
CONVERSATION = [
    "bonjour",
    "comment devenir assistant médical ?",
    "combien ça gagne ?",
    "et la formation elle dure combien de temps ?",
    "suis-je éligible ?",
    '/inform{"diploma": "cap_bep"}',
    "oui, secrétaire médicale pendant 4 ans",
    "t'es un robot ?",
    "quelles sont les missions ?",
    "merci, au revoir",
]
TARGETS = {"p50_ms": 40, "p95_ms": 100, "turn_over_parse": 2.0, "throughput": 30, "cold_start_s": 20, "training_s": 180, "rasa_rss_mb": 1200}


def percentile(values: List[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of a process and its children, in MB."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def _children(pid: int) -> List[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        for child in map(int, children):
            found += [child, *_children(child)]
    return found


def conversation(assistant, sender: str, messages: List[str]) -> List[float]:
    """One visitor saying `messages` in turn; the latency of each turn. An empty reply is an error."""
    latencies = []
    for text in messages:
        started = time.perf_counter()
        if not assistant.say(sender, text):
            raise RuntimeError(f"no answer to {text!r}")
        latencies.append(time.perf_counter() - started)
    return latencies


def one_visitor(assistant, turns: int) -> List[float]:
    """`turns` turns of CONVERSATION, a new conversation each time it starts over."""
    latencies: List[float] = []
    while len(latencies) < turns:
        messages = CONVERSATION[:turns - len(latencies)]
        latencies += conversation(assistant, f"bench-{uuid.uuid4().hex[:8]}", messages)
    return latencies


def run_concurrently(visitors: List[Callable[[], List[float]]], timeout: float = 600) -> Dict:
    """Runs each visitor in its own thread; their latencies, errors and the throughput in turns/s."""
    latencies: List[float] = []
    errors: List[str] = []
    lock = threading.Lock()

    def run(visitor: Callable[[], List[float]]) -> None:
        try:
            mine = visitor()
            with lock:
                latencies.extend(mine)
        except Exception as error:  # every failure is counted, none stops the others
            with lock:
                errors.append(repr(error))

    threads = [threading.Thread(target=run, args=(visitor,), daemon=True) for visitor in visitors]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    deadline = started + timeout
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.perf_counter()))
    elapsed = time.perf_counter() - started
    unfinished = sum(thread.is_alive() for thread in threads)
    errors += [f"still running after {timeout:.0f} s"] * unfinished
    return {"latencies": latencies, "errors": errors, "throughput": len(latencies) / elapsed, "seconds": elapsed}


def bare_parse_ms(messages: List[str], rounds: int = 10) -> List[float]:
    """The NLU parse alone, of the model loaded and run as the server does (with the patches of `run`)."""
    from rasa.core.agent import Agent

    from evaluation.nlu import quiet_rasa_logs
    import rasa_patches

    quiet_rasa_logs()  # Rasa would print every parsed sentence
    rasa_patches.apply("run")

    agent = Agent.load(str(MODEL))
    timings = []

    async def parse_all() -> None:
        for text in messages:
            await agent.parse_message(text)  # warm-up
        for _ in range(rounds):
            for text in messages:
                started = time.perf_counter()
                await agent.parse_message(text)
                timings.append((time.perf_counter() - started) * 1000)

    asyncio.run(parse_all())
    return timings


def training_seconds() -> float:
    with tempfile.TemporaryDirectory() as out:
        started = time.monotonic()
        subprocess.run([*LAUNCHER, "train", "--force", "--out", out], cwd=ROOT, check=True, capture_output=True,
                       env=dict(os.environ, RASA_TELEMETRY_ENABLED="false"))
        return time.monotonic() - started


def row(name: str, value: str, target: str, ok: bool) -> str:
    return f"| {name} | {value} | {target} | {'yes' if ok else 'NO'} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=300, help="turns for the single visitor")
    parser.add_argument("--visitors", type=int, default=20)
    parser.add_argument("--per-visitor", type=int, default=30, help="turns per concurrent visitor")
    parser.add_argument("--skip-training", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp, running_assistant(Path(tmp)) as assistant:
        cold_start = assistant.cold_start_seconds
        one_visitor(assistant, len(CONVERSATION))  # warm-up
        single = [s * 1000 for s in one_visitor(assistant, args.turns)]
        crowd = run_concurrently([lambda: one_visitor(assistant, args.per_visitor)] * args.visitors)
        rasa_rss, action_rss = peak_rss_mb(assistant.rasa_pid), peak_rss_mb(assistant.action_pid)
    parse = bare_parse_ms(CONVERSATION)
    train = None if args.skip_training else training_seconds()

    p50, p95, p99 = (percentile(single, q) for q in (50, 95, 99))
    crowd_ms = [s * 1000 for s in crowd["latencies"]]
    parse_p50 = statistics.median(parse)
    ratio = p50 / parse_p50
    print(f"Benchmark, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, command: python -m evaluation.bench")
    print("| measure | value | target | met |")
    print("| --- | --- | --- | --- |")
    print(row("turn latency, 1 visitor (p50 / p95 / p99)", f"{p50:.1f} / {p95:.1f} / {p99:.1f} ms ({len(single)} turns)",
              f"p50 ≤ {TARGETS['p50_ms']} ms, p95 ≤ {TARGETS['p95_ms']} ms", p50 <= TARGETS["p50_ms"] and p95 <= TARGETS["p95_ms"]))
    print(row("bare NLU parse of the same messages (p50 / p95)", f"{parse_p50:.1f} / {percentile(parse, 95):.1f} ms", "the floor", True))
    print(row("turn / bare parse (p50)", f"{ratio:.1f}×", f"≤ {TARGETS['turn_over_parse']}×", ratio <= TARGETS["turn_over_parse"]))
    print(row(f"{args.visitors} concurrent visitors: throughput", f"{crowd['throughput']:.1f} turns/s, {len(crowd['errors'])} errors",
              f"≥ {TARGETS['throughput']} turns/s, no errors", crowd["throughput"] >= TARGETS["throughput"] and not crowd["errors"]))
    if crowd_ms:
        print(row(f"{args.visitors} concurrent visitors: latency (p50 / p95 / p99)",
                  " / ".join(f"{percentile(crowd_ms, q):.0f}" for q in (50, 95, 99)) + f" ms ({len(crowd_ms)} turns)", "", True))
    print(row("cold start (process start to first answer)", f"{cold_start:.1f} s", f"≤ {TARGETS['cold_start_s']} s", cold_start <= TARGETS["cold_start_s"]))
    if train is not None:
        print(row("full training (python -m launcher train --force)", f"{train:.0f} s", f"≤ {TARGETS['training_s']} s", train <= TARGETS["training_s"]))
    print(row("peak memory, Rasa server", f"{rasa_rss:.0f} MB", f"≤ {TARGETS['rasa_rss_mb']} MB", rasa_rss <= TARGETS["rasa_rss_mb"]))
    print(row("peak memory, action server", f"{action_rss:.0f} MB", "", True))
    for error in crowd["errors"][:5]:
        print(f"error: {error}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
