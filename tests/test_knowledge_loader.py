"""The knowledge base loads, and every kind of counsellor mistake is refused with file, entry and fault."""

import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import KB_FILE, ROOT
from orientation.loader import KnowledgeBaseError, load_knowledge_base, load_knowledge_dir
from orientation.validate_kb import main as validate_main


def test_real_knowledge_base_has_every_topic_and_route(kb):
    assert kb.profession_id == "assistant_medical"
    assert len(kb.topics) >= 20  # each topic's intents agree with the domain and rules: tests/test_consistency.py
    assert set(kb.verdicts) == {"direct", "cqp", "cqp_experience_to_confirm", "no_certain_route",
                                "undetermined_foreign", "undetermined_level"}


def test_every_source_is_dated_and_every_fact_is_sourced(kb):
    for source in kb.sources.values():
        assert source.date, source.id
    for topic in kb.topics.values():
        for fact in topic.facts:
            _, cited = kb.render(fact, {"diploma": "x"})
            assert cited, (topic.id, fact.text)


def test_official_text_wins_over_the_seed_that_contradicts_it(kb):
    # Seed 001 says nurses and aides-soignants need the CQP; the arrêté of 2019 says they do not.
    assert set(kb.access.direct_diplomas) == {"de_infirmier", "de_aide_soignant", "de_auxiliaire_puericulture"}
    assert "arrete_2019" in kb.access.direct_sources
    assert kb.figure_value("cqp_hours") == 279  # CPNEFP 2025, not the 384 h of the 2023 article


def _broken(tmp_path, edit):
    data = yaml.safe_load(KB_FILE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "edit, entry, problem",
    [
        (lambda d: d["topics"]["salary"]["facts"][0].update(sources=["nowhere"]), "topics.salary.facts[0].sources", "nowhere"),
        (lambda d: d["topics"]["salary"]["facts"][1].update(sources=[]), "topics.salary.facts[1].sources", "au moins une source"),
        (lambda d: d["sources"]["arrete_2019"].update(date="hier"), "sources.arrete_2019.date", "hier"),
        (lambda d: d["sources"]["arrete_2019"].pop("date"), "sources.arrete_2019", "date"),
        (lambda d: d["topics"]["training"]["facts"][1].update(text="{cqp_heures} heures"), "topics.training.facts[1].text", "{cqp_heures}"),
        (lambda d: d["figures"]["cqp_hours"].update(value=None), "figures.cqp_hours.value", "nombre"),
        (lambda d: d["access"].update(direct_diplomas=["de_pharmacien"]), "access.direct_diplomas", "de_pharmacien"),
        (lambda d: d["verdicts"].pop("no_certain_route"), "verdicts", "no_certain_route"),
        # Aliases that are ordinary words would find a diploma in sentences that do not speak of one.
        (lambda d: d["diplomas"]["de_aide_soignant"]["aliases"].append("as"), "diplomas.de_aide_soignant.aliases", "« as » est un mot courant"),
        (lambda d: d["diplomas"]["aucun"]["aliases"].append("rien"), "diplomas.aucun.aliases", "« rien » est un mot courant"),
        (lambda d: d["diplomas"]["de_auxiliaire_puericulture"]["aliases"].append("ap"), "diplomas.de_auxiliaire_puericulture.aliases", "« ap »"),
        (lambda d: d["diplomas"]["de_aide_soignant"]["acronyms"].append("as"), "diplomas.de_aide_soignant.acronyms", "majuscules"),
        (lambda d: d["diplomas"]["bac"].update(level=12), "diplomas.bac.level", "niveau de 0 à 8"),
        (lambda d: d["profile_reading"].pop("negation"), "profile_reading", "negation"),
        (lambda d: d["profile_reading"]["relatives"]["fille"].update(pronoun="lui"), "profile_reading.relatives.fille.pronoun", "« il » ou « elle »"),
        (lambda d: d["topics"]["missions"].update(intents=["ask_salary"]), "topics.salary.intents", "déjà traitée"),
        (lambda d: d["topics"]["salary"]["facts"][0].update(only_for=["tout_le_monde"]), "topics.salary.facts[0].only_for", "tout_le_monde"),
        (lambda d: d["topics"]["other_professions"].update(offers="infirmier"), "topics.other_professions.offers", "infirmier"),
        (lambda d: d["topics"]["training"].update(for_routes={"direct": "fae"}), "topics.training.for_routes.direct", "fae"),
        (lambda d: d["topics"]["training"].update(for_routes={"infirmier": "adaptation_training"}), "topics.training.for_routes",
         "infirmier"),
        (lambda d: d.update(schema_version=2), "schema_version", "version"),
    ],
)
def test_broken_file_names_file_entry_and_fault(tmp_path, edit, entry, problem):
    path = _broken(tmp_path, edit)
    with pytest.raises(KnowledgeBaseError) as error:
        load_knowledge_base(path)
    message = str(error.value)
    assert str(path) in message and f"« {entry} »" in message and problem in message


def test_invalid_yaml_gives_the_line(tmp_path):
    path = tmp_path / "kb.yml"
    path.write_text("sources:\n  a: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"YAML invalide à la ligne \d+"):
        load_knowledge_base(path)


def test_a_second_profession_is_just_another_file(tmp_path):
    shutil.copy(KB_FILE, tmp_path / "assistant_medical.yml")
    other = yaml.safe_load(KB_FILE.read_text(encoding="utf-8"))
    other["profession"] = {"id": "secretaire_medicale", "name": "secrétaire médical"}
    (tmp_path / "secretaire_medicale.yml").write_text(yaml.safe_dump(other, allow_unicode=True), encoding="utf-8")
    assert set(load_knowledge_dir(tmp_path)) == {"assistant_medical", "secretaire_medicale"}
    # the same profession twice is a mistake
    (tmp_path / "copie.yml").write_text(KB_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="déjà décrit"):
        load_knowledge_dir(tmp_path)


def test_validate_command_reports_ok_and_errors(tmp_path, capsys):
    assert validate_main([str(KB_FILE.parent)]) == 0
    assert "OK" in capsys.readouterr().out
    _broken(tmp_path, lambda d: d["sources"]["arrete_2019"].update(date="bientôt"))
    assert validate_main([str(tmp_path)]) == 1
    assert "sources.arrete_2019.date" in capsys.readouterr().err


def test_action_server_refuses_to_start_on_a_broken_knowledge_base(tmp_path):
    _broken(tmp_path, lambda d: d["figures"]["cqp_hours"].update(sources=["inconnue"]))
    env = {"KNOWLEDGE_BASE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "RASA_TELEMETRY_ENABLED": "false"}
    result = subprocess.run(
        [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", "5999"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "broken.yml" in result.stderr and "figures.cqp_hours.sources" in result.stderr and "inconnue" in result.stderr
