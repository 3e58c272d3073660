"""The independent test sets against the training data: sentences compared as a visitor's variant
spelling would give them, so that no test sentence reaches the training data (a test measured on its
own training examples measures memory, not understanding). Used by tests/test_nlu_data.py and by the
counsellors' review (review/teaching.py), which refuses to teach a test sentence."""

import re
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, Iterator, Tuple

import yaml

from orientation.text import fold

ROOT = Path(__file__).resolve().parent.parent
ANNOTATION = re.compile(r"\[([^\]]*)\](\{[^}]*\}|\([^)]*\))")  # Rasa's [text](entity) and [text]{...}


def normalised(text: str) -> str:
    """The words of a sentence without accents, case, entity annotations or punctuation ("À la
    prochaine !" and "a la prochaine" are the same sentence)."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(ANNOTATION.sub(r"\1", text))).split())


def nlu_examples(path: Path) -> Iterator[Tuple[str, str]]:
    """(intent, example) of a Rasa NLU training data file."""
    content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    for block in content.get("nlu") or []:
        for line in (block.get("examples") or "").splitlines():
            if line.strip().startswith("- "):
                yield block.get("intent"), line.strip()[2:]


def training_examples(root: Path = ROOT) -> Iterator[Tuple[str, str]]:
    for path in sorted((root / "data" / "nlu").glob("*.yml")):
        yield from nlu_examples(path)


def boundary_messages(root: Path = ROOT) -> Iterator[str]:
    for path in sorted((root / "tests" / "boundaries").glob("*.yml")):
        yield from yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]


def conversation_messages(root: Path = ROOT, folder: str = "conversations") -> Iterator[str]:
    """The visitor's messages of tests/conversations/ (or tests/eligibility_conversations/)."""
    for path in sorted((root / "tests" / folder).glob("*.yml")):
        for conversation in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("conversations") or []:
            for turn in conversation.get("turns") or []:
                yield str(turn.get("visitor", ""))


@lru_cache(maxsize=4)
def independent_sentences(root: Path = ROOT) -> FrozenSet[str]:
    """Every visitor sentence of the independent test sets, normalised (read once per process: the sets
    change with a commit)."""
    messages = [text for _, text in nlu_examples(root / "tests" / "nlu_heldout.yml")]
    messages += [*boundary_messages(root), *conversation_messages(root),
                 *conversation_messages(root, "eligibility_conversations")]
    return frozenset(normalised(m) for m in messages)
