"""Text folding shared by every comparison with what visitors type."""

import re
import unicodedata
from typing import List

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
    "taf": "travail", "dip": "diplome",
}
_QUESTION_PATTERN = re.compile(r"(?<![\w'])(" + "|".join(map(re.escape, _QUESTION_FORMS)) + r")(?![\w'])", re.IGNORECASE)
# "c ouvert a qui", "c quoi": a lone "c" before a word is "c'est" (not in "bac c", "vitamine c").
_LONE_C = re.compile(r"(?<![\w'])(?<!bac )(?<!vitamine )c(?= [^\W\d_])", re.IGNORECASE)


def normalise(text: str) -> str:
    """The form of a message the intent classifier learns and reads: accents and apostrophes folded, SMS
    forms written out, stretched letters squeezed, case kept ("Combien ça gagne" -> "Combien ca gagne")."""
    written_out = _QUESTION_PATTERN.sub(lambda m: _QUESTION_FORMS[m.group(1).lower()], text)
    return fold(expand_sms(_LONE_C.sub("c'est", written_out)), keep_case=True)
