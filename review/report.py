"""What a counsellor needs to see of a period's conversations (the review page and `make review-report`).

- Messages the assistant did not understand: the classifier's fallback or off-topic verdict that the
  assistant answered with its two-stage fallback, and messages understood with low confidence; similar
  ones grouped, most frequent first, with the classifier's best guesses.
- Answers a visitor found useless (👎), with the question before them.
- The topics most asked, the eligibility verdicts by route, the hand-offs to a human, conversations per day.

Every visitor text is masked (privacy.py); no visitor id is kept.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from orientation.text import fold, visitor_words
from review.conversations import Conversation, Turn
from review.privacy import mask

MISSED_INTENTS = ("nlu_fallback", "out_of_scope")
MISS_ACTION = "action_handle_miss"
LOW_CONFIDENCE = 0.6  # the fallback threshold is 0.5: above it, a guess this unsure is worth a look
FEEDBACK_INTENT = "feedback"  # the widget's 👍 / 👎: /feedback{"useful": "yes"} or "no"
HUMAN_ACTION = "action_contact_human"
HUMAN_OFFERS = ("utter_second_miss", "utter_misunderstood")  # a human counsellor offered after misses
ROUTE_SLOT = "eligibility_route"
SIMILAR = 0.5  # two messages sharing half their words (Jaccard) are one group
SMALLEST_GUESS = 0.01  # under it, a guess tells the counsellor nothing (the classifier was sure of its miss)


@dataclass
class MissGroup:
    examples: List[str]  # masked, most frequent first
    count: int
    guesses: List[Tuple[str, float]]  # the classifier's best guesses over the group, mean confidence
    low_confidence: bool  # understood, but barely (not a fallback)


@dataclass
class ThumbsDown:
    question: str  # masked; a button's payload when the visitor chose a button ("/ask_salary")
    answer: str
    intent: Optional[str] = None  # the question's intent, which names a button
    by_button: bool = False  # Turn.is_button of the question


@dataclass
class Report:
    conversations: int
    visitor_messages: int
    misses: List[MissGroup]
    thumbs_down: List[ThumbsDown]
    thumbs_up: int
    topics: List[Tuple[str, int]]
    verdicts: List[Tuple[str, int]]
    human_asked: int
    human_offered: int
    per_day: List[Tuple[str, int]]
    ignored: int = 0  # missed messages a counsellor chose to hide
    missed_messages: int = field(default=0)


def is_miss(turn: Turn) -> bool:
    return not turn.is_button and (turn.intent in MISSED_INTENTS or MISS_ACTION in turn.actions)


def is_low_confidence(turn: Turn) -> bool:
    return (not turn.is_button and not is_miss(turn) and turn.intent != FEEDBACK_INTENT
            and turn.confidence < LOW_CONFIDENCE)


def feedback(turn: Turn) -> Optional[bool]:
    """True for 👍, False for 👎, None when the turn is no verdict on an answer."""
    if turn.intent != FEEDBACK_INTENT:
        return None
    value = str(turn.entities.get("useful", "")).lower()
    return {"yes": True, "no": False}.get(value)  # "rephrase", the button after a 👎, is no verdict


def review_key(text: str) -> str:
    """How a missed message is known when it is hidden or taught: the folded words of its masked text
    (the page only ever has the masked text)."""
    masked = mask(text)
    return " ".join(visitor_words(masked)) or fold(masked)


def _group(turns: Sequence[Turn], low_confidence: bool, hidden: frozenset) -> List[MissGroup]:
    """Similar messages together: a message joins the first group whose first message shares at least
    half of their words (Jaccard). Only groups sharing one of the message's rarest words are compared
    (prefix filtering: two word sets that similar must share one of them), so 30,000 varied misses
    group in seconds, not minutes."""
    kept = [(turn, review_key(turn.text)) for turn in turns]
    kept = [(turn, key) for turn, key in kept if key not in hidden]
    frequency = Counter(word for _, key in kept for word in set(key.split()))
    groups: List[Tuple[set, List[Turn]]] = []
    same: Dict[str, int] = {}  # review key -> group
    by_rare_word: Dict[str, List[int]] = {}
    for turn, key in kept:
        found = same.get(key)
        words = set(key.split())
        rarest = sorted(words, key=lambda w: (frequency[w], w))[:len(words) - math.ceil(SIMILAR * len(words)) + 1]
        if found is None:
            candidates = sorted({index for word in rarest for index in by_rare_word.get(word, ())})
            found = next((index for index in candidates
                          if len(words & groups[index][0]) >= SIMILAR * len(words | groups[index][0])), None)
        if found is None:
            found = len(groups)
            groups.append((words, []))
            for word in rarest:
                by_rare_word.setdefault(word, []).append(found)
        groups[found][1].append(turn)
        same[key] = found
    result = []
    for _, members in groups:
        texts = Counter(mask(t.text.strip()) for t in members)
        scores: Dict[str, List[float]] = {}
        for turn in members:
            for name, confidence in [g for g in turn.ranking if g[0] not in MISSED_INTENTS][:3]:
                scores.setdefault(name, []).append(confidence)
        guesses = sorted(((n, sum(c) / len(members)) for n, c in scores.items()), key=lambda g: -g[1])[:3]
        guesses = [(n, c) for n, c in guesses if c >= SMALLEST_GUESS]
        result.append(MissGroup([t for t, _ in texts.most_common()], len(members),
                                [(n, round(c, 2)) for n, c in guesses], low_confidence))
    return sorted(result, key=lambda g: (-g.count, g.examples[0]))


def build_report(conversations: Sequence[Conversation], hidden: frozenset = frozenset()) -> Report:
    """The report of these conversations; `hidden`: review keys of missed messages a counsellor ignored."""
    turns = [turn for conversation in conversations for turn in conversation.turns]
    missed = [t for t in turns if is_miss(t)]
    unsure = [t for t in turns if is_low_confidence(t)]
    down, up = [], 0
    for conversation in conversations:
        for before, turn in zip([None, *conversation.turns], conversation.turns):
            verdict = feedback(turn)
            if verdict is True:
                up += 1
            elif verdict is False and before is not None:
                down.append(ThumbsDown(mask(before.text), " ".join(before.replies), before.intent, before.is_button))
    topics = Counter(t.intent for t in turns if t.intent and t.intent.startswith("ask_"))
    verdicts = Counter(str(t.slots[ROUTE_SLOT]) for t in turns if t.slots.get(ROUTE_SLOT))
    per_day = Counter(c.day for c in conversations)
    hidden_count = sum(1 for t in missed + unsure if review_key(t.text) in hidden) if hidden else 0
    return Report(
        conversations=len(conversations),
        visitor_messages=sum(1 for t in turns if not t.is_button),
        misses=_group(missed, False, hidden) + _group(unsure, True, hidden),
        thumbs_down=down,
        thumbs_up=up,
        topics=topics.most_common(),
        verdicts=verdicts.most_common(),
        human_asked=sum(1 for t in turns if HUMAN_ACTION in t.actions),
        human_offered=sum(1 for t in turns if any(offer in t.actions for offer in HUMAN_OFFERS)),
        per_day=sorted(per_day.items()),
        ignored=hidden_count,
        missed_messages=len(missed),
    )
