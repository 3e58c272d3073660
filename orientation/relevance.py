"""Whether a message speaks the assistant's language: the words of its subject.

An intent classifier always picks one of the intents it knows, and "mon iphone chauffe quand je le
charge, c'est normal ?" has to land somewhere. What the classifier cannot tell is that most of that
message's words never occur in anything the assistant was taught. This module measures it: the share
of a message's content words (not stop words, at least three letters, not numbers) that the
vocabulary knows. The vocabulary is the words of the training examples of the job's intents and of
the knowledge base's texts, compared without their plural and feminine endings ("brute" is "brut",
"mensuelles" is "mensuel"). A word one typo away from a known word counts as known when it is long
("formaton") or, from four letters, when it is no French word ("gagen", "salare"): a French word is
what its writer meant ("cable" is not "table"). The French words are those spaCy's French model read
in its own training (`french_words`), about 80,000 forms without their accents.
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Dict, FrozenSet, Iterable, List, Set, Tuple

from spacy.util import get_package_path

from orientation.text import fold, french_stop_words, visitor_words
from orientation.typos import one_edit_apart

TYPO_MIN_LENGTH = 7  # a long word one typo away from a known one is that word: "horraires" is "horaires"
# From four letters, a word that is no French word is a typo too ("gagen", "salare"); a French word is not
# ("cable" is not "table"). Shorter ones are too close to too many words ("tem", "sal").
SHORT_TYPO_MIN_LENGTH = 4
MIN_LENGTH = 3  # shorter words say too little about the subject ("ok", "cb" once expanded…)
# Words of the chat itself, which say nothing of any subject: interjections, politeness, assent ("tkt en
# attendant c koi les missions" is about the missions, "ok ben y a combien d'organismes qui font le cqp"
# about the training).
CHAT_WORDS = frozenset("""tkt pff pfff dsl desole mdr lol ptdr xptdr wsh bref bah ben bein bon euh hein svp stp
ok okay oki daccord ouais oui non coucou salut bonjour bonsoir genre vraiment attendant koi kwa
inquiete""".split())  # "tkt" is read "t'inquiète"
STOP = french_stop_words() | CHAT_WORDS


VERB_PLURAL_MIN_LENGTH = 7  # a word this long ending in "ent" may be a verb's plural: "bossent" is also "bosse"


def stem(word: str) -> str:
    """The word without its plural and feminine endings: "correctes" -> "correct", "mensuelle" -> "mensuel"."""
    word = word.rstrip("sx") or word
    if word.endswith("e") and len(word) > MIN_LENGTH:
        word = word[:-1]
        if len(word) > 2 and word[-1] == word[-2] and word[-1] in "lnt":
            word = word[:-1]
    return word


def content_words(text: str) -> List[str]:
    """The words of a message that say what it is about."""
    return [w for w in visitor_words(text) if w not in STOP and len(w) >= MIN_LENGTH and not w.isdigit()]


def french_words(package: str) -> FrozenSet[str]:
    """The word forms of a spaCy model package's vocabulary, folded like visitors' words."""
    strings_files = sorted(get_package_path(package).glob("*/vocab/strings.json"))
    if not strings_files:
        raise FileNotFoundError(f"{package}: no vocab/strings.json in the installed package")
    strings = json.loads(strings_files[-1].read_text(encoding="utf-8"))
    return frozenset(word for word in (fold(s) for s in strings) if word.isalpha())


@dataclass
class Vocabulary:
    words: FrozenSet[str]
    # French words (french_words): a short word among them is not taken for a typo. Without them, only
    # long words are.
    lexicon: FrozenSet[str] = frozenset()
    _by_length: Dict[int, Set[str]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, texts: Iterable[str]) -> "Vocabulary":
        return cls(frozenset(w for text in texts for w in content_words(text)))

    def __post_init__(self) -> None:
        by_length: Dict[int, Set[str]] = defaultdict(set)
        for word in self.words:
            by_length[len(stem(word))].add(stem(word))
        self._by_length = dict(by_length)

    def __or__(self, other: "Vocabulary") -> "Vocabulary":
        return Vocabulary(self.words | other.words, self.lexicon | other.lexicon)

    def with_lexicon(self, lexicon: FrozenSet[str]) -> "Vocabulary":
        return Vocabulary(self.words, lexicon)

    def may_be_a_typo(self, word: str) -> bool:
        return len(word) >= TYPO_MIN_LENGTH or (
            len(word) >= SHORT_TYPO_MIN_LENGTH and bool(self.lexicon) and word not in self.lexicon)

    def knows(self, word: str) -> bool:
        stemmed = stem(word)
        if stemmed in self._by_length.get(len(stemmed), ()):
            return True
        if len(word) >= VERB_PLURAL_MIN_LENGTH and word.endswith("ent") and self.knows(word[:-2]):
            return True  # "ils bossent": "bosse" is known
        if not self.may_be_a_typo(word):
            return False
        return any(one_edit_apart(stemmed, known) for length in (len(stemmed) - 1, len(stemmed), len(stemmed) + 1)
                   for known in self._by_length.get(length, ()))

    def known(self, text: str) -> Tuple[float, int]:
        """The share of the message's content words that the vocabulary knows (1.0 without any), and
        how many it knows: each word is looked up once (a typo is searched among the vocabulary)."""
        words = content_words(text)
        count = sum(self.knows(w) for w in words)
        return (count / len(words) if words else 1.0), count

    def known_share(self, text: str) -> float:
        return self.known(text)[0]
