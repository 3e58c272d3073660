"""The conversation store: a turn is stored, or it fails where the visitor can be told; never lost silently.

The tracker store of endpoints.yml (SQLite) and deploy/endpoints.production.yml (PostgreSQL):

    tracker_store:
      type: stores.conversation_store.SQLConversationStore
      dialect: sqlite
      db: var/conversations.db

It is Rasa's SQL tracker store (same table, same rows: tests/test_sql_statements.py) with the
cheaper statements, pool and write-ahead log of sql_statements.py, on its own engine, and:

- it refuses to start, naming the file or database and the reason (StoreUnusable: the server exits
  with status 1 before loading the model), when it cannot write: for SQLite the directory, the file,
  its -wal and -shm are checked and a write is committed; for PostgreSQL an INSERT into the events
  table is tried and rolled back (so a database that is not reachable yet also stops the start:
  start the replicas after PostgreSQL, or let their supervisor restart them). A PostgreSQL schema
  (POSTGRESQL_SCHEMA) is checked there, once;
- before every read and write it checks, with three stat() calls (microseconds), that the SQLite
  file and its -wal and -shm are still the ones it opened. SQLite keeps writing to a deleted file
  (turns that vanish at the next restart) and dies of SIGBUS on a truncated -shm; here the turn
  fails with StoreFileReplaced instead (a truncated -shm still crashes the process when it closes
  the database: the launcher's faulthandler logs the signal). A connection is held open for the life of the store, so
  that SQLite itself never deletes the -wal and -shm while the server runs;
- a failed read or save raises ConversationStoreError, after one ERROR log line with the
  database's own reason (never the statement, its parameters, the sender id or the text).

Rasa wraps every tracker store in FailSafeTrackerStore, which logs a failed save and keeps the turn
in memory (HTTP 200, then lost at the next restart) and answers a failed read with a new, empty
conversation. The patch `conversation-store-failures-reach-the-visitor` (rasa_patches/) leaves this
store unwrapped, so the error reaches the channel, and makes an unknown tracker store `type` an error
at start instead of Rasa's silent fall-back to memory (the patch `tracker-store-type-must-load`).
"""

import logging
import os
import sqlite3
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator, List, Optional, Text, Tuple

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, validate_port
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from sqlalchemy.orm import Session

from stores import sql_statements
from stores.sql_statements import EVENTS

logger = logging.getLogger(__name__)

SHM_REGION = 32768  # SQLite maps its -shm file in pieces of 32 KiB: a smaller one was truncated


class ConversationStoreError(RasaException):
    """A conversation could not be read or stored: the turn must not be acknowledged as done.

    Carries no visitor data; the database's error is in `cause` (not chained, because its text
    holds the SQL parameters, i.e. what the visitor typed).
    """

    def __init__(self, message: str, cause: Optional[BaseException] = None) -> None:
        super().__init__(message)
        self.cause = cause


class StoreFileReplaced(ConversationStoreError):
    """The SQLite file, or its -wal or -shm, was deleted or replaced while the server runs."""


class StoreUnusable(ConversationStoreError):
    """At start: the store cannot be written, so the server must not start."""


def describe(error: BaseException) -> str:
    """What went wrong, in the database's words, without the statement, its parameters or any value."""
    if isinstance(error, (ConversationStoreError, sql_statements.MissingSchema)):
        return str(error)
    if isinstance(error, sa.exc.StatementError) and error.orig is not None:
        error = error.orig  # SQLAlchemy's text adds the statement and its parameters
    name = type(error).__name__
    if isinstance(error, sqlite3.Error):
        return f"{name}: {error}"  # SQLite's messages are fixed texts ("disk I/O error", ...)
    if type(error).__module__.startswith("psycopg2") and str(error).strip():
        return f"{name}: {str(error).strip().splitlines()[0]}"  # the DETAIL lines may quote values
    if isinstance(error, UnicodeError):
        return f"{name}: {getattr(error, 'reason', '')}"
    if isinstance(error, OSError):
        return f"{name}: {error.strerror}"
    if isinstance(error, ValueError) and "NUL" in str(error):
        return f"{name}: a value contains a NUL character"
    return name


