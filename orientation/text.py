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
