"""How long the counsellors' review takes to build over many conversations (`python -m evaluation.review_speed`).

Writes N conversations (default 10,000) of 12 visitor messages each into a temporary SQLite store,
in Rasa's table and event format (Rasa's own SQLTrackerStore creates the table), more than a quarter of the
messages missed and one answer in twenty given a 👎, then times reading them back, building the
report and rendering the page, as `make review` does for a first view, and the page shown again.
"""

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from review.conversations import DAY, read_conversations
from review.page import render_page
from review.report import build_report
from review.serve import FRESH_SECONDS, RecentReview

QUESTIONS = [("combien ça gagne ?", "ask_salary", 0.97), ("c koi la formation", "ask_training", 0.91),
             ("je suis infirmière", "inform", 0.99), ("y a du boulot ?", "ask_job_market", 0.66),
             ("c'est quoi le délire des horaires de nuit", "nlu_fallback", 0.41),
             ("mon chat est malade", "out_of_scope", 0.88), ("faut-il un stage ?", "ask_training", 0.55)]


WORDS = [f"mot{i}" for i in range(3000)]


def _rows(sender: str, start: float, rng: random.Random):
    at = start
    for _ in range(12):
        text, intent, confidence = rng.choice(QUESTIONS)
        if intent in ("nlu_fallback", "out_of_scope"):  # misses are as varied as visitors
            text = " ".join(rng.sample(WORDS, rng.randint(2, 8)))
        if rng.random() < 0.05:
            text, intent, confidence = '/feedback{"useful": "no"}', "feedback", 1.0
        parse = {"text": text, "intent": {"name": intent, "confidence": confidence},
                 "intent_ranking": [{"name": intent, "confidence": confidence}, {"name": "ask_skills", "confidence": 0.1}],
                 "entities": []}
        yield sender, "user", at, intent, None, {"event": "user", "timestamp": at, "text": text, "parse_data": parse}
        action = "action_handle_miss" if intent in ("nlu_fallback", "out_of_scope") else "action_answer_question"
        yield sender, "action", at + 1, None, action, {"event": "action", "timestamp": at + 1, "name": action}
        yield sender, "bot", at + 1, None, None, {"event": "bot", "timestamp": at + 1, "text": "Une réponse.", "metadata": {}}
        yield sender, "action", at + 2, None, "action_listen", {"event": "action", "timestamp": at + 2, "name": "action_listen"}
        at += 30


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--conversations", type=int, default=10_000)
    args = parser.parse_args()
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    with tempfile.TemporaryDirectory() as tmp:
        database = Path(tmp) / "conversations.db"
        store = SQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(database))
        events = store.SQLEvent.__table__
        rng, now = random.Random(7), time.time()
        with store.engine.begin() as connection:
            for number in range(args.conversations):
                start = now - rng.uniform(0, 6.5) * DAY
                connection.execute(events.insert(), [
                    {"sender_id": f"v{number}", "type_name": kind, "timestamp": at, "intent_name": intent,
                     "action_name": action, "data": json.dumps(data)}
                    for _, kind, at, intent, action, data in _rows(f"v{number}", start, rng)])
        engine = sa.create_engine(f"sqlite:///{database}")
        started = time.perf_counter()
        conversations = read_conversations(engine, now - 7 * DAY, now + 1, 180)
        read = time.perf_counter()
        report = build_report(conversations)
        built = time.perf_counter()
        html = render_page(report, 7, ["ask_salary", "ask_training"])
        rendered = time.perf_counter()
        recent = RecentReview(engine, 180)
        recent.of_last(7, frozenset())
        again = time.perf_counter()
        recent.of_last(7, frozenset())
        again = time.perf_counter() - again
        store.engine.dispose()
    print(f"{len(conversations)} conversations, {report.visitor_messages} visitor messages, "
          f"{report.missed_messages} missed in {len([g for g in report.misses if not g.low_confidence])} groups")
    print(f"read {read - started:.2f} s, report {built - read:.2f} s, page {rendered - built:.3f} s "
          f"({len(html) // 1024} KiB): {rendered - started:.2f} s in all; the page shown again within "
          f"{FRESH_SECONDS} s: {again * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
