"""What a visitor says about their diplomas, read with the scope of each word.

A diploma is never taken as held from its name alone. Each message is cut into clauses (between two
punctuation marks or linking words such as "mais"), as in the NegEx algorithm (Chapman et al., 2001,
the standard method for negation in clinical text): a cue word ("pas", "étudiante", "au Maroc") bears on
the diplomas of its own clause. A clause with a cue but no diploma ("je ne l'ai pas eu", "il n'est pas
reconnu") bears on the diploma being talked about. Every word list is data (knowledge base,
`profile_reading`). No Rasa, no spaCy: fr_core_news_sm's parse of unaccented SMS French is not
reliable enough to decide a verdict on.
"""

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Dict, Iterable, List, Mapping, Optional, Pattern, Tuple

from orientation.knowledge import KnowledgeBase, Relative
from orientation.text import expand_sms, fold

# What is known of one diploma.
HELD = "held"  # stated without doubt, or confirmed
DENIED = "denied"  # the visitor answered that it is not held: never asked again
NOT_HELD = "not_held"  # stated with a negation ("je n'ai pas le DEAS")
ABANDONED = "abandoned"  # training stopped, exam failed
IN_PROGRESS = "in_progress"  # student, in training, VAE under way
PLANNED = "planned"  # exam to come, results awaited
FAISANT_FONCTION = "faisant_fonction"  # doing the job without the diploma
LEVEL_ONLY = "level_only"  # "niveau bac": went that far, not said to hold it
FOREIGN = "foreign"  # obtained abroad, recognition in France not said
FOREIGN_RECOGNISED = "foreign_recognised"
FOREIGN_UNRECOGNISED = "foreign_unrecognised"

UNCERTAIN = frozenset({IN_PROGRESS, PLANNED, FAISANT_FONCTION, LEVEL_ONLY, FOREIGN})
STATED_NOT_HELD = frozenset({NOT_HELD, ABANDONED})
FOREIGN_SETTLED = frozenset({FOREIGN_RECOGNISED, FOREIGN_UNRECOGNISED})

# The questions of the eligibility form, and what an answer to each one settles.
ASK_DIPLOMA = "diploma"
ASK_CONFIRMATION = "diploma_confirmation"
ASK_LEVEL = "diploma_level"
ASK_MEDICAL_SECRETARY = "medical_secretary"
FORM_QUESTIONS = (ASK_DIPLOMA, ASK_CONFIRMATION, ASK_LEVEL, ASK_MEDICAL_SECRETARY)
UNKNOWN_LEVEL_DIPLOMA = "niveau_inconnu"
BELOW_CQP_LEVEL = "sans_niveau_bac"
NO_DIPLOMA = "aucun"
BARE_NO_WORDS = 4  # "non j'en ai pas": a "no" to "Quel est votre diplôme ?" with this many words after it

YES, NO, DONT_KNOW = "yes", "no", "dont_know"

_PUNCTUATION = re.compile(r"[.,;:!?()\n…]+|\s-\s")
_LEADING_FILLER = re.compile(r"^(?:\s|ah|euh|bah|ben|alors|hmm|oups|ok|d'accord)*", re.IGNORECASE)


@dataclass(frozen=True)
class Profile:
    """What the conversation has told about the person the check is for."""

    diplomas: Tuple[Tuple[str, str], ...] = ()  # (diploma id, status), in the order they were last spoken of
    medical_secretary: Optional[bool] = None  # has worked as a medical secretary
    relative: Optional[str] = None  # key of profile_reading.relatives when the check is for someone else
    diploma_unreadable: bool = False  # the diploma question got an answer that names no known diploma

    def status(self, diploma: str) -> Optional[str]:
        return dict(self.diplomas).get(diploma)

    def with_statuses(self, updates: Iterable[Tuple[str, str]]) -> "Profile":
        statuses: Dict[str, str] = dict(self.diplomas)
        for diploma, status in updates:
            statuses.pop(diploma, None)  # re-inserted last: the latest spoken of comes last
            statuses[diploma] = status
        return replace(self, diplomas=tuple(statuses.items()))

    def to_slot(self) -> Dict:
        return {"diplomas": [list(d) for d in self.diplomas], "medical_secretary": self.medical_secretary,
                "relative": self.relative, "diploma_unreadable": self.diploma_unreadable}

    @classmethod
    def from_slot(cls, value: object, kb: KnowledgeBase) -> "Profile":
        """The stored slot, keeping only what the current knowledge base still knows."""
        if not isinstance(value, Mapping):
            return cls()
        diplomas = tuple(
            (d[0], d[1]) for d in value.get("diplomas") or ()
            if isinstance(d, (list, tuple)) and len(d) == 2 and d[0] in kb.diplomas and isinstance(d[1], str)
        )
        secretary = value.get("medical_secretary")
        relative = value.get("relative")
        return cls(
            diplomas=diplomas,
            medical_secretary=secretary if isinstance(secretary, bool) else None,
            relative=relative if relative in kb.profile_reading.relatives else None,
            diploma_unreadable=value.get("diploma_unreadable") is True,
        )


