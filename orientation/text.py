"""Text folding shared by every comparison with what visitors type."""

import re
import unicodedata

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
