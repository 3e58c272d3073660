"""The SQL of the conversation store: Rasa's table and trackers, at a fraction of the cost per turn (speed).

Every turn reads the visitor's conversation from the database and writes its new events back.
With Rasa 3.6's own `SQLTrackerStore` on SQLite that took 11 ms of a 57 ms turn (docs/measures.md, "Speed"):

- each read and write rebuilds an ORM query with a subquery, which SQLAlchemy then has to key for
  its statement cache, and the write first counts the stored events through a second one; the two
  statements are built once here, with the sender as a bound parameter, and rows are inserted
  without ORM objects;
- SQLAlchemy 1.4 opens and closes a SQLite file connection for every session, and each commit
  waits for the disk twice: connections are pooled here, and the database is in write-ahead-log
  mode with `synchronous=NORMAL`, in which a commit survives a crash of the server (not of the
  machine's power), as SQLite documents.

The SQL is Rasa's: events of the latest conversation session in id order, and only the events
not stored yet are added (tests/test_sql_statements.py compares both stores row by row).
PostgreSQL gets the same statements; its pool and durability settings stay Rasa's.

The statements, the pool and the write-ahead log are used by the project's tracker store
(stores/conversation_store.py, named in endpoints.yml), on its own engine only. Rasa 3.6's own
`SQLTrackerStore` reads *any* ValueError raised while a session is open (a lone UTF-16 surrogate in a
sender id, a NUL on PostgreSQL...) as a missing PostgreSQL schema and calls sys.exit, so one request
stopped the server: the conversation store checks the schema once, at start (`check_schema`), and has
its own session scope, where an error is just an error.
"""

import itertools
import json
import sqlite3
from typing import Any, Dict, Optional

import sqlalchemy as sa
from rasa.core import tracker_store
from rasa.core.tracker_store import SQLTrackerStore, ensure_schema_exists
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy.orm import Session

EVENTS = SQLTrackerStore.SQLEvent.__table__

_sender = sa.bindparam("sender_id")
_latest_session_start = (
    sa.select(sa.func.max(EVENTS.c.timestamp))
    .where(EVENTS.c.sender_id == _sender, EVENTS.c.type_name == SessionStarted.type_name)
    .scalar_subquery()
)
_in_latest_session = sa.and_(
    EVENTS.c.sender_id == _sender,
    sa.or_(EVENTS.c.timestamp >= _latest_session_start, _latest_session_start.is_(None)),
)
LATEST_SESSION_EVENTS = sa.select(EVENTS.c.data).where(_in_latest_session).order_by(EVENTS.c.id)
LATEST_SESSION_COUNT = sa.select(sa.func.count()).select_from(EVENTS).where(_in_latest_session)

_rasa_create_engine_kwargs = tracker_store.create_engine_kwargs


async def retrieve(self: SQLTrackerStore, sender_id: str) -> Optional[DialogueStateTracker]:
    """The tracker of the latest conversation session of `sender_id`, or None."""
    with self.session_scope() as session:
        rows = session.execute(LATEST_SESSION_EVENTS, {"sender_id": sender_id}).scalars().all()
    if not (self.domain and rows):
        return None
    return DialogueStateTracker.from_dict(sender_id, [json.loads(row) for row in rows], self.domain.slots)


async def save(self: SQLTrackerStore, tracker: DialogueStateTracker) -> None:
    """Stores the events of the current session that are not in the database yet."""
    await self.stream_events(tracker)
    with self.session_scope() as session:
        stored = session.execute(LATEST_SESSION_COUNT, {"sender_id": tracker.sender_id}).scalar()
        rows = [_row(tracker.sender_id, event) for event in itertools.islice(tracker.events, stored, None)]
        if rows:
            session.execute(EVENTS.insert(), rows)
        session.commit()


def _row(sender_id: str, event: Event) -> Dict[str, Any]:
    """The columns Rasa's `SQLTrackerStore.save` writes for an event."""
    data = event.as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def create_engine_kwargs(url: Any) -> Dict[str, Any]:
    """Rasa's engine options, plus a connection pool for a SQLite file."""
    kwargs = _rasa_create_engine_kwargs(url)
    url = sa.engine.make_url(url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        # The store is only used from the server's event loop thread, one session at a time.
        kwargs.update(poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False})
    return kwargs


def _write_ahead_log(dbapi_connection: Any, _connection_record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def use_write_ahead_log(engine: sa.engine.Engine) -> None:
    """Every new connection of `engine` (only) uses the write-ahead log with synchronous=NORMAL."""
    sa.event.listen(engine, "connect", _write_ahead_log)


class MissingSchema(RasaException):
    """The PostgreSQL schema named by POSTGRESQL_SCHEMA does not exist."""


def check_schema(session: Session) -> None:
    """Rasa's check of the POSTGRESQL_SCHEMA schema; MissingSchema instead of Rasa's ValueError."""
    try:
        ensure_schema_exists(session)
    except ValueError as missing:  # the only ValueError ensure_schema_exists raises is this one
        raise MissingSchema(
            f"PostgreSQL schema '{missing}' was not found in the database: create it "
            f"(CREATE SCHEMA {missing};) or unset the POSTGRESQL_SCHEMA environment variable"
        ) from None
