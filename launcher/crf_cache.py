"""Keeps the entity extractor's trained CRF on disk between starts (cold start).

Rasa 3.6 stores the CRF entity extractor as its training set, not as a trained model, and trains the
CRF again each time the model is loaded: 1.8 to 2.1 s of every start of the Rasa server (py-spy,
README "Speed"). CRF training is deterministic, so the result for the same training set and
settings is always the same: it is kept here (disk_cache.py) after the first load and read back
afterwards. Its predictions are identical to a fresh training's (tests/test_crf_cache.py).

No pickle: what is kept is data. A trained `sklearn_crfsuite.CRF` is its constructor's settings and
the model file crfsuite wrote (which is also all its own pickled form holds), so the file keeps, for
each tagger in Rasa's order, its name, settings (JSON scalars), labels and a few predictions in a
JSON header, and the crfsuite model files' bytes as the payload. The taggers are rebuilt as real
`CRF` objects: `CRF(**settings)`, the model bytes written to the object's own temporary model file,
exactly as unpickling one does, minus the unpickling.

What is checked when a file is read back (any failure: the CRF is trained as Rasa does, and the file
rewritten; see disk_cache.py for the file itself):

- the file was made for exactly this training set, configuration, tagger order and these versions of
  Rasa, sklearn-crfsuite and python-crfsuite (digest of the inputs, recorded in the file and its name);
- its content is intact (its own sha256 digest);
- the decoded structure: one tagger per name of the order asked for, in that order; settings limited
  to `CRF`'s own parameters, with JSON scalar values; model sizes adding up to the payload;
- each crfsuite model, in Python, before crfsuite reads it: crfsuite's reader checks nothing (a model
  with a wrong offset crashes the process) and its tagger writes into arrays at the label ids it
  reads, so a model must have crfsuite's layout exactly (header, size, feature chunk, label and
  attribute dictionaries, feature lists), every offset inside the model, every id in range, every
  dictionary lookup bound to end, every weight finite (`_crfsuite_labels`);
- against the inputs: its labels, read by that check and then by crfsuite, must be exactly the tags
  of the training set for that tagger (known without the file);
- behaviour: each tagger must tag the first training sentences as the freshly trained one did when
  the file was written (well under a millisecond).

What is not checked: that the weights are those a training would give today, since finding out is
the training the cache avoids, nor the dictionaries' hash values (a wrong one makes a lookup miss,
not read astray). The digests and checks detect damage, mix-ups and stale files, not a forgery by
someone who can write the project's folder (who could change this code as easily). Reading a file
runs no code: it is JSON and crfsuite model bytes that are checked before crfsuite reads them, never
unpickled. A model that would not pass these checks when read is not written (a warning says so).
"""

import inspect
import json
import logging
import math
import struct
from collections import OrderedDict
from importlib.metadata import version
from typing import Any, Dict, List, Optional, Tuple

import rasa
from rasa.nlu.extractors.crf_entity_extractor import CRFEntityExtractor, CRFToken
from rasa.shared.nlu.constants import ENTITY_ATTRIBUTE_TYPE

from launcher import disk_cache

logger = logging.getLogger(__name__)

FORMAT = 2  # of the stored content; part of the inputs, so that another format is another file
PROBE_SENTENCES = 3  # training sentences each tagger must tag as when the file was written

_rasa_train_model = CRFEntityExtractor.train_model.__func__

_NOT_SETTINGS = {"self", "verbose", "model_filename", "keep_tempfiles", "trainer_cls"}


def _settings_names() -> List[str]:
    import sklearn_crfsuite

    return [name for name in inspect.signature(sklearn_crfsuite.CRF.__init__).parameters if name not in _NOT_SETTINGS]


def _is_json_scalar(value: Any) -> bool:
    return value is None or type(value) in (bool, int, float, str)


def _features(cls, sentence: List[CRFToken], config: Dict[str, Any], tag_name: str) -> List[Dict[str, Any]]:
    # as Rasa's training does: entity tags are features of the second level CRFs (role, group)
    return cls._crf_tokens_to_features(sentence, config, tag_name != ENTITY_ATTRIBUTE_TYPE)


