"""The independent eligibility conversations (tests/eligibility_conversations/), against the real assistant.

    python -m evaluation.eligibility
        runs every conversation through the REST channel and prints, per pattern, the turns that
        failed and the totals: wrong verdicts, missed confirmations, other misses

What the assistant did in a turn is read from the stored conversation, not from its wording: the
verdict's route is the `eligibility_route` slot set during the turn, a question is the form's
`requested_slot` after it (`diploma_confirmation` for a yes/no confirmation), a topic answered is the
`topic` slot. The set's README defines each expectation.
"""

import argparse
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import yaml

from harness.servers import MODEL, ROOT, running_assistant

CONVERSATIONS = ROOT / "tests" / "eligibility_conversations"
API_TOKEN = "eligibility-" + uuid.uuid4().hex
# The assistant's routes (orientation.knowledge.ROUTES) in the test set's vocabulary.
TEST_ROUTE = {"direct": "de_direct", "cqp": "cqp", "cqp_experience_to_confirm": "cqp_experience_to_confirm",
              "no_certain_route": "no_certain_route", "undetermined": "undetermined"}
POSITIVE_ROUTES = frozenset({"de_direct", "cqp"})
WRONG_VERDICT, MISSED_CONFIRMATION = "wrong verdict", "missed confirmation"


@dataclass
class Turn:
    """What the assistant did in reply to one visitor message."""

    text: str
    route: Optional[str]  # test-set name of the verdict given in this reply, if any
    question: Optional[str]  # the form's pending question after the reply
    topic: Optional[str]  # the topic answered in this reply, if any


@dataclass
class Failure:
    conversation: str
    pattern: str
    turn: int
    kind: str  # WRONG_VERDICT, MISSED_CONFIRMATION, or another miss
    detail: str


@dataclass
class Report:
    conversations: int = 0
    turns: int = 0
    failures: List[Failure] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for f in self.failures if f.kind == kind)


def load_conversations(folder: Path = CONVERSATIONS) -> List[Dict]:
    conversations = []
    for file in sorted(folder.glob("*.yml")):
        conversations.extend(yaml.safe_load(file.read_text(encoding="utf-8"))["conversations"])
    return conversations


def _last_slot(events: List[Dict], name: str) -> Optional[str]:
    values = [e.get("value") for e in events if e.get("event") == "slot" and e.get("name") == name]
    return values[-1] if values else None


def play(bot, conversation: Dict) -> Iterator[Turn]:
    """Sends the conversation's visitor messages one by one and yields what each reply did."""
    sender = f"eligibility-{conversation['id']}-{uuid.uuid4().hex[:6]}"
    seen = 0
    for turn in conversation["turns"]:
        reply = bot.say(sender, turn["visitor"])
        tracker = bot.tracker(f"rest:{sender}", API_TOKEN)
        events = tracker["events"][seen:]
        seen = len(tracker["events"])
        in_form = (tracker.get("active_loop") or {}).get("name") == "eligibility_form"
        route = _last_slot(events, "eligibility_route")
        yield Turn(
            text="\n".join(m.get("text", "") for m in reply),
            route=TEST_ROUTE[route] if route else None,
            question=tracker["slots"].get("requested_slot") if in_form else None,
            topic=_last_slot(events, "topic"),
        )


def check(turn: Turn, expect: Dict) -> List[tuple]:
    """(kind, detail) for each expectation of the turn that the reply does not meet."""
    problems = []
    if "route" in expect and turn.route != expect["route"]:
        kind = WRONG_VERDICT if turn.route else "missing verdict"
        problems.append((kind, f"expected {expect['route']}, got {turn.route or 'no verdict'}"))
    if turn.route and turn.route in expect.get("not_route", ()):
        problems.append((WRONG_VERDICT, f"{turn.route} is excluded"))
    if expect.get("no_positive_verdict") and turn.route in POSITIVE_ROUTES:
        problems.append((WRONG_VERDICT, f"positive verdict {turn.route} on an uncertain profile"))
    if expect.get("no_verdict") and turn.route:
        problems.append((WRONG_VERDICT, f"verdict {turn.route} where none was asked for"))
    if expect.get("asks_confirmation") and turn.question != "diploma_confirmation":
        problems.append((MISSED_CONFIRMATION, f"asked {turn.question or 'nothing'}"))
    if expect.get("asks_question") and not turn.question:
        problems.append(("missed question", "no question asked"))
    if "speaks_of" in expect and expect["speaks_of"].lower() not in turn.text.lower():
        problems.append(("wrong person", f"does not speak of « {expect['speaks_of']} »"))
    if "answers_topic" in expect and turn.topic != expect["answers_topic"] and expect["answers_topic"] != "other":
        problems.append(("topic not answered", f"expected {expect['answers_topic']}, answered {turn.topic}"))
    return problems


def evaluate(bot, conversations: List[Dict]) -> Report:
    report = Report()
    for conversation in conversations:
        report.conversations += 1
        for number, (turn, step) in enumerate(zip(play(bot, conversation), conversation["turns"]), start=1):
            report.turns += 1
            for kind, detail in check(turn, step.get("expect") or {}):
                report.failures.append(Failure(conversation["id"], conversation["pattern"], number, kind, detail))
    return report


def describe(report: Report) -> str:
    lines = [f"{f.conversation} turn {f.turn}: {f.kind}: {f.detail}" for f in report.failures]
    failed = {f.conversation for f in report.failures}
    lines.append(
        f"{report.conversations} conversations, {report.turns} turns: {report.conversations - len(failed)} passed; "
        f"wrong verdicts {report.count(WRONG_VERDICT)}, missed confirmations {report.count(MISSED_CONFIRMATION)}, "
        f"other misses {len(report.failures) - report.count(WRONG_VERDICT) - report.count(MISSED_CONFIRMATION)}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args()
    if not MODEL.exists():
        print(f"no model at {MODEL}: run `make train`", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp, running_assistant(Path(tmp), {"ASSISTANT_API_TOKEN": API_TOKEN}) as assistant:
        report = evaluate(assistant.bot, load_conversations())
    print(describe(report))
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
