"""The conversation store (stores/conversation_store.py) never loses a turn silently and never stops
the process: it refuses to start when it cannot write, notices a database file deleted or replaced
under it, and a failed read or save reaches the caller (issue 10).

SQLite on temporary files; PostgreSQL from Debian's packages on loopback (skipped if not installed).
As root, permission bits do not stop writes: unwritable paths are made by putting a directory where
SQLite needs a file, a file where it needs a directory, or a read-only file system.
"""

import asyncio
import contextlib
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time

import psycopg2
import pytest
import sqlalchemy as sa
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from harness.servers import MODEL
from harness.services import postgres_bin_dir, running_postgres
from rasa_patches import store_failures
from stores.conversation_lock import LocalConversationLockStore
from stores.conversation_store import (
    ConversationStoreError,
    SQLConversationStore,
    StoreFileReplaced,
    StoreUnusable,
)
from stores.sql_statements import EVENTS
from tests.conftest import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
CONFIDED = "je m'appelle Zoé Marchal, je suis enceinte"  # must never reach a log
ODD_SENDERS = ["nul\x00char", "lone \ud800 surrogate"]


def tracker(sender: str, text: str = CONFIDED) -> DialogueStateTracker:
    events = [ActionExecuted("action_listen"), UserUttered(text, {"name": "ask_salary", "confidence": 1.0})]
    return DialogueStateTracker.from_events(sender, events, DOMAIN.slots)


def run(coroutine):
    return asyncio.run(coroutine)


def stored_rows(store: SQLTrackerStore) -> int:
    """Rows as the store's own connections see them (still the old file if it was deleted)."""
    with store.engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(EVENTS)).scalar()


@pytest.fixture
def db(tmp_path):
    return tmp_path / "conversations.db"


@pytest.fixture
def store(db):
    opened = SQLConversationStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    yield opened
    opened.close()


def assert_logged_without_visitor_data(caplog, *expected):
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors and all(any(e in line for line in errors) for e in expected), errors
    for line in errors:
        assert "Zoé" not in line and "enceinte" not in line and "visitor-" not in line


# --- No input reaching the store stops the process -------------------------------------------------

@pytest.mark.parametrize("sender", ODD_SENDERS)
def test_an_odd_sender_id_fails_that_turn_only(store, sender, caplog):
    for operation in (store.retrieve(sender), store.save(tracker(sender))):
        try:
            run(operation)
        except ConversationStoreError:
            pass  # SQLite stores a NUL; a lone surrogate cannot be encoded: that turn fails, loudly
    run(store.save(tracker("visitor-1")))
    assert len(run(store.retrieve("visitor-1")).events) == 2  # and the next visitor is served


def test_rasas_own_sql_store_exits_the_process_on_a_lone_surrogate(db):
    # Why the conversation store has its own session scope: any ValueError is read as a missing PostgreSQL schema.
    store = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    with pytest.raises(SystemExit):
        run(store.retrieve("lone \ud800 surrogate"))


# --- Refusing to start ----------------------------------------------------------------------------

def _file_where_the_directory_should_be(tmp_path):
    (tmp_path / "var").write_text("")
    return tmp_path / "var" / "conversations.db"


def _directory_at(tmp_path, name):
    (tmp_path / name).mkdir()
    return tmp_path / "conversations.db"


@pytest.mark.parametrize("unwritable, problem", [
    (_file_where_the_directory_should_be, "is not a directory"),
    (lambda tmp_path: tmp_path / "missing" / "conversations.db", "does not exist"),
    (lambda tmp_path: _directory_at(tmp_path, "conversations.db"), "is not a regular file"),
    (lambda tmp_path: _directory_at(tmp_path, "conversations.db-wal"), "-wal is not a regular file"),
    (lambda tmp_path: _directory_at(tmp_path, "conversations.db-shm"), "-shm is not a regular file"),
])
def test_an_unwritable_sqlite_store_refuses_to_start_and_says_why(tmp_path, unwritable, problem):
    db = unwritable(tmp_path)
    with pytest.raises(StoreUnusable, match=problem) as refusal:
        SQLConversationStore(domain=DOMAIN, dialect="sqlite", db=str(db))
    assert f"cannot store conversations in {db}" in str(refusal.value)


READ_ONLY_STORE = """
import sys
from stores.conversation_store import SQLConversationStore, StoreUnusable
try:
    SQLConversationStore(dialect="sqlite", db=sys.argv[1])
except StoreUnusable as refusal:
    print(refusal)
"""


