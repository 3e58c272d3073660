"""The throw-away PostgreSQL and Redis servers of the scale-out tests start, serve, and leave nothing behind."""

import socket
from pathlib import Path

import psycopg2
import pytest
import redis

from harness.services import running_postgres, running_redis

pytestmark = pytest.mark.services  # PostgreSQL and Redis started for real


def _port_is_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_postgres_serves_its_user_then_goes_away(tmp_path: Path):
    with running_postgres(tmp_path) as server:
        # Over TCP with the password, as the Rasa SQL tracker store connects.
        connection = psycopg2.connect(host=server.host, port=server.port, dbname=server.db,
                                      user=server.user, password=server.password)
        try:
            with connection, connection.cursor() as cursor:
                cursor.execute("CREATE TABLE visitors (sender TEXT PRIMARY KEY, turns INTEGER)")
                cursor.execute("INSERT INTO visitors VALUES (%s, %s)", ("infirmière-1", 3))
                cursor.execute("SELECT sender, turns FROM visitors")
                assert cursor.fetchall() == [("infirmière-1", 3)]
        finally:
            connection.close()
        assert server.url == f"postgresql://rasa:rasa-test@127.0.0.1:{server.port}/rasa"
    assert not _port_is_open(server.port)
    assert not server.cluster_dir.exists()
    assert "database system is ready" in (tmp_path / "postgres.log").read_text()


def test_redis_serves_then_goes_away(tmp_path: Path):
    with running_redis(tmp_path) as server:
        client = redis.Redis(host=server.host, port=server.port)
        assert client.set("lock:visitor-1", "held")
        assert client.get("lock:visitor-1") == b"held"
        client.close()
    assert not _port_is_open(server.port)
