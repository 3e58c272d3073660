"""Who may work as assistant médical: the rules of the knowledge base applied to a profile.

The rules (knowledge base `access`, sources in the README's eligibility section):
- a French diplôme d'État of the arrêté of 7 November 2019 (DEI, DEAS, DEAP) opens the job at once;
- a diploma or title of level 4 (niveau bac) or above opens the CQP;
- level 3 (CAP, BEP, DEAES…) opens it only with medical-secretary experience, to be confirmed by an
  approved organisation (the required seniority changed and is not published);
- no diploma, or the brevet: no certain route;
- a foreign diploma, or one of unknown level: the rules do not settle it, and the verdict says who does.
Never a positive verdict while a diploma is in doubt: the visitor confirms it first.
"""

from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Tuple

from orientation.knowledge import UNKNOWN_ROUTE, KnowledgeBase, Statement
from orientation.profile import (
    ASK_CONFIRMATION,
    ASK_DIPLOMA,
    ASK_LEVEL,
    ASK_MEDICAL_SECRETARY,
    BELOW_CQP_LEVEL,
    DENIED,
    FOREIGN_SETTLED,
    HELD,
    IN_PROGRESS,
    NO_DIPLOMA,
    NOT_HELD,
    PLANNED,
    STATED_NOT_HELD,
    UNCERTAIN,
    Profile,
    read_message,
)

# How much a route opens, to tell whether a diploma in doubt could change the verdict.
_STRENGTH = {"direct": 3, "cqp": 2, "cqp_experience_to_confirm": 1, "no_certain_route": 0}
# A diploma the visitor is preparing, or has said not to hold ("non, je l'aurai en 2027", "jamais eu le DEAS");
# not one they stopped preparing ("j'ai arrêté l'IFSI").
_TO_COME = frozenset({IN_PROGRESS, PLANNED, DENIED, NOT_HELD})


@dataclass(frozen=True)
class Assessment:
    """Either the next question to ask (and the diploma it is about), or the verdict's case."""

    question: Optional[str] = None  # profile.ASK_*
    diploma: Optional[str] = None  # the diploma the question or the verdict is about
    case: Optional[str] = None  # a key of the knowledge base's verdicts

    @property
    def route(self) -> str:
        if self.case is None:
            return UNKNOWN_ROUTE
        return "undetermined" if self.case.startswith("undetermined") else self.case


@dataclass(frozen=True)
class Verdict:
    route: str  # one of knowledge.ROUTES
    headline: str
    reasons: Tuple[str, ...]
    next_steps: Tuple[str, ...]
    sources: Tuple[str, ...]  # source ids, in order of first use


def _route_of_diploma(diploma: str, profile: Profile, kb: KnowledgeBase) -> str:
    """The route a held French diploma opens (medical-secretary experience unknown = not counted)."""
    access = kb.access
    level = kb.diplomas[diploma].level
    if diploma in access.direct_diplomas:
        return "direct"
    if level is not None and level >= access.cqp_level:
        return "cqp"
    if level is not None and level >= access.cqp_experience_level and profile.medical_secretary:
        return "cqp_experience_to_confirm"
    return "no_certain_route"


def _rank(diploma: str, kb: KnowledgeBase) -> Tuple[bool, int]:
    level = kb.diplomas[diploma].level
    return diploma in kb.access.direct_diplomas, -1 if level is None else level


def _below_cqp_level(profile: Profile, kb: KnowledgeBase) -> bool:
    """Whether the visitor said they do not hold a diploma of the CQP's level (the bac…)."""
    return any(s in STATED_NOT_HELD | {DENIED} and d not in kb.access.direct_diplomas
               and (kb.diplomas[d].level or 0) >= kb.access.cqp_level for d, s in profile.diplomas)


def diploma_to_confirm(profile: Profile, kb: KnowledgeBase) -> Optional[str]:
    """The diploma in doubt that the visitor must confirm before a verdict, if any.

    In doubt: a diploma being prepared, abandoned, done "faisant fonction", "niveau bac" without the
    bac, or from abroad, when holding it would open a better route than what is surely held. A diploma
    said not held is confirmed only when nothing else is known ("je n'ai pas eu mon DEAS…"), the
    condition it would open said first (once_obtained).
    """
    held = [d for d, s in profile.diplomas if s == HELD and d != NO_DIPLOMA]
    best = max((_STRENGTH.get(_route_of_diploma(d, profile, kb), 0) for d in held), default=-1)
    doubtful = [d for d, s in profile.diplomas if s in UNCERTAIN]
    if not held and not profile.status(NO_DIPLOMA):
        # "je n'ai pas eu mon DEAS…" and nothing else: confirm. "Pas le bac" is not a diploma in doubt:
        # it says the level is below the bac.
        doubtful += [d for d, s in profile.diplomas if s in STATED_NOT_HELD and d in kb.access.direct_diplomas]
    better = [d for d in doubtful if _STRENGTH.get(_route_of_diploma(d, profile, kb), 0) > best or not held]
    return max(better, key=lambda d: _rank(d, kb)) if better else None


