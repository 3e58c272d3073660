"""`components.text_normaliser.TextNormaliser`, the first component of the NLU pipeline (config.yml).

The classifier learns and reads one form of every message (orientation.text.normalise): "combien ça
gagne" and "cb ca gagne" become "combien ca gagne", "’" becomes "'", "ouiii" becomes "oui". The same
function runs on the training examples and on each visitor's message, before spaCy reads it, so that
what was learnt is what is read. Case is kept: the profile reader tells the acronym "AS" from the verb.
The stored event keeps what the visitor typed; its parse data (what the actions read) holds this form.
"""

import hashlib
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

import orientation.text
from orientation.text import normalise


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class TextNormaliser(GraphComponent):
    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        # The normal form is code, not config: a change to it must retrain everything that learnt from it,
        # which Rasa's training cache would otherwise restore.
        return hashlib.sha256(Path(orientation.text.__file__).read_bytes()).hexdigest()

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "TextNormaliser":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if message.get(TEXT):
                message.set(TEXT, normalise(message.get(TEXT)))
        return messages
