"""`components.misunderstanding_check.MisunderstandingCheck`, after the relevance check in config.yml.

"jcomprend rien a vos trucs", "c'est pas ce que je demande", "vous voyez bien de quoi je parle": the
visitor says the last answer missed. The classifier, which knows no such intent by their words, hears a
topic in them ("comprend" is the training's content) and the visitor gets another answer beside the
point. This component gives them the intent `help`, whatever the classifiers said, when the message says
so and nothing else (orientation.focus.says_misunderstood, on the knowledge base's `requests`):
action_help then offers the topics and a human counsellor. The words are read when the model is loaded:
a counsellor adds one without retraining.
"""

from pathlib import Path
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from components.overrule import overrule
from orientation.focus import says_misunderstood
from orientation.loader import load_knowledge_base

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HELP = "help"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class MisunderstandingCheck(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"knowledge": "knowledge/assistant_medical.yml"}  # relative to the project

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.knowledge = load_knowledge_base(PROJECT_ROOT / config["knowledge"])

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "MisunderstandingCheck":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if message.get(TEXT) and says_misunderstood(self.knowledge, message.get(TEXT)):
                overrule(message, HELP)
        return messages
