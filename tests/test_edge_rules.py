"""The rules both channels apply before Rasa sees a message (channels/visitor_messages.py, channels/flood_guard.py,
channels/server_edge.py), without servers."""

import pytest

from channels.flood_guard import TurnRateLimiter
from channels.server_edge import log_failed_turn
from channels.visitor_messages import (
    MAX_MESSAGE_CHARS,
    identifier_problem,
    is_payload,
    kept_metadata,
    prepared_text,
    strict_json,
    text_problem,
)

INTENTS = ["greet", "inform", "affirm"]
ENTITIES = ["diploma", "job"]


@pytest.mark.parametrize("identifier", ["visitor-1", "Zoé 42", "w.abc.def", "x" * 128])
def test_usable_identifiers(identifier):
    assert identifier_problem(identifier) is None


@pytest.mark.parametrize("identifier", [None, 42, "", "   ", "x" * 129, "x\ud800", "x\udfff", "x\x00", "x\n",
                                        "x\u200b", "x\u2028"])
def test_identifiers_no_store_can_keep_are_refused(identifier):
    assert identifier_problem(identifier)


def test_message_text_must_be_valid_unicode():
    assert text_problem("bonjour 😀 é") is None
    assert text_problem("bon\ud83djour") and text_problem(None) and text_problem(["x"])


@pytest.mark.parametrize("text, prepared", [
    ("/greet", "/greet"),
    ('/inform{"diploma": "bac"}', '/inform{"diploma": "bac"}'),
    ("/ je m'appelle Zoé", "je m'appelle Zoé"),  # a sentence, not a payload: Rasa would log it whole
    ("/Zoé", "Zoé"),
    ("/unknown_intent", "unknown_intent"),
    ('/inform{"secret": "x"}', 'inform{"secret": "x"}'),  # an entity the domain does not have
    ('/inform{"diploma": NaN}', 'inform{"diploma": NaN}'),
    ("//greet", "greet"),
    ("  salaire\x00 \x07", "salaire"),
])
def test_only_the_domains_payloads_keep_their_slash(text, prepared):
    assert prepared_text(text, INTENTS, ENTITIES) == prepared


def test_payload_shape_without_a_domain():
    assert is_payload("/anything") and is_payload('/x{"a": 1}')
    assert not is_payload("/x{not json}") and not is_payload("/x[1]") and not is_payload("/x y")


def test_only_the_beginning_of_a_long_message_is_kept():
    assert len(prepared_text("a" * 10_000)) == MAX_MESSAGE_CHARS


@pytest.mark.parametrize("text", ["NaN", '{"a": Infinity}', '{"a": -Infinity}', "[" * 100_000 + "]" * 100_000])
def test_strict_json_refuses_what_standard_json_has_not(text):
    with pytest.raises(ValueError):
        strict_json(text)


def test_only_metadata_the_assistant_reads_is_kept():
    assert kept_metadata({"padding": "x" * 1000, "deep": [[[]]]}) == {}
    assert kept_metadata(None) == {}


def test_a_conversation_gets_a_burst_then_a_steady_rate_and_others_are_not_slowed():
    now = [0.0]
    limiter = TurnRateLimiter(burst=3, rate=1.0, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(5)] == [True, True, True, False, False]
    assert limiter.allow("b")  # another conversation has its own bucket
    now[0] += 1.0
    assert limiter.allow("a") and not limiter.allow("a")


def test_idle_conversations_are_forgotten():
    now = [0.0]
    limiter = TurnRateLimiter(burst=2, rate=1.0, clock=lambda: now[0], max_tracked=10)
    for index in range(10):
        limiter.allow(f"visitor-{index}")
    now[0] += 5
    limiter.allow("late")
    assert len(limiter._buckets) == 1


def test_the_logged_cause_never_carries_a_statements_parameters(caplog):
    import sqlite3

    import sqlalchemy.exc

    driver = sqlite3.OperationalError("disk I/O error")
    error = sqlalchemy.exc.StatementError("stmt", "INSERT ...", {"data": "je m'appelle Zoé"}, driver)
    for failed, logged in [(error, "OperationalError: disk I/O error"), (KeyError("je m'appelle Zoé"), "KeyError"),
                           (OSError(28, "No space left on device"), "OSError: No space left on device")]:
        caplog.clear()
        log_failed_turn("rest", failed)
        assert f"({logged})" in caplog.text and "Zoé" not in caplog.text
