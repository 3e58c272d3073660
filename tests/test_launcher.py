"""The launcher's faster check of action server responses accepts and rejects exactly as Rasa's."""

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from launcher.action_response import validate_action_result

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
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "launcher", "--version"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "Rasa Version" in result.stdout and "3.6.21" in result.stdout
