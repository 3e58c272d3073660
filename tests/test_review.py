"""The counsellor's review, from conversations stored by Rasa's own SQL tracker store (SQLite, and
PostgreSQL in the services tier): what it shows, what it masks, what it leaves out, and teaching."""

import asyncio
import time

import pytest
import sqlalchemy as sa
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from harness.services import running_postgres
from review import teaching
from review.__main__ import main
from review.conversations import DAY, read_conversations
from review.privacy import mask
from review.render_text import render
from review.report import build_report, review_key
from tests.conftest import ROOT

NOW = time.time()
DOMAIN = Domain.empty()  # the store keeps every event as it is, whatever the domain


def _said(days_ago, text, intent, confidence, ranking=(), entities=()):
    at = NOW - days_ago * DAY
    parse = {"text": text, "intent": {"name": intent, "confidence": confidence},
             "intent_ranking": [{"name": intent, "confidence": confidence},
                                *({"name": n, "confidence": c} for n, c in ranking)],
             "entities": [{"entity": e, "value": v} for e, v in entities]}
    return UserUttered(text, parse["intent"], list(parse["entities"]), parse_data=parse, timestamp=at)


def _did(days_ago, *actions, reply=None, template=None, slots=()):
    at = NOW - days_ago * DAY + 1
    events = [ActionExecuted(action, timestamp=at) for action in actions]
    if reply:
        events.append(BotUttered(reply, metadata={"utter_action": template} if template else {}, timestamp=at))
    events += [SlotSet(name, value, timestamp=at) for name, value in slots]
    return events + [ActionExecuted("action_listen", timestamp=at + 1)]


CONVERSATIONS = {
    "visitor-a": [  # two misses of one kind, a salary answer found useless, a human asked for
        _said(1, "c'est quoi le délire des horaires ?", "nlu_fallback", 0.41, [("ask_work_conditions", 0.38)]),
        *_did(1, "action_handle_miss", reply="Vouliez-vous parler de…", template="utter_likely_topics"),
        _said(1, "combien ça gagne ?", "ask_salary", 0.97),
        *_did(1, "action_answer_question", reply="Au minimum 1 900 € brut par mois."),
        _said(1, '/feedback{"useful": "no"}', "feedback", 1.0, entities=[("useful", "no")]),
        *_did(1, "utter_feedback_thanks"),
        _said(1, "je veux parler à quelqu'un", "ask_human", 0.95),
        *_did(1, "action_contact_human", reply="Contactez Mme X."),
    ],
    "visitor-b": [  # the same miss worded otherwise, a personal detail, a verdict, a barely understood question
        _said(2, "le délire des horaires c'est quoi", "out_of_scope", 0.88, [("ask_work_conditions", 0.08)]),
        *_did(2, "action_handle_miss", reply="Je réponds sur le métier…"),
        _said(2, "rappelez moi au 06 12 34 56 78 ou zoe.marchal@example.fr", "nlu_fallback", 0.3, [("ask_human", 0.3)]),
        *_did(2, "action_handle_miss", reply="Un conseiller…", template="utter_second_miss"),
        _said(2, "je suis infirmière", "inform", 0.99),
        *_did(2, "action_give_verdict", reply="Vous pouvez exercer…", slots=[("eligibility_route", "direct")]),
        _said(2, "faut il un stage", "ask_training", 0.55),
        *_did(2, "action_answer_question", reply="Le CQP…"),
        _said(2, "/greet", "greet", 1.0),  # a button: never a miss
        *_did(2, "utter_greet"),
    ],
    "visitor-old": [  # outside the period asked for
        _said(40, "c'est quoi le délire des horaires ?", "nlu_fallback", 0.4),
        *_did(40, "action_handle_miss"),
    ],
    "visitor-expired": [  # outside the retention period: not shown, whatever the period
        _said(400, "un vieux message manqué", "nlu_fallback", 0.4),
        *_did(400, "action_handle_miss"),
    ],
}


def _store(store):
    for sender, events in CONVERSATIONS.items():
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))


@pytest.fixture(scope="module")
def sqlite(tmp_path_factory):
    """The conversations, stored once for the module: the review only reads them."""
    store = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path_factory.mktemp("review") / "conversations.db"))
    _store(store)
    yield store.engine
    store.engine.dispose()


def _report(engine, days=7, retention=180, hidden=frozenset()):
    return build_report(read_conversations(engine, NOW - days * DAY, NOW, retention), hidden)


def test_misses_are_grouped_counted_and_shown_with_the_classifiers_guesses(sqlite):
    report = _report(sqlite)
    assert report.conversations == 2 and report.missed_messages == 3
    first = report.misses[0]
    assert first.count == 2 and not first.low_confidence
    assert set(first.examples) == {"c'est quoi le délire des horaires ?", "le délire des horaires c'est quoi"}
    assert first.guesses[0][0] == "ask_work_conditions"
    unsure = [g for g in report.misses if g.low_confidence]
    assert [g.examples for g in unsure] == [["faut il un stage"]]  # 0.55: understood, barely


