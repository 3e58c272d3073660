"""Retention command, against Rasa's real SQLTrackerStore on a temporary SQLite file."""

import asyncio
import time

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from maintenance.retention import (
    RetentionReport,
    delete_conversations_older_than,
    main,
    tracker_store_engine,
)

NOW = time.time()
DAY = 24 * 60 * 60
# Empty: the store keeps every event as it is, SlotSet included, whatever the domain.
DOMAIN = Domain.empty()


def _days_ago(days: float) -> float:
    return NOW - days * DAY


def _exchange(days_ago: float, text: str):
    """One visitor message and the bot's turn, `days_ago` days before NOW."""
    at = _days_ago(days_ago)
    return [
        UserUttered(text, {"name": "greet", "confidence": 1.0}, timestamp=at),
        SlotSet("topic", "salary", timestamp=at),
        ActionExecuted("action_listen", timestamp=at + 1),
    ]


CONVERSATIONS = {
    "ended-200-days-ago": _exchange(210, "bonjour") + _exchange(200, "merci"),
    "started-400-days-ago-still-going": _exchange(400, "bonjour") + _exchange(2, "je reviens"),
    "recent": _exchange(1, "bonjour"),
}


def _run(coroutine):
    return asyncio.run(coroutine)


@pytest.fixture
def database(tmp_path):
    """A SQLite tracker store holding CONVERSATIONS, as the Rasa server would have saved them."""
    path = tmp_path / "c.db"
    store = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(path))
    for sender_id, events in CONVERSATIONS.items():
        _run(store.save(DialogueStateTracker.from_events(sender_id, events)))
    store.engine.dispose()
    return path


def _stored_events(path, sender_id):
    store = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(path))
    try:
        tracker = _run(store.retrieve_full_tracker(sender_id))
        return [] if tracker is None else list(tracker.events)
    finally:
        store.engine.dispose()


def _endpoints(tmp_path, tracker_store: str):
    path = tmp_path / "endpoints.yml"
    path.write_text(f"tracker_store:\n{tracker_store}", encoding="utf-8")
    return str(path)


def test_a_conversation_whose_last_event_is_200_days_old_is_deleted_whole(database):
    report = delete_conversations_older_than(f"sqlite:///{database}", 180, now=NOW)

    assert report == RetentionReport(conversations=1, events=6)
    assert _stored_events(database, "ended-200-days-ago") == []


def test_an_old_conversation_with_a_recent_message_is_kept_whole(database):
    delete_conversations_older_than(f"sqlite:///{database}", 180, now=NOW)

    assert _stored_events(database, "started-400-days-ago-still-going") == CONVERSATIONS["started-400-days-ago-still-going"]
    assert _stored_events(database, "recent") == CONVERSATIONS["recent"]


def test_dry_run_counts_and_deletes_nothing(database):
    report = delete_conversations_older_than(f"sqlite:///{database}", 180, now=NOW, dry_run=True)

    assert report == RetentionReport(conversations=1, events=6)
    assert _stored_events(database, "ended-200-days-ago") == CONVERSATIONS["ended-200-days-ago"]


def test_zero_days_is_refused_by_the_function():
    with pytest.raises(ValueError):
        delete_conversations_older_than("sqlite://", 0)


def test_command_purges_the_database_of_the_endpoints_file(database, tmp_path, capsys):
    endpoints = _endpoints(tmp_path, f"  type: SQL\n  dialect: sqlite\n  db: {database}\n")

    assert main(["--days", "180", "--endpoints", endpoints, "--dry-run"]) == 0
    assert "Simulation, rien n'est supprimé. Conversations à supprimer (dernier message il y a plus de 180 jours) : 1, soit 6 événements." in capsys.readouterr().out

    assert main(["--days", "180", "--endpoints", endpoints]) == 0
    out = capsys.readouterr().out
    assert "Conversations supprimées (dernier message il y a plus de 180 jours) : 1, soit 6 événements." in out
    assert "ended-200-days-ago" not in out and "merci" not in out
    assert _stored_events(database, "ended-200-days-ago") == []
    assert _stored_events(database, "started-400-days-ago-still-going") == CONVERSATIONS["started-400-days-ago-still-going"]


@pytest.mark.parametrize("days", ["0", "-3", "1.5", "six"])
def test_days_must_be_a_positive_integer(days):
    with pytest.raises(SystemExit) as refused:
        main(["--days", days])
    assert refused.value.code == 2


def test_a_tracker_store_that_is_not_sql_is_refused(tmp_path, capsys):
    endpoints = _endpoints(tmp_path, "  type: redis\n  url: localhost\n")

    assert main(["--days", "180", "--endpoints", endpoints]) == 2
    assert "ne traite que le type SQL" in capsys.readouterr().err


def test_a_database_without_conversations_yet_is_not_an_error(tmp_path, capsys):
    (tmp_path / "empty.db").touch()  # an empty file is an empty SQLite database
    for db in (tmp_path / "absent" / "c.db", tmp_path / "empty.db"):
        endpoints = _endpoints(tmp_path, f"  type: SQL\n  dialect: sqlite\n  db: {db}\n")

        assert main(["--days", "180", "--endpoints", endpoints]) == 0
        assert "Aucune conversation enregistrée" in capsys.readouterr().out
    assert not (tmp_path / "absent").exists()


def test_postgresql_url_is_built_like_rasa_with_environment_variables(tmp_path, monkeypatch):
    monkeypatch.setenv("DB_HOST", "db.internal")
    monkeypatch.setenv("DB_PORT", "5433")
    monkeypatch.setenv("DB_PASSWORD", "s3cret")
    endpoints = _endpoints(
        tmp_path,
        # Unquoted: Rasa's YAML reader replaces ${...} in plain scalars only, not in quoted strings.
        "  type: SQL\n  dialect: postgresql\n  url: ${DB_HOST}\n  port: ${DB_PORT}\n"
        "  db: conversations\n  username: rasa\n  password: ${DB_PASSWORD}\n",
    )

    engine = tracker_store_engine(endpoints)  # no connection is made before the first query

    assert engine.url.render_as_string(hide_password=False) == "postgresql://rasa:s3cret@db.internal:5433/conversations"


def test_with_login_db_the_conversations_are_in_db_as_for_rasa(tmp_path):
    endpoints = _endpoints(tmp_path, "  type: SQL\n  dialect: postgresql\n  url: localhost\n  db: conversations\n  login_db: postgres\n")

    assert tracker_store_engine(endpoints).url.database == "conversations"