@dataclass
class _Text:
    """A message in two aligned forms: accents removed (case kept, for acronyms) and folded."""

    cased: str
    folded: str
    clauses: List[Tuple[int, int]] = field(default_factory=list)
    masked: str = ""  # `folded` with the names found blanked out, where cue words are looked for
    cues: Dict[str, List[int]] = field(default_factory=dict)  # cue kind -> where its words start

    def clause_of(self, position: int) -> Tuple[int, int]:
        return next((c for c in self.clauses if c[0] <= position < c[1]), (position, position))


@dataclass(frozen=True)
class _Mention:
    kind: str  # "diploma", "training", "medical_secretary", "secretary", "relative"
    value: str  # diploma id, relative word…
    start: int
    end: int

    @property
    def names_a_diploma(self) -> bool:
        return self.kind in ("diploma", "training")


def _normalise(text: str) -> _Text:
    cased = fold(expand_sms(text), keep_case=True)
    folded = cased.lower()
    if len(folded) != len(cased) or not re.search(r"[a-z]", cased):
        # A character whose lower case is longer, or a message in capitals ("TU AS UNE IDEE ?"):
        # an acronym cannot be told from a word, so none is read.
        cased = folded
    return _Text(cased, folded)


@lru_cache(maxsize=1024)
def _pattern(phrases: Tuple[str, ...]) -> Pattern:
    """Any of `phrases` as whole words, the longest first; one that ends with an elision ("j'") joined to the
    next word ("j'obtiens")."""
    alternatives = "|".join(re.escape(p) + ("" if p.endswith("'") else r"(?!\w)")
                            for p in sorted(phrases, key=len, reverse=True))
    return re.compile(r"(?<!\w)(?:" + alternatives + r")")


def _find(phrase: str, text: str) -> Iterable[Tuple[int, int]]:
    return ((m.start(), m.end()) for m in _pattern((phrase,)).finditer(text))


def _has(text: str, phrases: Tuple[str, ...]) -> bool:
    return bool(phrases) and _pattern(phrases).search(text) is not None


