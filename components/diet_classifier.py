"""Rasa's DIETClassifier, whose trained model loads in half the time (cold start).

To rebuild a saved model, Rasa 3.6 fits it on one example, so that its weights exist, then loads the
trained weights over them. That fit runs as a TensorFlow graph, and tracing the graph of the
*training* step took about half of the load (cProfile of `Agent.load`, docs/measures.md, "Speed"). Here the
fit runs eagerly (no tracing); the model is then switched back to the configured mode before its first
prediction, so predictions are traced and computed exactly as Rasa's (tests/test_nlu_components.py).

Training, and loading a model to fine-tune it, are Rasa's own. config.yml names this class in place
of `DIETClassifier`, with the same parameters.
"""

from typing import Any, Optional, Text, Type

import tensorflow as tf
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET, DIETClassifier
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel


class QuickLoadingDIET(DIET):
    @classmethod
    def load(cls, model_file_name: Text, model_data_example: RasaModelData,
             predict_data_example: Optional[RasaModelData] = None, finetune_mode: bool = False,
             *args: Any, **kwargs: Any) -> RasaModel:
        """`RasaModel.load` (Rasa 3.6.21), with the weight-building fit run eagerly."""
        if finetune_mode:  # training goes on: Rasa's own load, in the configured mode
            return super().load(model_file_name, model_data_example, predict_data_example, finetune_mode,
                                *args, **kwargs)
        model = cls(*args, **kwargs)
        config = kwargs.get("config", {})
        model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)), run_eagerly=True)
        model.fit(RasaBatchDataGenerator(model_data_example, batch_size=1), verbose=False)
        model.load_weights(model_file_name)
        model.run_eagerly = config.get(RUN_EAGERLY)  # predictions in graph mode, as configured
        if predict_data_example:
            model.run_inference(predict_data_example)
        return model


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class QuickLoadingDIETClassifier(DIETClassifier):
    @staticmethod
    def model_class() -> Type[RasaModel]:
        return QuickLoadingDIET
