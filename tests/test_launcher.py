"""The launcher's fixes to Rasa behave as Rasa does where they should: same validation, same
understanding of messages; and the HTTP API is never open without a token."""

import json
import os
import subprocess
import sys

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from launcher.action_response import validate_action_result
from launcher.api_access import TOKEN_ENV, secured_arguments
from launcher.graph_runner import evaluate
from tests.conftest import ROOT

VALID = {"events": [{"event": "slot", "name": "offer", "value": "aucune"}], "responses": [{"text": "Bonjour"}]}


def test_valid_response_is_accepted_like_rasa_does():
    action = RemoteAction("action_answer_question", None)
    assert RemoteAction._validate_action_result(action, VALID) is True  # Rasa's own check
    assert validate_action_result(action, VALID) is True


@pytest.mark.parametrize("invalid", [{"events": "not a list"}, {"events": [{"no_event_key": 1}]}, {"responses": {"text": "x"}}])
def test_invalid_response_is_rejected_like_rasa_does(invalid):
    action = RemoteAction("action_answer_question", None)
    with pytest.raises(ValidationError):
        RemoteAction._validate_action_result(action, invalid)
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        validate_action_result(action, invalid)


def test_launcher_runs_rasa_commands():
    result = subprocess.run([sys.executable, "-m", "launcher", "--version"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Rasa Version" in result.stdout and "3.6.21" in result.stdout


PARSE_WITH_LOADER = """
import asyncio, json, sys
if sys.argv[1] == "launcher":
    from launcher import install_model_fixes
    install_model_fixes()
from rasa.core.agent import Agent
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
agent = Agent.load("models/assistant.tar.gz")
messages = ["bonjour", "combien gagne un assistant medical", "je n'ai pas le bac", "slt c koi le salair",
            "je suis infirmière, je peux devenir assistante médicale ?", "jai envie de mourir"]
async def understand_and_predict(text):
    parsed = await agent.parse_message(text)
    tracker = DialogueStateTracker.from_events("t", [ActionExecuted("action_listen"), UserUttered(
        text, parsed["intent"], parsed["entities"], parse_data=parsed)], agent.domain.slots)
    prediction = agent.processor._predict_next_with_tracker(tracker)
    return [parsed["intent"]["name"], round(parsed["intent"]["confidence"], 5), parsed["entities"],
            prediction.policy_name, [round(p, 5) for p in prediction.probabilities]]
async def all_messages():
    return [await understand_and_predict(m) for m in messages]
print(json.dumps(asyncio.run(all_messages())))
"""


@pytest.mark.skipif(not (ROOT / "models" / "assistant.tar.gz").exists(), reason="no trained model: run `make train`")
def test_the_launchers_model_load_caches_and_graph_runner_understand_and_decide_exactly_as_rasa():
    def parses(loader):
        result = subprocess.run([sys.executable, "-c", PARSE_WITH_LOADER, loader], cwd=ROOT, capture_output=True,
                                text=True, timeout=300, env=dict(os.environ, RASA_TELEMETRY_ENABLED="false"))
        assert result.returncode == 0, result.stderr[-2000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    launcher, rasa = parses("launcher"), parses("rasa")
    assert launcher == rasa and launcher[2][0] == "inform" and launcher[4][0] == "ask_eligibility"
    assert launcher[5][:2] == ["distress", 1.0]  # the SafetyDetector, last component, runs in both
    assert launcher[1][3] == "RulePolicy"  # a decision was compared, not an empty prediction


def test_graph_nodes_run_once_each_after_what_they_need():
    calls = []

    def node(name):
        def call(*inputs):
            calls.append(name)
            return name, [value for _, value in inputs] or name
        return call

    graph = {"message": ("message", "bonjour"), "tokens": (node("tokens"), "message"),
             "features": (node("features"), "tokens"), "intent": (node("intent"), "tokens", "features"),
             "unused": (node("unused"), "message")}
    assert evaluate(graph, ["intent"]) == {"intent": [["bonjour"], [["bonjour"]]]}
    assert calls == ["tokens", "features", "intent"]


@pytest.mark.parametrize("argv, environ, expected", [
    (["run", "--port", "5005"], {}, ["run", "--port", "5005"]),  # API off: nothing added
    (["run"], {TOKEN_ENV: "s3cret-token-0123456789"}, ["run", "--enable-api", "--auth-token", "s3cret-token-0123456789"]),
    (["run", "actions"], {TOKEN_ENV: "s3cret-token-0123456789"}, ["run", "actions"]),
    (["run", "--enable-api", "--auth-token", "x" * 20], {}, ["run", "--enable-api", "--auth-token", "x" * 20]),
    (["shell"], {}, ["shell"]),
])
def test_the_api_is_off_or_behind_a_token(argv, environ, expected):
    assert secured_arguments(argv, environ) == expected


@pytest.mark.parametrize("argv, environ", [(["run", "--enable-api"], {}), (["run"], {TOKEN_ENV: "short"})])
def test_an_open_api_is_refused(argv, environ):
    with pytest.raises(SystemExit):
        secured_arguments(argv, environ)
