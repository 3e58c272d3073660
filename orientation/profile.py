"""The visitor's profile, and the parsing of what visitors type about themselves."""

import re
from dataclasses import dataclass
from typing import Mapping, Optional

from orientation.knowledge import KnowledgeBase
from orientation.text import fold

MAX_YEARS = 60

_NUMBER_WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16, "vingt": 20, "trente": 30, "quarante": 40,
}
_QUANTITY = re.compile(r"(\d+(?:[.,]\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")\s*(ans?|annees?|mois)?\b")
_HALF = re.compile(r"\bet demie?\b|\bans? et demi")


@dataclass(frozen=True)
class Profile:
    diploma: Optional[str] = None  # a diploma id of the knowledge base
    job: Optional[str] = None  # a job id of the knowledge base ("autre" for any other job)
    experience_years: Optional[float] = None  # years in `job`


def _contains(text: str, phrase: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text) is not None


def _match(text: str, aliases_by_id: Mapping[str, tuple], sentence: str = "") -> Optional[str]:
    """The id whose longest alias appears as whole words in `text` ("pas le bac" beats "bac").

    `sentence`, the message `text` was extracted from, gives the extracted words their meaning: the
    entity "bac" in "je n'ai pas le bac" is read as the alias "pas le bac" when the sentence has it.
    """
    folded = fold(text)
    candidates = sorted(
        ((fold(alias), item_id) for item_id, aliases in aliases_by_id.items() for alias in aliases),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
    folded_sentence = fold(sentence)
    for alias, item_id in candidates:
        if folded and _contains(alias, folded) and _contains(folded_sentence, alias):
            return item_id
    if folded in aliases_by_id:
        return folded
    for alias, item_id in candidates:
        if _contains(folded, alias):
            return item_id
    return None


def match_diploma(text: str, kb: KnowledgeBase, sentence: str = "") -> Optional[str]:
    return _match(text, {d.id: d.aliases for d in kb.diplomas.values()}, sentence)


def match_job(text: str, kb: KnowledgeBase, sentence: str = "") -> Optional[str]:
    return _match(text, {j.id: j.aliases for j in kb.jobs.values()}, sentence)


def parse_years(text: object) -> Optional[float]:
    """Years of experience in "3", "trois ans", "18 mois", "2 ans et demi"; None if there are none."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        years = float(text)
    else:
        match = _QUANTITY.search(fold(str(text)))
        if not match:
            return None
        number, unit = match.groups()
        years = float(_NUMBER_WORDS.get(number) or number.replace(",", "."))
        if _HALF.search(fold(str(text))):
            years += 0.5
        if unit == "mois":
            years /= 12
    return round(years, 2) if 0 <= years <= MAX_YEARS else None


def profile_from_slots(slots: Mapping[str, object], kb: KnowledgeBase) -> Profile:
    """Profile from raw slot values, which may still be what the visitor typed."""
    diploma, job, years = slots.get("diploma"), slots.get("job"), slots.get("experience_years")
    return Profile(
        diploma=match_diploma(diploma, kb) if isinstance(diploma, str) else None,
        job=match_job(job, kb) if isinstance(job, str) else None,
        experience_years=parse_years(years) if years is not None else None,
    )
