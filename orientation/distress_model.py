"""The second net under the safety word lists: a model of how distress is written when no listed word says it.

Round after round, the sessions that wrote tests/boundaries/ without reading the lists found distress the
lists could not name: a will written at 34, letters left in a drawer, "ils me verront plus au cabinet
lundi. ni jamais d'ailleurs". Word lists only learn the phrases they are given; this model learns from
the same messages which words and word pieces go with distress (word pairs and character n-grams, so
that "c bientot fini pr moi" is read like "c'est bientôt fini pour moi").

It can only add distress: a message the lists take for distress keeps their answer, and it reads a
message without the lists' idioms ("mourir de honte"), which the lists have already explained, and
without everyday answers and goodbyes ("je sais pas", "à plus"), which its distress examples often say. A
message it finds is distress even when the lists took it for health ("j'ai écrit des lettres à tout le
monde. la boîte de somnifères est pleine"): the distress answer gives the 15 and the 112 too. Trained
on the distress messages of the boundary rounds against everything else the assistant is told (their
job questions, health, small talk, and every training example of the NLU data); deterministic once
trained. Its honest figures are leave-one-round-out
(`python -m evaluation.distress_model`) and each new round measured as written (docs/behaviour.md, "Limits").
"""

import hashlib
import pickle
import re
from pathlib import Path
from typing import Iterable, List, Optional, Sequence, Tuple

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_union

from orientation.safety import DISTRESS, SafetyLexicon, detect, words_for_the_model
from orientation.text import normalise, visitor_words

DISTRESS_CATEGORY = "distress"
_ROUND = re.compile(r"_(\d+)\.yml$")


def _folded(text: str) -> str:
    return " ".join(visitor_words(normalise(text)))  # the form the pipeline reads (TextNormaliser)


def boundary_sets(folder: Path) -> List[Tuple[int, str, List[str]]]:
    """(round, category, messages) of every set of `folder`; a set without a number is round 1."""
    sets = []
    for path in sorted(Path(folder).glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        found = _ROUND.search(path.name)
        sets.append((int(found.group(1)) if found else 1, content["category"], list(content["messages"])))
    return sets


def examples_fingerprint(folder: Path, *also: Path) -> str:
    """Changes when any set of `folder` (or a file of `also`) changes, so that a retraining picks it up."""
    digest = hashlib.sha256()
    for path in [*sorted(Path(folder).glob("*.yml")), *also]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


class DistressModel:
    """Scores how much a message reads like distress, from 0 to 1."""

    def __init__(self, pipeline: Pipeline, lexicon: SafetyLexicon) -> None:
        self._pipeline = pipeline
        self._lexicon = lexicon

    def _read(self, text: str) -> str:
        return _folded(words_for_the_model(text, self._lexicon))

    @classmethod
    def fit(cls, distress: Sequence[str], others: Iterable[str], lexicon: SafetyLexicon) -> "DistressModel":
        others = list(others)
        if not distress or not others:
            raise ValueError("the distress model needs distress messages and other messages to learn from")
        features = make_union(
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True),
        )
        # Balanced: a few hundred distress messages against thousands of others.
        pipeline = Pipeline([("features", features),
                             ("classifier", LogisticRegression(C=4, class_weight="balanced", max_iter=2000))])
        model = cls(pipeline, lexicon)
        pipeline.fit([model._read(t) for t in [*distress, *others]], [True] * len(distress) + [False] * len(others))
        return model

    def scores(self, texts: Sequence[str]) -> List[float]:
        """A message with nothing left to read ("je sais pas", all everyday words) scores 0: the lists judge it."""
        read = [self._read(t) for t in texts]
        kept = [r for r in read if r.strip()]
        found = iter(self._pipeline.predict_proba(kept)[:, 1]) if kept else iter(())
        return [float(next(found)) if r.strip() else 0.0 for r in read]

    def score(self, text: str) -> float:
        return self.scores([text])[0]

    def to_bytes(self) -> bytes:
        return pickle.dumps(self._pipeline)

    @classmethod
    def from_bytes(cls, data: bytes, lexicon: SafetyLexicon) -> "DistressModel":
        return cls(pickle.loads(data), lexicon)  # our own model archive, written by to_bytes


def train_on_rounds(sets: Sequence[Tuple[int, str, List[str]]], examples: Iterable[str],
                    lexicon: SafetyLexicon) -> DistressModel:
    """The model `rasa train` trains: the rounds' distress messages against their other messages and the
    NLU training examples."""
    distress = [m for _, category, messages in sets if category == DISTRESS_CATEGORY for m in messages]
    others = [m for _, category, messages in sets if category != DISTRESS_CATEGORY for m in messages]
    return DistressModel.fit(distress, [*others, *examples], lexicon)


def detect_with_model(texts: Sequence[str], lexicon: SafetyLexicon, model: Optional[DistressModel],
                      threshold: float) -> List[Optional[str]]:
    """orientation.safety.detect for each text, then the model's distress where the lists found none or
    health and its score reaches `threshold`: the decision the pipeline's SafetyDetector applies."""
    found = [detect(text, lexicon) for text in texts]
    unnamed = [i for i, f in enumerate(found) if f != DISTRESS and texts[i].strip()]
    if model is not None and unnamed:
        for i, score in zip(unnamed, model.scores([texts[i] for i in unnamed])):
            if score >= threshold:
                found[i] = DISTRESS
    return found