def _training_labels(cls, df_train: List[List[CRFToken]], tag_name: str) -> List[str]:
    return sorted({tag for sentence in df_train for tag in cls._crf_tokens_to_tags(sentence, tag_name)})


# crfsuite's model format (lib/crf/src/crf1d_model.c, lib/cqdb/src/cqdb.c, as python-crfsuite bundles them): its
# reader checks nothing, and its tagger indexes its arrays with the ids it reads, so a model is checked
# here, in Python, before crfsuite ever sees it. Strictly as crfsuite writes one.
_HEADER = struct.Struct("<4sI4s9I")  # magic, size, type, version, counts and offsets of the parts
_CHUNK = struct.Struct("<4sII")  # id, size, number of items
_FEATURE = struct.Struct("<IIId")  # type (0: state, 1: transition), source, destination label, weight
_CQDB = struct.Struct("=4sIIIII")  # id, size, flags, byte order mark, backward array size and offset
_CQDB_DATA = _CQDB.size + 256 * 8  # the header, then 256 hash tables' (offset, size)
_CQDB_BYTE_ORDER = 0x62445371


def _crfsuite_strings(model: bytes, begin: int, count: int) -> List[str]:
    """The strings of a CQDB (crfsuite's string <-> id dictionary) by id, once checked that every
    lookup either way stays inside it and gives an id below `count`."""
    refused = disk_cache.Refused
    if begin + _CQDB_DATA > len(model):
        raise refused("dictionary outside the model")
    chunk, size, _, byte_order, backward_size, backward_offset = _CQDB.unpack_from(model, begin)
    if chunk != b"CQDB" or byte_order != _CQDB_BYTE_ORDER or size < _CQDB_DATA or begin + size > len(model):
        raise refused("not a crfsuite dictionary")
    db = memoryview(model)[begin:begin + size]

    def record(offset: int) -> Tuple[int, str]:
        if offset < _CQDB_DATA or offset + 8 > size:
            raise refused("dictionary entry outside the dictionary")
        ident, key_size = struct.unpack_from("=iI", db, offset)
        key = bytes(db[offset + 8:offset + 8 + key_size])
        if not 0 <= ident < count or len(key) != key_size or not key.endswith(b"\0") or b"\0" in key[:-1]:
            raise refused("invalid dictionary entry")
        try:
            return ident, key[:-1].decode("utf-8")
        except UnicodeDecodeError:
            raise refused("invalid dictionary entry") from None

    tables = struct.unpack_from("=512I", db, _CQDB.size)
    hashed = []  # the entries the hash tables point to
    for table in range(256):
        offset, buckets = tables[2 * table], tables[2 * table + 1]
        if not offset:
            if buckets:
                raise refused("invalid dictionary table")
            continue
        if not buckets or buckets % 2 or offset < _CQDB_DATA or offset + 8 * buckets > size:
            raise refused("dictionary table outside the dictionary")
        entries = struct.unpack_from(f"={2 * buckets}I", db, offset)
        used = [(hash_value, entry) for hash_value, entry in zip(entries[::2], entries[1::2]) if entry]
        if len(used) != buckets // 2 or any(hash_value % 256 != table for hash_value, _ in used):
            raise refused("invalid dictionary table")  # half empty, so that a lookup always ends
        hashed += [entry for _, entry in used]
    if not backward_offset or backward_size < count or backward_offset + 4 * count > size:
        raise refused("dictionary ids outside the dictionary")
    by_id = struct.unpack_from(f"={count}I", db, backward_offset)
    if sorted(hashed) != sorted(by_id):  # the same entries either way, each checked once below
        raise refused("dictionary entries disagree")
    strings = []
    for ident, offset in enumerate(by_id):
        found, string = record(offset)
        if found != ident:
            raise refused("dictionary ids disagree")
        strings.append(string)
    if len(set(strings)) != count:
        raise refused("dictionary entries disagree")
    return strings


