"""Text folding shared by every comparison with what visitors type."""

import importlib.util
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, List

_APOSTROPHES = str.maketrans({"’": "'", "`": "'", "´": "'"})
_SPACES = re.compile(r"\s+")


def fold(text: str, keep_case: bool = False) -> str:
    """Lower-case, accent-free, single-spaced form of `text` (`keep_case`: accent-free only).

    Visitors write "infirmiere", "Infirmière" or "INFIRMIÈRE": all three must compare equal.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    single_spaced = _SPACES.sub(" ", without_accents).strip()
    return single_spaced if keep_case else single_spaced.lower()


# An elided article or pronoun is a word of its own: "combien d'organismes" names "organismes".
_ELISION = re.compile(r"(?<![\w'])(qu|[cdjlmnst])'")
# An elision typed without its apostrophe ("cb d heures", "un metier d avenir"): the letter alone before a vowel.
_BARE_ELISION = re.compile(r"(?<![\w'])(qu|[cdjlmnst]) (?=[aeiouyh])")


def elisions_apart(text: str) -> str:
    """`text` (folded) with each elision a word of its own, its apostrophe restored if it was typed without
    ("combien d'organismes" and "combien d organismes" -> "combien d' organismes")."""
    return " ".join(_ELISION.sub(r"\1' ", _BARE_ELISION.sub(r"\1' ", text)).split())


# What visitors type in SMS style, and what it stands for.
_SMS = {
    "jai": "j'ai", "jy": "j'y", "jsp": "je sais pas", "jpp": "j'en peux plus", "g": "j'ai", "ds": "dans", "pr": "pour",
    "tjrs": "toujours", "tjs": "toujours", "bcp": "beaucoup", "pcq": "parce que", "qd": "quand", "pk": "pourquoi",
    "pq": "pourquoi", "tkt": "t'inquiete", "chuis": "je suis",
}
_SMS_PATTERN = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, _SMS)) + r")(?!\w)", re.IGNORECASE)
# "jsuis", "jpeux", "jvomis": "je" elided before a verb; no French word starts with j and a consonant.
_ELIDED_JE = re.compile(r"(?<!\w)j(?=[bcdfghklmnpqrstvwxz]\w)", re.IGNORECASE)
_REPEATED = re.compile(r"([a-zA-Z])\1{2,}")


def expand_sms(text: str) -> str:
    """SMS forms written out ("jsuis" -> "je suis") and stretched letters squeezed ("ouiii" -> "oui")."""
    expanded = _SMS_PATTERN.sub(lambda m: _SMS[m.group(1).lower()], text)
    return _REPEATED.sub(r"\1", _ELIDED_JE.sub("je ", expanded))


def visitor_words(text: str) -> List[str]:
    """The words of a visitor's message, SMS forms written out, folded ("J'ai" -> ["j", "ai"])."""
    return re.findall(r"\w+", fold(expand_sms(text)))


# Forms of questions typed on a phone, written out for the intent classifier only (the profile reader
# keeps to _SMS: "bac c" is a diploma there, not "bac c'est"). Never a form that is also a medical
# abbreviation the safety lists read: "ts" (tentative de suicide), "pa" (pression artérielle), "avc", "mm".
_QUESTION_FORMS = {
    "cb": "combien", "cmb": "combien", "cbn": "combien", "koi": "quoi", "kwa": "quoi", "kel": "quel", "kelle": "quelle",
    "kels": "quels", "kan": "quand", "ki": "qui", "ke": "que", "cmt": "comment", "cmnt": "comment", "pkoi": "pourquoi",
    "pourkoi": "pourquoi", "ya": "il y a", "slt": "salut", "bjr": "bonjour", "stp": "s'il te plait",
    "svp": "s'il vous plait", "dc": "donc", "tt": "tout", "qqn": "quelqu'un",
    "qqch": "quelque chose", "bi1": "bien", "tro": "trop", "vrmt": "vraiment", "chui": "je suis",
    "taf": "travail", "dip": "diplome", "tps": "temps", "mrc": "merci", "mtn": "maintenant", "ptet": "peut-etre",
}
_QUESTION_PATTERN = re.compile(r"(?<![\w'])(" + "|".join(map(re.escape, _QUESTION_FORMS)) + r")(?![\w'])", re.IGNORECASE)
# "c ouvert a qui", "c quoi": a lone "c" before a word is "c'est" (not in "bac c", "vitamine c").
_LONE_C = re.compile(r"(?<![\w'])(?<!bac )(?<!vitamine )c(?= [^\W\d_])", re.IGNORECASE)


# A greeting, thanks or an apology that opens a question says nothing of what is asked ("bonjour c quoi la
# formation", "dsl. c quoi les conditions"): the classifier took such questions for greetings or
# off-topic. A greeting goes with or without punctuation; thanks and apologies only with it ("merci pour
# tout" stays whole). Alone, they stay: they are the message.
_OPENING = re.compile(
    r"^\s*(?:(?:bonjour|bonsoir|salut|coucou|hello|hey)(?: a (?:tous|vous)| madame| monsieur)?[\s,.!;:]+"
    r"|(?:merci(?: beaucoup| bien)?|dsl|desolee?|pardon|excusez moi|excuse moi)\s*[,.!;:]+\s*)(?=.*\w)",
    re.IGNORECASE)


def normalise(text: str) -> str:
    """The form of a message the intent classifier learns and reads: accents and apostrophes folded, SMS
    forms written out, stretched letters squeezed, an opening greeting or thanks left out, case kept
    ("Combien ça gagne" -> "Combien ca gagne", "bonjour, cb ça gagne ?" -> "combien ca gagne ?")."""
    written_out = _QUESTION_PATTERN.sub(lambda m: _QUESTION_FORMS[m.group(1).lower()], text)
    folded = fold(expand_sms(_LONE_C.sub("c'est", written_out)), keep_case=True)
    opened = _OPENING.sub("", folded, count=1)
    while opened != folded:  # "bonjour, merci. …"
        folded, opened = opened, _OPENING.sub("", opened, count=1)
    return opened


@lru_cache(maxsize=1)
def french_stop_words() -> FrozenSet[str]:
    """spaCy's French stop words (about 500), folded.

    Read from spaCy's `spacy/lang/fr/stop_words.py` alone: importing it the usual way runs
    `spacy.lang.fr` first, which compiles a tokenizer pattern of 1.45 million characters (7 s of the
    action server's start, and of the Rasa server's outside spaCy's cached loading).
    """
    spacy_spec = importlib.util.find_spec("spacy")  # finds the package without importing it
    path = Path(spacy_spec.origin).parent / "lang" / "fr" / "stop_words.py"
    spec = importlib.util.spec_from_file_location("spacy_french_stop_words", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(fold(word) for word in module.STOP_WORDS)
