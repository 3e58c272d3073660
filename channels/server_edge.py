"""What both channels set on the Rasa server they are registered on (once per server).

Channels are the one place of a `rasa run` server that the project configures (credentials.yml)
and that receives the Sanic app, so the server-wide guards live here:

- idle clients are timed out: a connection on which nothing arrives for REQUEST_TIMEOUT seconds is
  closed (Sanic restarts that clock at every byte: a trickling client needs the proxy's deadlines);
- a conversation id in an HTTP API path (``/conversations/<id>/...``, behind the API token) follows
  the same rule as a channel's sender (channels/visitor_messages.py): an id that is not valid
  percent-encoded UTF-8, or not a usable id, gets 400 instead of an empty conversation;
- a visitor's text is prepared against the loaded model's domain (channels/visitor_messages.py);
- when a turn cannot be handled (the tracker store cannot save it, for instance), the visitor is
  sent the domain's `utter_technical_problem`, never silence.
"""

import logging
from typing import Optional
from urllib.parse import unquote

from rasa.shared.core.domain import Domain
from sanic import Sanic, response
from sanic.request import Request

from stores.conversation_store import ConversationStoreError, describe
from channels.visitor_messages import identifier_problem, prepared_text

logger = logging.getLogger(__name__)

REQUEST_TIMEOUT = 10  # seconds without a byte of the request (Sanic's default: 60)
TECHNICAL_PROBLEM = "utter_technical_problem"


def harden(app: Sanic) -> None:
    if getattr(app.ctx, "assistant_edge", False):
        return
    app.ctx.assistant_edge = True
    app.config.REQUEST_TIMEOUT = REQUEST_TIMEOUT
    app.register_middleware(refuse_unusable_conversation_ids, "request")


async def refuse_unusable_conversation_ids(request: Request):
    parts = request.path.split("/")
    if len(parts) < 3 or parts[1] != "conversations":
        return None
    try:
        conversation_id = unquote(parts[2], errors="strict")
    except UnicodeDecodeError:
        conversation_id = None
    problem = identifier_problem(conversation_id, "conversation id")
    if problem:
        return response.json({"error": problem}, status=400)
    return None


def loaded_domain(app: Optional[Sanic]) -> Optional[Domain]:
    """The domain of the model the server has loaded, None before it has one."""
    return getattr(getattr(getattr(app, "ctx", None), "agent", None), "domain", None)


def prepared(app: Optional[Sanic], text: str) -> str:
    """The visitor's text as Rasa should get it, checked against the loaded model's domain."""
    domain = loaded_domain(app)
    if domain is None:
        return prepared_text(text)
    return prepared_text(text, domain.intents, domain.entities)


def technical_problem_text(app: Optional[Sanic]) -> str:
    """The apology of the domain, as the loaded model has it."""
    try:
        return loaded_domain(app).responses[TECHNICAL_PROBLEM][0]["text"]
    except (AttributeError, KeyError, IndexError, TypeError):
        logger.error("%s is missing from the domain: the visitor gets a generic apology", TECHNICAL_PROBLEM)
        return "Désolé, un incident technique m'empêche de vous répondre pour le moment."


def log_failed_turn(channel: str, error: BaseException) -> None:
    """The operator's ERROR line for a turn that could not be handled: the cause, never the visitor's text
    (stores/conversation_store.py's `describe`, which keeps a database error's statement and
    parameters out)."""
    cause = describe(error)
    if isinstance(error, ConversationStoreError):  # the store's own words: say which of its failures
        cause = f"{type(error).__name__}: {cause}"
    logger.error("%s channel: a turn could not be handled (%s); the visitor was told. Text not logged.",
                 channel, cause)
