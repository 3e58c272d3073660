"""The knowledge base as typed, immutable objects, and the filling of its text templates."""

import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, Mapping, Optional, Tuple

# The visitor's way into the job: direct (a French DE of the arrêté), the CQP, the CQP through
# medical-secretary experience (to be confirmed by an approved organisation), no certain route, or a
# case the rules do not settle (a foreign diploma, a diploma of unknown level).
ROUTES = ("direct", "cqp", "cqp_experience_to_confirm", "no_certain_route", "undetermined")
UNKNOWN_ROUTE = "unknown"  # the profile does not say yet
# One verdict text per route, and one per reason the rules do not settle a case.
VERDICT_CASES = ("direct", "cqp", "cqp_experience_to_confirm", "no_certain_route", "undetermined_foreign", "undetermined_level")
AUTHORITY_RANK = {"loi": 0, "officiel": 1, "presse": 2}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def placeholders(template: str) -> FrozenSet[str]:
    return frozenset(_PLACEHOLDER.findall(template))


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    date: str  # "AAAA", "AAAA-MM", "AAAA-MM-JJ" or "non datée"
    authority: str
    url: Optional[str] = None


@dataclass(frozen=True)
class Figure:
    name: str
    value: object
    sources: Tuple[str, ...]

    def display(self) -> str:
        if isinstance(self.value, (int, float)):
            # French thousands separator, a narrow no-break space, and decimal comma ("8 111", "1 815,79").
            return f"{self.value:,}".replace(",", "\u202f").replace(".", ",")
        return str(self.value)


@dataclass(frozen=True)
class Statement:
    """A sentence of the knowledge base with its sources; may contain {placeholders}."""

    text: str
    sources: Tuple[str, ...]
    only_for: Optional[FrozenSet[str]] = None  # routes this sentence is shown to; None = everyone
    aspects: Tuple[str, ...] = ()  # what a question may ask of its topic ("duree"): this fact then comes first

    def shown_to(self, route: str) -> bool:
        return self.only_for is None or route in self.only_for


@dataclass(frozen=True)
class Topic:
    id: str
    intents: Tuple[str, ...]
    facts: Tuple[Statement, ...]
    verdict_when_known: bool = False  # answer with the visitor's eligibility verdict once it is known
    offers: Optional[str] = None  # a topic offered after the answer ("pour comparer…"), asked by utter_offer_<id>
    label: Optional[str] = None  # its button when the assistant is unsure what was asked ("Le salaire")
    # The topic that answers a visitor on one of these routes instead ("la formation", for a nurse, is the FAE).
    for_routes: Tuple[Tuple[str, str], ...] = ()

    def instead_for(self, route: str) -> Optional[str]:
        """The id of the topic a visitor on `route` is answered instead of this one, if any."""
        return dict(self.for_routes).get(route)

    @property
    def depends_on_profile(self) -> bool:
        """Whether knowing the visitor's diploma and experience changes this topic's answer."""
        return self.verdict_when_known or any(f.only_for is not None for f in self.facts)


@dataclass(frozen=True)
class Diploma:
    id: str
    label: str  # with its article: "le baccalauréat", "un CAP ou un BEP", "aucun diplôme"
    level: Optional[int]  # national framework level (3 = CAP, 4 = bac…); None = unknown
    aliases: Tuple[str, ...]  # folded (accent-free, lower-case)
    acronyms: Tuple[str, ...]  # matched in capitals only ("AS", not the verb "as")
    in_training: Tuple[str, ...]  # folded names of the training or school ("ifsi"): not the diploma itself
    profession: bool  # its aliases also name a job ("infirmière"), which may be a colleague's
    sources: Tuple[str, ...]


@dataclass(frozen=True)
class Relative:
    name: str  # how the assistant speaks of them: "votre fille"
    pronoun: str  # "elle" / "il"


@dataclass(frozen=True)
class ProfileReading:
    """Words that tell what a visitor says about a diploma, each list folded (see profile.py)."""

    cues: Mapping[str, Tuple[str, ...]]  # cue kind ("negation", "planned"…) -> words and phrases
    relatives: Mapping[str, Relative]  # folded word ("fille") -> relative

    def words(self, kind: str) -> Tuple[str, ...]:
        return self.cues[kind]


@dataclass(frozen=True)
class AccessRules:
    direct_diplomas: Tuple[str, ...]  # the French DEs of the arrêté of 7 November 2019
    direct_sources: Tuple[str, ...]
    cqp_level: int  # lowest level that opens the CQP
    cqp_experience_level: int  # opens the CQP with medical-secretary experience, to be confirmed
    cqp_sources: Tuple[str, ...]


@dataclass(frozen=True)
class VerdictTexts:
    headline: str
    reasons: Tuple[Statement, ...]
    next_steps: Tuple[Statement, ...]
    # What the route's diploma opens once obtained, told to a visitor who is only preparing it ("je passe le
    # DEAS en juin"): a condition, never a verdict.
    once_obtained: Optional[Statement] = None
    # Why the question that settles this route is asked, told just before it ("avec un CAP, le CQP demande
    # une expérience de secrétaire médical(e)"): the visitor knows what the answer changes.
    asked_because: Optional[Statement] = None


@dataclass(frozen=True)
class Aspect:
    """What a question may ask of a topic ("duree"), the words that name it, and the topic that answers
    it when the conversation does not say which ("ça dure combien ?": the training)."""

    id: str
    words: Tuple[str, ...]  # folded
    topic: str


@dataclass(frozen=True)
class KnowledgeBase:
    path: str
    profession_id: str
    profession_name: str
    sources: Mapping[str, Source]
    figures: Mapping[str, Figure]
    diplomas: Mapping[str, Diploma]
    profile_reading: ProfileReading
    access: AccessRules
    verdicts: Mapping[str, VerdictTexts]
    topics: Mapping[str, Topic]
    aspects: Mapping[str, Aspect]  # listed from the most specific
    requests: Mapping[str, Tuple[str, ...]]  # "details" / "sources" / "misunderstood" -> the folded words that say it

    def topic_for_intent(self, intent: str) -> Optional[Topic]:
        return next((t for t in self.topics.values() if intent in t.intents), None)

    def verdict_topic(self) -> Optional[Topic]:
        """The topic a verdict answers ("comment devenir…" once the profile is known): its details follow a verdict."""
        return next((t for t in self.topics.values() if t.verdict_when_known), None)

    def figure_value(self, name: str) -> object:
        return self.figures[name].value

    def fill(self, template: str, variables: Mapping[str, str]) -> Tuple[str, Tuple[str, ...]]:
        """Fill a template with figures and visitor variables.

        Returns the text and the ids of the sources of the figures it used, so that a sentence
        quoting a figure always cites where the figure comes from.
        """
        figure_sources: Dict[str, None] = {}

        def replace(match: "re.Match[str]") -> str:
            name = match.group(1)
            if name in variables:
                return str(variables[name])
            figure = self.figures[name]
            figure_sources.update(dict.fromkeys(figure.sources))
            return figure.display()

        return _PLACEHOLDER.sub(replace, template), tuple(figure_sources)

    def render(self, statement: Statement, variables: Mapping[str, str]) -> Tuple[str, Tuple[str, ...]]:
        text, figure_sources = self.fill(statement.text, variables)
        return text, tuple(dict.fromkeys(statement.sources + figure_sources))