class SQLConversationStore(SQLTrackerStore):
    """Rasa's SQL tracker store that refuses to start unwritable, and raises on every failure."""

    def __init__(self, domain: Optional[Domain] = None, dialect: Text = "sqlite", host: Optional[Text] = None,
                 port: Optional[int] = None, db: Text = "rasa.db", username: Text = None, password: Text = None,
                 event_broker: Optional[EventBroker] = None, login_db: Optional[Text] = None,
                 query: Optional[dict] = None, **kwargs: Any) -> None:
        url = sa.engine.make_url(self.get_db_url(dialect, host, validate_port(port), db, username, password,
                                                 login_db, query))
        self._sqlite_path = _sqlite_file(url)
        self.target = str(self._sqlite_path) if self._sqlite_path else url.render_as_string(hide_password=True)
        self._sentinel: Optional[sqlite3.Connection] = None
        self._watched: List[Tuple[str, int, int, int]] = []  # path, st_dev, st_ino, minimum size
        if self._sqlite_path:
            # Before Rasa's constructor, which retries an unopenable SQLite file every 5 s, forever.
            self._refuse(_sqlite_path_problem(self._sqlite_path))
        super().__init__(domain, dialect, host, port, db, username, password, event_broker, login_db, query, **kwargs)
        if self._sqlite_path:
            # The pool and write-ahead log of sql_statements.py, on this store's engine only.
            self.engine.dispose()
            self.engine = sa.create_engine(self.engine.url, **sql_statements.create_engine_kwargs(self.engine.url))
            sql_statements.use_write_ahead_log(self.engine)
            self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        try:
            with self.sessionmaker() as session:
                sql_statements.check_schema(session)  # once: Rasa checks it in every session
            if self._sqlite_path:
                self._open_sqlite_sentinel()
            else:
                self._try_a_write()
        except Exception as error:  # noqa: BLE001 - any reason not to start is reported the same way
            self.close()
            self._refuse(describe(error))
        logger.info(f"Conversation store: {self.target} (writable, checked at start).")

    def _refuse(self, problem: Optional[str]) -> None:
        if problem:
            raise StoreUnusable(f"cannot store conversations in {self.target}: {problem}. "
                                "The server does not start rather than lose the conversations.")

    def _try_a_write(self) -> None:
        """An INSERT into the events table, rolled back (permissions, read-only database or replica)."""
        with self.engine.connect() as connection:
            transaction = connection.begin()
            try:
                connection.execute(EVENTS.insert(), {"sender_id": "write-test", "type_name": "write-test"})
            finally:
                transaction.rollback()

    def _open_sqlite_sentinel(self) -> None:
        """Commits a write (through the -wal, then into the file) and keeps that connection open.

        While one connection is open, SQLite never deletes the -wal and -shm files: from now on,
        a file that is gone or has another inode was deleted or replaced by someone else.
        """
        path = str(self._sqlite_path)
        sentinel = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            sentinel.execute("PRAGMA journal_mode=WAL")
            sentinel.execute("BEGIN IMMEDIATE")
            version = sentinel.execute("PRAGMA user_version").fetchone()[0]
            sentinel.execute(f"PRAGMA user_version = {int(version)}")  # a real commit, changing nothing
            sentinel.execute("COMMIT")
            sentinel.execute("PRAGMA wal_checkpoint(PASSIVE)")
            sentinel.execute("SELECT 1 FROM events LIMIT 1").fetchall()
        except BaseException:
            sentinel.close()
            raise
        self._sentinel = sentinel
        for watched in (path, path + "-wal", path + "-shm"):
            status = os.stat(watched)
            minimum = SHM_REGION if watched.endswith("-shm") and status.st_size >= SHM_REGION else 0
            self._watched.append((watched, status.st_dev, status.st_ino, minimum))

    def check_files(self) -> None:
        """StoreFileReplaced if the SQLite file, its -wal or its -shm is not the one opened at start."""
        for path, device, inode, minimum in self._watched:
            try:
                status = os.stat(path)
            except OSError:
                status = None
            if status is None or status.st_ino != inode or status.st_dev != device:
                what = "deleted" if status is None else "replaced by another file"
                raise StoreFileReplaced(f"{path} was {what} while the server runs, so nothing more is read from "
                                        "or written to it: restore the database and restart the server")
            if status.st_size < minimum:
                raise StoreFileReplaced(f"{path} was truncated while the server runs (SQLite would crash on it): "
                                        "restart the server")

    @contextmanager
    def session_scope(self) -> Iterator[Session]:
        """A session on a database checked at start: no schema query, no error read as something else."""
        self.check_files()
        session = self.sessionmaker()
        try:
            yield session
        finally:
            session.close()

    def _failed(self, operation: str, error: Exception) -> ConversationStoreError:
        message = f"conversation store {self.target}: {operation} failed: {describe(error)}"
        logger.error(message[0].upper() + message[1:])
        if isinstance(error, ConversationStoreError):
            return type(error)(message, error.cause)
        return ConversationStoreError(message, error)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        try:
            return await sql_statements.retrieve(self, sender_id)
        except Exception as error:
            raise self._failed("reading a conversation", error) from None

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            await sql_statements.save(self, tracker)
        except Exception as error:
            raise self._failed("saving a turn", error) from None

    async def retrieve_full_tracker(self, conversation_id: Text) -> Optional[DialogueStateTracker]:
        try:
            return await super().retrieve_full_tracker(conversation_id)
        except Exception as error:
            raise self._failed("reading a conversation", error) from None

    async def keys(self) -> Iterable[Text]:
        try:
            return await super().keys()
        except Exception as error:
            raise self._failed("listing the conversations", error) from None

    def close(self) -> None:
        """Closes the database connections (tests; the server keeps them until it exits)."""
        if self._sentinel is not None:
            self._sentinel.close()
            self._sentinel = None
        self.engine.dispose()


def _sqlite_file(url: sa.engine.URL) -> Optional[Path]:
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(os.path.abspath(url.database))  # relative to the working directory, as SQLite opens it


def _sqlite_path_problem(path: Path) -> Optional[str]:
    """Why SQLite could not create or write `path` and its -wal and -shm, or None."""
    directory = path.parent
    try:
        if not directory.is_dir():
            return f"its directory {directory} " + ("is not a directory" if directory.exists() else "does not exist")
    except OSError as error:
        return f"its directory {directory} cannot be reached ({error.strerror})"
    if not path.exists() and not os.access(directory, os.W_OK):
        return f"its directory {directory} is not writable"
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = os.stat(candidate).st_mode
        except FileNotFoundError:
            continue
        except OSError as error:
            return f"{candidate} cannot be read ({error.strerror})"
        if not stat.S_ISREG(mode):
            return f"{candidate} is not a regular file"
        try:
            os.close(os.open(candidate, os.O_RDWR))
        except OSError as error:  # a read-only file system, or permissions when not root
            return f"{candidate} cannot be opened for writing ({error.strerror})"
    return None
