"""What the conversation so far tells about the visitor."""

from typing import Optional

from rasa_sdk import Tracker

from orientation.eligibility import assess
from orientation.knowledge import UNKNOWN_ROUTE, KnowledgeBase
from orientation.profile import Profile

OFFER_SLOT = "offer"
NO_OFFER = "aucune"  # see the offer slot in domain.yml
PROFILE_SLOT = "profile"
MISS_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})


def latest_intent(tracker: Tracker) -> Optional[str]:
    """The intent Rasa settled on for the latest message (nlu_fallback included, unlike the SDK helper)."""
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def latest_text(tracker: Tracker) -> str:
    """What the visitor typed last (a button's payload for a click)."""
    return (tracker.latest_message or {}).get("text") or ""


def visitor_profile(tracker: Tracker, kb: KnowledgeBase) -> Profile:
    return Profile.from_slot(tracker.get_slot(PROFILE_SLOT), kb)


def profile_known(tracker: Tracker, kb: KnowledgeBase) -> bool:
    """Whether the visitor said enough about their diplomas for a verdict."""
    return assess(visitor_profile(tracker, kb), kb).route != UNKNOWN_ROUTE


def consecutive_misses(tracker: Tracker) -> int:
    """How many of the visitor's latest messages in a row the assistant did not understand."""
    misses = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = (event.get("parse_data") or {}).get("intent") or {}
        if intent.get("name") not in MISS_INTENTS:
            break
        misses += 1
    return misses
