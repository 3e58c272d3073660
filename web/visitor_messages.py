"""What every channel does to a visitor's message before Rasa sees it.

A pasted CV or a stuck key can send thousands of characters: the NLU pipeline's cost grows with
the length, and no question about the job needs more than a few sentences. Only the beginning is
understood and stored. Control characters (NUL in particular, which PostgreSQL refuses in text)
are removed.
"""

import re
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage

MAX_MESSAGE_CHARS = 2000
MAX_SENDER_CHARS = 128  # Rasa's SQL tracker store keeps sender ids in a VARCHAR(255)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def prepared_text(text: Optional[str]) -> str:
    return _CONTROL.sub("", text or "")[:MAX_MESSAGE_CHARS].strip()


def sender_problem(sender: Any) -> Optional[str]:
    """Why a sender id is unusable, or None."""
    if not isinstance(sender, str) or not sender.strip():
        return "'sender' must be a non-empty string identifying the conversation"
    if len(sender) > MAX_SENDER_CHARS or _CONTROL.search(sender):
        return f"'sender' must be at most {MAX_SENDER_CHARS} printable characters"
    return None


def prepared(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[Any]]:
    """`on_new_message` receiving prepared text (for channels whose request handling is Rasa's)."""

    async def handle(message: UserMessage) -> Any:
        message.text = prepared_text(message.text)
        return await on_new_message(message)

    return handle
