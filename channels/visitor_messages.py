"""What every channel checks and prepares before Rasa sees a visitor's message (the edge rules).

One rule for every identifier that reaches the tracker store (a REST ``sender``, a socket.io
``session_id``, a conversation id in an HTTP API path): a non-empty string of at most
MAX_ID_CHARS printable characters. ``str.isprintable`` refuses control characters (NUL, which
PostgreSQL refuses in text), lone UTF-16 surrogates (which no database driver can encode: one in a
sender id used to make the server exit) and invisible format characters.

Message text must be valid Unicode; only its beginning is understood and stored (a pasted CV or a
stuck key can send thousands of characters, and no question about the job needs more). A text that
starts with ``/`` is an intent payload (a button) only when it has a payload's shape and names an
intent and entities of the domain; otherwise the slash is dropped, so that Rasa neither tries to
read the visitor's sentence as an intent nor logs it in full when it fails to.

``metadata`` is checked (a JSON object) but only the keys the actions read are kept: none today.
Anything else would be copied into several stored events at every turn (one 20 MB object added
164 MB to the store).
"""

import json
import re
from typing import Any, Collection, Dict, Optional

MAX_MESSAGE_CHARS = 2000
MAX_ID_CHARS = 128  # Rasa's SQL tracker store keeps sender ids in a VARCHAR(255)
MAX_BODY_BYTES = 64 * 1024  # a 2,000-character message of emoji, JSON-escaped, fits several times
METADATA_KEYS: frozenset = frozenset()  # add a key here when an action reads it from the metadata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_PAYLOAD = re.compile(r"/[A-Za-z_][A-Za-z0-9_]*(\{.*\})?", re.DOTALL)


def identifier_problem(value: Any, name: str = "sender") -> Optional[str]:
    """Why `value` cannot identify a conversation, or None."""
    if not isinstance(value, str) or not value.strip():
        return f"'{name}' must be a non-empty string identifying the conversation"
    if len(value) > MAX_ID_CHARS or not value.isprintable():
        return f"'{name}' must be at most {MAX_ID_CHARS} printable characters"
    return None


def text_problem(text: Any) -> Optional[str]:
    """Why `text` cannot be a visitor's message, or None."""
    if not isinstance(text, str):
        return "'message' must be a string"
    if _SURROGATE.search(text):
        return "'message' must be valid Unicode text"
    return None


def metadata_problem(metadata: Any) -> Optional[str]:
    if metadata is not None and not isinstance(metadata, dict):
        return "'metadata' must be a JSON object"
    return None


def kept_metadata(metadata: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """The part of a message's metadata that the assistant uses (and so stores)."""
    return {key: value for key, value in (metadata or {}).items() if key in METADATA_KEYS}


def strict_json(text: str) -> Any:
    """`json.loads` for standard JSON only: NaN and Infinity, and nesting too deep to parse, are refused
    with a ValueError (Python's json accepts the first two and answers the last with a RecursionError)."""
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise ValueError("JSON nested too deeply")


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not standard JSON")


def is_payload(text: str, intents: Optional[Collection[str]] = None,
               entities: Optional[Collection[str]] = None) -> bool:
    """True for ``/intent`` and ``/intent{"entity": "value"}`` (a button's payload), with the intent and
    entities among those given (the domain's), when given."""
    match = _PAYLOAD.fullmatch(text)
    if not match or (intents is not None and text[1:].split("{")[0] not in intents):
        return False
    if match.group(1) is None:
        return True
    try:
        values = strict_json(match.group(1))
    except ValueError:
        return False
    return isinstance(values, dict) and (entities is None or set(values) <= set(entities))


def prepared_text(text: Optional[str], intents: Optional[Collection[str]] = None,
                  entities: Optional[Collection[str]] = None) -> str:
    """The text Rasa gets: control characters removed, the beginning only, and the leading slash of
    anything but a payload of the domain dropped (Rasa would log the whole line as a failed payload)."""
    text = _CONTROL.sub("", text or "")[:MAX_MESSAGE_CHARS].strip()
    if text.startswith("/") and not is_payload(text, intents, entities):
        text = text.lstrip("/").strip()
    return text
