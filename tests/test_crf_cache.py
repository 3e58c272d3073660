"""The CRF read back from the launcher's cache extracts entities exactly as a freshly trained one; a
changed training set is never served a stale model; a damaged, swapped or inconsistent cache file,
or a pickle planted in its place, is never used (let alone unpickled): the CRF is trained again and
the file rewritten."""

import pickle
import shutil
import struct

import pytest
import sklearn_crfsuite
from rasa.nlu.extractors.crf_entity_extractor import CRFEntityExtractor, CRFToken

from launcher import crf_cache, disk_cache
from tests.cache_damage import damages, decoded, rewrite

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
# Same tags, other sentences: the model differs, its labels do not.
OTHER_TRAINING = TRAINING[:3] + [_sentence([("pas", "O"), ("de", "O"), ("bac", "U-diploma")])]
# Another tag: the labels differ too.
MORE_TAGS = TRAINING + [_sentence([("à", "O"), ("Lyon", "U-city")])]
PROBE = [_sentence([("je", "O"), ("suis", "O"), ("bac", "O")]), _sentence([("infirmière", "O")])]


def _predictions(taggers):
    features = [CRFEntityExtractor._crf_tokens_to_features(sentence, CONFIG) for sentence in PROBE]
    return {name: (tagger.predict(features), tagger.predict_marginals(features)) for name, tagger in taggers.items()}


FRESH = _predictions(CRFEntityExtractor.train_model(TRAINING, CONFIG, ORDER))  # Rasa's own training


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    cache_dir = tmp_path / "cache"
    monkeypatch.setattr(disk_cache, "CACHE_DIR", cache_dir)
    return cache_dir


@pytest.fixture
def trainings(monkeypatch):
    """The trainings that were not served from the cache."""
    done = []

    def counted(cls, df_train, config, crf_order):
        done.append(df_train)
        return training(cls, df_train, config, crf_order)

    training = crf_cache._rasa_train_model
    monkeypatch.setattr(crf_cache, "_rasa_train_model", counted)
    return done


def _cache_file(cache_dir):
    (cache_file,) = cache_dir.iterdir()
    return cache_file


def test_the_cached_crf_predicts_exactly_as_a_fresh_one(cache_dir, trainings):
    first = crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)
    assert len(list(cache_dir.iterdir())) == 1 and len(trainings) == 1
    again = crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)
    assert len(trainings) == 1  # read back, not trained again
    assert _predictions(again) == _predictions(first) == FRESH
    assert FRESH["entity"][0][1] == ["U-job"]  # the probe does exercise the model


def test_the_taggers_read_back_are_real_crfs_with_rasas_settings(cache_dir, trainings):
    fresh = crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)["entity"]
    again = crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)["entity"]
    assert len(trainings) == 1 and type(again) is sklearn_crfsuite.CRF
    for setting in ("algorithm", "c1", "c2", "max_iterations", "all_possible_transitions"):
        assert getattr(again, setting) == getattr(fresh, setting)
    assert again.classes_ == fresh.classes_ and again.modelfile.name != fresh.modelfile.name


def test_another_training_set_gets_its_own_model(cache_dir):
    crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)
    crf_cache.train_model(CRFEntityExtractor, OTHER_TRAINING, CONFIG, ORDER)
    assert len(list(cache_dir.iterdir())) == 2


def test_the_file_is_data(cache_dir):
    crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)
    content = _cache_file(cache_dir).read_bytes()
    assert content.startswith(disk_cache.MAGIC) and b"lCRF" in content
    with pytest.raises(Exception):
        pickle.loads(content)


def _swap(cache_file, tmp_path):
    """A valid cache file, but of another training set, copied under this one's name."""
    crf_cache.train_model(CRFEntityExtractor, OTHER_TRAINING, CONFIG, ORDER)
    (other,) = (path for path in cache_file.parent.iterdir() if path != cache_file)
    shutil.move(other, cache_file)


