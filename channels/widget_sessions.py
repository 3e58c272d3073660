"""Widget conversations that only their own browser tab can reach.

Rasa's socket.io channel lets the client choose its session id and confirms any id it is sent: a
client that knows (or guesses) another visitor's id joins that visitor's room, receives their
replies and can send turns in their name. Here:

- the server issues the ids, signed with a secret (HMAC-SHA256), and confirms only ids it issued;
  any other id (forged, made up, from an old secret) is answered with a fresh one, so the widget
  simply starts a new conversation;
- one socket at a time holds a conversation: when a second socket asks for the same id or speaks
  in it (the page was reloaded, or opened in a second tab), the first one is disconnected and
  leaves the room, so nobody can listen in silently;
- widget ids have their own prefix (``w.``) and REST senders are stored under ``rest:`` (see
  channels/rest_channel.py), so a REST call can never address a widget conversation.

The secret comes from ASSISTANT_SESSION_SECRET (set it, identically, on every replica), else from
var/session-secret, created on first start (0600, git-ignored) so that a restart keeps the
widgets' conversations.
"""

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Dict, Optional

import settings

SECRET_ENV = settings.ASSISTANT_SESSION_SECRET.name
SECRET_FILE = Path(__file__).resolve().parent.parent / "var" / "session-secret"
PREFIX = "w."
_MIN_SECRET_BYTES = 16


def session_secret(environ: Optional[Dict[str, str]] = None, secret_file: Path = SECRET_FILE) -> bytes:
    """The signing secret: ASSISTANT_SESSION_SECRET, else the project's own secret file (made once)."""
    configured = settings.ASSISTANT_SESSION_SECRET.value(environ)
    if configured:
        if len(configured.encode()) < _MIN_SECRET_BYTES:
            raise SystemExit(f"{SECRET_ENV} is too short: use at least {_MIN_SECRET_BYTES} random characters")
        return configured.encode()
    try:
        stored = secret_file.read_bytes().strip()
        if len(stored) >= _MIN_SECRET_BYTES:
            return stored
    except FileNotFoundError:
        pass
    secret_file.parent.mkdir(parents=True, exist_ok=True)
    fresh = secrets.token_urlsafe(32).encode()
    # Created with its final permissions, and never overwritten by a second server starting together.
    try:
        descriptor = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return secret_file.read_bytes().strip()
    with os.fdopen(descriptor, "wb") as file:
        file.write(fresh)
    return fresh


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class SessionSigner:
    """Issues widget session ids and recognises the ones it issued."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _signature(self, token: str) -> str:
        return _b64(hmac.new(self._secret, token.encode(), hashlib.sha256).digest()[:16])

    def issue(self) -> str:
        token = _b64(secrets.token_bytes(16))
        return f"{PREFIX}{token}.{self._signature(token)}"

    def issued(self, session_id: object) -> bool:
        if not isinstance(session_id, str) or not session_id.startswith(PREFIX) or len(session_id) > 64:
            return False
        token, _, signature = session_id[len(PREFIX):].partition(".")
        return bool(token) and hmac.compare_digest(signature, self._signature(token))


class SocketSessions:
    """Which socket holds which widget conversation, one socket per conversation (in this process)."""

    def __init__(self) -> None:
        self._session_of: Dict[str, str] = {}
        self._socket_of: Dict[str, str] = {}

    def session_of(self, sid: str) -> Optional[str]:
        return self._session_of.get(sid)

    def bind(self, sid: str, session_id: str) -> Optional[str]:
        """Gives `session_id` to socket `sid`; returns the socket that held it until now, if another."""
        self.forget(sid)
        previous = self._socket_of.get(session_id)
        if previous is not None:
            self._session_of.pop(previous, None)
        self._session_of[sid] = session_id
        self._socket_of[session_id] = sid
        return previous if previous != sid else None

    def forget(self, sid: str) -> Optional[str]:
        """Forgets socket `sid` (disconnected); returns the session it held."""
        session_id = self._session_of.pop(sid, None)
        if session_id is not None and self._socket_of.get(session_id) == sid:
            del self._socket_of[session_id]
        return session_id
