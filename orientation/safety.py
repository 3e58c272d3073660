"""Messages answered before any other: distress (the 3114) and health (see a doctor or pharmacist).

Deterministic, so that no classifier's confidence decides it: a message is matched against word
lists kept as data (knowledge/safety/lexicon.yml). Words of seven letters or more also match with one
typo ("suicde"), shorter ones only exactly ("courir" is not "mourir"); SMS spellings the lexicon lists
are read as the words they stand for ("jveu pu" is "je veux plus"). A symptom counts only when a
person is named just before it ("j'ai de la fièvre", "mon fils a des boutons"): "les assistants
médicaux prennent la tension ?" or "gérer la douleur des patients" are questions on the job, and so is
what is said of a patient ("si un patient dit qu'il a de la fièvre…"). Words inside an idiom of the
lexicon mean something else ("en finir avec mes études", "mourir de rire"). In a message that asks about
the job for oneself ("… ce métier est-il compatible ?", "… ça m'empêche de devenir assistante médicale ?"),
the symptoms and measures the visitor gives of themselves are their background, not a health question;
requests for care or medicine, the signs of an emergency (`urgent`: a stroke, bleeding in pregnancy), a
question of its own on the symptoms ("j'ai de la fièvre, je vais voir qui ? et le CQP…", "j'ai mal au genou
depuis dix jours. Sinon, …") and every distress cue still count there.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import yaml

from orientation.text import visitor_words
from orientation.typos import one_edit_apart

DISTRESS = "distress"
HEALTH = "health_question"
TYPO_MIN_LENGTH = 7  # words this long match with one typo
PERSON_WINDOW = 6  # a symptom is someone's when a person is named at most this many words before it
PERSON_AFTER_WINDOW = 2  # … or this many words after it ("vertiges dès que je me lève")
WISH_WINDOW = 5  # "j'ai envie de mourir", "autant en finir": a wish this close before an ending
WORRY_WINDOW = 5  # "des palpitations le soir, je sais pas si…": a worry this close after a symptom
NUMBER_WINDOW = 3  # "la tension à 16/10": a number this close to a measure
PATIENT_WINDOW = 8  # "si un patient dit qu'il a des idées suicidaires": a cue this close after a patient
# … unless the visitor speaks of themselves in between ("je souris aux patients et le soir je m'imagine sous un train")
SELF = frozenset({"je", "j"})
SHORT_MESSAGE = 6  # words: a sign of despair that is the whole message is a cry ("j'en peux plus", "adieu")
OPENING = 2  # a message whose first or second word is a symptom describes it ("migraine depuis 3 jours")
ABBREVIATION = 3  # letters: "avc" opens "eligible avc un bac+2 ?" as SMS for "avec"


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
    spellings: Dict[str, Phrase]  # what visitors type -> the words it stands for ("pu" -> "plus")
    idioms: Tuple[Phrase, ...]  # a cue inside one of these means something else ("en finir avec mes études")
    job_questions: Tuple[Phrase, ...] = ()  # the message asks about the job: own symptoms are background
    not_alone: Tuple[Phrase, ...] = ()  # signs that are also everyday words ("merci pour tout", "c'est décidé")
    urgent: Tuple[Phrase, ...] = ()  # signs of an emergency: health alone, even in a question on the job
    worries: Tuple[Phrase, ...] = ()  # said just after one's symptoms, a health question even beside the job
    everyday: Tuple[Phrase, ...] = ()  # answers and goodbyes the distress model does not read ("je sais pas")


def _words(text: str, spellings: Dict[str, Phrase]) -> List[str]:
    """The words of `text`, each spelling of the lexicon read as what it stands for ("ne" may stand for nothing)."""
    return [meant for typed in visitor_words(text) for meant in spellings.get(typed, (typed,))]


def _phrases(raw: object, where: str, spellings: Dict[str, Phrase]) -> Tuple[Phrase, ...]:
    if not isinstance(raw, list) or not raw or not all(isinstance(p, str) and _words(p, spellings) for p in raw):
        raise SafetyLexiconError(f"{where} : une liste non vide d'expressions est attendue")
    return tuple(tuple(_words(p, spellings)) for p in raw)


def _spellings(raw: object, where: str) -> Dict[str, Phrase]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) and len(visitor_words(k)) == 1
                                            for k, v in raw.items()):
        raise SafetyLexiconError(f"{where} : des paires « mot tapé: mots qu'il remplace » sont attendues")
    return {visitor_words(typed)[0]: tuple(visitor_words(meant)) for typed, meant in raw.items()}


def load_safety_lexicon(path: Path) -> SafetyLexicon:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SafetyLexiconError(f"{path} : fichier illisible ({error})") from error
    if not isinstance(raw, dict) or not isinstance(raw.get("distress"), dict) or not isinstance(raw.get("health"), dict):
        raise SafetyLexiconError(f"{path} : les sections « distress » et « health » sont attendues")
    distress, health = raw["distress"], raw["health"]
    spellings = _spellings(raw.get("spellings"), f"{path} : spellings")
    lexicon = SafetyLexicon(
        distress=_phrases(distress.get("phrases"), f"{path} : distress.phrases", spellings),
        hopelessness=_phrases(distress.get("hopelessness"), f"{path} : distress.hopelessness", spellings),
        patients=_phrases(distress.get("patients"), f"{path} : distress.patients", spellings),
        wishes=_phrases(distress.get("wishes"), f"{path} : distress.wishes", spellings),
        endings=_phrases(distress.get("endings"), f"{path} : distress.endings", spellings),
        symptoms=_phrases(health.get("symptoms"), f"{path} : health.symptoms", spellings),
        persons=_phrases(health.get("persons"), f"{path} : health.persons", spellings),
        measures=_phrases(health.get("measures"), f"{path} : health.measures", spellings),
        advice=_phrases(health.get("advice"), f"{path} : health.advice", spellings),
        spellings=spellings,
        idioms=_phrases(raw["idioms"], f"{path} : idioms", spellings) if "idioms" in raw else (),
        job_questions=(_phrases(health["job_questions"], f"{path} : health.job_questions", spellings)
                       if "job_questions" in health else ()),
        not_alone=_phrases(distress["not_alone"], f"{path} : distress.not_alone", spellings) if "not_alone" in distress else (),
        urgent=_phrases(health["urgent"], f"{path} : health.urgent", spellings) if "urgent" in health else (),
        worries=_phrases(health["worries"], f"{path} : health.worries", spellings) if "worries" in health else (),
        everyday=_phrases(raw["everyday"], f"{path} : everyday", spellings) if "everyday" in raw else (),
    )
    unknown = [" ".join(p) for p in lexicon.not_alone if p not in lexicon.hopelessness]
    if unknown:
        raise SafetyLexiconError(f"{path} : distress.not_alone ne liste que des signes de distress.hopelessness "
                                 f"(absents : {', '.join(unknown)})")
    return lexicon


def _same_word(expected: str, typed: str) -> bool:
    if expected == typed:
        return True
    return len(expected) >= TYPO_MIN_LENGTH and one_edit_apart(expected, typed)


# Each word list indexed by its phrases' first words, built once per list (keyed by the list itself, kept
# alive here so that its id is not reused): a message is then compared with the phrases that can start
# at each of its words, not with every phrase of the lexicon.
_INDEXES: Dict[int, Tuple[Tuple[Phrase, ...], Dict[str, List[Phrase]], Tuple[str, ...]]] = {}


def _index(phrases: Tuple[Phrase, ...]) -> Tuple[Dict[str, List[Phrase]], Tuple[str, ...]]:
    entry = _INDEXES.get(id(phrases))
    if entry is None or entry[0] is not phrases:
        by_first: Dict[str, List[Phrase]] = {}
        for phrase in phrases:
            by_first.setdefault(phrase[0], []).append(phrase)
        entry = _INDEXES[id(phrases)] = (phrases, by_first, tuple(w for w in by_first if len(w) >= TYPO_MIN_LENGTH))
    return entry[1], entry[2]


def _starts(words: Sequence[str], phrases: Tuple[Phrase, ...]) -> List[Tuple[int, int]]:
    """(start, end) of every occurrence of the phrases in the message's words."""
    by_first, long_firsts = _index(phrases)
    found = []
    for start, word in enumerate(words):
        firsts = [word] if word in by_first else []
        firsts += [f for f in long_firsts if f != word and abs(len(f) - len(word)) <= 1 and one_edit_apart(f, word)]
        for first in firsts:
            for phrase in by_first[first]:
                end = start + len(phrase)
                if end <= len(words) and all(_same_word(p, w) for p, w in zip(phrase[1:], words[start + 1:end])):
                    found.append((start, end))
    return found


