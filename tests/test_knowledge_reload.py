"""A running action server serves a counsellor's edit within seconds, and refuses a broken one."""

import logging
import os
import shutil
from pathlib import Path

import pytest

import actions.resources as resources
from actions.questions import ActionAnswerQuestion
from conftest import KB_FILE, texts
from orientation.answers import answer_topic
from orientation.knowledge import UNKNOWN_ROUTE
from orientation.loader import KnowledgeBaseError
from orientation.reloading import ProfessionMissingError, ReloadingKnowledgeBase

INTERVAL = 2.0
CQP_HOURS = "  cqp_hours:\n    value: 279\n"
BROKEN_YAML = "sources: [non fermé\n"
TRAINING_FACT_SOURCES = "organismes agréés ; il peut commencer à tout moment de l'année.\"\n        sources: [cpnefp_cqp]\n"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def kb_file(tmp_path) -> Path:
    return Path(shutil.copy(KB_FILE, tmp_path / "assistant_medical.yml"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def holder(kb_file, clock) -> ReloadingKnowledgeBase:
    return ReloadingKnowledgeBase(kb_file.parent, "assistant_medical", clock=clock, check_interval=INTERVAL)


@pytest.fixture
def reload_log(caplog):
    caplog.set_level(logging.INFO, logger="orientation.reloading")
    return caplog


def edit(path: Path, old: str, new: str) -> None:
    """Saves the file as a counsellor would: one occurrence of `old` replaced, a later modification time."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    before = path.stat().st_mtime_ns
    path.write_text(text.replace(old, new), encoding="utf-8")
    # The kernel's file clock ticks every few milliseconds, so back-to-back test writes may share a
    # timestamp; a counsellor's saves are seconds apart.
    os.utime(path, ns=(before + 1_000_000_000, before + 1_000_000_000))


def training_answer(holder: ReloadingKnowledgeBase) -> str:
    kb = holder.current()
    return answer_topic(kb, kb.topic_for_intent("ask_training"), UNKNOWN_ROUTE, {}).as_text()


def errors(caplog) -> list:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]


def test_an_edited_figure_is_served_after_the_check_interval(holder, kb_file, clock, reload_log):
    assert "dure 279 heures" in training_answer(holder)
    edit(kb_file, CQP_HOURS, CQP_HOURS.replace("279", "300"))
    clock.advance(INTERVAL)
    assert "dure 300 heures" in training_answer(holder)
    assert any(r.levelno == logging.INFO and str(kb_file.parent) in r.getMessage() for r in reload_log.records)
    assert not errors(reload_log)


def test_within_the_interval_the_files_are_not_even_looked_at(holder, kb_file, clock, monkeypatch):
    edit(kb_file, CQP_HOURS, CQP_HOURS.replace("279", "300"))
    clock.advance(INTERVAL / 2)
    with monkeypatch.context() as patch:
        patch.setattr(Path, "stat", lambda *args, **kwargs: pytest.fail("files checked within the interval"))
        assert "dure 279 heures" in training_answer(holder)
    clock.advance(INTERVAL / 2)
    assert "dure 300 heures" in training_answer(holder)


def test_a_broken_edit_keeps_the_last_valid_version_and_is_logged_once_until_fixed(holder, kb_file, clock, reload_log):
    # The counsellor changes the figure and, in the same save, cites a source that does not exist.
    edit(kb_file, CQP_HOURS, CQP_HOURS.replace("279", "300"))
    edit(kb_file, TRAINING_FACT_SOURCES, TRAINING_FACT_SOURCES.replace("[cpnefp_cqp]", "[cpnefp_cqp, source_inconnue]"))
    clock.advance(INTERVAL)
    assert "dure 279 heures" in training_answer(holder)
    [error] = errors(reload_log)
    assert "dernière version valide" in error
    assert str(kb_file) in error and "« topics.training.facts[0].sources »" in error and "source_inconnue" in error

    clock.advance(INTERVAL)
    assert "dure 279 heures" in training_answer(holder)
    assert len(errors(reload_log)) == 1, "the same broken file is reported once, not on every call"

    edit(kb_file, TRAINING_FACT_SOURCES.replace("[cpnefp_cqp]", "[cpnefp_cqp, source_inconnue]"), TRAINING_FACT_SOURCES)
    clock.advance(INTERVAL)
    assert "dure 300 heures" in training_answer(holder)
    assert len(errors(reload_log)) == 1


@pytest.mark.parametrize(
    "old, new, named",
    [
        ("schema_version: 1\n", "schema_version: 1\n" + BROKEN_YAML, "YAML invalide à la ligne"),
        ("  id: assistant_medical\n", "  id: assistant_medicale\n", "aucune base de connaissances pour la profession « assistant_medical »"),
    ],
)
def test_unreadable_yaml_or_a_renamed_profession_keeps_the_last_valid_version(holder, kb_file, clock, reload_log, old, new, named):
    edit(kb_file, old, new)
    clock.advance(INTERVAL)
    assert "dure 279 heures" in training_answer(holder)
    [error] = errors(reload_log)
    assert named in error and str(kb_file.parent) in error


def test_a_broken_base_at_construction_is_an_error_not_a_silent_start(kb_file):
    with pytest.raises(ProfessionMissingError):
        ReloadingKnowledgeBase(kb_file.parent, "secretaire_medicale")
    kb_file.write_text(BROKEN_YAML, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="YAML invalide"):
        ReloadingKnowledgeBase(kb_file.parent, "assistant_medical")


def test_the_action_server_refuses_to_start_on_a_broken_base(kb_file, monkeypatch):
    kb_file.write_text(BROKEN_YAML, encoding="utf-8")
    monkeypatch.setattr(resources, "KNOWLEDGE_DIR", kb_file.parent)
    with pytest.raises(SystemExit, match="Base de connaissances invalide, serveur d'actions arrêté : .*YAML invalide"):
        resources._watch_knowledge_base()


def test_the_action_server_refuses_to_start_without_its_profession(kb_file, monkeypatch):
    monkeypatch.setattr(resources, "KNOWLEDGE_DIR", kb_file.parent)
    monkeypatch.setattr(resources, "PROFESSION", "inconnue")
    with pytest.raises(SystemExit, match="Aucune base de connaissances pour la profession « inconnue » dans "):
        resources._watch_knowledge_base()


def test_a_visitor_asking_after_the_edit_gets_the_new_figure(holder, kb_file, clock, monkeypatch, tracker_for, dispatcher, domain):
    monkeypatch.setattr(resources, "_KNOWLEDGE_BASE", holder)
    edit(kb_file, CQP_HOURS, CQP_HOURS.replace("279", "300"))
    clock.advance(INTERVAL)
    ActionAnswerQuestion().run(dispatcher, tracker_for("ask_training", "combien d'heures dure la formation ?"), domain)
    assert "dure 300 heures" in texts(dispatcher)
