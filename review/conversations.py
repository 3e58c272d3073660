"""The conversations of a period, read from the tracker store's `events` table, as turns.

A turn is a visitor's message, what the classifier made of it, and what the assistant did until the
next message. Only conversations whose last event is inside the retention period are read: older ones
are the retention command's to delete, not the review's to show. Sender ids are read to tell
conversations apart and never leave this module.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List, Optional, Tuple

import sqlalchemy as sa
from sqlalchemy.engine import Engine

DAY = 86_400


@dataclass
class Turn:
    text: str
    intent: Optional[str]
    confidence: float
    ranking: List[Tuple[str, float]]  # the classifier's guesses, best first
    timestamp: float
    entities: Dict[str, Any] = field(default_factory=dict)
    actions: List[str] = field(default_factory=list)  # actions and responses that followed, in order
    replies: List[str] = field(default_factory=list)  # the assistant's texts
    slots: Dict[str, Any] = field(default_factory=dict)  # slots set while answering

    @property
    def is_button(self) -> bool:
        return self.text.startswith("/")


@dataclass
class Conversation:
    turns: List[Turn]
    started: float  # timestamp of its first event

    @property
    def day(self) -> str:
        return datetime.fromtimestamp(self.started, timezone.utc).strftime("%Y-%m-%d")


def _events_table(engine: Engine) -> sa.Table:
    return sa.Table("events", sa.MetaData(), autoload_with=engine)


def read_conversations(engine: Engine, since: float, until: float, retention_days: int) -> List[Conversation]:
    """The conversations with a visitor message between `since` and `until` (timestamps), among those
    whose last event is less than `retention_days` days before `until`."""
    if not sa.inspect(engine).has_table("events"):
        return []  # Rasa has not stored any conversation there yet
    events = _events_table(engine)
    kept_from = until - retention_days * DAY
    active = (sa.select(events.c.sender_id).group_by(events.c.sender_id)
              .having(sa.func.max(events.c.timestamp) >= kept_from)
              .having(sa.func.max(events.c.timestamp) >= since)
              .having(sa.func.min(events.c.timestamp) <= until))
    rows = sa.select(events.c.sender_id, events.c.data).where(events.c.sender_id.in_(active)) \
        .order_by(events.c.sender_id, events.c.id)
    conversations: List[Conversation] = []
    with engine.connect() as connection:
        current, batch = None, []
        for sender, data in connection.execute(rows):
            if sender != current and batch:
                conversations.append(_conversation(batch, since, until))
                batch = []
            current = sender
            batch.append(json.loads(data))
        if batch:
            conversations.append(_conversation(batch, since, until))
    return [c for c in conversations if c.turns]


def _conversation(events: Iterable[Dict[str, Any]], since: float, until: float) -> Conversation:
    turns: List[Turn] = []
    started = None
    for event in events:
        timestamp = event.get("timestamp") or 0.0
        started = timestamp if started is None else min(started, timestamp)
        kind = event.get("event")
        if kind == "user":
            turns.append(_turn(event))
        elif not turns:
            continue
        elif kind == "action" and event.get("name") != "action_listen":
            turns[-1].actions.append(event["name"])
        elif kind == "bot":
            if event.get("text"):
                turns[-1].replies.append(event["text"])
            template = (event.get("metadata") or {}).get("utter_action")
            if template:
                turns[-1].actions.append(template)
        elif kind == "slot":
            turns[-1].slots[event.get("name")] = event.get("value")
    return Conversation([t for t in turns if since <= t.timestamp <= until], started or 0.0)


def _turn(event: Dict[str, Any]) -> Turn:
    parse = event.get("parse_data") or {}
    intent = parse.get("intent") or {}
    ranking = [(g.get("name"), float(g.get("confidence") or 0.0)) for g in parse.get("intent_ranking") or []
               if g.get("name")]
    entities = {e.get("entity"): e.get("value") for e in parse.get("entities") or [] if e.get("entity")}
    return Turn(event.get("text") or "", intent.get("name"), float(intent.get("confidence") or 0.0), ranking,
                event.get("timestamp") or 0.0, entities)
