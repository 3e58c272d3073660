"""Retention of conversations in Rasa's SQL tracker store (SQLite or PostgreSQL).

    python -m maintenance.retention --days N [--endpoints endpoints.yml] [--dry-run]

Deletes every conversation whose most recent event is older than N days, all its events at once:
a conversation that started long ago but is still going on is kept whole. The database is the one
the Rasa server uses, found from the same `tracker_store` section of the same endpoints file.
"""

import argparse
import os
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Union

# Set by the Makefile too; without it SQLAlchemy prints a notice about Rasa's pre-2.0 code on every run.
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import URL, Engine  # noqa: E402

# Importing Rasa turns deprecation warnings on (Sanic does) and triggers a dozen of them in its
# dependencies: noise on the terminal of whoever runs this command, who can do nothing about it.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs, validate_port
    from rasa.shared.exceptions import RasaException
    from rasa.utils.endpoints import read_endpoint_config

EVENTS = SQLTrackerStore.SQLEvent.__table__
SECONDS_PER_DAY = 24 * 60 * 60
# The keys of the `tracker_store` section that Rasa passes on to `SQLTrackerStore.get_db_url`
# (the server's address comes from `url`, as in Rasa).
URL_PARAMETERS = ("dialect", "port", "db", "username", "password", "login_db", "query")
# Rasa's SQL store, and the project's (stores/conversation_store.py): same table, same rows.
SQL_STORE_TYPES = ("sql", "stores.conversation_store.sqlconversationstore")


@dataclass(frozen=True)
class RetentionReport:
    conversations: int
    events: int


class ConfigurationError(Exception):
    """The endpoints file does not describe an SQL tracker store this command can open."""


class NoEventsTable(Exception):
    """The database has no `events` table: Rasa has never stored a conversation in it."""


def tracker_store_engine(endpoints_file: Union[str, Path]) -> Engine:
    """The engine the Rasa server opens for the `tracker_store` section of `endpoints_file`."""
    try:
        # Rasa's own reader, which also replaces ${ENV_VARS} as the server does.
        store = read_endpoint_config(str(endpoints_file), "tracker_store")
    except RasaException as error:
        raise ConfigurationError(f"{endpoints_file} illisible : {error}") from error
    if store is None:
        raise ConfigurationError(f"{endpoints_file} introuvable ou sans section tracker_store : rien à purger.")
    if (store.type or "").lower() not in SQL_STORE_TYPES:
        raise ConfigurationError(f"le tracker_store de {endpoints_file} est de type '{store.type or 'aucun'}' ; cette commande ne traite que le type SQL.")

    params = {name: store.kwargs[name] for name in URL_PARAMETERS if name in store.kwargs}
    try:
        params["port"] = validate_port(params.get("port"))
    except RasaException as error:
        raise ConfigurationError(f"{endpoints_file} : {error}") from error
    url = SQLTrackerStore.get_db_url(host=store.url, **params)
    engine = sa.create_engine(url, **create_engine_kwargs(url))
    if params.get("login_db") and engine.dialect.name == "postgresql":
        # Rasa connects to `login_db` only to create `db`, then works in `db` with a plain engine
        # (see SQLTrackerStore._create_database_and_update_engine); "rasa.db" is Rasa's default `db`.
        engine.dispose()
        engine = sa.create_engine(engine.url.set(database=params.get("db", "rasa.db")))
    return engine


def delete_conversations_older_than(
    engine_or_url: Union[Engine, URL, str], days: int, now: Optional[float] = None, dry_run: bool = False
) -> RetentionReport:
    """Deletes (or, with `dry_run`, only counts) the conversations whose last event is older than `days`.

    `now` is in epoch seconds, like the `timestamp` column; the default is the current time.
    Raises NoEventsTable if Rasa has not created its table in this database yet.
    """
    if days < 1:
        # 0 days would delete every conversation, including the ones going on right now.
        raise ValueError(f"days must be at least 1, not {days}")
    owns_engine = not isinstance(engine_or_url, Engine)
    engine = sa.create_engine(engine_or_url, **create_engine_kwargs(engine_or_url)) if owns_engine else engine_or_url
    try:
        if not _events_table_exists(engine):
            raise NoEventsTable(engine.url.database)
        cutoff = (time.time() if now is None else now) - days * SECONDS_PER_DAY
        stale_senders = (
            sa.select(EVENTS.c.sender_id).group_by(EVENTS.c.sender_id).having(sa.func.max(EVENTS.c.timestamp) < cutoff)
        )
        in_stale_conversation = EVENTS.c.sender_id.in_(stale_senders)
        # One transaction, and the DELETE re-checks the last event itself: a visitor who writes
        # again while the command runs keeps the whole conversation.
        with engine.begin() as connection:
            conversations, events = connection.execute(
                sa.select(sa.func.count(sa.distinct(EVENTS.c.sender_id)), sa.func.count()).where(in_stale_conversation)
            ).one()
            if not dry_run:
                connection.execute(EVENTS.delete().where(in_stale_conversation))
        return RetentionReport(conversations, events)
    finally:
        if owns_engine:
            engine.dispose()


def _events_table_exists(engine: Engine) -> bool:
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database not in (None, "", ":memory:") and not Path(database).exists():
        # Connecting would create an empty database file, or fail if its directory does not exist.
        return False
    return sa.inspect(engine).has_table(EVENTS.name)


def _positive_days(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"un nombre entier de jours supérieur ou égal à 1 est attendu, pas '{text}'")
    return int(text)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m maintenance.retention",
        description="Supprime les conversations dont le dernier message date de plus de N jours.",
    )
    parser.add_argument("--days", type=_positive_days, required=True, metavar="N", help="âge du dernier message, en jours")
    parser.add_argument("--endpoints", default="endpoints.yml", help="fichier endpoints du serveur Rasa (défaut : endpoints.yml)")
    parser.add_argument("--dry-run", action="store_true", help="compter sans rien supprimer")
    args = parser.parse_args(argv)

    try:
        report = delete_conversations_older_than(tracker_store_engine(args.endpoints), args.days, dry_run=args.dry_run)
    except ConfigurationError as error:
        print(f"ERREUR : {error}", file=sys.stderr)
        return 2
    except NoEventsTable:
        print("Aucune conversation enregistrée pour l'instant (pas de table events dans la base) : rien à supprimer.")
        return 0
    except sa.exc.OperationalError as error:
        # Only the database's own message: the SQL statement is of no use to the person running this.
        print(f"ERREUR : base de données inaccessible : {error.orig}", file=sys.stderr)
        return 1

    summary = f"(dernier message il y a plus de {args.days} jours) : {report.conversations}, soit {report.events} événements."
    if args.dry_run:
        print(f"Simulation, rien n'est supprimé. Conversations à supprimer {summary}")
    else:
        print(f"Conversations supprimées {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
