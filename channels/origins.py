"""The web pages allowed to talk to the assistant, shared by the REST and socketio channels.

Each channel's entry in ``credentials.yml`` lists them under ``cors_allowed_origins``; the
environment variable ``WEBCHAT_ALLOWED_ORIGINS`` (origins separated by commas or spaces), when set,
replaces the lists (to run the page on another port, or in tests). An origin is
``scheme://host[:port]`` exactly as browsers send it: no path, no trailing slash. ``*`` is refused:
it would let any site embed the assistant and talk to it in its visitors' name.
"""

import re
from typing import Any, Dict, List, Optional, Text

import settings

ORIGINS_ENV = settings.WEBCHAT_ALLOWED_ORIGINS.name
DEFAULT_ORIGINS = ("http://127.0.0.1:8080", "http://localhost:8080")
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-\[\]:]+$")


def allowed_origins(credentials: Optional[Dict[Text, Any]], environ: Optional[Dict[str, str]] = None) -> List[str]:
    """The origins a browser page may connect from: WEBCHAT_ALLOWED_ORIGINS, else credentials.yml."""
    configured: Any = settings.WEBCHAT_ALLOWED_ORIGINS.value(environ)
    if configured:
        configured = re.split(r"[,\s]+", configured)
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
