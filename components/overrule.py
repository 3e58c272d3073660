"""What the deterministic components of the pipeline do to a message: give it an intent, whatever the
classifiers before them said, first in the ranking (the actions read the others as the likely topics)."""

from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


def overrule(message: Message, intent_name: str, confidence: float = 1.0) -> None:
    intent = {INTENT_NAME_KEY: intent_name, "confidence": confidence}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != intent_name]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