def test_a_store_on_a_read_only_file_system_refuses_to_start(tmp_path):
    mount_point, db = tmp_path / "ro", tmp_path / "ro" / "conversations.db"
    mount_point.mkdir()
    # A private mount namespace: a tmpfs holding a good database, then remounted read-only.
    script = textwrap.dedent(f"""
        mount -t tmpfs -o size=4m tmpfs {mount_point} || exit 77
        {sys.executable} -c 'import sqlite3; c = sqlite3.connect("{db}"); c.execute("create table t (x)"); c.commit()'
        mount -o remount,ro {mount_point} || exit 77
        exec {sys.executable} -c '{READ_ONLY_STORE}' {db}
    """)
    try:
        result = subprocess.run(["unshare", "--mount", "sh", "-c", script], cwd=ROOT, capture_output=True,
                                text=True, timeout=300, env=dict(os.environ, SQLALCHEMY_SILENCE_UBER_WARNING="1"))
    except FileNotFoundError:
        pytest.skip("no unshare(1)")
    if result.returncode == 77 or "unshare failed" in result.stderr or "Operation not permitted" in result.stderr:
        pytest.skip("cannot mount a read-only file system here")
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"cannot store conversations in {db}" in result.stdout and "Read-only file system" in result.stdout


def test_an_unknown_tracker_store_type_stops_the_start_instead_of_keeping_conversations_in_memory():
    mistyped = EndpointConfig(type="stores.conversation_store.SQLConversationStor", dialect="sqlite")
    with pytest.raises(StoreUnusable, match="SQLConversationStor"):
        store_failures.load_custom_tracker_store(DOMAIN, mistyped)


# --- A database file deleted or replaced under the running store ------------------------------------

def test_a_deleted_database_is_noticed_and_nothing_is_written_to_the_ghost(store, db, caplog):
    run(store.save(tracker("visitor-3")))
    rows = stored_rows(store)
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        path.unlink()  # as `rm var/conversations.db*` does
    with pytest.raises(StoreFileReplaced, match="was deleted"):
        run(store.save(tracker("visitor-4")))
    with pytest.raises(StoreFileReplaced, match="was deleted"):
        run(store.retrieve("visitor-3"))  # not a new, empty conversation either
    assert stored_rows(store) == rows and not db.exists()
    assert_logged_without_visitor_data(caplog, f"{db} was deleted")


def test_a_replaced_database_or_wal_is_noticed(store, db, tmp_path, caplog):
    run(store.save(tracker("visitor-5")))
    backup = tmp_path / "backup.db"
    shutil.copyfile(db, backup)
    os.replace(backup, db)
    with pytest.raises(StoreFileReplaced, match="replaced by another file"):
        run(store.save(tracker("visitor-5")))
    assert_logged_without_visitor_data(caplog, f"{db} was replaced")


def test_the_wal_alone_deleted_is_noticed(store, db):
    run(store.save(tracker("visitor-6")))
    db.with_name(db.name + "-wal").unlink()
    with pytest.raises(StoreFileReplaced, match="-wal was deleted"):
        run(store.save(tracker("visitor-6")))


TRUNCATED_SHM = """
import asyncio, os, sys
from stores.conversation_store import SQLConversationStore, StoreFileReplaced
store = SQLConversationStore(dialect="sqlite", db=sys.argv[1])
asyncio.run(store.retrieve("visitor"))
os.truncate(sys.argv[1] + "-shm", 0)
try:
    asyncio.run(store.retrieve("visitor"))
except StoreFileReplaced as error:
    print(error, flush=True)
os._exit(0)  # closing the connections would touch the truncated -shm: SIGBUS (in the log, by faulthandler)
"""


