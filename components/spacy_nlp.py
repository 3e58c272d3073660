"""spaCy's French model for the pipeline: Rasa's SpacyNLP, loaded once, faster, without the unused NER.

config.yml names it in place of Rasa's `SpacyNLP`; what it gives the tokenizer and featurizers is what
Rasa's gives them (tests/test_nlu_components.py compares tokens, lemmas, tags and vectors). Three
costs of Rasa's are removed:

- Two nodes of the model's graph (`provide_` and `run_`) each loaded the model from disk: it is
  loaded once per process here, and shared. spaCy's pipeline is only read while processing messages.
- spaCy's named-entity recogniser took half of spaCy's time on each message (3.3 of 6.7 ms), for
  entities no component of the pipeline reads: it is removed after loading.
- Importing spaCy's French language compiles a regular expression of 1.45 million characters (7 s of
  every start and every training): while the model loads, and only then, that pattern is read from
  the cache of regex_cache.py.
"""

from functools import lru_cache
from typing import Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP

from components import regex_cache


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MODEL_LOADER, DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER],
    is_trainable=False,
    model_from="FrenchSpacyNLP",  # its own `run_` node takes the model from its `provide_` node, as Rasa's
)
class FrenchSpacyNLP(SpacyNLP):
    @staticmethod
    @lru_cache(maxsize=None)
    def load_model(spacy_model_name: Text) -> SpacyModel:
        with regex_cache.in_use():
            spacy_model = SpacyNLP.load_model(spacy_model_name)  # Rasa's checks and its parser exclusion
        if "ner" in spacy_model.model.pipe_names:
            spacy_model.model.remove_pipe("ner")
        return spacy_model
