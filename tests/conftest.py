"""Fixtures: the real knowledge base and domain, and trackers built from small descriptions."""

from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from orientation.loader import load_knowledge_base
from orientation.safety import load_safety_lexicon

ROOT = Path(__file__).resolve().parent.parent
KB_FILE = ROOT / "knowledge" / "assistant_medical.yml"
LEXICON_FILE = ROOT / "knowledge" / "safety" / "lexicon.yml"
SLOTS = ("profile", "profile_statement", "offer", "requested_slot", "eligibility_route", "topic")


@pytest.fixture(scope="session")
def kb():
    return load_knowledge_base(KB_FILE)


@pytest.fixture(scope="session")
def lexicon():
    return load_safety_lexicon(LEXICON_FILE)


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def profile_slot(*diplomas, medical_secretary=None, relative=None, diploma_unreadable=False) -> Dict[str, Any]:
    """The `profile` slot's value: `diplomas` as (id, status) pairs ("held", "in_progress"…)."""
    return {"diplomas": [list(d) for d in diplomas], "medical_secretary": medical_secretary, "relative": relative,
            "diploma_unreadable": diploma_unreadable}


def _user_event(intent: str, text: str = "", entities: Iterable[Dict[str, Any]] = ()) -> Dict[str, Any]:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent, "confidence": 1.0}, "entities": list(entities), "text": text}}


def make_tracker(
    intent: str,
    text: str = "",
    slots: Optional[Dict[str, Any]] = None,
    candidates: Optional[Dict[str, Any]] = None,
    previous_intents: Iterable[str] = (),
    active_loop: Optional[str] = None,
    entities: Iterable[Dict[str, Any]] = (),
    ranking: Iterable[tuple] = (),
) -> Tracker:
    """A tracker whose latest message has `intent`.

    `slots` were set earlier in the conversation; `candidates` were just extracted from the latest
    message (what a form validation action receives); `previous_intents` are the visitor's earlier
    messages, oldest first; `ranking`: the classifier's (intent, confidence) guesses after `intent`.
    """
    all_slots = dict.fromkeys(SLOTS)
    all_slots.update(slots or {})
    all_slots.update(candidates or {})
    events: List[Dict[str, Any]] = [{"event": "action", "name": "action_listen"}]
    for previous in previous_intents:
        events += [_user_event(previous), {"event": "action", "name": "action_listen"}]
    events.append(_user_event(intent, text, entities))
    events += [{"event": "slot", "name": name, "value": value} for name, value in (candidates or {}).items()]
    latest = {"intent": {"name": intent, "confidence": 1.0}, "entities": list(entities), "text": text,
              "intent_ranking": [{"name": intent, "confidence": 1.0}] + [{"name": n, "confidence": c} for n, c in ranking]}
    return Tracker("visitor-1", all_slots, latest, events, False, None, {"name": active_loop} if active_loop else {}, "action_listen")


def parsed_message(text: str, intent: str):
    """A Rasa NLU message as the classifiers before a component leave it: `intent` at 0.9, first of the ranking."""
    from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
    from rasa.shared.nlu.training_data.message import Message

    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": 0.9})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.9}])
    return message


def message_ids(value):
    """Readable test ids: the messages of a conversation joined, other values as pytest writes them."""
    if isinstance(value, tuple) and value and all(isinstance(v, str) for v in value):
        return " || ".join(value)
    return None


@pytest.fixture
def tracker_for():
    return make_tracker


@pytest.fixture
def dispatcher():
    return CollectingDispatcher()


def texts(dispatcher: CollectingDispatcher) -> str:
    return "\n".join(m.get("text") or "" for m in dispatcher.messages)


def responses(dispatcher: CollectingDispatcher) -> List[str]:
    return [m["response"] for m in dispatcher.messages if m.get("response")]
