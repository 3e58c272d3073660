"""Rasa's HTTP API (trackers, model, events) is off unless a token protects it.

`rasa run --enable-api` without `--auth-token` or `--jwt-secret` would let anyone who can reach the
port read every visitor's conversation. The launcher refuses that combination, and turns the API
on, with its token, only when ASSISTANT_API_TOKEN is set. The token travels in the environment,
not on the command line, so `ps` does not show it.
"""

from typing import List, Mapping, Optional

import settings

TOKEN_ENV = settings.ASSISTANT_API_TOKEN.name
MINIMUM_TOKEN_LENGTH = 16


def secured_arguments(argv: List[str], environ: Optional[Mapping[str, str]] = None) -> List[str]:
    """`rasa` arguments with the API either off, or on behind a token; SystemExit if it would be open."""
    serves_api = argv[:1] == ["run"] and argv[1:2] != ["actions"]
    if not serves_api:
        return argv
    token = settings.ASSISTANT_API_TOKEN.value(environ)
    protected = any(a.startswith(("--auth-token", "--jwt-secret")) for a in argv)
    if token:
        if len(token) < MINIMUM_TOKEN_LENGTH:
            raise SystemExit(f"{TOKEN_ENV} is too short: use at least {MINIMUM_TOKEN_LENGTH} random characters")
        extra = [] if "--enable-api" in argv else ["--enable-api"]
        return argv + extra + ([] if protected else ["--auth-token", token])
    if "--enable-api" in argv and not protected:
        raise SystemExit(f"Refusing to open Rasa's HTTP API without a token: set {TOKEN_ENV} "
                         "(or pass --auth-token / --jwt-secret). See docs/operations.md, \"Conversations, security, faults\".")
    return argv
