"""Who may work as assistant médical: the rules of the knowledge base applied to a profile."""

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from orientation.knowledge import UNKNOWN_ROUTE, KnowledgeBase, Statement
from orientation.profile import Profile


class IncompleteProfile(ValueError):
    """The profile lacks what the rules need; `missing` names the fields to ask for."""

    def __init__(self, missing: List[str]) -> None:
        self.missing = missing
        super().__init__(f"missing: {', '.join(missing)}")


@dataclass(frozen=True)
class Verdict:
    route: str  # one of knowledge.ROUTES
    headline: str
    reasons: Tuple[str, ...]
    next_steps: Tuple[str, ...]
    sources: Tuple[str, ...]  # source ids, in order of first use


def relevant_questions(profile: Profile, kb: KnowledgeBase) -> List[str]:
    """Every profile field the verdict depends on, given what is known so far, in asking order.

    A nurse is asked nothing more than her diploma; a visitor without the bac is asked about
    medical-secretary experience only because that is the other way into the CQP.
    """
    questions = ["diploma"]
    if profile.diploma is None or profile.diploma in kb.access.direct_diplomas:
        return questions
    questions.append("job")
    if not kb.diplomas[profile.diploma].bac_level and profile.job == kb.access.cqp_entry_experience_job:
        questions.append("experience_years")
    return questions


def missing_information(profile: Profile, kb: KnowledgeBase) -> List[str]:
    return [field for field in relevant_questions(profile, kb) if getattr(profile, field) is None]


def route_of(profile: Profile, kb: KnowledgeBase) -> str:
    """The visitor's route into the job, or "unknown" while the profile is incomplete."""
    try:
        return _route(profile, kb)[0]
    except IncompleteProfile:
        return UNKNOWN_ROUTE


def _route(profile: Profile, kb: KnowledgeBase) -> Tuple[str, Optional[float]]:
    missing = missing_information(profile, kb)
    if missing:
        raise IncompleteProfile(missing)
    access = kb.access
    if profile.diploma in access.direct_diplomas:
        return "direct", None
    shortened = profile.job in access.cqp_shortened_jobs
    if kb.diplomas[profile.diploma].bac_level:
        return ("cqp_shortened" if shortened else "cqp"), None
    if profile.job == access.cqp_entry_experience_job:
        required = float(kb.figure_value("cqp_entry_experience_years"))
        if profile.experience_years >= required:
            return ("cqp_shortened" if shortened else "cqp"), None
        return "not_yet", required - profile.experience_years
    return "not_yet", None


def _years(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def check_eligibility(profile: Profile, kb: KnowledgeBase) -> Verdict:
    """The verdict for a complete profile; raises IncompleteProfile otherwise."""
    route, missing_years = _route(profile, kb)
    texts = kb.verdicts[route]
    variables: Dict[str, str] = {"diploma": kb.diplomas[profile.diploma].label}
    if profile.job:
        variables["job"] = kb.jobs[profile.job].label
    if profile.experience_years is not None:
        variables["years"] = _years(profile.experience_years)
    if missing_years is not None:
        variables["missing_years"] = _years(missing_years)

    sources: Dict[str, None] = {}

    def render(statement: Statement) -> str:
        text, cited = kb.render(statement, variables)
        sources.update(dict.fromkeys(cited))
        return text

    headline, headline_sources = kb.fill(texts.headline, variables)
    sources.update(dict.fromkeys(headline_sources))
    reasons = [render(r) for r in texts.reasons]
    if missing_years is not None and texts.missing_experience:
        reasons.append(render(texts.missing_experience))
    return Verdict(route, headline, tuple(reasons), tuple(render(s) for s in texts.next_steps), tuple(sources))