def test_personal_details_are_masked_and_no_visitor_id_is_shown(sqlite):
    text = render(_report(sqlite), 7)
    assert "[téléphone]" in text and "[e-mail]" in text
    assert "06 12" not in text and "zoe.marchal" not in text and "visitor-" not in text


def test_a_thumbs_down_comes_with_the_question_and_the_answer_before_it(sqlite):
    report = _report(sqlite)
    assert [(d.question, d.answer) for d in report.thumbs_down] == [("combien ça gagne ?", "Au minimum 1 900 € brut par mois.")]


def test_topics_verdicts_handoffs_and_days(sqlite):
    report = _report(sqlite)
    assert dict(report.topics) == {"ask_salary": 1, "ask_human": 1, "ask_training": 1}
    assert report.verdicts == [("direct", 1)]
    assert report.human_asked == 1 and report.human_offered == 1
    assert sum(count for _, count in report.per_day) == 2


def test_the_period_and_the_retention_limit_what_is_read(sqlite):
    assert _report(sqlite, days=1.5).conversations == 1
    assert _report(sqlite, days=60).conversations == 3  # the 40-day-old one too
    assert _report(sqlite, days=500).conversations == 3  # never the one past retention
    assert _report(sqlite, days=500, retention=1000).conversations == 4


def test_an_ignored_message_is_no_longer_shown(sqlite):
    hidden = frozenset({review_key("le délire des horaires c'est quoi")})
    report = _report(sqlite, hidden=hidden)
    assert report.ignored == 1 and report.misses[0].count == 1


def test_the_page_reads_the_store_again_once_what_it_read_is_30_seconds_old(tmp_path):
    # Teaching then seeing the page again reads the store once; a new conversation shows within 30 s.
    from review.serve import FRESH_SECONDS, RecentReview

    store = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "conversations.db"))
    clock = [NOW]
    recent = RecentReview(store.engine, 180, clock=lambda: clock[0])
    assert recent.of_last(7, frozenset()).conversations == 0
    _store(store)
    clock[0] += FRESH_SECONDS - 1
    assert recent.of_last(7, frozenset()).conversations == 0  # what was read is still fresh
    assert recent.of_last(60, frozenset()).conversations == 3  # another period is read for itself
    clock[0] += 1
    seen = recent.of_last(7, frozenset())
    assert seen.conversations == 2 and recent.of_last(7, frozenset()) is seen  # built once
    taught = frozenset({review_key("le délire des horaires c'est quoi")})
    assert recent.of_last(7, taught).ignored == 1  # what was just taught leaves the page at once
    store.engine.dispose()


def test_guesses_the_classifier_did_not_really_make_are_not_shown():
    # "niveau porte-monnaie c'est comment": out_of_scope at 1.0, every other intent under 1e-30.
    from review.conversations import Conversation, Turn

    turn = Turn("niveau porte-monnaie c'est comment", "out_of_scope", 1.0,
                [("out_of_scope", 1.0), ("help", 1e-32), ("ask_salary", 0.02)], NOW, actions=["action_handle_miss"])
    assert build_report([Conversation([turn], NOW)]).misses[0].guesses == [("ask_salary", 0.02)]


def test_rephrase_after_a_thumbs_down_is_no_second_thumbs_down_and_a_button_is_named():
    # The widget's flow: a quick reply "Le salaire" (/ask_salary), its answer, 👎, then « Reformuler ».
    from review.conversations import Conversation, Turn
    from review.page import render_page

    turns = [Turn("/ask_salary", "ask_salary", 1.0, [], NOW, replies=["Au minimum 1 815,79 € brut par mois."]),
             Turn('/feedback{"useful": "no"}', "feedback", 1.0, [], NOW, {"useful": "no"}, replies=["Désolé…"]),
             Turn('/feedback{"useful": "rephrase"}', "feedback", 1.0, [], NOW, {"useful": "rephrase"})]
    report = build_report([Conversation(turns, NOW)])
    assert [(d.question, d.intent) for d in report.thumbs_down] == [("/ask_salary", "ask_salary")]
    assert report.thumbs_up == 0
    page = render_page(report, 7, ["ask_salary"], labels={"ask_salary": "Le salaire"})
    assert "bouton « Le salaire »" in page and "/ask_salary" not in page and "feedback" not in page
    assert "bouton ask_salary → Au minimum" in render(report, 7)


def test_masking():
    assert mask("06.12.34.56.78, +33 6 12 34 56 78, a.b@c.fr, dossier 1234567") == \
        "[téléphone], [téléphone], [e-mail], dossier [numéro]"
    assert mask("j'ai 47 ans, bac en 2008, 1 900 €") == "j'ai 47 ans, bac en 2008, 1 900 €"