class _PlantedPickle:
    """Unpickling it creates a file: proof that code ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return open, (self.marker, "w")


def _plant_pickle(cache_file, tmp_path):
    cache_file.write_bytes(pickle.dumps(_PlantedPickle(tmp_path / "unpickled")))


DAMAGES = {"planted pickle": _plant_pickle, **damages(_swap, "model")}


def test_the_planted_pickle_would_run_code_if_unpickled(tmp_path):
    marker = tmp_path / "unpickled"
    _plant_pickle(tmp_path / "file", tmp_path)
    pickle.loads((tmp_path / "file").read_bytes())
    assert marker.exists()  # so its absence below means it was not unpickled


@pytest.mark.parametrize("damage", DAMAGES, ids=list(DAMAGES))
def test_a_damaged_swapped_or_planted_file_means_training_again(cache_dir, tmp_path, trainings, caplog, damage):
    crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)
    cache_file = _cache_file(cache_dir)
    good = cache_file.read_bytes()
    DAMAGES[damage](cache_file, tmp_path)
    assert cache_file.read_bytes() != good
    trainings.clear()

    taggers = crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)
    assert _predictions(taggers) == FRESH and len(trainings) == 1
    assert not (tmp_path / "unpickled").exists()
    assert (damage == "emptied") or "ignored" in caplog.text
    assert cache_file.read_bytes() == good  # rewritten, as it was
    assert _predictions(crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)) == FRESH
    assert len(trainings) == 1  # and read back


def _tagger(change):
    return lambda meta: change(meta["taggers"][0])


def _model_of(training, tmp_path):
    other_dir = tmp_path / "other"
    disk_cache.CACHE_DIR, cache_dir = other_dir, disk_cache.CACHE_DIR
    try:
        crf_cache.train_model(CRFEntityExtractor, training, CONFIG, ORDER)
    finally:
        disk_cache.CACHE_DIR = cache_dir
    _, meta, payload = decoded(_cache_file(other_dir), "crf")
    return meta, payload


def _with_feature(payload, **changes):
    """The model with its first state feature changed (crfsuite's layout: crf1d_model.c)."""
    features_offset = struct.unpack_from("<I", payload, 28)[0]
    position = features_offset + 12
    while struct.unpack_from("<I", payload, position)[0] != 0:  # a transition: the next one
        position += 20
    kind, source, destination, weight = struct.unpack_from("<IIId", payload, position)
    values = dict(dict(kind=kind, source=source, destination=destination, weight=weight), **changes)
    return payload[:position] + struct.pack("<IIId", *values.values()) + payload[position + 20:]


def _with_label_list_at(payload, position):
    """The model with the feature list of its first label moved to `position`."""
    label_refs_offset = struct.unpack_from("<I", payload, 40)[0]
    at = label_refs_offset + 12
    return payload[:at] + struct.pack("<I", position) + payload[at + 4:]


def _with_first_label_name_far_away(payload):
    """The model with the name of its label 0 looked up past its end."""
    labels_offset = struct.unpack_from("<I", payload, 32)[0]
    at = labels_offset + struct.unpack_from("<I", payload, labels_offset + 20)[0]  # its id -> name array
    return payload[:at] + struct.pack("<I", 0xFFFF00) + payload[at + 4:]


INCONSISTENT = {
    "no taggers": dict(change_meta=lambda meta: meta.update(taggers=[])),
    "another tagger": dict(change_meta=_tagger(lambda tagger: tagger.update(name="role"))),
    "an extra field": dict(change_meta=_tagger(lambda tagger: tagger.update(extra=1))),
    "a setting that is not CRF's": dict(change_meta=_tagger(lambda t: t["settings"].update(trainer_cls="os.system"))),
    "a setting that is not a scalar": dict(change_meta=_tagger(lambda t: t["settings"].update(c1=[0.1]))),
    "sizes that do not add up": dict(change_meta=_tagger(lambda t: t.update(model_bytes=t["model_bytes"] - 1))),
    "a size as text": dict(change_meta=_tagger(lambda tagger: tagger.update(model_bytes=str(tagger["model_bytes"])))),
    "labels": dict(change_meta=_tagger(lambda tagger: tagger.update(labels=["O", "U-job", "U-diploma", "U-city"]))),
    "tags of the probes": dict(change_meta=_tagger(lambda tagger: tagger.update(probe_tags=[["O", "O", "O"]] * 3))),
    "not a crfsuite model": dict(change_payload=lambda payload: b"pCRF" + payload[4:]),
    "a model header of another size": dict(change_payload=lambda payload: payload[:4] + b"\0\0\0\0" + payload[8:]),
    "a broken model": dict(change_payload=lambda payload: payload[:48] + b"\xff" * (len(payload) - 48)),
    # what crfsuite would read or write out of bounds, as it checks neither
    "a feature for a label that does not exist": dict(change_payload=lambda p: _with_feature(p, destination=10**6)),
    "a feature of an attribute that does not exist": dict(change_payload=lambda p: _with_feature(p, source=10**6)),
    "a weight that is not a number": dict(change_payload=lambda p: _with_feature(p, weight=float("nan"))),
    "a feature list outside the model": dict(change_payload=lambda p: _with_label_list_at(p, len(p) + 4096)),
    "a label name outside the model": dict(change_payload=_with_first_label_name_far_away),
}


@pytest.mark.parametrize("change", INCONSISTENT, ids=list(INCONSISTENT))
def test_a_file_whose_content_does_not_validate_means_training_again(cache_dir, trainings, caplog, change):
    crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)
    cache_file = _cache_file(cache_dir)
    good = cache_file.read_bytes()
    rewrite(cache_file, "crf", **INCONSISTENT[change])
    assert cache_file.read_bytes() != good
    trainings.clear()
    assert _predictions(crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)) == FRESH
    assert len(trainings) == 1 and "ignored" in caplog.text
    assert cache_file.read_bytes() == good


def test_the_model_of_a_training_set_with_other_tags_is_caught_by_its_labels(cache_dir, tmp_path, trainings, caplog):
    # An intact file naming this training set's inputs, holding a valid model trained on another:
    # the labels, known from the training set without the file, tell.
    crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)
    other_meta, other_model = _model_of(MORE_TAGS, tmp_path)
    rewrite(_cache_file(cache_dir), "crf", change_meta=lambda meta: meta.update(other_meta),
             change_payload=lambda payload: other_model)
    trainings.clear()
    assert _predictions(crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)) == FRESH
    assert len(trainings) == 1 and "labels other than the training set's" in caplog.text


def test_an_unwritable_cache_only_loses_the_speed_up(tmp_path, monkeypatch, trainings):
    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setattr(disk_cache, "CACHE_DIR", blocked / "cache")
    for _ in range(2):
        assert _predictions(crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)) == FRESH
    assert len(trainings) == 2


def test_a_model_that_would_be_refused_on_reading_is_not_written(cache_dir, monkeypatch, caplog):
    def refused(model):
        raise disk_cache.Refused("as if crfsuite had written a layout this check does not know")

    monkeypatch.setattr(crf_cache, "_crfsuite_labels", refused)
    assert _predictions(crf_cache.train_model(CRFEntityExtractor, TRAINING, CONFIG, ORDER)) == FRESH
    assert not cache_dir.exists() and "cannot be kept" in caplog.text