@lru_cache(maxsize=64)
def _ending(phrases: Tuple[str, ...]) -> Pattern:
    """Any of `phrases` ending a text (an elided "d'" also without its apostrophe)."""
    alternatives = "|".join(re.escape(p.rstrip("'")) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(r"(?<!\w)(?:" + alternatives + r")'?$")


def _after(text: str, position: int, phrases: Tuple[str, ...]) -> bool:
    """Whether `text` just before `position` ends with one of `phrases`."""
    before = text[max(0, position - 40):position].rstrip()  # the longest phrase is far shorter
    return _ending(phrases).search(before) is not None


def _clauses(text: _Text, reading) -> List[Tuple[int, int]]:
    cuts = {0, len(text.folded)}
    for match in _PUNCTUATION.finditer(text.folded):
        cuts.update((match.start(), match.end()))
    cuts.update(m.start() for m in _pattern(reading.words("clause_breaks")).finditer(text.folded))
    ordered = sorted(cuts)
    return [(a, b) for a, b in zip(ordered, ordered[1:]) if text.folded[a:b].strip()]


def _mentions(text: _Text, kb: KnowledgeBase) -> List[_Mention]:
    """Every diploma, training, secretary job and relative named, the longest first where they overlap."""
    reading = kb.profile_reading
    candidates: List[_Mention] = []
    for diploma in kb.diplomas.values():
        for alias in diploma.aliases:
            candidates.extend(_Mention("diploma", diploma.id, s, e) for s, e in _find(alias, text.folded))
        for acronym in diploma.acronyms:
            # "AP-HP" is not "AP": a hyphen joins an acronym to another.
            candidates.extend(_Mention("diploma", diploma.id, m.start(), m.end())
                              for m in re.finditer(r"(?<![\w-])" + re.escape(acronym) + r"(?![\w-])", text.cased))
        for name in diploma.in_training:
            candidates.extend(_Mention("training", diploma.id, s, e) for s, e in _find(name, text.folded))
    for kind in ("medical_secretary", "secretary"):
        for phrase in reading.words(kind):
            candidates.extend(_Mention(kind, phrase, s, e) for s, e in _find(phrase, text.folded))
    adjectives = "|".join(map(re.escape, reading.words("relative_adjectives")))
    for word in reading.relatives:
        for s, e in _find(word, text.folded):
            if re.search(r"(?<!\w)(ma|mon|mes)\s+(?:(?:" + adjectives + r")\s+)?$", text.folded[max(0, s - 20):s]):
                candidates.append(_Mention("relative", word, s, e))
    chosen: List[_Mention] = []
    for mention in sorted(candidates, key=lambda m: (-(m.end - m.start), m.start)):
        if all(mention.end <= c.start or mention.start >= c.end for c in chosen):
            chosen.append(mention)
    chosen = [m for m in chosen if not _someone_else(text, m, kb)]
    return sorted((m for m in chosen if m.kind != "relative" or _concerns_relative(text, m, chosen, kb)),
                  key=lambda m: m.start)


# Where the words said of a relative stop: the end of the sentence, or the visitor speaking of themself.
_RELATIVE_SPAN_END = re.compile(r"[.!?\n]|(?<!\w)(?:je|moi|me)(?!\w)|(?<!\w)[jm]'")


def _concerns_relative(text: _Text, relative: _Mention, mentions: List[_Mention], kb: KnowledgeBase) -> bool:
    """"c'est pour ma fille", "mon mari est aide-soignant", "ma fille voudrait devenir…": the check is
    the relative's. "depuis que ma mère est tombée malade j'ai…", "mon mari me dit que…": the relative
    is a character of the visitor's own story, and the check stays the visitor's."""
    start, end = _relative_span(text, relative)
    if any(m.names_a_diploma and start <= m.start < end for m in mentions):
        return True
    return _asked_for(text, relative, kb)


def _relative_span(text: _Text, relative: _Mention) -> Tuple[int, int]:
    """Where the words said of a relative are: from its name to the end of the sentence or the visitor
    speaking of themself."""
    stop = _RELATIVE_SPAN_END.search(text.folded, relative.end)
    return relative.end, stop.start() if stop else len(text.folded)


def _asked_for(text: _Text, relative: _Mention, kb: KnowledgeBase) -> bool:
    """"c'est pour ma fille", "ma fille voudrait devenir…": the visitor asks on the relative's behalf."""
    before = text.folded[max(0, relative.start - 30):relative.start]
    if re.search(r"(?<!\w)pour\s+(?:ma|mon|mes)\s+(?:\w+\s+)?$", before):
        return True
    start, end = _relative_span(text, relative)
    return _has(text.folded[start:end], kb.profile_reading.words("relative_projects"))


def _someone_else(text: _Text, mention: _Mention, kb: KnowledgeBase) -> bool:
    """"Un cabinet de kiné", "je travaille avec une infirmière": a job that is not the person's title."""
    if mention.kind == "relative":
        return False
    reading = kb.profile_reading
    if _after(text.folded, mention.start, reading.words("elsewhere")):
        return True
    diploma = kb.diplomas.get(mention.value)
    return bool(diploma and diploma.profession and _after(text.folded, mention.start, reading.words("colleague")))


def _cue(text: _Text, kind: str, clause: Tuple[int, int], kb: KnowledgeBase, mentions: List[_Mention],
         before: Optional[int] = None) -> bool:
    """Whether a cue of `kind` is in the clause (before `before`, if given), outside the names themselves."""
    if not text.masked:
        masked = list(text.folded)
        for mention in (m for m in mentions if m.kind != "relative"):  # "ma fille passe le DEAS": a cue
            masked[mention.start:mention.end] = " " * (mention.end - mention.start)
        # NegEx's pseudo-triggers: "ça compte ou pas ?" asks, it denies nothing.
        for match in _pattern(kb.profile_reading.words("pseudo_negation")).finditer(text.folded):
            masked[match.start():match.end()] = " " * (match.end() - match.start())
        text.masked = "".join(masked)
    if kind not in text.cues:
        words = kb.profile_reading.words(kind)
        text.cues[kind] = [m.start() for m in _pattern(words).finditer(text.masked)] if words else []
    end = clause[1] if before is None else min(clause[1], before)
    return any(clause[0] <= position < end for position in text.cues[kind])


def _indefinite(text: _Text, clause: Tuple[int, int], kb: KnowledgeBase) -> bool:
    """Whether the clause's diploma words are all indefinite ("pas de diplôme", "sans refaire de
    diplôme"): any diploma, not the one being talked about."""
    for phrase in kb.profile_reading.words("generic"):
        for start, _ in _find(phrase, text.folded[clause[0]:clause[1]]):
            if not _after(text.folded, clause[0] + start, ("de", "d'")):
                return False
    return True


# Cue kinds that make a diploma uncertain, the strongest first, and the status each gives.
_DOUBTS = (("abandoned", ABANDONED), ("faisant_fonction", FAISANT_FONCTION), ("in_progress", IN_PROGRESS),
           ("planned", PLANNED), ("level_only", LEVEL_ONLY))


def _status_of(mention: _Mention, text: _Text, kb: KnowledgeBase, mentions: List[_Mention]) -> str:
    """The status the words of its clause give to a named diploma, the strongest cue first."""
    if mention.value == NO_DIPLOMA:
        return HELD  # "aucun diplôme" is its own negation: "pas d'autre diplôme non plus" means none
    clause = text.clause_of(mention.start)
    if _cue(text, "foreign", clause, kb, mentions):
        return FOREIGN
    if _cue(text, "counts_as", clause, kb, mentions, before=mention.start):
        return DENIED  # "ça compte comme auxiliaire de puériculture ?": not the person's diploma
    if _after(text.folded, mention.start, kb.profile_reading.words("becoming")):
        return PLANNED  # "je veux devenir infirmière"
    if _cue(text, "negation", clause, kb, mentions):
        return NOT_HELD
    for kind, status in _DOUBTS:
        if _cue(text, kind, clause, kb, mentions):
            return status
    return IN_PROGRESS if mention.kind == "training" else HELD


def _said_held(mention: _Mention, text: _Text, kb: KnowledgeBase, mentions: List[_Mention]) -> bool:
    """"Infirmière diplômée", "j'ai eu mon DEAS": the clause (or the name itself) says it is held."""
    held = kb.profile_reading.words("held")
    return _has(text.folded[mention.start:mention.end], held) or _cue(text, "held", text.clause_of(mention.start), kb, mentions)


def _leading_answer(text: _Text, kb: KnowledgeBase) -> Tuple[Optional[str], int]:
    """A yes / no / don't know that opens the message, and where the rest of the message starts."""
    start = _LEADING_FILLER.match(text.folded).end()
    for answer, kind in ((DONT_KNOW, "answer_dont_know"), (NO, "answer_no"), (YES, "answer_yes")):
        match = _pattern(kb.profile_reading.words(kind)).match(text.folded, start)
        if match:
            return answer, match.end()
    return None, start


def _answer(text: _Text, intent: Optional[str], kb: KnowledgeBase) -> Tuple[Optional[str], int]:
    """The message's yes / no / don't know (its opening words, else its intent), and where the rest starts."""
    answer, rest = _leading_answer(text, kb)
    if answer is None and _has(text.folded, kb.profile_reading.words("answer_dont_know")):
        answer = DONT_KNOW
    return answer or {"affirm": YES, "deny": NO}.get(intent or ""), rest


def _bare_no(text: _Text, answer: Optional[str], rest: int) -> bool:
    """"Non." / "non j'en ai pas": a no with at most BARE_NO_WORDS words after it; "ah non en fait, dites-moi
    d'abord combien ça paye" changes the subject."""
    return answer == NO and len(text.folded[rest:].split()) <= BARE_NO_WORDS


def answers_the_question(message: str, pending: str, kb: KnowledgeBase) -> bool:
    """"Non, …", "oui …", "je sais pas …": an answer to the form's question `pending`, whatever follows; but
    "Quel est votre diplôme ?" asks no yes or no: there, only a bare "non" (`_bare_no`) answers it."""
    text = _normalise(message)
    answer, rest = _leading_answer(text, kb)
    return answer is not None and (pending != ASK_DIPLOMA or answer != NO or _bare_no(text, answer, rest))


@dataclass
class _Reading:
    """What one message says, built clause by clause."""

    text: _Text
    mentions: List[_Mention]
    statuses: Dict[str, str] = field(default_factory=dict)  # diploma id -> status
    explicit: Dict[str, bool] = field(default_factory=dict)  # said held in so many words
    positions: Dict[str, int] = field(default_factory=dict)  # diploma id -> where it was last named

    @property
    def names_diplomas(self) -> bool:
        return any(m.names_a_diploma for m in self.mentions)


def read_message(profile: Profile, message: str, kb: KnowledgeBase, intent: Optional[str] = None,
                 pending: Optional[str] = None, confirming: Optional[str] = None,
                 payload: Optional[Mapping[str, str]] = None) -> Profile:
    """The profile once `message` is read.

    `pending`: the form's question the message may answer; `confirming`: the diploma that question
    asks about (ASK_CONFIRMATION); `payload`: the entities of a clicked button ({"diploma": "bac"}).
    """
    reading = kb.profile_reading
    if payload and payload.get("diploma") in kb.diplomas:
        return _merge(profile, {payload["diploma"]: HELD}, None, None, replaced=False)
    text = _normalise(message)
    answer, rest = _answer(text, intent, kb)
    text.clauses = [(max(a, rest), b) for a, b in _clauses(text, reading) if b > rest]
    mentions = [m for m in _mentions(text, kb) if m.start >= rest]
    relatives = [m for m in mentions if m.kind == "relative"]
    own = [m for m in mentions if m.names_a_diploma and _first_person(text, m)]
    if relatives and own and not any(_asked_for(text, r, kb) for r in relatives):
        # "ma femme est infirmière libérale… j'ai un bac STI, je peux me former ?": the wife is a character of
        # the visitor's story, who names their own diploma; the check stays theirs.
        spans = [_relative_span(text, r) for r in relatives]
        mentions = [m for m in mentions if m.kind != "relative" and not any(s <= m.start < e for s, e in spans)]
    elif relatives:
        # "je suis infirmière, je me renseigne pour ma fille qui a le bac": the check is the daughter's.
        mentions = [m for m in mentions if not (m.names_a_diploma and _first_person(text, m))]
    found = _Reading(text, mentions)
    for mention in (m for m in mentions if m.names_a_diploma):
        status = _status_of(mention, text, kb, mentions)
        said_held = status == HELD and _said_held(mention, text, kb, mentions)
        previous = found.statuses.get(mention.value)
        # Two names of one diploma in a message: an explicit "held" wins, otherwise the doubt does, and a
        # negation settles "faisant fonction" ("faisant fonction d'aide-soignante, jamais eu le DEAS").
        if previous is None or said_held or (previous == HELD and not found.explicit.get(mention.value)) \
                or (previous == FAISANT_FONCTION and status == NOT_HELD):
            found.statuses[mention.value] = status
            found.explicit[mention.value] = said_held
            found.positions[mention.value] = mention.start

    target = confirming if pending == ASK_CONFIRMATION else None
    _read_clauses_without_names(found, kb, profile, target)
    replaced = _corrected_in_message(found, kb)

    statuses = found.statuses
    # An answer to one of the form's questions always settles it, cautiously when it is unclear: the
    # visitor is never asked the same question twice.
    if target is not None:
        if target in statuses:
            answer = YES if statuses[target] in (HELD, FOREIGN_RECOGNISED) else NO
        settled = _confirmed(profile.status(target), answer or DONT_KNOW)
        for diploma in _foreign_diplomas(statuses, profile) if profile.status(target) == FOREIGN else [target]:
            statuses[diploma] = settled  # one question on recognition covers every foreign diploma
    said_none = _bare_no(text, answer, rest) or _has(text.folded, ("aucun", "aucune", "rien"))
    if pending == ASK_DIPLOMA and not statuses and said_none:
        statuses[NO_DIPLOMA] = HELD  # "Quel est votre diplôme ?" "Aucun."
    if pending == ASK_LEVEL:
        if statuses.get("bac") == LEVEL_ONLY:
            statuses = {"niveau_bac": HELD}  # "c'est niveau bac"
        elif HELD not in statuses.values():
            statuses = {UNKNOWN_LEVEL_DIPLOMA: HELD}

    secretary = _medical_secretary(text, kb, mentions)
    if secretary is None and pending == ASK_MEDICAL_SECRETARY:
        secretary = answer == YES
    relative = next((m.value for m in reversed(mentions) if m.kind == "relative"), None)
    updated = _merge(profile, statuses, secretary, relative, replaced)
    if pending == ASK_DIPLOMA and HELD not in statuses.values():
        # Asked for a diploma, told none ("un diplôme de fleuriste", "pas le bac"): next, its level.
        updated = replace(updated, diploma_unreadable=True)
    return updated


def _first_person(text: _Text, mention: _Mention) -> bool:
    clause = text.clause_of(mention.start)
    return re.search(r"(?<!\w)(je|j'|moi)", text.folded[clause[0]:clause[1]]) is not None


def _confirmed(status: Optional[str], answer: str) -> str:
    """What an answer to "Avez-vous obtenu … ?" / "Est-il reconnu en France ?" settles."""
    if status in (FOREIGN, FOREIGN_RECOGNISED, FOREIGN_UNRECOGNISED):
        return FOREIGN_RECOGNISED if answer == YES else FOREIGN_UNRECOGNISED
    return HELD if answer == YES else DENIED


def _read_clauses_without_names(found: _Reading, kb: KnowledgeBase, profile: Profile, confirming: Optional[str]) -> None:
    """Clauses that speak of a diploma without naming it: "pas encore diplômée", "je l'ai pas eu",
    "il n'est pas reconnu en France", "diplômée en Belgique", "puis j'ai arrêté"."""
    text, mentions, statuses = found.text, found.mentions, found.statuses
    named = {text.clause_of(m.start) for m in mentions if m.names_a_diploma}
    correction = _has(text.folded, kb.profile_reading.words("corrections"))
    for clause in (c for c in text.clauses if c not in named):
        def cue(kind: str) -> bool:
            return _cue(text, kind, clause, kb, mentions)

        generic = cue("generic")
        indefinite = generic and _indefinite(text, clause, kb)
        pronoun = cue("pronoun_object")
        negated = cue("negation")
        doubt = next((status for kind, status in _DOUBTS if kind != "level_only" and cue(kind)), None)
        if cue("recognition"):
            for diploma in _foreign_diplomas(statuses, profile):
                statuses[diploma] = FOREIGN_UNRECOGNISED if negated else FOREIGN_RECOGNISED
        elif cue("foreign") and not negated:
            for diploma in _spoken_of(found, profile, confirming, clause, explicit_too=True):
                statuses[diploma] = FOREIGN
        elif (generic and not indefinite or pronoun) and negated:
            # A pronoun points back ("je l'ai pas eu": not held); "pas diplômée d'État" may point forward
            # to a job named in the message ("… mais je suis aide-soignante": without the diploma).
            backwards = pronoun and not generic
            for diploma in _spoken_of(found, profile, confirming, clause, forward=not backwards, kb=kb):
                if (statuses.get(diploma) or profile.status(diploma)) == LEVEL_ONLY:
                    continue  # "j'ai le niveau bac mais je l'ai pas eu": still to confirm
                if diploma in statuses and not backwards:
                    if statuses[diploma] == HELD:  # the job named, without the diploma
                        statuses[diploma] = FAISANT_FONCTION
                    elif statuses[diploma] == FAISANT_FONCTION:  # "faisant fonction…, jamais eu le diplôme"
                        statuses[diploma] = NOT_HELD
                else:
                    statuses[diploma] = NOT_HELD
        elif confirming and (negated or doubt):
            statuses[confirming] = DENIED  # "oui enfin pas encore, les résultats sont dans 2 semaines"
        elif indefinite and negated and not found.names_diplomas:
            statuses[NO_DIPLOMA] = HELD  # "je n'ai pas de diplôme", said of nothing in particular
        elif doubt and (pronoun or correction or any(s == IN_PROGRESS for s in statuses.values())):
            # "je l'ai raté", "en fait je suis encore étudiante", "une année d'IFSI puis j'ai arrêté" (but
            # "il a le brevet, il a arrêté le lycée" keeps the brevet)
            for diploma in _spoken_of(found, profile, confirming, clause):
                if pronoun or correction or statuses.get(diploma) == IN_PROGRESS:
                    statuses[diploma] = doubt
        elif cue("acquired") and not negated:
            # "oui j'ai eu mon diplôme d'État en juillet", "je l'ai !": the diploma in doubt is held.
            for diploma in _spoken_of(found, profile, confirming, clause):
                if (statuses.get(diploma) or profile.status(diploma)) in UNCERTAIN - {FOREIGN}:
                    statuses[diploma] = HELD


def _foreign_diplomas(statuses: Mapping[str, str], profile: Profile) -> List[str]:
    in_message = [d for d, s in statuses.items() if s == FOREIGN]
    return in_message or [d for d, s in profile.diplomas if s in (FOREIGN,) + tuple(FOREIGN_SETTLED)]


def _spoken_of(found: _Reading, profile: Profile, confirming: Optional[str], clause: Tuple[int, int],
               forward: bool = False, explicit_too: bool = False, kb: Optional[KnowledgeBase] = None) -> List[str]:
    """The diplomas a clause without a name refers to: the one awaiting confirmation, else those named
    earlier in the message (or, when `forward`, a profession named later: "pas diplômée d'État, mais je
    suis aide-soignante") and not said held in so many words (any, when `explicit_too`), else the last
    one spoken of before."""
    if confirming:
        return [confirming]
    candidates = [d for d, position in found.positions.items()
                  if position < clause[0] or (forward and kb is not None and kb.diplomas[d].profession)]
    in_message = [d for d in candidates if d != NO_DIPLOMA and (explicit_too or (
        found.statuses[d] == HELD and not found.explicit.get(d)) or found.statuses[d] in UNCERTAIN)]
    if in_message:
        return in_message
    if candidates:
        return []  # the message names its diplomas, and says them held
    last = [d for d, s in profile.diplomas if d != NO_DIPLOMA and s not in (DENIED, NOT_HELD)]
    return last[-1:]


def _corrected_in_message(found: _Reading, kb: KnowledgeBase) -> bool:
    """Whether the message corrects what was said ("ah non pardon, je suis auxiliaire de
    puériculture"); what it names before its correction word is then dropped too."""
    reading = kb.profile_reading
    text = found.text
    if not _has(text.folded, reading.words("corrections")) or _has(text.folded, reading.words("additions")):
        return False
    at = min(m.start() for m in _pattern(reading.words("corrections")).finditer(text.folded))
    if not any(s == HELD and found.positions.get(d, -1) > at for d, s in found.statuses.items()):
        return False
    for diploma in [d for d, position in found.positions.items() if position < at]:
        del found.statuses[diploma]
    return True


def _medical_secretary(text: _Text, kb: KnowledgeBase, mentions: List[_Mention]) -> Optional[bool]:
    """True / False when the message says whether the person worked as a medical secretary."""
    verdicts = []
    for mention in (m for m in mentions if m.kind in ("medical_secretary", "secretary")):
        clause = text.clause_of(mention.start)
        if _cue(text, "negation", clause, kb, mentions):
            verdicts.append(False)
        elif mention.kind == "medical_secretary" or _cue(text, "medical_context", clause, kb, mentions):
            verdicts.append(True)
        elif _cue(text, "other_context", clause, kb, mentions):
            verdicts.append(False)  # "secrétaire dans une agence immobilière"
    if True in verdicts:
        return True
    return False if verdicts else None


def _merge(profile: Profile, statuses: Mapping[str, str], secretary: Optional[bool], relative: Optional[str],
           replaced: bool) -> Profile:
    updated = profile
    if replaced:
        # "ah non pardon, je suis auxiliaire de puériculture": what was held before is replaced.
        kept = tuple((d, s) for d, s in profile.diplomas if s != HELD or d in statuses)
        updated = replace(updated, diplomas=kept)
    if statuses:
        updated = updated.with_statuses(statuses.items())
    if HELD in statuses.values():
        updated = replace(updated, diploma_unreadable=False)
    if secretary is not None:
        updated = replace(updated, medical_secretary=secretary)
    if relative is not None:
        updated = replace(updated, relative=relative)
    return updated


def relative_of(profile: Profile, kb: KnowledgeBase) -> Optional[Relative]:
    """The relative the check is for ("votre fille"), None when it is for the visitor."""
    return kb.profile_reading.relatives.get(profile.relative) if profile.relative else None


def speaks_of_self(message: str, kb: KnowledgeBase) -> bool:
    """Whether a message says something about the visitor or a relative (first person, "ma fille")."""
    text = _normalise(message)
    return _has(text.folded, kb.profile_reading.words("self")) or any(m.kind == "relative" for m in _mentions(text, kb))
