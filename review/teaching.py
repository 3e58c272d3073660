"""Teaching the assistant a missed message in one step: it becomes a training example of an intent, in
one reviewed-examples file under data/nlu/ (Rasa's format, sorted, without duplicates), which the next
`make train` reads; or it is ignored, and no longer shown.

A message is refused, with the reason, when it would make the assistant worse or leak: an intent the
classifier is not taught (the safety intents come from the word lists), a message holding personal
data, one that is already an example, or one of the independent test sets (a test measured on its own
training examples measures memory, not understanding).
"""

import json
import re
from pathlib import Path
from typing import Dict, FrozenSet, List, Optional

import yaml

import settings
from evaluation.test_sets import independent_sentences, nlu_examples, normalised, training_examples
from review.privacy import EMAIL, NUMBER, PHONE, mask
from review.report import review_key

ROOT = Path(__file__).resolve().parent.parent
REVIEWED_EXAMPLES = settings.REVIEWED_EXAMPLES.path()
IGNORED = settings.REVIEW_IGNORED.path()
NOT_TAUGHT = frozenset({"distress", "health_question", "nlu_fallback", "feedback"})  # not the classifier's to give
_ANNOTATION = re.compile(r"[\[\]{}()]")  # Rasa reads [text](entity) and {…} in examples


class Refused(ValueError):
    """The message cannot become a training example; the text says why, for the counsellor."""


def taught_intents(root: Path = ROOT) -> FrozenSet[str]:
    """The intents a counsellor may add an example to: the domain's, but those the classifier never gives."""
    domain = yaml.safe_load((root / "domain.yml").read_text(encoding="utf-8"))
    return frozenset(domain["intents"]) - NOT_TAUGHT


def add_example(intent: str, text: str, root: Path = ROOT, path: Optional[Path] = None) -> str:
    """Writes `text` as an example of `intent` into the reviewed-examples file; returns the example as
    written. Refused (with the reason) when it must not be taught."""
    if intent not in taught_intents(root):
        raise Refused(f"« {intent} » n'est pas une intention que le classifieur apprend")
    if mask(text) != text or any(token in text for token in (EMAIL, PHONE, NUMBER)):
        raise Refused("le message contient une donnée personnelle (e-mail, téléphone, numéro) : "
                      "reformulez-le sans elle avant de l'ajouter")
    example = " ".join(_ANNOTATION.sub(" ", text).split())
    if not normalised(example):
        raise Refused("message vide")
    if normalised(example) in independent_sentences(root):
        raise Refused("ce message fait partie des tests indépendants : l'apprendre fausserait leur mesure")
    path = path or REVIEWED_EXAMPLES
    examples: Dict[str, List[str]] = {}
    if path.exists():
        for known_intent, known in nlu_examples(path):
            examples.setdefault(known_intent, []).append(known)
    taught = {normalised(known) for _, known in training_examples(root)}
    taught |= {normalised(known) for same in examples.values() for known in same}
    if normalised(example) in taught:
        raise Refused("ce message est déjà un exemple d'entraînement")
    examples.setdefault(intent, []).append(example)
    _write(path, examples)
    return example


def _write(path: Path, examples: Dict[str, List[str]]) -> None:
    lines = ['version: "3.1"', "# Examples added by counsellors from the review of missed messages (review/teaching.py):",
             "# one file, sorted by intent then text; `make train` reads it with the rest of data/nlu/.", "nlu:"]
    for intent in sorted(examples):
        lines += [f"- intent: {intent}", "  examples: |"]
        unique = {normalised(e): e for e in sorted(examples[intent], key=normalised)}
        lines += [f"    - {example}" for _, example in sorted(unique.items())]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    partial.replace(path)  # never half a file for `make train` to read


def ignored(path: Optional[Path] = None) -> FrozenSet[str]:
    """The review keys of the messages a counsellor chose to ignore."""
    try:
        return frozenset(json.loads((path or IGNORED).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return frozenset()


def ignore(text: str, path: Optional[Path] = None) -> None:
    path = path or IGNORED
    keys = sorted(ignored(path) | {review_key(text)})
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(keys, ensure_ascii=False, indent=0), encoding="utf-8")
    partial.replace(path)
