"""Training data and held-out file stay apart, and the entity values they use are the ones the rules know."""

import re
from pathlib import Path

import pytest

from evaluation.test_sets import boundary_messages, conversation_messages, nlu_examples, normalised, training_examples

ROOT = Path(__file__).resolve().parent.parent
# What every visitor says to leave the eligibility questions: the training data must have it too.
STOCK_PHRASES = {"laisse tomber", "autre question"}


@pytest.fixture(scope="module")
def training():
    return list(training_examples())


@pytest.fixture(scope="module")
def heldout():
    return list(nlu_examples(ROOT / "tests" / "nlu_heldout.yml"))


def test_no_heldout_utterance_is_in_the_training_data(training, heldout):
    # An accuracy measured on sentences the model was trained on would promise what it cannot keep.
    seen = {normalised(text) for _, text in training}
    assert [text for _, text in heldout if normalised(text) in seen] == []


def test_no_boundary_message_is_in_the_training_data(training):
    # tests/boundaries/ measures what the assistant answers outside its subject: on sentences it was
    # trained on, the figures would flatter it.
    seen = {normalised(text) for _, text in training}
    messages = list(boundary_messages())
    assert len(messages) >= 180 and [m for m in messages if normalised(m) in seen] == []


@pytest.mark.parametrize("folder, at_least", [("conversations", 300), ("eligibility_conversations", 150)])
def test_no_conversation_message_is_in_the_training_data(training, folder, at_least):
    # tests/conversations/ and tests/eligibility_conversations/ measure how the assistant understands
    # visitors it never saw.
    seen = {normalised(text) for _, text in training}
    # One-word messages ("bonjour", "???") and stock phrases are everybody's: only sentences count.
    sentences = [m for m in conversation_messages(folder=folder)
                 if len(normalised(m).split()) >= 2 and normalised(m) not in STOCK_PHRASES]
    assert len(sentences) >= at_least and [m for m in sentences if normalised(m) in seen] == []


def test_heldout_has_at_least_ten_utterances_per_intent(training, heldout):
    intents = {intent for intent, _ in training if intent}
    counts = {intent: sum(1 for i, _ in heldout if i == intent) for intent in intents}
    assert min(counts.values()) >= 10, counts


def test_diploma_buttons_name_diplomas_of_the_catalogue(kb):
    # The buttons carry catalogue ids (`/inform{{"diploma": "bac"}}`); a renamed id would be read as nothing.
    domain = (ROOT / "domain.yml").read_text(encoding="utf-8")
    values = re.findall(r'"diploma": "(\w+)"', domain)
    assert len(values) >= 12 and set(values) <= set(kb.diplomas), set(values) - set(kb.diplomas)


def test_training_data_carries_no_entity_annotation(training):
    # The profile is read from the knowledge base's catalogue (orientation/profile.py), not by NLU
    # entities: an annotation would train an extractor that no longer exists.
    assert [text for _, text in training if re.search(r"\]\(|\]\{", text)] == []
