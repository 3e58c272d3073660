"""Turns knowledge base content into the short, sourced French messages the visitor reads."""

from dataclasses import dataclass
from typing import Collection, Dict, Iterable, Mapping, Optional, Tuple

from orientation.eligibility import Verdict
from orientation.knowledge import AUTHORITY_RANK, ROUTES, UNKNOWN_ROUTE, KnowledgeBase, Relative, Source, Topic

FIRST_MESSAGE_CHARS = 350  # the key fact, on one phone screen; the rest comes on request
KEY_SOURCES = 2  # sources named under the key fact; all of them on request
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")


@dataclass(frozen=True)
class Answer:
    """An answer in three parts: the key fact first, the details and every source on request."""

    lines: Tuple[str, ...]  # key figure first
    sources: Tuple[Source, ...]  # most authoritative first
    key_sources: Tuple[Source, ...]  # what the first line rests on, most authoritative first
    asked: int = 1  # leading lines that answer the question's aspects: sent with the key fact, not on request

    @property
    def key_count(self) -> int:
        """How many leading lines fit in the first message (always at least one)."""
        count, length = 1, len(self.lines[0]) if self.lines else 0
        while count < len(self.lines) and length + 1 + len(self.lines[count]) <= FIRST_MESSAGE_CHARS:
            length += 1 + len(self.lines[count])
            count += 1
        return count

    def key_text(self) -> str:
        return "\n".join(self.lines[:self.key_count])

    def also_asked(self) -> Tuple[str, ...]:
        """The facts on the question's other aspects that did not fit in the first message ("combien
        d'organismes… et c'est en alternance ?"): one message each, right after it."""
        return self.lines[self.key_count:self.asked]

    def details(self) -> Tuple[str, ...]:
        return self.lines[max(self.key_count, self.asked):]

    def named_sources(self) -> Tuple[Source, ...]:
        """One or two sources: what the key fact rests on."""
        return (self.key_sources or self.sources)[:KEY_SOURCES]

    def source_line(self) -> str:
        """The named sources, with their deep links."""
        named = self.named_sources()
        label = "Source" if len(named) == 1 else "Sources"
        return f"{label} : " + " ; ".join(citation(s) for s in named)

    def sources_text(self) -> str:
        label = "Source" if len(self.sources) == 1 else "Sources"
        return f"{label} :\n" + "\n".join(f"- {citation(s)}" for s in self.sources)

    def as_text(self) -> str:
        """Everything at once (tests and reports)."""
        return "\n".join(self.lines) + "\n\n" + self.sources_text()


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


def answer_topic(kb: KnowledgeBase, topic: Topic, route: str, visitor: Mapping[str, str],
                 focus: Collection[str] = ()) -> Answer:
    """The topic's facts meant for this visitor's route, with the sources they rest on; the facts that
    answer the question's aspects (`focus`, orientation.focus) first."""
    rank = {aspect: n for n, aspect in enumerate(kb.aspects)}  # listed from the most specific

    def order(fact) -> int:
        return min((rank[a] for a in fact.aspects if a in focus), default=len(rank))

    shown = [fact for fact in sorted(topic.facts, key=order) if fact.shown_to(route)]
    # The key fact, then each fact that answers another of the question's aspects: all in the first reply.
    asked, answered = 0, set()
    for fact in shown:
        new = set(fact.aspects).intersection(focus) - answered
        if asked and not new:
            break
        asked, answered = asked + 1, answered | new
    lines, ids, key_ids = [], [], []
    for n, fact in enumerate(shown):
        text, cited = kb.render(fact, visitor)
        lines.append(text)
        ids.extend(cited)
        if n < asked or not key_ids:  # what the first reply says rests on; else the first fact citing any
            key_ids.extend(cited)
    return Answer(tuple(lines), _sources(kb, ids), _sources(kb, key_ids), asked)


def answer_verdict(kb: KnowledgeBase, verdict: Verdict, relative: Optional[Relative] = None) -> Answer:
    """The verdict, addressed to the relative the visitor asked for ("Pour votre fille, oui, …")."""
    headline = verdict.headline
    if relative is not None:
        headline = f"Pour {relative.name}, {headline[0].lower()}{headline[1:]}"
    # What to do next comes with the verdict, in one block never split from its heading; why, on request.
    lines = [headline]
    if verdict.next_steps:
        lines.append("\n".join(["Prochaines étapes :", *(f"{n}. {step}" for n, step in enumerate(verdict.next_steps, start=1))]))
    lines.extend(verdict.reasons)
    return Answer(tuple(lines), _sources(kb, verdict.sources), _sources(kb, verdict.sources))


def visitor_variables(kb: KnowledgeBase, diploma: Optional[str] = None) -> Dict[str, str]:
    """Labels of what the visitor told, for templates such as "Avec {diploma}, pas besoin du CQP"."""
    return {"diploma": kb.diplomas[diploma].label} if diploma else {}


def overlong_key_facts(kb: KnowledgeBase) -> Tuple[str, ...]:
    """Topics whose first fact, for some route, aspect asked and the longest diploma label, exceeds
    FIRST_MESSAGE_CHARS."""
    longest = max(kb.diplomas, key=lambda d: len(kb.diplomas[d].label))
    found = []
    for topic in kb.topics.values():
        cases = ((route, focus) for route in (*ROUTES, UNKNOWN_ROUTE) for focus in ((), *((a,) for a in kb.aspects)))
        for route, focus in cases:
            lines = answer_topic(kb, topic, route, visitor_variables(kb, longest), focus).lines
            if lines and len(lines[0]) > FIRST_MESSAGE_CHARS:
                asked = f", aspect {focus[0]}" if focus else ""
                found.append(f"topics.{topic.id} (parcours {route}{asked}) : premier fait de {len(lines[0])} caractères")
                break
    return tuple(found)
