"""The CRF read back from the launcher's cache extracts entities exactly as a freshly trained one,
and a changed training set is never served a stale model."""

import pickle

import pytest
from rasa.nlu.extractors.crf_entity_extractor import CRFEntityExtractor, CRFToken

from launcher import crf_cache, disk_cache

CONFIG = {**CRFEntityExtractor.get_default_config()}
ORDER = ["entity"]


def _sentence(words_and_tags):
    return [CRFToken(word, "NOUN", {}, [0.1 * i, 0.2], tag, "O", "O") for i, (word, tag) in enumerate(words_and_tags)]


TRAINING = [
    _sentence([("je", "O"), ("suis", "O"), ("infirmière", "U-job")]),
    _sentence([("je", "O"), ("suis", "O"), ("secrétaire", "U-job")]),
    _sentence([("j'ai", "O"), ("le", "O"), ("bac", "U-diploma")]),
    _sentence([("pas", "O"), ("de", "O"), ("diplôme", "O")]),
]
PROBE = [_sentence([("je", "O"), ("suis", "O"), ("bac", "O")]), _sentence([("infirmière", "O")])]


def _predictions(taggers):
    features = [CRFEntityExtractor._crf_tokens_to_features(sentence, CONFIG) for sentence in PROBE]
    return {name: (tagger.predict(features), tagger.predict_marginals(features)) for name, tagger in taggers.items()}


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(disk_cache, "CACHE_DIR", tmp_path)
    return tmp_path


def test_the_cached_crf_predicts_exactly_as_a_fresh_one(cache_dir, monkeypatch):
    fresh = CRFEntityExtractor.train_model(TRAINING, CONFIG, ORDER)  # Rasa's own training
    first = crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)
    assert len(list(cache_dir.iterdir())) == 1

    def no_training(*args, **kwargs):
        raise AssertionError("trained again instead of read from the cache")

    monkeypatch.setattr(crf_cache, "_rasa_train_model", no_training)
    again = crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)
    assert _predictions(again) == _predictions(first) == _predictions(fresh)
    assert _predictions(fresh)["entity"][0][1] == ["U-job"]  # the probe does exercise the model


def test_another_training_set_gets_its_own_model(cache_dir):
    crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)
    changed = TRAINING[:3] + [_sentence([("pas", "O"), ("de", "O"), ("bac", "U-diploma")])]
    crf_cache.train_model(CRFEntityExtractor, changed, CONFIG, ORDER)
    assert len(list(cache_dir.iterdir())) == 2


def test_a_damaged_cache_file_means_training_again(cache_dir):
    crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)
    (cache_file,) = cache_dir.iterdir()
    cache_file.write_bytes(b"damaged")
    taggers = crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)
    assert _predictions(taggers)["entity"][0][1] == ["U-job"]
    assert pickle.loads(cache_file.read_bytes())  # rewritten
