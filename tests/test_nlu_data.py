"""Training data and held-out file stay apart, and the entity values they use are the ones the rules know."""

import re
from pathlib import Path

import pytest
import yaml

from orientation.text import fold

ROOT = Path(__file__).resolve().parent.parent
ANNOTATION = re.compile(r"\[([^\]]*)\](\{[^}]*\}|\([^)]*\))")


def _normalised(example: str) -> str:
    """The words of an example, as a visitor's variant spelling would give them: without accents,
    case, annotations or punctuation ("À la prochaine !" and "a la prochaine" are the same sentence)."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(ANNOTATION.sub(r"\1", example))).split())


def _examples(path: Path):
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        for line in block.get("examples", "").splitlines():
            if line.startswith("- "):
                yield block.get("intent"), line[2:]


@pytest.fixture(scope="module")
def training():
    return [e for f in sorted((ROOT / "data" / "nlu").glob("*.yml")) for e in _examples(f)]


@pytest.fixture(scope="module")
def heldout():
    return list(_examples(ROOT / "tests" / "nlu_heldout.yml"))


def test_no_heldout_utterance_is_in_the_training_data(training, heldout):
    # An accuracy measured on sentences the model was trained on would promise what it cannot keep.
    seen = {_normalised(text) for _, text in training}
    assert [text for _, text in heldout if _normalised(text) in seen] == []


def test_no_boundary_message_is_in_the_training_data(training):
    # tests/boundaries/ measures what the assistant answers outside its subject: on sentences it was
    # trained on, the figures would flatter it.
    seen = {_normalised(text) for _, text in training}
    messages = [m for f in sorted((ROOT / "tests" / "boundaries").glob("*.yml"))
                for m in yaml.safe_load(f.read_text(encoding="utf-8"))["messages"]]
    assert len(messages) >= 180 and [m for m in messages if _normalised(m) in seen] == []


def test_no_conversation_message_is_in_the_training_data(training):
    # tests/conversations/ measures how the assistant understands visitors it never saw.
    seen = {_normalised(text) for _, text in training}
    messages = [turn["visitor"] for f in sorted((ROOT / "tests" / "conversations").glob("*.yml"))
                for conversation in yaml.safe_load(f.read_text(encoding="utf-8"))["conversations"]
                for turn in conversation["turns"]]
    # One-word messages ("bonjour", "???") are everybody's: only sentences count.
    sentences = [m for m in messages if len(_normalised(m).split()) >= 2]
    assert len(sentences) >= 300 and [m for m in sentences if _normalised(m) in seen] == []


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