def test_the_report_command_prints_the_review_of_the_endpoints_store(sqlite, tmp_path, capsys, monkeypatch):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {sqlite.url.database}\n")
    monkeypatch.setattr(teaching, "IGNORED", tmp_path / "ignored.json")
    assert main(["report", "--days", "7", "--endpoints", str(endpoints)]) == 0
    out = capsys.readouterr().out
    assert "2 conversations" in out and "« c'est quoi le délire des horaires ? »" in out and "direct" in out
    assert "1 réponse jugée inutile (👎), 0 utile (👍)" in out  # French agreement
    assert main(["report", "--days", "1", "--endpoints", str(endpoints)]) == 0
    assert capsys.readouterr().out.startswith("Revue des conversations du dernier jour\n0 conversation, 0 message de visiteur")


def test_the_report_command_says_when_the_database_cannot_be_reached(tmp_path, capsys):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tmp_path / 'missing' / 'x.db'}\n")
    assert main(["report", "--endpoints", str(endpoints)]) == 1
    error = capsys.readouterr().err
    assert "database unreachable" in error and "SELECT" not in error

# --- Teaching ---------------------------------------------------------------------------------------

@pytest.fixture
def reviewed(tmp_path):
    return tmp_path / "reviewed_examples.yml"


def test_a_missed_message_becomes_an_example_in_rasas_format_sorted_and_once(reviewed):
    teaching.add_example("ask_work_conditions", "c'est quoi le délire des horaires ?", path=reviewed)
    teaching.add_example("ask_salary", "ça paye bien ou pas [vraiment] ?", path=reviewed)
    teaching.add_example("ask_work_conditions", "bosser le samedi c obligé", path=reviewed)
    with pytest.raises(teaching.Refused, match="déjà"):
        teaching.add_example("ask_work_conditions", "C'est quoi le délire des horaires", path=reviewed)
    content = yaml.safe_load(reviewed.read_text(encoding="utf-8"))
    assert [block["intent"] for block in content["nlu"]] == ["ask_salary", "ask_work_conditions"]
    assert content["nlu"][0]["examples"] == "- ça paye bien ou pas vraiment ?\n"  # no entity annotation left
    assert content["nlu"][1]["examples"].splitlines() == ["- bosser le samedi c obligé",
                                                          "- c'est quoi le délire des horaires ?"]


@pytest.mark.parametrize("intent, text, reason", [
    ("distress", "je n'en peux plus", "n'est pas une intention"),
    ("ask_unknown", "bonjour", "n'est pas une intention"),
    ("ask_human", "appelez moi au 06 12 34 56 78", "donnée personnelle"),
    ("ask_human", "appelez moi au [téléphone]", "donnée personnelle"),
    ("ask_salary", "   ", "vide"),
])
def test_what_must_not_be_taught_is_refused_with_the_reason(reviewed, intent, text, reason):
    with pytest.raises(teaching.Refused, match=reason):
        teaching.add_example(intent, text, path=reviewed)
    assert not reviewed.exists()


def test_a_sentence_of_the_independent_tests_is_never_taught(reviewed):
    held_out = next(line[2:] for line in (ROOT / "tests" / "nlu_heldout.yml").read_text().splitlines()
                    if line.strip().startswith("- ") and "intent" not in line).strip()
    with pytest.raises(teaching.Refused, match="tests indépendants"):
        teaching.add_example("ask_salary", held_out.lstrip("- "), path=reviewed)


def test_ignoring_is_kept_between_runs(tmp_path):
    path = tmp_path / "ignored.json"
    teaching.ignore("Le délire des horaires ?", path)
    teaching.ignore("le delire des horaires", path)
    assert teaching.ignored(path) == {review_key("le délire des horaires")}


# --- PostgreSQL -------------------------------------------------------------------------------------

@pytest.mark.services
def test_the_same_review_from_postgresql(tmp_path, sqlite):
    with running_postgres(tmp_path) as postgres:
        store = SQLTrackerStore(domain=DOMAIN, dialect="postgresql", host=postgres.host, port=postgres.port,
                                db=postgres.db, username=postgres.user, password=postgres.password)
        try:
            _store(store)
            assert render(_report(store.engine), 7) == render(_report(sqlite), 7)
            assert _report(store.engine).missed_messages == 3
        finally:
            store.engine.dispose()


def test_a_database_where_rasa_stored_nothing_yet_gives_an_empty_report(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert _report(engine).conversations == 0


def test_an_empty_store_gives_an_empty_report(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "empty.db")).engine.dispose()
    report = _report(engine)
    assert report.conversations == 0 and report.misses == [] and "aucun" in render(report, 7)


def test_every_intent_a_counsellor_can_choose_is_shown_by_a_name_they_know():
    from review.page import named
    from review.serve import topic_labels

    labels = topic_labels()
    assert labels["ask_salary"] == "Le salaire"
    assert [intent for intent in teaching.taught_intents() if named(intent, labels) == intent] == []
