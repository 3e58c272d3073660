"""Keeps the entity extractor's trained CRF on disk between starts (cold start).

Rasa 3.6 stores the CRF entity extractor as its training set, not as a trained model, and trains the
CRF again each time the model is loaded: 1.8 to 2.1 s of every start of the Rasa server (py-spy,
README "Speed"). CRF training is deterministic, so the result for the same training set and
settings is always the same: it is kept here (disk_cache.py) after the first load and read back
afterwards. Its predictions are identical to a fresh training's (tests/test_crf_cache.py).
"""

import json
import pickle
from collections import OrderedDict
from importlib.metadata import version
from typing import Any, Dict, List

from rasa.nlu.extractors.crf_entity_extractor import CRFEntityExtractor, CRFToken

from launcher import disk_cache

_rasa_train_model = CRFEntityExtractor.train_model.__func__


def train_model(cls, df_train: List[List[CRFToken]], config: Dict[str, Any], crf_order: List[str]) -> "OrderedDict":
    """`CRFEntityExtractor.train_model`, or its result for the same inputs, read back."""
    training_set = json.dumps([[token.to_dict() for token in sentence] for sentence in df_train], sort_keys=True)
    cache_file = disk_cache.cache_file(
        "crf", version("sklearn-crfsuite"), version("python-crfsuite"), json.dumps(config, sort_keys=True, default=str),
        crf_order, training_set)
    try:
        return pickle.loads(disk_cache.read(cache_file))  # our own file, written below
    except Exception:  # absent or unusable: train, as Rasa does
        pass
    taggers = _rasa_train_model(cls, df_train, config, crf_order)
    disk_cache.write(cache_file, pickle.dumps(taggers))
    return taggers


def install() -> None:
    CRFEntityExtractor.train_model = classmethod(train_model)
