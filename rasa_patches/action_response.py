"""Validates action server responses with a validator built once.

Rasa 3.6 checks every custom action's response with `jsonschema.validate(result, schema)`, which
first re-checks Rasa's constant schema against the JSON Schema metaschema. Profiling the Rasa server
under load (py-spy, docs/measures.md, "Speed") put 63 % of its CPU time in that metaschema check: each turn
calls the action server two to four times. The schema is a constant, so it is checked once here;
responses are validated exactly as Rasa does: the error raised for an invalid response is the one
`jsonschema.validate` would raise (`best_match` of all the errors, not merely the first), with Rasa's text.
"""

from functools import lru_cache
from typing import Any, Dict, Text

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _response_validator():
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    """`RemoteAction._validate_action_result` (Rasa 3.6.21) with the schema checked once."""
    error = best_match(_response_validator().iter_errors(result))  # what jsonschema.validate raises
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the "
        f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error
