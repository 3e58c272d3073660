"""A widget conversation is reachable only by the browser tab it belongs to, and no socket.io event
can break the channel (channels/socketio_channel.py, channels/widget_sessions.py).

The live tests talk to the real servers with python-socketio's client, as rasa-webchat does:
``session_request`` then ``user_uttered`` with the confirmed ``session_id``.
"""

import asyncio
import json
import uuid
from typing import Any, Dict, List, Optional

import pytest
import socketio

from harness.servers import MODEL, running_assistant
from channels.rest_channel import conversation_id
from channels.socketio_channel import ERROR_EVENT
from channels.widget_sessions import SessionSigner, SocketSessions, session_secret

pytestmark = pytest.mark.live  # the real Rasa and action servers

API_TOKEN = "test-token-" + uuid.uuid4().hex
PAGE_ORIGIN = "http://127.0.0.1:8080"
WAIT = 60  # seconds: generous, the servers may share the machine with other jobs


# --- the rules, without servers ---------------------------------------------------------------------
def test_only_ids_the_server_issued_are_recognised():
    signer = SessionSigner(b"s" * 32)
    issued = signer.issue()
    assert signer.issued(issued) and issued.startswith("w.")
    assert issued != signer.issue()
    token, signature = issued[2:].split(".")
    for forged in ["alice", "", None, 42, f"w.{token}.{'A' * len(signature)}", f"w.{token}x.{signature}",
                   issued + "x", SessionSigner(b"t" * 32).issue()]:
        assert not signer.issued(forged), forged


def test_one_socket_holds_a_conversation_and_the_newest_takes_over():
    sessions = SocketSessions()
    assert sessions.bind("tab-1", "w.a") is None
    assert sessions.bind("tab-2", "w.a") == "tab-1"  # the older socket is to be disconnected
    assert sessions.session_of("tab-1") is None and sessions.session_of("tab-2") == "w.a"
    assert sessions.forget("tab-1") is None  # the old socket's disconnection frees nothing
    assert sessions.session_of("tab-2") == "w.a"
    assert sessions.forget("tab-2") == "w.a" and sessions.bind("tab-3", "w.a") is None


def test_the_signing_secret_is_made_once_and_kept(tmp_path):
    secret_file = tmp_path / "var" / "session-secret"
    first = session_secret({}, secret_file)
    assert session_secret({}, secret_file) == first and len(first) >= 32
    assert secret_file.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert session_secret({"ASSISTANT_SESSION_SECRET": "x" * 40}, secret_file) == b"x" * 40
    with pytest.raises(SystemExit):
        session_secret({"ASSISTANT_SESSION_SECRET": "short"}, secret_file)


# --- against the real servers ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    if not MODEL.exists():
        pytest.skip("no trained model: run `make train`")
    tmp = tmp_path_factory.mktemp("widget")
    with running_assistant(tmp, {"ASSISTANT_API_TOKEN": API_TOKEN}) as running:
        running.database = tmp / "conversations.db"
        yield running


