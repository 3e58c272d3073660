"""Starts the real action server and Rasa server on free loopback ports (end-to-end tests, benchmark).

Each server can be stopped and started again on the same port, as an operator would restart it,
to test what survives a restart or an outage.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional
from urllib.parse import quote

import yaml

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "assistant.tar.gz"
# The Rasa server runs as `make run` runs it: through the launcher and its patches (rasa_patches/).
LAUNCHER = [sys.executable, "-m", "launcher"]
BASE_ENV = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> List[int]:
    """`count` distinct free ports: each stays bound until all are chosen, so none is handed out twice."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def wait_until(check, timeout: float, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if check():
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"server not ready after {timeout}s:\n{log.read_text()[-3000:]}")


def stop_process(process: subprocess.Popen) -> None:
    """Asks a server to stop, and kills it if it has not within 20 s."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def http_get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read()


class Bot:
    """A visitor's view of the assistant: POST a message, get the bot's messages back."""

    def __init__(self, port: int) -> None:
        self.base_url = f"http://127.0.0.1:{port}"
        self.url = f"{self.base_url}/webhooks/rest/webhook"

    def say(self, sender: str, text: str) -> List[Dict]:
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(self.url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def tracker(self, conversation_id: str, token: Optional[str]) -> Dict:
        """A stored conversation, read through the HTTP API (HTTPError without the right token).

        `conversation_id` as stored: `rest:<sender>` for a REST sender (channels/rest_channel.py). Rasa
        looks the id up as it appears in the path, so its colon is sent as is.
        """
        url = f"{self.base_url}/conversations/{quote(conversation_id, safe=':')}/tracker"
        url += f"?token={token}" if token else ""
        with urllib.request.urlopen(url, timeout=60) as response:
            return json.loads(response.read())


class Server:
    """One server process, its log (appended to across restarts) and how to tell it is ready."""

    def __init__(self, command: List[str], env: Dict[str, str], log: Path, is_ready: Callable[[], bool],
                 timeout: float) -> None:
        self.command, self.env, self.log, self.is_ready, self.timeout = command, env, log, is_ready, timeout
        self.process: Optional[subprocess.Popen] = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> "Server":
        with self.log.open("a") as log:
            self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        return self

    def wait_ready(self) -> None:
        assert self.process is not None
        wait_until(self.is_ready, self.timeout, self.process, self.log)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)

    def restart(self) -> None:
        self.stop()
        self.start().wait_ready()


def action_server(port: int, env: Dict[str, str], log: Path) -> Server:
    # rasa_sdk directly, as scripts/with_action_server.sh: ready in 0.7 s instead of 2.4 s through `rasa`.
    env = dict(env, SANIC_HOST="127.0.0.1")  # rasa_sdk's default is every interface
    return Server([sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)], env, log,
                  lambda: b"ok" in http_get(f"http://127.0.0.1:{port}/health"), timeout=120)


def rasa_server(port: int, endpoints: Path, env: Dict[str, str], log: Path) -> Server:
    bot = Bot(port)
    return Server([*LAUNCHER, "run", "--model", str(MODEL), "--port", str(port), "--interface", "127.0.0.1",
                   "--credentials", str(ROOT / "credentials.yml"), "--endpoints", str(endpoints)], env, log,
                  lambda: bot.say("readiness-probe", "/greet") != [], timeout=180)


SHIPPED_ENDPOINTS = ROOT / "endpoints.yml"


def sqlite_endpoints(tmp: Path, action_port: int) -> Path:
    """endpoints.yml as shipped (its SQLite tracker store and its lock store), with this run's action
    server and database."""
    shipped = yaml.safe_load(SHIPPED_ENDPOINTS.read_text(encoding="utf-8"))
    config = {"action_endpoint": {"url": f"http://127.0.0.1:{action_port}/webhook"},
              "tracker_store": {**shipped["tracker_store"], "db": str(tmp / "conversations.db")}}
    if shipped.get("lock_store"):
        config["lock_store"] = shipped["lock_store"]
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return endpoints


class Assistant:
    """The running pair of servers: a Bot to talk to, the servers, and how long start-up took."""

    def __init__(self, bot: Bot, actions: Server, rasa: Server, cold_start_seconds: float) -> None:
        self.bot, self.actions, self.rasa, self.cold_start_seconds = bot, actions, rasa, cold_start_seconds

    @property
    def action_pid(self) -> int:
        return self.actions.pid

    @property
    def rasa_pid(self) -> int:
        return self.rasa.pid

    def say(self, sender: str, text: str) -> List[Dict]:
        return self.bot.say(sender, text)


@contextmanager
def running_assistant(tmp: Path, env_overrides: Optional[Dict[str, str]] = None,
                      endpoints: Optional[Callable[[Path, int], Path]] = None) -> Iterator[Assistant]:
    """Both servers, ready: the yielded Assistant has answered a first message.

    `endpoints(tmp, action_port)` writes the endpoints file; by default the shipped SQLite set-up.
    """
    env = dict(os.environ, **BASE_ENV, **(env_overrides or {}))
    action_port, rasa_port = free_ports(2)
    endpoints_file = (endpoints or sqlite_endpoints)(tmp, action_port)
    actions = action_server(action_port, env, tmp / "actions.log")
    rasa = rasa_server(rasa_port, endpoints_file, env, tmp / "rasa.log")
    started = time.monotonic()
    try:
        actions.start()
        rasa.start()
        actions.wait_ready()
        rasa.wait_ready()
        yield Assistant(Bot(rasa_port), actions, rasa, time.monotonic() - started)
    finally:
        rasa.stop()
        actions.stop()


def http_status(url: str, data: Optional[bytes] = None, opener: Optional[urllib.request.OpenerDirector] = None) -> int:
    """The HTTP status of a GET (or a POST of `data`), errors included; `opener` keeps cookies."""
    try:
        with (opener or urllib.request.build_opener()).open(url, data=data, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@contextmanager
def running_review(tmp: Path, endpoints: Path, token: str) -> Iterator[str]:
    """The counsellors' review page (`make review`) on a free port, reading the store of `endpoints`,
    teaching into tmp/reviewed_examples.yml unless REVIEWED_EXAMPLES says otherwise; yields its URL
    once it answers (401: no session yet)."""
    port = free_port()
    env = dict(os.environ, **BASE_ENV, REVIEW_TOKEN=token, REVIEW_IGNORED=str(tmp / "ignored.json"))
    env.setdefault("REVIEWED_EXAMPLES", str(tmp / "reviewed_examples.yml"))
    base = f"http://127.0.0.1:{port}"
    review = Server([sys.executable, "-m", "review.serve", "--port", str(port), "--endpoints", str(endpoints)], env,
                    tmp / "review.log", lambda: http_status(base + "/") == 401, timeout=60)
    try:
        review.start().wait_ready()
        yield base
    finally:
        review.stop()
