"""Starts the real action server and Rasa server on free loopback ports (end-to-end tests, benchmark)."""

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
from typing import Dict, Iterator, List, Optional

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "assistant.tar.gz"
RASA = str(Path(sys.executable).parent / "rasa")
# The Rasa server runs as `make run` runs it: through the launcher and its performance fix.
LAUNCHER = [sys.executable, "-m", "launcher"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


def http_get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read()


class Bot:
    """A visitor's view of the assistant: POST a message, get the bot's messages back."""

    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"

    def say(self, sender: str, text: str) -> List[Dict]:
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(self.url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())


class Assistant:
    """The running pair of servers: a Bot to talk to, their process ids, and how long start-up took."""

    def __init__(self, bot: Bot, action_pid: int, rasa_pid: int, cold_start_seconds: float) -> None:
        self.bot, self.action_pid, self.rasa_pid, self.cold_start_seconds = bot, action_pid, rasa_pid, cold_start_seconds

    def say(self, sender: str, text: str) -> List[Dict]:
        return self.bot.say(sender, text)


@contextmanager
def running_assistant(tmp: Path, env_overrides: Optional[Dict[str, str]] = None) -> Iterator[Assistant]:
    """Both servers, ready: the yielded Assistant has answered a first message."""
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2", **(env_overrides or {}))
    action_port, rasa_port = free_port(), free_port()
    endpoints = tmp / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n')
    action_log, rasa_log = tmp / "actions.log", tmp / "rasa.log"
    processes = []
    started = time.monotonic()
    try:
        actions = subprocess.Popen([RASA, "run", "actions", "--actions", "actions", "--port", str(action_port)],
                                   cwd=ROOT, env=env, stdout=action_log.open("w"), stderr=subprocess.STDOUT)
        processes.append(actions)
        rasa = subprocess.Popen([*LAUNCHER, "run", "--model", str(MODEL), "--port", str(rasa_port), "--interface", "127.0.0.1",
                                 "--credentials", str(ROOT / "credentials.yml"), "--endpoints", str(endpoints)],
                                cwd=ROOT, env=env, stdout=rasa_log.open("w"), stderr=subprocess.STDOUT)
        processes.append(rasa)
        wait_until(lambda: b"ok" in http_get(f"http://127.0.0.1:{action_port}/health"), 120, actions, action_log)
        bot = Bot(rasa_port)
        wait_until(lambda: bot.say("readiness-probe", "/greet") != [], 180, rasa, rasa_log)
        yield Assistant(bot, actions.pid, rasa.pid, time.monotonic() - started)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