def detect(text: str, lexicon: SafetyLexicon) -> Optional[str]:
    """DISTRESS, HEALTH or None for a visitor's message."""
    words = _words(text, lexicon.spellings)
    idioms = _starts(words, lexicon.idioms)
    wishes = _starts(words, lexicon.wishes)
    cues = _starts(words, lexicon.distress)
    cues += [ending for ending in _starts(words, lexicon.endings) if _close(wishes, [ending], WISH_WINDOW)]
    cues = _outside(cues, idioms)
    patients = _starts(words, lexicon.patients)
    if _not_of_patient(cues, patients, words):
        return DISTRESS  # a cue not preceded by a patient ("si un patient a des idées suicidaires")
    signs, last_end = set(), 0
    for start, end in sorted(_starts(words, lexicon.hopelessness)):
        if start >= last_end:  # "je sers à rien" is one sign, not also "sers à rien"
            signs.add(tuple(words[start:end]))
            last_end = end
    if len(signs) >= 2 or (signs - set(lexicon.not_alone) and len(words) <= SHORT_MESSAGE):
        return DISTRESS
    if _not_of_patient(_outside(_starts(words, lexicon.advice), idioms), patients, words, after=True):
        return HEALTH  # "l'assistant peut-il donner un doliprane à un patient ?" is on the job
    if _not_of_patient(_outside(_starts(words, lexicon.urgent), idioms), patients, words, after=True):
        return HEALTH  # "enceinte, des contractions et du sang… la formation après ?": never background
    if _starts(words, lexicon.job_questions):
        # "j'ai mal au dos, le poste est-il moins physique ?": the visitor's background. But a question of its
        # own on the symptoms ("j'ai de la fièvre, je dois voir qui ? et la formation…") is a health question.
        # So are symptoms the visitor worries about ("des palpitations le soir, je sais pas si c'est le stress").
        asked = any(_symptoms_of_someone(question, lexicon) for question in _other_questions(text, lexicon))
        return HEALTH if asked or _worried_about(words, lexicon) else None
    return HEALTH if _symptoms_of_someone(words, lexicon) else None


