"""The review as an HTML page: what the counsellor sees at `make review` (review/serve.py).

Server-side only: plain HTML, a small stylesheet and SVG bar charts written here, no script and
nothing from another host. Every visitor text is masked already (report.py) and HTML-escaped here.
"""

from html import escape
from typing import Iterable, List, Mapping, Optional, Sequence, Tuple

from review.render_text import counted, summary
from review.report import MissGroup, Report, ThumbsDown

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1a1a1a}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%}td,th{padding:.35rem;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
.count{text-align:right;width:4rem}.guess{color:#555;font-size:.9rem}.note{color:#555}
form{display:inline}select,button,input{font:inherit}button{margin-left:.25rem}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}figure{margin:0}figcaption{font-weight:600}
"""
CHART_BAR = 18


def bar_chart(title: str, rows: Sequence[Tuple[str, int]], width: int = 420) -> str:
    """A horizontal bar chart in SVG, with its figures written out (readable without the bars)."""
    if not rows:
        return f"<figure><figcaption>{escape(title)}</figcaption><p class=note>Aucune donnée.</p></figure>"
    top = max(count for _, count in rows) or 1
    label_width, height = 170, CHART_BAR * len(rows) + 4
    bars = []
    for index, (label, count) in enumerate(rows):
        y = index * CHART_BAR + 2
        length = max(1, int((width - label_width - 50) * count / top))
        bars.append(f'<text x="0" y="{y + 13}" font-size="12">{escape(label[:28])}</text>'
                    f'<rect x="{label_width}" y="{y}" width="{length}" height="{CHART_BAR - 4}" fill="#3b6ea8"/>'
                    f'<text x="{label_width + length + 4}" y="{y + 13}" font-size="12">{count}</text>')
    return (f'<figure><figcaption>{escape(title)}</figcaption>'
            f'<svg role="img" aria-label="{escape(title)}" width="{width}" height="{height}" '
            f'xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg></figure>')


# The intents that are no topic of the knowledge base, as a counsellor would name them.
DIALOGUE_LABELS = {
    "ask_eligibility": "Suis-je éligible ?", "inform": "Le visiteur parle de son profil", "ask_details": "Plus de détails",
    "ask_sources": "Les sources", "ask_human": "Parler à un conseiller", "help": "Que savez-vous faire ? (aide)",
    "greet": "Bonjour", "goodbye": "Au revoir", "thank": "Merci", "affirm": "Oui", "deny": "Non",
    "bot_challenge": "Êtes-vous un robot ?", "stop": "Arrêter (le questionnaire)", "out_of_scope": "Hors sujet",
    "ask_other_profession": "Un autre métier (hors sujet)", "ask_labour_law": "Droit du travail (hors sujet)",
}


def named(intent: str, labels: Mapping[str, str]) -> str:
    """An intent as a counsellor knows it: its topic's label ("Le salaire"), else its dialogue label, else its name."""
    return labels.get(intent) or DIALOGUE_LABELS.get(intent, intent)


def _intent_options(intents: Iterable[str], guess: str, labels: Mapping[str, str]) -> str:
    # The topics first, by their label; then the dialogue intents by name.
    ordered = sorted(intents, key=lambda i: (i not in labels, i not in DIALOGUE_LABELS, named(i, labels).lower()))
    return "".join(f'<option value="{escape(i)}"{" selected" if i == guess else ""}>{escape(named(i, labels))}</option>'
                   for i in ordered)


def _miss_row(group: MissGroup, intents: Sequence[str], days: int, labels: Mapping[str, str]) -> str:
    example = group.examples[0]
    guesses = ", ".join(f"{escape(named(n, labels))} {c:.2f}" for n, c in group.guesses) or "aucune"
    variants = "".join(f"<br><span class=guess>« {escape(e)} »</span>" for e in group.examples[1:4])
    guess = group.guesses[0][0] if group.guesses else ""
    hidden = f'<input type="hidden" name="text" value="{escape(example)}"><input type="hidden" name="days" value="{days}">'
    return (f"<tr><td class=count>{group.count}</td><td>« {escape(example)} »{variants}"
            f"<br><span class=guess>Hypothèses : {guesses}</span></td><td>"
            f'<form method="post" action="/teach">{hidden}<label>Intention '
            f'<select name="intent">{_intent_options(intents, guess, labels)}</select></label>'
            f'<button type="submit">Ajouter comme exemple</button></form> '
            f'<form method="post" action="/ignore">{hidden}<button type="submit">Ignorer</button></form></td></tr>')


def _question(down: ThumbsDown, labels: Mapping[str, str]) -> str:
    """The visitor's question, or the button they chose, by the name counsellors know."""
    if down.by_button:
        return f"bouton « {escape(named(down.intent or '', labels))} »"
    return f"« {escape(down.question)} »"


def render_page(report: Report, days: int, intents: Sequence[str], notice: str = "",
                labels: Optional[Mapping[str, str]] = None) -> str:
    labels = labels or {}
    misses = [g for g in report.misses if not g.low_confidence]
    unsure = [g for g in report.misses if g.low_confidence]

    def table(groups: List[MissGroup]) -> str:
        if not groups:
            return "<p class=note>Aucun.</p>"
        return ("<table><thead><tr><th class=count>Nombre</th><th>Message (et variantes)</th><th>Action</th></tr></thead>"
                f"<tbody>{''.join(_miss_row(g, intents, days, labels) for g in groups[:50])}</tbody></table>")

    down = "".join(f"<tr><td>{_question(d, labels)}</td><td>{escape(d.answer)}</td></tr>" for d in report.thumbs_down[:50])
    periods = "".join(f'<option value="{n}"{" selected" if n == days else ""}>{n} jour{"s" if n > 1 else ""}</option>' for n in (1, 7, 30, 90))
    return f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Revue des conversations — assistant médical</title><style>{STYLE}</style></head>
<body><main>
<h1>Revue des conversations</h1>
{f'<p role="status"><strong>{escape(notice)}</strong></p>' if notice else ''}
<form method="get" action="/"><label>Période : <select name="days">{periods}</select></label>
<button type="submit">Afficher</button></form>
<p class=note>Ce que les visiteurs ont demandé et que l'assistant n'a pas compris, les réponses jugées inutiles et
les sujets les plus demandés, pour améliorer l'assistant. Les e-mails, téléphones et numéros sont masqués ; aucun
identifiant de visiteur n'est montré ; seules les conversations encore dans la durée de conservation sont lues.
Rien ne quitte cette machine. Un exemple ajouté est appris au prochain <code>make train</code>.</p>
<p>{escape(summary(report))}</p>
<h2>Messages non compris</h2>{table(misses)}
<h2>Compris de justesse</h2>{table(unsure)}
{f'<p class=note>{counted(report.ignored, "message déjà traité", "messages déjà traités")} (ajoutés comme exemples ou ignorés), non montrés.</p>' if report.ignored else ''}
<h2>Réponses jugées inutiles (bouton « Pas utile »)</h2>
{f'<table><thead><tr><th>Question</th><th>Réponse</th></tr></thead><tbody>{down}</tbody></table>' if down else '<p class=note>Aucune.</p>'}
<h2>Sujets, verdicts, conseillers, fréquentation</h2>
<p>Conseiller humain : demandé {report.human_asked} fois, proposé après des incompréhensions {report.human_offered} fois.</p>
<div class=charts>{bar_chart("Sujets les plus demandés", [(named(i, labels), n) for i, n in report.topics[:12]])}
{bar_chart("Verdicts d'éligibilité, par voie", report.verdicts)}
{bar_chart("Conversations par jour", report.per_day[-31:])}</div>
</main></body></html>"""


def render_login(failed: bool = False) -> str:
    message = '<p role="alert">Jeton refusé.</p>' if failed else ""
    return f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Revue des conversations — connexion</title><style>{STYLE}</style></head>
<body><main><h1>Revue des conversations</h1>{message}
<form method="post" action="/login"><label>Jeton d'accès (REVIEW_TOKEN) <input type="password" name="token"
autocomplete="current-password" required></label><button type="submit">Entrer</button></form></main></body></html>"""
