"""Rasa's socketio channel, accepting only the origins listed in configuration.

Rasa 3.6's ``SocketIOInput`` builds its socket.io server with ``cors_allowed_origins=[]``, which
python-engineio reads as "CORS handling disabled": a page on *any* site can then open a socket and
talk to the assistant. This channel is the same channel with the origins taken from
``credentials.yml``::

    web.socketio_channel.SocketIOInput:
      session_persistence: true
      cors_allowed_origins:
        - http://127.0.0.1:8080

The environment variable ``WEBCHAT_ALLOWED_ORIGINS`` replaces the list (web/origins.py). An empty
list leaves only same-origin requests (python-engineio's default), never every origin. Messages are
prepared as on the REST channel (web/visitor_messages.py).
"""

import inspect
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint

from web.origins import DEFAULT_ORIGINS, allowed_origins
from web.visitor_messages import prepared

logger = logging.getLogger(__name__)

class SocketIOInput(RasaSocketIOInput):
    """Rasa's socketio channel (same events, same session persistence) with an origin allow-list."""

    allowed: List[str] = list(DEFAULT_ORIGINS)

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.allowed = allowed_origins(credentials)
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_webhook = super().blueprint(prepared(on_new_message))
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
