"""Turns knowledge base content into the short, sourced French messages the visitor reads."""

from dataclasses import dataclass
from typing import Dict, Iterable, Mapping, Optional, Tuple

from orientation.eligibility import Verdict
from orientation.knowledge import AUTHORITY_RANK, KnowledgeBase, Relative, Source, Topic

_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")


@dataclass(frozen=True)
class Answer:
    lines: Tuple[str, ...]  # key figure first
    sources: Tuple[Source, ...]  # most authoritative first

    def as_text(self) -> str:
        label = "Source" if len(self.sources) == 1 else "Sources"
        cited = "\n".join(f"- {citation(s)}" for s in self.sources)
        return "\n".join(self.lines) + f"\n\n{label} :\n{cited}"


def french_date(date: str) -> str:
    parts = date.split("-")
    if len(parts) == 3:
        day = int(parts[2])
        return f"{'1er' if day == 1 else day} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return date


def citation(source: Source) -> str:
    text = f"{source.title} ({source.publisher}, {french_date(source.date)})"
    return f"{text} {source.url}" if source.url else text


def _sources(kb: KnowledgeBase, ids: Iterable[str]) -> Tuple[Source, ...]:
    unique = [kb.sources[i] for i in dict.fromkeys(ids)]
    return tuple(sorted(unique, key=lambda s: AUTHORITY_RANK[s.authority]))


def answer_topic(kb: KnowledgeBase, topic: Topic, route: str, visitor: Mapping[str, str]) -> Answer:
    """The topic's facts meant for this visitor's route, with the sources they rest on."""
    lines, ids = [], []
    for fact in topic.facts:
        if fact.shown_to(route):
            text, cited = kb.render(fact, visitor)
            lines.append(text)
            ids.extend(cited)
    return Answer(tuple(lines), _sources(kb, ids))


def answer_verdict(kb: KnowledgeBase, verdict: Verdict, relative: Optional[Relative] = None) -> Answer:
    """The verdict, addressed to the relative the visitor asked for ("Pour votre fille, oui, …")."""
    headline = verdict.headline
    if relative is not None:
        headline = f"Pour {relative.name}, {headline[0].lower()}{headline[1:]}"
    lines = [headline, *verdict.reasons]
    if verdict.next_steps:
        lines.append("Prochaines étapes :")
        lines.extend(f"{n}. {step}" for n, step in enumerate(verdict.next_steps, start=1))
    return Answer(tuple(lines), _sources(kb, verdict.sources))


def visitor_variables(kb: KnowledgeBase, diploma: Optional[str] = None) -> Dict[str, str]:
    """Labels of what the visitor told, for templates such as "Avec {diploma}, pas besoin du CQP"."""
    return {"diploma": kb.diplomas[diploma].label} if diploma else {}
