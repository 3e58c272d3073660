"""The conversation store's cheaper SQL (stores/sql_statements.py) stores and reads back exactly what
Rasa's own SQL tracker store does, and the patch that types events by name resolves every event as Rasa."""

import asyncio
import sqlite3

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses

from rasa_patches import event_types
from stores import sql_statements
from stores.conversation_store import SQLConversationStore
from tests.conftest import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def _turn(at: float, text: str, intent: str, slot_value: str):
    return [
        UserUttered(text, {"name": intent, "confidence": 0.93}, timestamp=at,
                    parse_data={"text": text, "intent": {"name": intent, "confidence": 0.93}, "entities": []}),
        ActionExecuted("action_answer_question", timestamp=at + 0.1),
        BotUttered("Le salaire brut est de 1 900 € par mois.", {"elements": None}, timestamp=at + 0.2),
        SlotSet("topic", slot_value, timestamp=at + 0.3),
        ActionExecuted("action_listen", timestamp=at + 0.4),
    ]


def _session(at: float):
    return [ActionExecuted("action_session_start", timestamp=at), SessionStarted(timestamp=at), ActionExecuted("action_listen", timestamp=at)]


# Two sessions: a visitor who came back the next day. Only the second one is the current tracker.
CONVERSATION = [
    *_session(1000.0), *_turn(1001.0, "combien ça gagne ?", "ask_salary", "bac"),
    *_session(90000.0), *_turn(90001.0, "slt c koi le salair", "ask_salary", "aucun"),
    *_turn(90010.0, "je n'ai pas le bac", "inform", "aucun"),
]
# The trackers the server saves, turn by turn: once the new session has started, it reads back and
# saves the new session only.
SAVED = [(0, 3), (0, 8), (0, 11), (8, 16), (8, 21)]


def _store(path) -> SQLTrackerStore:
    return SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(path))


def _save_turn_by_turn(save, store: SQLTrackerStore) -> None:
    for start, end in SAVED:
        asyncio.run(save(store, DialogueStateTracker.from_events("visitor", CONVERSATION[start:end], DOMAIN.slots)))


def _rows(path):
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT id, sender_id, type_name, timestamp, intent_name, action_name, data FROM events ORDER BY id").fetchall()


@pytest.fixture
def ours(tmp_path):
    """The conversation store of endpoints.yml (pooled connections, write-ahead log)."""
    store = SQLConversationStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "ours.db"))
    yield store
    store.close()


def test_same_rows_and_same_tracker_as_rasas_store(tmp_path, ours):
    rasas = _store(tmp_path / "rasa.db")
    _save_turn_by_turn(SQLTrackerStore.save, rasas)
    _save_turn_by_turn(SQLConversationStore.save, ours)

    stored = _rows(tmp_path / "ours.db")
    assert stored == _rows(tmp_path / "rasa.db") and len(stored) == len(CONVERSATION)  # nothing twice, nothing lost

    expected = asyncio.run(SQLTrackerStore.retrieve(rasas, "visitor"))
    retrieved = asyncio.run(ours.retrieve("visitor"))
    assert [e.as_dict() for e in retrieved.events] == [e.as_dict() for e in expected.events]
    assert retrieved.current_state() == expected.current_state()
    assert len(retrieved.events) == 13 and retrieved.get_slot("topic") == "aucun"  # the latest session only


def test_unknown_visitor_has_no_tracker(ours):
    assert asyncio.run(ours.retrieve("nobody")) is None


def test_stored_events_are_visible_to_other_programs_at_once(tmp_path, ours):
    # The retention command and backups open the file on their own, while the server keeps its connection.
    _save_turn_by_turn(SQLConversationStore.save, ours)
    assert len(_rows(tmp_path / "ours.db")) == len(CONVERSATION)


def test_the_write_ahead_log_is_set_on_the_conversation_stores_engine_only(tmp_path):
    ours = SQLConversationStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "ours.db"))
    other = sa.create_engine(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        with ours.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        with other.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # SQLite's FULL
    finally:
        ours.close()
        other.dispose()


def test_in_memory_sqlite_keeps_rasas_engine_options():
    assert sql_statements.create_engine_kwargs("sqlite://") == {}
    assert "poolclass" in sql_statements.create_engine_kwargs("sqlite:///var/conversations.db")


@pytest.mark.parametrize("event_class", [c for c in all_subclasses(Event) if c.type_name != "event"])
def test_every_event_type_resolves_to_rasas_class(event_class):
    assert event_types.resolve_by_type(event_class.type_name) is Event.resolve_by_type(event_class.type_name)


def test_unknown_event_types_behave_as_in_rasa():
    with pytest.raises(ValueError, match="Unknown event name"):
        event_types.resolve_by_type("no_such_event")
    assert event_types.resolve_by_type("no_such_event", SlotSet) is SlotSet
    assert event_types.resolve_by_type("topic") is None
