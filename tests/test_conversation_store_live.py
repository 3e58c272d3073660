"""The conversation store and lock of endpoints.yml in the real servers (issue 10): 20 messages of one
visitor sent at once are all handled without a second's wait between them; the server refuses to
start on a store it cannot write; a database deleted under the running server fails the turn and
says so in the log; a fatal signal leaves a line in the log.
"""

import json
import os
import signal
import sqlite3
import threading
import time
import urllib.error
import urllib.request
import uuid

import pytest

from harness.servers import BASE_ENV, MODEL, free_port, rasa_server, running_assistant, sqlite_endpoints

pytestmark = [pytest.mark.live,  # the real Rasa and action servers
              pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train`")]

QUESTION = "combien gagne un assistant médical ?"
APOLOGY = "un incident technique m'empêche de vous répondre"


def post(bot, sender, text):
    """(status, replies) of one message; an HTTP error is a status, not an exception."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(bot.url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, None


def text_of(replies):
    return "\n".join(m.get("text", "") for m in replies or [])


def stored_user_messages(db, sender):
    # The channel may prefix the conversation id with its name ("rest:...").
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        return connection.execute("SELECT count(*) FROM events WHERE sender_id LIKE ? AND type_name = 'user'",
                                  (f"%{sender}",)).fetchone()[0]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("store_live")
    with running_assistant(tmp) as running:
        running.db = tmp / "conversations.db"
        yield running


def test_twenty_messages_of_one_visitor_sent_at_once_are_all_handled_without_waiting_seconds(assistant):
    # Rasa's lock made each waiting message poll every second: 19.5 s for these 20.
    sender = f"visitor-{uuid.uuid4().hex[:8]}"
    replies = {}

    def say(index):
        replies[index] = post(assistant.bot, sender, QUESTION)

    threads = [threading.Thread(target=say, args=(i,)) for i in range(20)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    seconds = time.monotonic() - started
    assert all(status == 200 and "€" in text_of(reply) for status, reply in replies.values()) and len(replies) == 20
    assert stored_user_messages(assistant.db, sender) == 20
    assert seconds < 10, f"{seconds:.1f} s"  # about 0.5 s on an idle machine


def test_the_server_refuses_to_start_on_a_store_it_cannot_write(tmp_path):
    endpoints = sqlite_endpoints(tmp_path, free_port())
    (tmp_path / "conversations.db-wal").mkdir()  # as root, a directory is what stops a write
    server = rasa_server(free_port(), endpoints, dict(os.environ, **BASE_ENV), tmp_path / "rasa.log").start()
    try:
        assert server.process.wait(timeout=300) != 0
    finally:
        server.stop()
    log = server.log.read_text()
    assert f"cannot store conversations in {tmp_path / 'conversations.db'}" in log
    assert "conversations.db-wal is not a regular file" in log


def test_a_database_deleted_under_the_server_fails_the_turn_and_a_fatal_signal_is_logged(tmp_path):
    with running_assistant(tmp_path) as running:
        sender = f"visitor-{uuid.uuid4().hex[:8]}"
        assert post(running.bot, sender, "bonjour")[0] == 200
        db = tmp_path / "conversations.db"
        for suffix in ("", "-wal", "-shm"):
            os.remove(f"{db}{suffix}")  # rm var/conversations.db*
        status, reply = post(running.bot, sender, "je m'appelle Zoé Marchal, " + QUESTION)
        assert status != 200 or APOLOGY in text_of(reply)  # an error or the apology, never a normal answer
        assert "€" not in text_of(reply) and not db.exists()  # nothing written to a new file either
        log = running.rasa.log.read_text()
        assert f"Conversation store {db}: saving a turn failed: {db} was deleted" in log or \
               f"Conversation store {db}: reading a conversation failed: {db} was deleted" in log
        assert "Marchal" not in log and sender not in log

        os.kill(running.rasa_pid, signal.SIGBUS)  # what SQLite gets on a -shm it cannot map
        running.rasa.process.wait(timeout=60)
        assert "Fatal Python error: Bus error" in running.rasa.log.read_text()