def test_a_truncated_shm_fails_the_turn_instead_of_killing_the_process(db):
    # Without the check, SQLite reads its memory map of the -shm beyond the file's end: SIGBUS.
    result = subprocess.run([sys.executable, "-X", "faulthandler", "-c", TRUNCATED_SHM, str(db)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and "-shm was truncated" in result.stdout, result.stderr[-2000:]


def test_checking_the_files_costs_microseconds(store):
    rounds = 2000
    begin = time.perf_counter()
    for _ in range(rounds):
        store.check_files()
    assert (time.perf_counter() - begin) / rounds < 200e-6  # about 3 µs unloaded; generous under load


# --- Failures reach the caller ---------------------------------------------------------------------

@contextlib.contextmanager
def sqlite3_connection(db):
    connection = sqlite3.connect(db)
    try:
        yield connection
        connection.commit()
    finally:
        connection.close()


def _refuse_inserts(db):
    with sqlite3_connection(db) as connection:
        connection.execute("CREATE TRIGGER full BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk full'); END")


def test_a_failed_save_raises_and_is_logged_without_visitor_data(store, db, caplog):
    run(store.save(tracker("visitor-7")))
    _refuse_inserts(db)
    with pytest.raises(ConversationStoreError, match="saving a turn failed: IntegrityError: disk full") as failure:
        run(store.save(tracker("visitor-8")))
    assert "Zoé" not in str(failure.value) and failure.value.__cause__ is None  # the SQL parameters stay out
    assert_logged_without_visitor_data(caplog, f"Conversation store {db}: saving a turn failed")


def test_rasas_fail_safe_wrapper_would_have_swallowed_it_and_the_patch_does_not_wrap(store, db, monkeypatch):
    _refuse_inserts(db)
    assert run(FailSafeTrackerStore(store).save(tracker("visitor-9"))) is None  # Rasa: "saved" in memory
    monkeypatch.setattr(Agent, "_create_tracker_store", staticmethod(store_failures.create_tracker_store))
    assert Agent._create_tracker_store(store, DOMAIN) is store
    assert isinstance(Agent._create_tracker_store(InMemoryTrackerStore(DOMAIN), DOMAIN), FailSafeTrackerStore)


@pytest.fixture(scope="module")
def agent_and_store(tmp_path_factory):
    if not MODEL.exists():
        pytest.skip("no trained model: run `make train`")
    store = SQLConversationStore(dialect="sqlite", db=str(tmp_path_factory.mktemp("agent") / "conversations.db"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Agent, "_create_tracker_store", staticmethod(store_failures.create_tracker_store))
        agent = Agent.load(str(MODEL), tracker_store=store, lock_store=LocalConversationLockStore())
    yield agent, store
    store.close()


@pytest.mark.live
def test_a_failed_save_reaches_the_channel_through_the_agent(agent_and_store):
    agent, store = agent_and_store
    sender = "visitor-agent-save"
    assert run(agent.handle_message(UserMessage("bonjour", CollectingOutputChannel(), sender)))
    before = run(store.retrieve(sender)).events
    _refuse_inserts(store.target)
    try:
        with pytest.raises(ConversationStoreError, match="saving a turn failed"):
            run(agent.handle_message(UserMessage("combien gagne un assistant ?", CollectingOutputChannel(), sender)))
    finally:
        with sqlite3_connection(store.target) as connection:
            connection.execute("DROP TRIGGER full")
    assert len(run(store.retrieve(sender)).events) == len(before)  # nothing half-stored


@pytest.mark.live
def test_a_failed_read_reaches_the_channel_instead_of_starting_a_new_conversation(agent_and_store):
    agent, store = agent_and_store
    sender = "visitor-agent-read"
    assert run(agent.handle_message(UserMessage("bonjour", CollectingOutputChannel(), sender)))
    with sqlite3_connection(store.target) as connection:
        connection.execute("ALTER TABLE events RENAME TO events_away")
    try:
        with pytest.raises(ConversationStoreError, match="reading a conversation failed"):
            run(agent.handle_message(UserMessage("je n'ai pas le bac", CollectingOutputChannel(), sender)))
    finally:
        with sqlite3_connection(store.target) as connection:
            connection.execute("ALTER TABLE events_away RENAME TO events")


# --- PostgreSQL ------------------------------------------------------------------------------------

def _postgres_installed() -> bool:
    try:
        postgres_bin_dir()
        return True
    except RuntimeError:
        return False


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    if not _postgres_installed():
        pytest.skip("PostgreSQL is not installed: scripts/install_services.sh")
    with running_postgres(tmp_path_factory.mktemp("postgres")) as server:
        yield server


def _postgres_store(server) -> SQLConversationStore:
    return SQLConversationStore(domain=DOMAIN, dialect="postgresql", host=server.host, port=server.port,
                                db=server.db, username=server.user, password=server.password)


@pytest.mark.services
@pytest.mark.parametrize("sender", [*ODD_SENDERS, "x" * 300])  # 255 characters at most in the sender_id column
def test_postgresql_an_odd_or_overlong_sender_id_fails_that_turn_only(postgres, sender, caplog):
    store = _postgres_store(postgres)
    try:
        with pytest.raises(ConversationStoreError):
            run(store.save(tracker(sender)))
        assert_logged_without_visitor_data(caplog, "saving a turn failed")
        assert "rasa-test" not in caplog.text  # nor the database password
        run(store.save(tracker("visitor-10")))
        assert run(store.retrieve("visitor-10")).events
    finally:
        store.close()


@pytest.mark.services
def test_postgresql_a_missing_schema_refuses_the_start(postgres, monkeypatch):
    monkeypatch.setenv("POSTGRESQL_SCHEMA", "no_such_schema")
    with pytest.raises(StoreUnusable, match="schema 'no_such_schema' was not found"):
        _postgres_store(postgres)


@pytest.mark.services
def test_postgresql_a_read_only_database_refuses_the_start(postgres):
    admin = psycopg2.connect(host=postgres.host, port=postgres.port, user=postgres.user,
                             password=postgres.password, dbname=postgres.db)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{postgres.db}" SET default_transaction_read_only = on')
        with pytest.raises(StoreUnusable, match="cannot execute INSERT in a read-only transaction") as refusal:
            _postgres_store(postgres)
        assert postgres.password not in str(refusal.value)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{postgres.db}" SET default_transaction_read_only = off')
        admin.close()