class Tab:
    """One browser tab's socket, recording what the server sends it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.client = socketio.AsyncClient(reconnection=False)
        self.bot: List[Dict[str, Any]] = []
        self.errors: List[str] = []
        self.confirmed: asyncio.Queue = asyncio.Queue()
        self.disconnected = asyncio.Event()
        self.client.on("bot_uttered", self.bot.append)
        self.client.on(ERROR_EVENT, lambda data: self.errors.append(data["error"]))
        self.client.on("session_confirm", self.confirmed.put_nowait)
        self.client.on("disconnect", self.disconnected.set)

    async def open(self, session_id: Optional[str] = None) -> str:
        # Long polling: python-engineio 4.15's WebSocket client needs a newer aiohttp than Rasa's.
        await self.client.connect(self.url, headers={"Origin": PAGE_ORIGIN}, transports=["polling"])
        await self.client.emit("session_request", {"session_id": session_id})
        return await asyncio.wait_for(self.confirmed.get(), WAIT)

    async def say(self, session_id: str, text: Any, **extra: Any) -> None:
        await self.client.emit("user_uttered", {"message": text, "session_id": session_id, **extra})

    async def wait_for_answer(self, count: int = 1) -> None:
        await until(lambda: len(self.bot) >= count)

    async def gets_the_salary(self, session_id: str) -> None:
        """The channel still works for this tab: the salary question gets its answer."""
        await self.say(session_id, "combien gagne un assistant médical ?")
        await until(lambda: "€" in texts(self.bot))

    async def close(self) -> None:
        await self.client.disconnect()


async def until(condition, timeout: float = WAIT) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the server did not answer in time")
        await asyncio.sleep(0.05)


def texts(messages: List[Dict[str, Any]]) -> str:
    return "\n".join(message.get("text", "") for message in messages)


def stored_events(assistant, conversation: str) -> List[Dict[str, Any]]:
    return assistant.bot.tracker(conversation, API_TOKEN)["events"]


def test_a_made_up_or_forged_session_id_gets_a_fresh_one(assistant):
    async def scenario():
        for requested in ["alice", "w.AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA", None]:
            tab = Tab(assistant.bot.base_url)
            confirmed = await tab.open(requested)
            assert confirmed != requested and confirmed.startswith("w.")
            await tab.close()
    asyncio.run(scenario())


def test_a_second_socket_cannot_speak_for_a_visitor_without_their_id_nor_listen_in_silently(assistant):
    async def scenario():
        visitor, intruder = Tab(assistant.bot.base_url), Tab(assistant.bot.base_url)
        session = await visitor.open()
        await visitor.say(session, "je suis aide-soignante, combien gagne un assistant médical ?")
        await visitor.wait_for_answer()
        assert "€" in texts(visitor.bot)
        own = await intruder.open()  # the intruder's own conversation
        token = session[2:].split(".")[0]
        for guessed in [session[:-1] + ("A" if session[-1] != "A" else "B"), f"w.{token}.", token, "visitor"]:
            await intruder.say(guessed, "/restart")
        await until(lambda: len(intruder.errors) == 4)
        assert all("session_request" in error for error in intruder.errors)
        # With the real id (which it cannot forge), a second socket takes the conversation over,
        # and the visitor's socket is disconnected: never two readers of one conversation.
        await intruder.say(session, "bonjour")
        await asyncio.wait_for(visitor.disconnected.wait(), WAIT)
        await intruder.close()
        return session, own
    session, own = asyncio.run(scenario())
    assert own != session
    assert not any(event["event"] == "restart" for event in stored_events(assistant, session))


def test_the_newest_socket_takes_over_a_conversation_and_the_older_is_disconnected(assistant):
    async def scenario():
        first, reloaded = Tab(assistant.bot.base_url), Tab(assistant.bot.base_url)
        session = await first.open()
        assert await reloaded.open(session) == session  # a page reload keeps the conversation
        await asyncio.wait_for(first.disconnected.wait(), WAIT)
        await reloaded.say(session, "combien gagne un assistant médical ?")
        await reloaded.wait_for_answer()
        assert "€" in texts(reloaded.bot) and first.bot == []
        await reloaded.close()
    asyncio.run(scenario())


def test_a_rest_sender_never_reaches_a_widget_conversation(assistant):
    async def scenario():
        tab = Tab(assistant.bot.base_url)
        session = await tab.open()
        await tab.say(session, "je suis infirmière")
        await tab.wait_for_answer()
        await tab.close()
        return session
    session = asyncio.run(scenario())
    before = stored_events(assistant, session)
    assistant.say(session, "en fait je n'ai aucun diplôme")
    assert stored_events(assistant, session) == before
    assert [e["text"] for e in stored_events(assistant, conversation_id(session)) if e["event"] == "user"] == [
        "en fait je n'ai aucun diplôme"]


@pytest.mark.parametrize("event", [
    "not an object",
    ["a", "list"],
    {"message": 42},
    {"message": "bonjour", "metadata": "{not json"},
    {"message": "bonjour", "metadata": [1, 2]},
    {"message": "bon\ud800jour"},
    {"message": "bonjour", "session_id": None},
])
def test_malformed_events_get_an_error_event_and_the_channel_keeps_working(assistant, event):
    async def scenario():
        tab = Tab(assistant.bot.base_url)
        session = await tab.open()
        payload = {"session_id": session, **event} if isinstance(event, dict) else event
        await tab.client.emit("user_uttered", payload)
        await until(lambda: tab.errors)
        await tab.gets_the_salary(session)
        await tab.close()
    asyncio.run(scenario())
    assert assistant.rasa.process.poll() is None


def test_a_packet_over_the_limit_is_refused_and_the_server_lives_on(assistant):
    async def scenario():
        tab = Tab(assistant.bot.base_url)
        session = await tab.open()
        await tab.say(session, "bonjour", metadata={"padding": "x" * 1_000_000})
        await asyncio.wait_for(tab.disconnected.wait(), WAIT)  # engine.io closes an oversized packet's socket
        other = Tab(assistant.bot.base_url)
        await other.gets_the_salary(await other.open())
        await other.close()
    asyncio.run(scenario())
    assert assistant.rasa.process.poll() is None


def test_metadata_the_assistant_does_not_use_is_not_stored(assistant):
    async def scenario():
        tab = Tab(assistant.bot.base_url)
        session = await tab.open()
        await tab.say(session, "bonjour", metadata={"padding": "x" * 50_000})
        await tab.wait_for_answer()
        await tab.close()
        return session
    session = asyncio.run(scenario())
    assert len(json.dumps(stored_events(assistant, session))) < 20_000


def test_a_turn_the_store_cannot_keep_gets_the_apology_not_silence(assistant):
    async def scenario():
        tab = Tab(assistant.bot.base_url)
        session = await tab.open()
        aside = assistant.database.with_name("conversations.db.away")
        assistant.database.rename(aside)  # the database file taken away while the server runs
        try:
            await tab.say(session, "combien gagne un assistant médical ?")
            await tab.wait_for_answer()
            assert "un incident technique" in texts(tab.bot)
        finally:
            aside.rename(assistant.database)
        tab.bot.clear()
        await tab.gets_the_salary(session)
        await tab.close()
    asyncio.run(scenario())
    log = assistant.rasa.log.read_text()
    assert "combien gagne" not in log and "StoreFileReplaced" in log
