"""`components.safety_detector.SafetyDetector`, the last component of the NLU pipeline (config.yml).

A message expressing distress or describing symptoms gets the intent `distress` or
`health_question`, whatever the classifiers before it said: no classifier's confidence decides who is
told about the 3114 or to see a doctor. The decision itself is orientation.safety.detect, on the word
lists of knowledge/safety/lexicon.yml (read when the model is loaded).
"""

from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from orientation.safety import SafetyLexicon, detect, load_safety_lexicon

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafetyDetector(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"lexicon": "knowledge/safety/lexicon.yml"}  # relative to the project

    def __init__(self, lexicon: SafetyLexicon) -> None:
        self.lexicon = lexicon

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SafetyDetector":
        return cls(load_safety_lexicon(PROJECT_ROOT / config["lexicon"]))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            found = detect(message.get(TEXT) or "", self.lexicon)
            if found:
                intent = {"name": found, "confidence": 1.0}
                ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != found]
                message.set(INTENT, intent, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
        return messages