def _crfsuite_feature_refs(model: bytes, offset: int, chunk_id: bytes, count: int, unused: int, features: int) -> None:
    """Checks a table of feature lists (by label or attribute) of a crfsuite model: `count` lists,
    then `unused` entries that crfsuite writes as 0 and never reads."""
    refused = disk_cache.Refused
    start = offset + _CHUNK.size + 4 * (count + unused)
    if offset % 4 or start > len(model):
        raise refused("feature references outside the model")
    chunk, size, number = _CHUNK.unpack_from(model, offset)
    end = offset + size
    if chunk != chunk_id or number != count + unused or end > len(model):
        raise refused("invalid feature references")
    positions = struct.unpack_from(f"<{count + unused}I", model, offset + _CHUNK.size)
    if any(positions[count:]):
        raise refused("invalid feature references")
    for position in positions[:count]:
        if not start <= position <= end - 4:
            raise refused("feature list outside its table")
        (length,) = struct.unpack_from("<I", model, position)
        if position + 4 + 4 * length > end:
            raise refused("feature list outside its table")
        if max(struct.unpack_from(f"<{length}I", model, position + 4), default=-1) >= features:
            raise refused("reference to a feature that does not exist")


def _crfsuite_labels(model: bytes) -> List[str]:
    """The labels of a crfsuite model (1st-order CRF, "FOMC", version 100), by id, once checked that
    everything crfsuite's reader and tagger read lies inside it and every id they index with is in
    range; Refused otherwise. (Not checked: the dictionaries' hash values, which only decide whether a
    lookup finds an entry.)"""
    refused = disk_cache.Refused
    if len(model) < _HEADER.size:
        raise refused("not a crfsuite model")
    (magic, size, model_type, model_version, header_features, labels, attributes, features_offset, labels_offset,
     attributes_offset, label_refs_offset, attribute_refs_offset) = _HEADER.unpack_from(model)
    if magic != b"lCRF" or size != len(model) or model_type != b"FOMC" or model_version != 100:
        raise refused("not a crfsuite model of its size")
    label_names = _crfsuite_strings(model, labels_offset, labels)
    _crfsuite_strings(model, attributes_offset, attributes)
    if features_offset + _CHUNK.size > len(model):
        raise refused("features outside the model")
    chunk, chunk_size, features = _CHUNK.unpack_from(model, features_offset)
    end = features_offset + _CHUNK.size + _FEATURE.size * features
    # crfsuite never fills in the header's count of features (0): the features' own chunk has it
    if (chunk != b"FEAT" or chunk_size != end - features_offset or end > len(model)
            or header_features not in (0, features)):
        raise refused("invalid features")
    for kind, source, destination, weight in _FEATURE.iter_unpack(model[features_offset + _CHUNK.size:end]):
        if kind > 1 or source >= (attributes, labels)[kind] or destination >= labels or not math.isfinite(weight):
            raise refused("invalid feature")
    # two more label entries than labels, as crfsuite writes them (crf1d_encode.c: L+2)
    _crfsuite_feature_refs(model, label_refs_offset, b"LFRF", labels, 2, features)
    _crfsuite_feature_refs(model, attribute_refs_offset, b"AFRF", attributes, 0, features)
    return label_names


def _to_stored(cls, taggers: "OrderedDict", df_train: List[List[CRFToken]], config: Dict[str, Any]):
    """(meta, payload) for trained taggers; Refused if they hold anything this format cannot keep, or
    that would not pass the checks on reading."""
    described, models = [], []
    for tag_name, tagger in taggers.items():
        settings = {name: getattr(tagger, name) for name in _settings_names()}
        if not all(map(_is_json_scalar, settings.values())) or tagger.modelfile.name is None:
            raise disk_cache.Refused(f"{tag_name}: settings or model this format cannot keep")
        with open(tagger.modelfile.name, "rb") as model_file:
            models.append(model_file.read())
        labels = _crfsuite_labels(models[-1])  # what will be checked on reading: never a file refused forever
        if labels != tagger.tagger_.labels():
            raise disk_cache.Refused(f"{tag_name}: crfsuite reads other labels")
        probes = [_features(cls, sentence, config, tag_name) for sentence in df_train[:PROBE_SENTENCES]]
        described.append({"name": tag_name, "settings": settings, "labels": labels,
                          "model_bytes": len(models[-1]), "probe_tags": tagger.predict(probes)})
    return {"taggers": described}, b"".join(models)


