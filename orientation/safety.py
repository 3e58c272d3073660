"""Messages answered before any other: distress (the 3114) and health (see a doctor or pharmacist).

Deterministic, so that no classifier's confidence decides it: a message is matched against word
lists kept as data (knowledge/safety/lexicon.yml). Words of seven letters or more also match with one
typo ("suicde"), shorter ones only exactly ("courir" is not "mourir"). A symptom counts only when a
person is named just before it ("j'ai de la fièvre", "mon fils a des boutons"): "les assistants
médicaux prennent la tension ?" or "gérer la douleur des patients" are questions on the job.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import yaml

from orientation.text import visitor_words

DISTRESS = "distress"
HEALTH = "health_question"
TYPO_MIN_LENGTH = 7  # words this long match with one typo
PERSON_WINDOW = 6  # a symptom is someone's when a person is named at most this many words before it
WISH_WINDOW = 4  # "j'ai envie de mourir", "autant en finir": a wish this close before an ending
NUMBER_WINDOW = 3  # "la tension à 16/10": a number this close to a measure
PATIENT_WINDOW = 8  # "si un patient dit qu'il a des idées suicidaires": a cue this close after a patient

class SafetyLexiconError(ValueError):
    """A lexicon file that cannot be used, with why."""

Phrase = Tuple[str, ...]

@dataclass(frozen=True)
class SafetyLexicon:
    distress: Tuple[Phrase, ...]  # alone
    hopelessness: Tuple[Phrase, ...]  # two different ones in a message
    patients: Tuple[Phrase, ...]  # what follows speaks of a patient (a question on the job)
    wishes: Tuple[Phrase, ...]  # followed closely by an ending
    endings: Tuple[Phrase, ...]
    symptoms: Tuple[Phrase, ...]  # preceded closely by a person
    persons: Tuple[Phrase, ...]
    measures: Tuple[Phrase, ...]  # followed closely by a number
    advice: Tuple[Phrase, ...]  # alone

def _phrases(raw: object, where: str) -> Tuple[Phrase, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(p, str) and p.strip() for p in raw):
        raise SafetyLexiconError(f"{where} : une liste non vide d'expressions est attendue")
    return tuple(tuple(visitor_words(p)) for p in raw)

def load_safety_lexicon(path: Path) -> SafetyLexicon:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SafetyLexiconError(f"{path} : fichier illisible ({error})") from error
    if not isinstance(raw, dict) or not isinstance(raw.get("distress"), dict) or not isinstance(raw.get("health"), dict):
        raise SafetyLexiconError(f"{path} : les sections « distress » et « health » sont attendues")
    distress, health = raw["distress"], raw["health"]
    return SafetyLexicon(
        distress=_phrases(distress.get("phrases"), f"{path} : distress.phrases"),
        hopelessness=_phrases(distress.get("hopelessness"), f"{path} : distress.hopelessness"),
        patients=_phrases(distress.get("patients"), f"{path} : distress.patients"),
        wishes=_phrases(distress.get("wishes"), f"{path} : distress.wishes"),
        endings=_phrases(distress.get("endings"), f"{path} : distress.endings"),
        symptoms=_phrases(health.get("symptoms"), f"{path} : health.symptoms"),
        persons=_phrases(health.get("persons"), f"{path} : health.persons"),
        measures=_phrases(health.get("measures"), f"{path} : health.measures"),
        advice=_phrases(health.get("advice"), f"{path} : health.advice"),
    )

def _same_word(expected: str, typed: str) -> bool:
    if expected == typed:
        return True
    if len(expected) < TYPO_MIN_LENGTH or abs(len(expected) - len(typed)) > 1:
        return False
    return _edit_distance_at_most_one(expected, typed)

def _edit_distance_at_most_one(a: str, b: str) -> bool:
    if len(a) == len(b):
        differences = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        # one substitution, or two neighbours swapped ("suicdie")
        return len(differences) <= 1 or (len(differences) == 2 and differences[1] == differences[0] + 1
                                         and a[differences[0]] == b[differences[1]] and a[differences[1]] == b[differences[0]])
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))

def _starts(words: Sequence[str], phrases: Sequence[Phrase]) -> List[Tuple[int, int]]:
    """(start, end) of every occurrence of the phrases in the message's words."""
    found = []
    for start in range(len(words)):
        for phrase in phrases:
            end = start + len(phrase)
            if end <= len(words) and all(_same_word(p, w) for p, w in zip(phrase, words[start:end])):
                found.append((start, end))
    return found

def detect(text: str, lexicon: SafetyLexicon) -> Optional[str]:
    """DISTRESS, HEALTH or None for a visitor's message."""
    words = visitor_words(text)
    wishes = _starts(words, lexicon.wishes)
    cues = [start for start, _ in _starts(words, lexicon.distress)]
    cues += [start for start, end in _starts(words, lexicon.endings) if _close(wishes, [(start, end)], WISH_WINDOW)]
    patients = _starts(words, lexicon.patients)
    if any(not any(start - PATIENT_WINDOW <= end <= start for _, end in patients) for start in cues):
        return DISTRESS  # a cue not preceded by a patient ("si un patient a des idées suicidaires")
    if len({tuple(words[s:e]) for s, e in _starts(words, lexicon.hopelessness)}) >= 2:
        return DISTRESS
    if _starts(words, lexicon.advice):
        return HEALTH
    if _close(_starts(words, lexicon.persons), _starts(words, lexicon.symptoms), PERSON_WINDOW):
        return HEALTH
    numbers = [(i, i + 1) for i, word in enumerate(words) if word.isdigit()]
    measures = _starts(words, lexicon.measures)
    if _close(measures, numbers, NUMBER_WINDOW) or _close(numbers, measures, NUMBER_WINDOW):
        return HEALTH
    return None


def _close(before: List[Tuple[int, int]], after: List[Tuple[int, int]], window: int) -> bool:
    """Whether something of `before` ends at most `window` words before something of `after` starts."""
    return any(start - window <= end <= start for start, _ in after for _, end in before)