# Where a message turns to another question: a question mark, or "sinon", "par ailleurs"…
_OTHER_QUESTION = re.compile(r"\?|(?<!\w)(?:sinon|par ailleurs|autre question|autre chose)(?!\w)", re.IGNORECASE)


def _other_questions(text: str, lexicon: SafetyLexicon) -> List[List[str]]:
    """The words of each part of the message that ends in a question or a change of subject ("j'ai mal au
    genou depuis dix jours. Sinon, …") and asks nothing about the job."""
    parts = [_words(part, lexicon.spellings) for part in _OTHER_QUESTION.split(text)[:-1]]
    return [words for words in parts if not _starts(words, lexicon.job_questions)]


def _worried_about(words: List[str], lexicon: SafetyLexicon) -> bool:
    """Symptoms of a person followed closely by the visitor's worry about them ("… je sais pas si c'est grave")."""
    symptoms = _outside(_starts(words, lexicon.symptoms), _starts(words, lexicon.idioms))
    return _symptoms_of_someone(words, lexicon) and _close(symptoms, _starts(words, lexicon.worries), WORRY_WINDOW)


def _symptoms_of_someone(words: List[str], lexicon: SafetyLexicon) -> bool:
    """Symptoms or measures given of a person ("j'ai de la fièvre", "ma tension est à 16"), not of a patient."""
    idioms = _starts(words, lexicon.idioms)
    patients = _starts(words, lexicon.patients)
    symptoms = _outside(_starts(words, lexicon.symptoms), idioms)
    persons = _not_of_patient(_starts(words, lexicon.persons), patients, words)
    if _close(persons, symptoms, PERSON_WINDOW) or _close(symptoms, persons, PERSON_AFTER_WINDOW):
        return True
    if any(start < OPENING and len("".join(words[start:end])) > ABBREVIATION
           for start, end in _not_of_patient(symptoms, patients, words, after=True)):
        return True
    numbers = [(i, i + 1) for i, word in enumerate(words) if word.isdigit()]
    measures = _starts(words, lexicon.measures)
    return _close(measures, numbers, NUMBER_WINDOW) or _close(numbers, measures, NUMBER_WINDOW)


def words_for_the_model(text: str, lexicon: SafetyLexicon) -> str:
    """The message's words but those of the lexicon's idioms ("j'ai cru mourir de honte" -> "j ai cru") and
    everyday phrases ("je sais pas", "à plus"): what a reader that knows neither (orientation.distress_model)
    may weigh."""
    words = _words(text, lexicon.spellings)
    unread = _starts(words, lexicon.idioms) + _starts(words, lexicon.everyday)
    return " ".join(word for i, word in enumerate(words) if not any(start <= i < end for start, end in unread))


def _outside(found: List[Tuple[int, int]], idioms: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """What of `found` is not part of an idiom ("en finir" in "en finir avec mes études")."""
    return [(start, end) for start, end in found if not any(s <= start and end <= e for s, e in idioms)]


def _not_of_patient(found: List[Tuple[int, int]], patients: List[Tuple[int, int]], words: Sequence[str],
                    after: bool = False) -> List[Tuple[int, int]]:
    """What of `found` is not said of a patient named at most PATIENT_WINDOW words before it, the visitor not
    speaking of themselves in between (or after it: `after`); "si un enfant a de la fièvre", where the person
    is part of the patient, is said of a patient."""
    def of_patient(start: int, end: int, p_start: int, p_end: int) -> bool:
        before = p_start <= start and start - PATIENT_WINDOW <= p_end and not SELF.intersection(words[p_end:start])
        return before or (after and end <= p_start <= end + PATIENT_WINDOW)

    return [(start, end) for start, end in found if not any(of_patient(start, end, *patient) for patient in patients)]


def _close(before: List[Tuple[int, int]], after: List[Tuple[int, int]], window: int) -> bool:
    """Whether something of `before` ends at most `window` words before something of `after` starts."""
    return any(start - window <= end <= start for start, _ in after for _, end in before)
