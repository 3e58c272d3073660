"""The review as plain text (`make review-report`, and `--review` of the load test and of the
conversations evaluation)."""

import time
from pathlib import Path
from typing import List, Union

import settings
from review.report import Report

TOP = 15  # lines per section: the most frequent first


def counted(count: int, one: str, many: str) -> str:
    """"1 réponse jugée inutile", "2 réponses jugées inutiles" (in French, 0 and 1 take the singular)."""
    return f"{count} {one if count < 2 else many}"


def summary(report: Report) -> str:
    """The review's first line, on the page as in the text."""
    return (f"{counted(report.conversations, 'conversation', 'conversations')}, "
            f"{counted(report.visitor_messages, 'message de visiteur', 'messages de visiteurs')} ; "
            f"{counted(report.missed_messages, 'non compris', 'non compris')}, "
            f"{counted(len(report.thumbs_down), 'réponse jugée inutile', 'réponses jugées inutiles')} (👎), "
            f"{counted(report.thumbs_up, 'utile', 'utiles')} (👍).")


def render(report: Report, days: int) -> str:
    lines: List[str] = [
        "Revue des conversations " + ("du dernier jour" if days == 1 else f"des {days} derniers jours"),
        summary(report),
        "Textes masqués (e-mails, téléphones, numéros) ; aucun identifiant de visiteur.",
        "",
        "Messages non compris (nombre · exemple · meilleures hypothèses du classifieur) :",
    ]
    misses = [g for g in report.misses if not g.low_confidence]
    unsure = [g for g in report.misses if g.low_confidence]
    lines += [_miss(g) for g in misses[:TOP]] or ["  aucun"]
    if len(misses) > TOP:
        lines.append(f"  … et {counted(len(misses) - TOP, 'autre groupe', 'autres groupes')}")
    lines += ["", "Compris de justesse (confiance sous 0,6) :"]
    lines += [_miss(g) for g in unsure[:TOP]] or ["  aucun"]
    if report.ignored:
        lines.append(f"  ({counted(report.ignored, 'message déjà traité', 'messages déjà traités')} par un conseiller, "
                     "non montrés)")
    lines += ["", "Réponses jugées inutiles (👎), avec la question qui les précédait :"]
    lines += [f"  {f'bouton {d.intent}' if d.by_button else f'« {d.question} »'} → {d.answer[:120]}"
              f"{'…' if len(d.answer) > 120 else ''}"
              for d in report.thumbs_down[:TOP]] or ["  aucune"]
    lines += ["", "Sujets les plus demandés :"]
    lines += [f"  {count:5d}  {intent}" for intent, count in report.topics[:TOP]] or ["  aucun"]
    lines += ["", "Verdicts d'éligibilité, par voie :"]
    lines += [f"  {count:5d}  {route}" for route, count in report.verdicts] or ["  aucun"]
    lines += ["", f"Conseiller humain : demandé {report.human_asked} fois, proposé après des incompréhensions "
                  f"{report.human_offered} fois.", "", "Conversations par jour :"]
    lines += [f"  {day}  {count:5d}" for day, count in report.per_day] or ["  aucune"]
    return "\n".join(lines)


def _miss(group) -> str:
    guesses = ", ".join(f"{name} {confidence:.2f}" for name, confidence in group.guesses) or "aucune"
    more = f" (+{counted(len(group.examples) - 1, 'variante', 'variantes')})" if len(group.examples) > 1 else ""
    return f"  {group.count:5d}  « {group.examples[0]} »{more} · {guesses}"


def review_of_store(endpoints: Union[str, Path], days: int) -> str:
    """The text review of the last `days` days of the conversation store that `endpoints` names (raises
    maintenance.retention.ConfigurationError when it names none)."""
    from maintenance.retention import tracker_store_engine
    from review.conversations import DAY, read_conversations
    from review.report import build_report
    from review.teaching import ignored

    engine = tracker_store_engine(endpoints)
    try:
        now = time.time()
        conversations = read_conversations(engine, now - days * DAY, now, int(settings.value_of("DAYS")))
        return render(build_report(conversations, ignored()), days)
    finally:
        engine.dispose()
