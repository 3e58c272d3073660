"""What a visitor typed, with what identifies them masked before a counsellor sees it.

Visitors give their e-mail address, their phone number, a social security or file number: the review
shows that such a thing was written, never the thing itself.
"""

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# French numbers, however they are spaced: 06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78, 0033612345678.
_PHONE = re.compile(r"(?<!\w)(?:\+|00)?(?:\d[\s.\-]?){9,14}\d(?!\w)")
_LONG_DIGITS = re.compile(r"\d{5,}")  # a postcode, a file or social security number, a card

EMAIL, PHONE, NUMBER = "[e-mail]", "[téléphone]", "[numéro]"


def mask(text: str) -> str:
    """`text` with e-mail addresses, phone numbers and strings of five digits or more replaced."""
    text = _EMAIL.sub(EMAIL, text)
    text = _PHONE.sub(PHONE, text)
    return _LONG_DIGITS.sub(NUMBER, text)
