"""Rasa's REST channel, hardened for the open web: origin allow-list, checked input, no text in logs.

Same URL and replies as Rasa's (``POST /webhooks/rest/webhook`` with ``{"sender", "message"}``), but:

- a browser request from a page whose origin is not listed (web/origins.py) gets 403, and listed
  pages get the CORS headers they need; requests without an Origin header (servers, curl) pass;
- a body that is not a UTF-8 JSON object with a string ``message`` and a usable ``sender`` gets
  400 with a message saying what is wrong, instead of a stack trace in the log;
- message text is prepared like on every channel (web/visitor_messages.py);
- a failure while handling the message is logged *without* the visitor's text (Rasa's channel logs
  it), and the client gets 500 with a short explanation.
"""

import json
import logging
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.rest import RestInput as RasaRestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from web.origins import DEFAULT_ORIGINS, allowed_origins
from web.visitor_messages import prepared_text, sender_problem

logger = logging.getLogger(__name__)


class BadRequest(ValueError):
    pass


def parse_body(body: bytes) -> Dict[str, Any]:
    """The request's JSON object, or BadRequest saying what is wrong with it."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("the body must be UTF-8 encoded JSON")
    except ValueError:
        raise BadRequest('the body must be a JSON object such as {"sender": "...", "message": "..."}')
    if not isinstance(data, dict):
        raise BadRequest('the body must be a JSON object such as {"sender": "...", "message": "..."}')
    problem = sender_problem(data.get("sender"))
    if problem:
        raise BadRequest(problem)
    if not isinstance(data.get("message"), str):
        raise BadRequest("'message' must be a string")
    if data.get("metadata") is not None and not isinstance(data["metadata"], dict):
        raise BadRequest("'metadata' must be a JSON object")
    return data


class RestInput(RasaRestInput):
    allowed: List[str] = list(DEFAULT_ORIGINS)

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

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST", "OPTIONS"])
        async def receive(request: Request) -> HTTPResponse:
            headers = self.cors_headers(request)
            if headers is None:
                return response.json({"error": "this site is not allowed to use the assistant"}, status=403)
            if request.method == "OPTIONS":
                preflight = {"Access-Control-Allow-Methods": "POST", "Access-Control-Allow-Headers": "Content-Type"}
                return response.empty(headers={**headers, **preflight})
            try:
                data = parse_body(request.body)
            except BadRequest as problem:
                return response.json({"error": str(problem)}, status=400, headers=headers)
            collector = CollectingOutputChannel()
            message = UserMessage(prepared_text(data["message"]), collector, data["sender"],
                                  input_channel=self.name(), metadata=data.get("metadata"))
            try:
                await on_new_message(message)
            except Exception:
                logger.exception("REST channel: the message could not be handled (text not logged)")
                return response.json({"error": "the assistant could not handle this message; please retry"},
                                     status=500, headers=headers)
            return response.json(collector.messages, headers=headers)

        return webhook
