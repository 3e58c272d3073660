"""`components.safety_detector.SafetyDetector`, the last component of the NLU pipeline (config.yml).

A message expressing distress or describing symptoms gets the intent `distress` or
`health_question`, whatever the classifiers before it said: no classifier's confidence decides who is
told about the 3114 or to see a doctor. The decision is orientation.safety.detect, on the word lists of
knowledge/safety/lexicon.yml (read when the model is loaded): what they name is always answered.

Under them, a second net for distress that no listed word says ("j'ai rédigé mon testament hier à 34
ans"): orientation.distress_model, trained with the model on the boundary rounds' messages
(`examples`) and the NLU training examples. When its score reaches `distress_threshold` (docs/behaviour.md,
"Limits": chosen by leave-one-round-out), a message the lists left alone or took for health gets the
distress answer, which gives the 15 and the 112 too; it never takes a distress answer away.
"""

from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.overrule import overrule
from orientation.distress_model import (DistressModel, boundary_sets, detect_with_model, examples_fingerprint,
                                        train_on_rounds)
from orientation.safety import load_safety_lexicon

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODEL_FILE = "distress_model.pickle"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SafetyDetector(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "lexicon": "knowledge/safety/lexicon.yml",  # relative to the project
            "examples": "tests/boundaries",  # the rounds the distress model learns from
            "distress_threshold": 0.8,
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 distress_model: Optional[DistressModel] = None) -> None:
        self.config = config
        self.lexicon = load_safety_lexicon(PROJECT_ROOT / config["lexicon"])
        self.distress_model = distress_model
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        # Files outside the training data: a round added or corrected, or an idiom the model must not weigh,
        # retrains the model. Rasa's training hooks may pass the config of the cache's stand-in for this
        # component (its fingerprint run), without our keys: the defaults fill them.
        config = {**cls.get_default_config(), **config}
        return examples_fingerprint(PROJECT_ROOT / config["examples"], PROJECT_ROOT / config["lexicon"])

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SafetyDetector":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [example.get(TEXT) for example in training_data.intent_examples if example.get(TEXT)]
        self.distress_model = train_on_rounds(boundary_sets(PROJECT_ROOT / self.config["examples"]), examples,
                                              self.lexicon)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / MODEL_FILE).write_bytes(self.distress_model.to_bytes())
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "SafetyDetector":
        detector = cls(config, model_storage, resource)
        with model_storage.read_from(resource) as directory:
            detector.distress_model = DistressModel.from_bytes((directory / MODEL_FILE).read_bytes(), detector.lexicon)
        return detector

    def process(self, messages: List[Message]) -> List[Message]:
        found = detect_with_model([message.get(TEXT) or "" for message in messages], self.lexicon,
                                  self.distress_model, self.config["distress_threshold"])
        for message, intent_name in zip(messages, found):
            if intent_name:
                overrule(message, intent_name)
        return messages