def _from_stored(cls, meta: Any, payload: bytes, df_train: List[List[CRFToken]], config: Dict[str, Any],
                 crf_order: List[str]) -> "OrderedDict":
    """The taggers rebuilt from a file's content, once validated; Refused if anything is off."""
    import sklearn_crfsuite

    refused = disk_cache.Refused
    if not isinstance(meta, dict) or set(meta) != {"taggers"} or not isinstance(meta["taggers"], list):
        raise refused("unexpected content")
    described = meta["taggers"]
    keys = {"name", "settings", "labels", "model_bytes", "probe_tags"}
    if not all(isinstance(tagger, dict) and set(tagger) == keys for tagger in described):
        raise refused("unexpected tagger description")
    if [tagger["name"] for tagger in described] != list(crf_order):
        raise refused("not the taggers asked for")
    sizes = [tagger["model_bytes"] for tagger in described]
    if not all(type(size) is int and size >= _HEADER.size for size in sizes) or sum(sizes) != len(payload):
        raise refused("model sizes do not add up")
    settings_names = set(_settings_names())

    taggers, offset = OrderedDict(), 0
    for tagger, size in zip(described, sizes):
        model, offset = payload[offset:offset + size], offset + size
        settings = tagger["settings"]
        if (not isinstance(settings, dict) or set(settings) != settings_names
                or not all(map(_is_json_scalar, settings.values()))):
            raise refused(f"unexpected settings for {tagger['name']}")
        model_labels = _crfsuite_labels(model)  # before crfsuite reads anything of it
        if sorted(model_labels) != _training_labels(cls, df_train, tagger["name"]) or model_labels != tagger["labels"]:
            raise refused(f"{tagger['name']}: labels other than the training set's")
        crf = sklearn_crfsuite.CRF(**settings)
        # Its own temporary model file, deleted with the object: what unpickling a CRF does.
        crf.modelfile.ensure_name()
        with open(crf.modelfile.name, "wb") as model_file:
            model_file.write(model)
        try:
            labels = crf.tagger_.labels()
        except (ValueError, OSError, RuntimeError) as error:  # crfsuite: "Invalid model file"
            raise refused(f"{tagger['name']}: refused by crfsuite: {error}") from None
        if labels != model_labels:
            raise refused(f"{tagger['name']}: crfsuite reads other labels")
        probes = [_features(cls, sentence, config, tagger["name"]) for sentence in df_train[:PROBE_SENTENCES]]
        if crf.predict(probes) != tagger["probe_tags"]:
            raise refused(f"{tagger['name']}: tags the training sentences differently than when stored")
        taggers[tagger["name"]] = crf
    return taggers


def train_model(cls, df_train: List[List[CRFToken]], config: Dict[str, Any], crf_order: List[str]) -> "OrderedDict":
    """`CRFEntityExtractor.train_model`, or its result for the same inputs, read back."""
    training_set = json.dumps([[token.to_dict() for token in sentence] for sentence in df_train], sort_keys=True)
    cache = disk_cache.entry(
        "crf", FORMAT, rasa.__version__, version("sklearn-crfsuite"), version("python-crfsuite"),
        json.dumps(config, sort_keys=True, default=str), json.dumps(list(crf_order)), training_set)
    stored = disk_cache.load(cache)
    if stored is not None:
        try:
            return _from_stored(cls, *stored, df_train, config, crf_order)
        except Exception as reason:  # noqa: BLE001 (Refused, or anything else: never trusted)
            disk_cache.refuse(cache, reason)
    taggers = _rasa_train_model(cls, df_train, config, crf_order)
    stored = _stored_form(cls, taggers, df_train, config)
    if stored is not None:
        disk_cache.store(cache, *stored)
    return taggers


def _stored_form(cls, taggers: "OrderedDict", df_train: List[List[CRFToken]],
                 config: Dict[str, Any]) -> Optional[tuple]:
    try:
        return _to_stored(cls, taggers, df_train, config)
    except (OSError, ValueError, TypeError) as error:  # Refused included
        logger.warning("Launcher cache: the trained CRF cannot be kept (%s); it will be trained at each start.", error)
        return None


def install() -> None:
    CRFEntityExtractor.train_model = classmethod(train_model)
