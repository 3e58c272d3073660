"""Rasa's REST channel, hardened for the open web: origin allow-list, checked input, no text in logs.

Same URL and replies as Rasa's (``POST /webhooks/rest/webhook`` with ``{"sender", "message"}``), but:

- a browser request from a page whose origin is not listed (channels/origins.py) gets 403, and listed
  pages get the CORS headers they need, preflight included; requests without an Origin header
  (servers, curl) pass;
- the body is read up to MAX_BODY_BYTES (413 beyond), and a body that is not a standard UTF-8 JSON
  object with a string ``message`` and a usable ``sender`` (channels/visitor_messages.py) gets 400 with
  a message saying what is wrong, never a 500 or a stack trace;
- a REST sender's conversation is stored as ``rest:<sender>``: REST senders cannot reach a widget's
  conversation (channels/widget_sessions.py). A server calling this channel keeps its own sender ids;
  read a conversation back through the API as ``/conversations/rest:<sender>/tracker``;
- one conversation may send a burst of turns, then about two a second (429 beyond,
  channels/flood_guard.py); other conversations are not slowed;
- when the turn cannot be handled (the tracker store cannot save it, for instance), the client
  gets 503 with the domain's apology as the bot's message, and the log names the cause without
  the visitor's text (Rasa's channel logs the text).
"""

import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import server_edge
from channels.flood_guard import TurnRateLimiter
from channels.origins import DEFAULT_ORIGINS, allowed_origins
from channels.visitor_messages import (
    MAX_BODY_BYTES,
    identifier_problem,
    kept_metadata,
    metadata_problem,
    strict_json,
    text_problem,
)

logger = logging.getLogger(__name__)

CONVERSATION_PREFIX = "rest:"
_SHAPE = 'the body must be a JSON object such as {"sender": "...", "message": "..."}'


class BadRequest(ValueError):
    pass


def conversation_id(sender: str) -> str:
    """The tracker store's id of a REST sender's conversation."""
    return CONVERSATION_PREFIX + sender


def parse_body(body: bytes) -> Dict[str, Any]:
    """The request's JSON object, or BadRequest saying what is wrong with it."""
    try:
        data = strict_json(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("the body must be UTF-8 encoded JSON")
    except ValueError:
        raise BadRequest(_SHAPE)
    if not isinstance(data, dict):
        raise BadRequest(_SHAPE)
    problem = (identifier_problem(data.get("sender")) or text_problem(data.get("message"))
               or metadata_problem(data.get("metadata")))
    if problem:
        raise BadRequest(problem)
    return data


async def read_body(request: Request) -> Optional[bytes]:
    """The streamed body, or None past MAX_BODY_BYTES (Sanic alone would accept 100 MB)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    chunks: List[bytes] = []
    size = 0
    while True:
        chunk = await request.stream.read()
        if chunk is None:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)


class RestBlueprint(Blueprint):
    """Registers the channel's routes, its CORS preflight and the server-wide guards (channels/server_edge.py)."""

    def __init__(self, channel: "RestInput", *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ctx.channel = channel

    def register(self, app: Sanic, options: Dict[Text, Any]) -> None:
        server_edge.harden(app)
        webhook_path = f"{options.get('url_prefix') or ''}/webhook"

        # Rasa's CORS extension (sanic-cors, its origin list empty) puts a middleware at the head of
        # the chain when the server starts, which answers every OPTIONS request without CORS headers.
        # This one goes in front of it, the same way, for this channel's URL only.
        async def answer_preflight(request: Request) -> Optional[HTTPResponse]:
            if request.method == "OPTIONS" and request.path.rstrip("/") == webhook_path:
                return self.ctx.channel.preflight(request)
            return None

        @app.listener("before_server_start")
        async def put_preflight_first(app: Sanic, _loop: Any) -> None:
            app.request_middleware.appendleft(answer_preflight)

        super().register(app, options)


class RestInput(RasaRestInput):
    allowed: List[str] = list(DEFAULT_ORIGINS)

    def __init__(self) -> None:
        self.rate_limiter = TurnRateLimiter()

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = cls()
        channel.allowed = allowed_origins(credentials)
        return channel

    def cors_headers(self, request: Request) -> Optional[Dict[str, str]]:
        """Headers for an accepted request, None for a refused origin."""
        origin = request.headers.get("origin")
        if origin is None:
            return {}
        if origin.rstrip("/") not in self.allowed:
            return None
        return {"Access-Control-Allow-Origin": origin, "Vary": "Origin"}

    def preflight(self, request: Request) -> HTTPResponse:
        headers = self.cors_headers(request)
        if headers is None:
            return response.json({"error": "this site is not allowed to use the assistant"}, status=403)
        return response.empty(headers={**headers, "Access-Control-Allow-Methods": "POST",
                                       "Access-Control-Allow-Headers": "Content-Type",
                                       "Access-Control-Max-Age": "600"})

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = RestBlueprint(self, f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            headers = self.cors_headers(request)
            if headers is None:
                return response.json({"error": "this site is not allowed to use the assistant"}, status=403)
            body = await read_body(request)
            if body is None:
                return response.json({"error": f"the body must be at most {MAX_BODY_BYTES} bytes"},
                                     status=413, headers=headers)
            try:
                data = parse_body(body)
            except BadRequest as problem:
                return response.json({"error": str(problem)}, status=400, headers=headers)
            sender = conversation_id(data["sender"])
            if not self.rate_limiter.allow(sender):
                return response.json({"error": "too many messages for this conversation; wait a moment"},
                                     status=429, headers={**headers, "Retry-After": "2"})
            collector = CollectingOutputChannel()
            message = UserMessage(server_edge.prepared(request.app, data["message"]), collector, sender,
                                  input_channel=self.name(), metadata=kept_metadata(data.get("metadata")))
            try:
                await on_new_message(message)
            except Exception as error:  # the store, the lock, an action: the visitor is told, not left waiting
                server_edge.log_failed_turn(self.name(), error)
                apology = [{"recipient_id": data["sender"], "text": server_edge.technical_problem_text(request.app)}]
                return response.json(apology, status=503, headers=headers)
            for reply in collector.messages:  # the client knows its sender, not the stored id
                reply["recipient_id"] = data["sender"]
            return response.json(collector.messages, headers=headers)

        return webhook