def read_reply(profile: Profile, message: str, kb: KnowledgeBase, intent: Optional[str] = None,
               pending: Optional[str] = None, payload: Optional[Mapping[str, str]] = None) -> Profile:
    """The profile once `message` is read as the answer to the form's `pending` question, if any: a
    confirmation question is about the diploma the rules want confirmed (diploma_to_confirm)."""
    confirming = diploma_to_confirm(profile, kb) if pending == ASK_CONFIRMATION else None
    return read_message(profile, message, kb, intent, pending, confirming, payload)


def assess(profile: Profile, kb: KnowledgeBase) -> Assessment:
    """What to ask next, or the verdict's case when the profile settles it."""
    to_confirm = diploma_to_confirm(profile, kb)
    if to_confirm:
        return Assessment(question=ASK_CONFIRMATION, diploma=to_confirm)
    held = [d for d, s in profile.diplomas if s == HELD and d != NO_DIPLOMA]
    foreign = [d for d, s in profile.diplomas if s in FOREIGN_SETTLED]
    if not held:
        if foreign:
            return Assessment(case="undetermined_foreign", diploma=foreign[-1])
        if profile.status(NO_DIPLOMA) == HELD:
            return Assessment(case="no_certain_route", diploma=NO_DIPLOMA)
        if profile.medical_secretary is False and _below_cqp_level(profile, kb):
            # "pas le bac, et jamais fait de secrétariat médical": no route, whatever the lower diploma.
            return Assessment(case="no_certain_route", diploma=BELOW_CQP_LEVEL)
        return Assessment(question=ASK_LEVEL if profile.diploma_unreadable else ASK_DIPLOMA)
    best = max(held, key=lambda d: _rank(d, kb))
    route = _route_of_diploma(best, profile, kb)
    if route in ("direct", "cqp"):
        return Assessment(case=route, diploma=best)
    if foreign:
        return Assessment(case="undetermined_foreign", diploma=foreign[-1])
    level = kb.diplomas[best].level
    if level is None:
        return Assessment(case="undetermined_level", diploma=best)
    if level >= kb.access.cqp_experience_level and profile.medical_secretary is None:
        return Assessment(question=ASK_MEDICAL_SECRETARY, diploma=best)
    return Assessment(case=route, diploma=best)


def once_obtained(profile: Profile, kb: KnowledgeBase) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """What the best diploma to come opens once obtained, with its sources, when it opens more than what the
    visitor surely holds: a condition ("Une fois le DEAS obtenu, …"), never a verdict."""
    held = [d for d, s in profile.diplomas if s == HELD and d != NO_DIPLOMA]
    best = max((_STRENGTH[_route_of_diploma(d, profile, kb)] for d in held), default=-1)
    to_come = [d for d, s in profile.diplomas if s in _TO_COME and d in kb.diplomas
               and _STRENGTH[_route_of_diploma(d, profile, kb)] > best]
    if not to_come:
        return None
    diploma = max(to_come, key=lambda d: _rank(d, kb))
    statement = kb.verdicts[_route_of_diploma(diploma, profile, kb)].once_obtained
    return kb.render(statement, {"diploma": kb.diplomas[diploma].label}) if statement else None


def why_asked(assessment: Assessment, kb: KnowledgeBase) -> Optional[Tuple[str, Tuple[str, ...]]]:
    """The rule that makes the medical-secretary question matter, with its sources, told just before it:
    a level-3 diploma opens the CQP only with that experience."""
    if assessment.question != ASK_MEDICAL_SECRETARY or assessment.diploma is None:
        return None
    statement = kb.verdicts["cqp_experience_to_confirm"].asked_because
    return kb.render(statement, {"diploma": kb.diplomas[assessment.diploma].label}) if statement else None


def route_of(profile: Profile, kb: KnowledgeBase) -> str:
    """The visitor's route into the job, or "unknown" while a question remains."""
    return assess(profile, kb).route


def verdict_for(assessment: Assessment, kb: KnowledgeBase) -> Verdict:
    """The verdict's texts for a settled assessment (one without a question)."""
    if assessment.case is None:
        raise ValueError("the profile still needs an answer: no verdict yet")
    texts = kb.verdicts[assessment.case]
    variables: Dict[str, str] = {"diploma": kb.diplomas[assessment.diploma].label}
    sources: Dict[str, None] = {}

    def render(statement: Statement) -> str:
        text, cited = kb.render(statement, variables)
        sources.update(dict.fromkeys(cited))
        return text

    headline, headline_sources = kb.fill(texts.headline, variables)
    sources.update(dict.fromkeys(headline_sources))
    reasons: List[str] = [render(r) for r in texts.reasons]
    return Verdict(assessment.route, headline, tuple(reasons), tuple(render(s) for s in texts.next_steps), tuple(sources))
