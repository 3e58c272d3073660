"""Loads the trained model without work it does not need (cold start).

cProfile of `Agent.load` (README "Speed") showed two costs of Rasa 3.6 that serve no purpose here:

- Rasa rebuilds a saved DIET model by fitting it on one example before loading the trained weights.
  That fit runs as a TensorFlow graph, and tracing the graph of the *training* step took about half
  of the load. The fit only has to create the weights, which are then overwritten: here it runs
  eagerly (no tracing), and the model is switched back to graph mode before its first prediction,
  so predictions are traced and computed exactly as before.
- Two nodes of the model's graph each load the same spaCy model from disk. It is loaded once here
  and shared: spaCy's pipeline is only read while processing messages.

And one cost per message (speed): spaCy's named-entity recogniser took half of spaCy's time on each
message (3.3 of 6.7 ms), for entities no component of the pipeline reads. It is removed; the tokens,
lemmas, tags and vectors the pipeline uses come out identical, and so do the parse results (test).
"""

from functools import lru_cache

import tensorflow as tf
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.models import RasaModel

_rasa_load_spacy_model = SpacyNLP.load_model


def load_rasa_model(cls, model_file_name, model_data_example, predict_data_example=None, finetune_mode=False,
                    *args, **kwargs) -> RasaModel:
    """`RasaModel.load` (Rasa 3.6.21), with the weight-building fit run eagerly."""
    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)), run_eagerly=True)
    model.fit(RasaBatchDataGenerator(model_data_example, batch_size=1), verbose=False)
    model.load_weights(model_file_name)
    model.run_eagerly = config.get(RUN_EAGERLY)  # predictions in graph mode, as configured
    if not finetune_mode and predict_data_example:
        model.run_inference(predict_data_example)
    return model


@lru_cache(maxsize=None)
def load_spacy_model_once(spacy_model_name: str) -> SpacyModel:
    spacy_model = _rasa_load_spacy_model(spacy_model_name)  # Rasa's checks and its parser exclusion
    if "ner" in spacy_model.model.pipe_names:
        spacy_model.model.remove_pipe("ner")
    return spacy_model


def install() -> None:
    RasaModel.load = classmethod(load_rasa_model)
    SpacyNLP.load_model = staticmethod(load_spacy_model_once)
