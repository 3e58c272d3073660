"""Throw-away PostgreSQL and Redis servers on free loopback ports, from Debian's packages (scale-out tests).

Run scripts/install_services.sh first. The Debian-managed services (ports 5432, 6379) are not used.
"""

import os
import pwd
import shutil
import stat
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List

import psycopg2
import redis

from harness.servers import free_port, stop_process, wait_until

HOST = "127.0.0.1"
INSTALL_HINT = "run scripts/install_services.sh (as root, or with sudo)"
# PostgreSQL refuses to run as root; the Debian package creates this system account.
POSTGRES_ACCOUNT = "postgres"
SUPERUSER = "postgres"


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    db: str
    user: str
    password: str
    cluster_dir: Path  # removed when the server stops

    @property
    def url(self) -> str:
        return f"postgresql://{self.user}:{self.password}@{self.host}:{self.port}/{self.db}"


@dataclass(frozen=True)
class RedisServer:
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"


def postgres_bin_dir() -> Path:
    """The newest installed major version's bin dir (Debian keeps them side by side, off PATH)."""
    candidates = [d for d in Path("/usr/lib/postgresql").glob("*/bin") if (d / "initdb").exists()]
    if not candidates:
        raise RuntimeError(f"PostgreSQL server is not installed (no /usr/lib/postgresql/*/bin/initdb): {INSTALL_HINT}")
    return max(candidates, key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else -1)


def redis_server_binary() -> str:
    found = shutil.which("redis-server") or ("/usr/bin/redis-server" if os.access("/usr/bin/redis-server", os.X_OK) else None)
    if not found:
        raise RuntimeError(f"redis-server is not installed: {INSTALL_HINT}")
    return found


def _as_cluster_owner() -> List[str]:
    """Command prefix that runs PostgreSQL tools as an unprivileged user: the postgres account when we are root."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(POSTGRES_ACCOUNT)
    except KeyError:
        raise RuntimeError(f"no '{POSTGRES_ACCOUNT}' system user to run PostgreSQL as: {INSTALL_HINT}") from None
    return ["runuser", "-u", POSTGRES_ACCOUNT, "--"]


def _traversable_by_others(path: Path) -> bool:
    """Whether another user (the postgres account) can reach `path`: every directory up to / must be o+x."""
    return all(p.stat().st_mode & stat.S_IXOTH for p in [path, *path.parents])


def _make_cluster_dir(tmp: Path) -> Path:
    # pytest's tmp_path sits under /tmp/pytest-of-root (mode 700), out of the postgres account's reach.
    base = next((p for p in (tmp, Path(tempfile.gettempdir())) if _traversable_by_others(p)), Path("/tmp"))
    cluster_dir = Path(tempfile.mkdtemp(prefix="pg-", dir=base))
    if os.geteuid() == 0:
        account = pwd.getpwnam(POSTGRES_ACCOUNT)
        os.chown(cluster_dir, account.pw_uid, account.pw_gid)
    return cluster_dir


def _run_as_owner(command: List[str], cluster_dir: Path, log: Path) -> None:
    # cwd: the postgres account may not be allowed into the caller's working directory.
    result = subprocess.run([*_as_cluster_owner(), *command], cwd=cluster_dir, capture_output=True, text=True)
    if result.returncode != 0:
        server_log = log.read_text(errors="replace")[-3000:] if log.exists() else ""
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}{result.stderr}\n{server_log}")


@contextmanager
def running_postgres(tmp: Path, db: str = "rasa", user: str = "rasa", password: str = "rasa-test") -> Iterator[PostgresServer]:
    """A fresh cluster with database `db` owned by `user`, who logs in over TCP with `password`.

    The server log is copied to tmp/postgres.log when the cluster is removed.
    """
    bin_dir = postgres_bin_dir()
    cluster_dir = _make_cluster_dir(tmp)
    data, sockets, log = cluster_dir / "data", cluster_dir / "sockets", cluster_dir / "postgres.log"
    port = free_port()
    try:
        # Local (unix socket) connections are trusted, for the set-up below; TCP ones must give the password,
        # so a test that passes the wrong credentials fails here as it would against a real server.
        _run_as_owner([str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "-E", "UTF8", "--locale=C",
                       "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"], cluster_dir, log)
        _run_as_owner(["mkdir", "-m", "700", str(sockets)], cluster_dir, log)
        settings = {
            "listen_addresses": f"'{HOST}'", "port": str(port), "unix_socket_directories": f"'{sockets}'",
            # A throw-away cluster: durability only costs time.
            "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
        }
        with (data / "postgresql.conf").open("a") as conf:
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
        _run_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "30", "start"], cluster_dir, log)
        admin = psycopg2.connect(host=str(sockets), port=port, user=SUPERUSER, dbname="postgres")
        try:
            admin.autocommit = True  # CREATE DATABASE cannot run inside a transaction
            with admin.cursor() as cursor:
                cursor.execute(f'CREATE ROLE "{user}" LOGIN PASSWORD %s', (password,))
                cursor.execute(f'CREATE DATABASE "{db}" OWNER "{user}"')
        finally:
            admin.close()
        yield PostgresServer(HOST, port, db, user, password, cluster_dir)
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*_as_cluster_owner(), str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                           cwd=cluster_dir, capture_output=True)
        if log.exists() and tmp.is_dir():
            shutil.copyfile(log, tmp / "postgres.log")
        shutil.rmtree(cluster_dir, ignore_errors=True)


@contextmanager
def running_redis(tmp: Path) -> Iterator[RedisServer]:
    """A memory-only Redis server; its log is tmp/redis.log."""
    port, log = free_port(), tmp / "redis.log"
    command = [redis_server_binary(), "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no",
               "--daemonize", "no", "--dir", str(tmp)]
    with log.open("w") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        client = redis.Redis(host=HOST, port=port, socket_connect_timeout=1)
        wait_until(lambda: _answers_ping(client), 15, process, log)
        yield RedisServer(HOST, port)
    finally:
        stop_process(process)


def _answers_ping(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except redis.exceptions.ConnectionError:
        return False
