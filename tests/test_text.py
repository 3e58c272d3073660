"""The form of a message the intent classifier learns and reads (orientation.text.normalise)."""

import pytest

from orientation.safety import detect
from orientation.text import normalise


@pytest.mark.parametrize("typed, read", [
    ("combien ça gagne ?", "combien ca gagne ?"),  # the cedilla most visitors do not type
    ("cb ca gagne", "combien ca gagne"),
    ("c ouvert a qui", "c'est ouvert a qui"),
    ("C quoi l'AFGSU", "c'est quoi l'AFGSU"),
    ("kel salaire svp", "quel salaire s'il vous plait"),
    ("jsuis en reconversion", "je suis en reconversion"),
    ("Bonjouuur, je peux me former où ?", "je peux me former ou ?"),
    ("l’alternance", "l'alternance"),
    ("ya des places ?", "il y a des places ?"),
    ("g cb de tps pr la faire", "j'ai combien de temps pour la faire"),  # "tps" was an unknown word: off-topic
    ("ok mrc. sinon ?", "ok merci. sinon ?"),
])
def test_visitors_spellings_are_read_as_the_words_they_stand_for(typed, read):
    assert normalise(typed) == read


@pytest.mark.parametrize("typed, kept", [
    ("j'ai un bac C, ça suffit ?", "bac C,"),  # the old bac C, not "bac c'est"
    ("je suis AS depuis 2010", "suis AS depuis"),  # the acronym of aide-soignant(e) keeps its capitals
])
def test_what_the_profile_reader_needs_is_kept(typed, kept):
    assert kept in normalise(typed)


def test_medical_abbreviations_keep_their_meaning_for_the_safety_lists(lexicon):
    # "ts" is a tentative de suicide, never "tous".
    message = "mon frere a fait une TS hier et il veut recommencer"
    assert detect(normalise(message), lexicon) == detect(message, lexicon) == "distress"


def test_normalising_twice_changes_nothing():
    for typed in ("cb ca coute la formation ? jsuis au chomage", "c koi le cqp", "Ouiiii, kelle durée ?"):
        assert normalise(normalise(typed)) == normalise(typed)


@pytest.mark.parametrize("typed, read", [
    ("bonjour c quoi la formation", "c'est quoi la formation"), ("dsl. c quoi les conditions", "c'est quoi les conditions"),
    ("Salut ! Merci. et le salaire ?", "et le salaire ?"), ("Désolée, je reformule : combien ça dure ?", "je reformule : combien ca dure ?"),
    # alone, or when the words go on, they are the message
    ("bonjour", "bonjour"), ("merci !", "merci !"), ("merci pour tout", "merci pour tout"),
    ("pardon maman je t'aime", "pardon maman je t'aime"), ("salutations", "salutations"),
])
def test_an_opening_greeting_or_thanks_is_left_out_of_a_question(typed, read):
    assert normalise(typed) == read
