"""Rasa's socketio channel, accepting only the origins listed in configuration.

Rasa 3.6's ``SocketIOInput`` builds its socket.io server with ``cors_allowed_origins=[]``, which
python-engineio reads as "CORS handling disabled": a page on *any* site can then open a socket and
talk to the assistant. This channel is the same channel with the origins taken from
``credentials.yml``::

    web.socketio_channel.SocketIOInput:
      session_persistence: true
      cors_allowed_origins:
        - http://127.0.0.1:8080

The environment variable ``WEBCHAT_ALLOWED_ORIGINS`` (origins separated by commas or spaces), when
set, replaces the list (to run the page on another port, or in tests). An origin is
``scheme://host[:port]`` exactly as browsers send it: no path, no trailing slash. ``*`` is refused.
An empty list leaves only same-origin requests (python-engineio's default), never every origin.
"""

import inspect
import logging
import os
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint

logger = logging.getLogger(__name__)

ORIGINS_ENV = "WEBCHAT_ALLOWED_ORIGINS"
DEFAULT_ORIGINS = ("http://127.0.0.1:8080", "http://localhost:8080")
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+$")


def allowed_origins(credentials: Optional[Dict[Text, Any]], environ: Optional[Dict[str, str]] = None) -> List[str]:
    """The origins a browser page may connect from: WEBCHAT_ALLOWED_ORIGINS, else credentials.yml."""
    environ = os.environ if environ is None else environ
    configured: Any
    if environ.get(ORIGINS_ENV, "").strip():
        configured = re.split(r"[,\s]+", environ[ORIGINS_ENV].strip())
    else:
        configured = (credentials or {}).get("cors_allowed_origins", list(DEFAULT_ORIGINS))
    if isinstance(configured, str):
        configured = [configured]
    if not isinstance(configured, (list, tuple)):
        raise ValueError(f"cors_allowed_origins must be a list of origins, not {configured!r}")
    origins = []
    for origin in configured:
        origin = str(origin).strip().rstrip("/")
        if not origin:
            continue
        if origin == "*":
            raise ValueError("cors_allowed_origins: '*' would let every site use the assistant; list the sites' origins")
        if not _ORIGIN.match(origin):
            raise ValueError(f"cors_allowed_origins: {origin!r} is not an origin such as https://www.example.fr "
                             "(scheme, host and port only)")
        origins.append(origin)
    return origins


class SocketIOInput(RasaSocketIOInput):
    """Rasa's socketio channel (same events, same session persistence) with an origin allow-list."""

    allowed: List[str] = list(DEFAULT_ORIGINS)

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.allowed = allowed_origins(credentials)
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_webhook = super().blueprint(on_new_message)
        assert self.sio is not None
        if inspect.iscoroutinefunction(self.sio.enter_room):
            # Rasa 3.6 calls enter_room without await: with python-socketio >= 5.10 the visitor's
            # session room is never joined and bot replies never reach the widget.
            raise RuntimeError("python-socketio >= 5.10 is not compatible with Rasa 3.6's socketio channel: "
                               "install the project's pinned python-socketio==5.9.0")
        # None (not []) when nothing is listed: [] would switch python-engineio's origin check off.
        self.sio.eio.cors_allowed_origins = list(self.allowed) or None
        logger.info("socketio channel: accepted origins %s", ", ".join(self.allowed) or "(same origin only)")
        return socketio_webhook
