"""Rasa's socket.io channel for the web widget, with the page's origins only and conversations that
only their own tab can reach.

Same events as Rasa's channel (``session_request`` / ``session_confirm``, ``user_uttered`` /
``bot_uttered``) and the same bot messages (Rasa's ``SocketIOOutput``), so rasa-webchat works as
published. What differs:

- Origins: Rasa 3.6 builds its socket.io server with ``cors_allowed_origins=[]``, which
  python-engineio reads as "CORS handling disabled": a page on *any* site could open a socket. Here
  only the origins of ``credentials.yml`` (or WEBCHAT_ALLOWED_ORIGINS, channels/origins.py) may; an
  empty list leaves same-origin requests only, never every origin.
- Sessions (channels/widget_sessions.py): the server issues signed session ids and confirms only those;
  a message is accepted only with an id the server issued; one socket at a time per conversation
  (the newest to ask for it or speak in it takes over, the older is disconnected, so a second
  reader cannot listen in silently). Sessions are always on, whatever `session_persistence` says.
- Input: an event that is not what the widget sends (not an object, a non-string message, bad
  metadata, text that is not valid Unicode) gets an ``assistant_error`` event saying what is wrong,
  never an exception; a packet is at most MAX_BODY_BYTES; text is prepared and metadata trimmed as
  on the REST channel (channels/visitor_messages.py); floods are refused per conversation
  (channels/flood_guard.py).
- A turn that cannot be handled (the tracker store cannot save it, for instance) gets the domain's
  apology (channels/server_edge.py), and the log names the cause without the visitor's text.

With several Rasa replicas, socket.io needs sticky sessions (docs/operations.md, "Deploying"); the one-socket
rule then holds per replica.
"""

import inspect
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

import rasa.core.channels.channel
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint, Sanic
from socketio import AsyncServer

from channels import server_edge
from channels.flood_guard import TurnRateLimiter
from channels.origins import DEFAULT_ORIGINS, allowed_origins
from channels.visitor_messages import (
    MAX_BODY_BYTES,
    kept_metadata,
    metadata_problem,
    strict_json,
    text_problem,
)
from channels.widget_sessions import SessionSigner, SocketSessions, session_secret

logger = logging.getLogger(__name__)

ERROR_EVENT = "assistant_error"


class WidgetBlueprint(SocketBlueprint):
    """Rasa's socket.io blueprint, which also hands the channel its app (for the domain's apology)."""

    def __init__(self, channel: "SocketIOInput", *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ctx.channel = channel

    def register(self, app: Sanic, options: Dict[Text, Any]) -> None:
        server_edge.harden(app)
        self.ctx.channel.app = app
        super().register(app, options)


class SocketIOInput(RasaSocketIOInput):
    allowed: List[str] = list(DEFAULT_ORIGINS)
    app: Optional[Sanic] = None

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.allowed = allowed_origins(credentials)
        return channel

    def _message_problem(self, data: Any, signer: SessionSigner) -> Optional[str]:
        if not isinstance(data, dict):
            return "the event must be an object such as {\"message\": \"...\", \"session_id\": \"...\"}"
        if not signer.issued(data.get("session_id")):
            return "send session_request first, and then messages with the session_id it confirmed"
        return text_problem(data.get("message")) or metadata_problem(_metadata(data.get(self.metadata_key)))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # None (not []) when nothing is listed: [] would switch python-engineio's origin check off.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=list(self.allowed) or None,
                          max_http_buffer_size=MAX_BODY_BYTES)
        if inspect.iscoroutinefunction(sio.enter_room):
            # Rasa's SocketIOOutput and this channel call enter_room without await: with
            # python-socketio >= 5.10 the session room would never be joined.
            raise RuntimeError("python-socketio >= 5.10 is not compatible with Rasa 3.6's socketio channel: "
                               "install the project's pinned python-socketio==5.9.0")
        webhook = WidgetBlueprint(self, sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        signer = SessionSigner(session_secret())
        sessions = SocketSessions()
        rate_limiter = TurnRateLimiter()
        logger.info("socketio channel: accepted origins %s", ", ".join(self.allowed) or "(same origin only)")

        async def refuse(sid: str, problem: str) -> None:
            await sio.emit(ERROR_EVENT, {"error": problem}, room=sid, namespace=self.namespace)

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            if not self.jwt_key:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            return bool(token and rasa.core.channels.channel.decode_bearer_token(
                token, self.jwt_key, self.jwt_algorithm))

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: Text) -> None:
            session_id = sessions.forget(sid)
            if session_id is not None:
                sio.leave_room(sid, session_id, namespace=self.namespace)

        async def hold(sid: str, session_id: str) -> None:
            """Socket `sid` holds `session_id` from now on; the socket that held it is disconnected."""
            held_before = sessions.session_of(sid)
            if held_before == session_id:
                return
            if held_before is not None:
                sio.leave_room(sid, held_before, namespace=self.namespace)
            previous = sessions.bind(sid, session_id)
            if previous is not None:  # one socket per conversation: the newest takes over
                sio.leave_room(previous, session_id, namespace=self.namespace)
                await sio.disconnect(previous, namespace=self.namespace)
            sio.enter_room(sid, session_id, namespace=self.namespace)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Any = None) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested if signer.issued(requested) else signer.issue()
            await hold(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any = None) -> None:
            problem = self._message_problem(data, signer)
            if problem:
                await refuse(sid, problem)
                return
            session_id = data["session_id"]
            # rasa-webchat opens a second socket when the conversation is opened before the first
            # has connected, and may send on one socket the session confirmed to the other: a message
            # with an id the server issued is taken as that socket's session request.
            await hold(sid, session_id)
            if not rate_limiter.allow(session_id):
                await refuse(sid, "too many messages for this conversation; wait a moment")
                return
            output = SocketIOOutput(sio, self.bot_message_evt)
            message = UserMessage(server_edge.prepared(self.app, data["message"]), output, session_id,
                                  input_channel=self.name(),
                                  metadata=kept_metadata(_metadata(data.get(self.metadata_key))))
            try:
                await on_new_message(message)
            except Exception as error:  # the store, the lock, an action: the visitor is told, not left waiting
                server_edge.log_failed_turn(self.name(), error)
                await output.send_text_message(session_id, server_edge.technical_problem_text(self.app))

        return webhook


def _metadata(metadata: Any) -> Any:
    """Rasa's channel also accepts metadata as a JSON string; anything unreadable is reported as is."""
    if isinstance(metadata, str):
        try:
            return strict_json(metadata)
        except ValueError:
            return metadata
    return metadata

