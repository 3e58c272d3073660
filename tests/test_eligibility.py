"""Every route of the eligibility rules, with what is asked and what is answered."""

import pytest

from orientation.eligibility import IncompleteProfile, check_eligibility, missing_information, relevant_questions, route_of
from orientation.profile import Profile


@pytest.mark.parametrize("diploma", ["de_infirmier", "de_aide_soignant", "de_auxiliaire_puericulture"])
def test_state_diploma_holders_may_work_now_with_adaptation_training(kb, diploma):
    profile = Profile(diploma=diploma)
    assert missing_information(profile, kb) == []  # nothing else is asked
    verdict = check_eligibility(profile, kb)
    assert verdict.route == "direct"
    assert verdict.headline.startswith("Oui")
    assert kb.diplomas[diploma].label in verdict.headline
    assert any("formation d'adaptation à l'emploi" in s and "3 ans" in s for s in verdict.next_steps)
    assert "arrete_2019" in verdict.sources


@pytest.mark.parametrize("diploma", ["bac", "bac_plus"])
def test_bac_holders_go_through_the_cqp(kb, diploma):
    verdict = check_eligibility(Profile(diploma=diploma, job="autre"), kb)
    assert verdict.route == "cqp"
    assert "279 heures" in verdict.headline
    assert any("31 organismes" in s for s in verdict.next_steps)


@pytest.mark.parametrize("job", ["secretaire_medicale", "assistant_dentaire"])
def test_secretaries_and_dental_assistants_with_the_bac_get_a_shortened_cqp(kb, job):
    verdict = check_eligibility(Profile(diploma="bac", job=job), kb)
    assert verdict.route == "cqp_shortened"
    assert kb.jobs[job].label in verdict.headline


def test_three_years_as_medical_secretary_open_the_cqp_without_the_bac(kb):
    assert check_eligibility(Profile("aucun", "secretaire_medicale", 3), kb).route == "cqp_shortened"
    assert check_eligibility(Profile("cap_bep", "secretaire_medicale", 12), kb).route == "cqp_shortened"


def test_two_years_as_medical_secretary_without_the_bac_is_not_yet_and_says_what_is_missing(kb):
    verdict = check_eligibility(Profile("brevet", "secretaire_medicale", 2), kb)
    assert verdict.route == "not_yet"
    assert verdict.headline.startswith("Pas encore")
    assert any("il vous manque 1 an(s)" in r for r in verdict.reasons)
    assert any("DE d'aide-soignant" in s for s in verdict.next_steps)  # the ways forward


def test_no_bac_and_no_relevant_job_is_not_yet_with_ways_forward(kb):
    verdict = check_eligibility(Profile("aucun", "autre"), kb)
    assert verdict.route == "not_yet"
    assert any("aucun diplôme" in r for r in verdict.reasons)
    assert len(verdict.next_steps) == 3


def test_dental_assistant_without_the_bac_is_not_yet(kb):
    # The 2023 article opens the CQP with the bac or 3 years as a medical secretary only.
    assert check_eligibility(Profile("cap_bep", "assistant_dentaire"), kb).route == "not_yet"


def test_questions_asked_are_only_those_the_rules_need(kb):
    assert relevant_questions(Profile(), kb) == ["diploma"]
    assert relevant_questions(Profile("de_infirmier"), kb) == ["diploma"]
    assert relevant_questions(Profile("bac"), kb) == ["diploma", "job"]
    assert relevant_questions(Profile("aucun", "secretaire_medicale"), kb) == ["diploma", "job", "experience_years"]
    assert relevant_questions(Profile("aucun", "assistant_dentaire"), kb) == ["diploma", "job"]
    assert missing_information(Profile("aucun", "secretaire_medicale"), kb) == ["experience_years"]


def test_incomplete_profile_is_refused_and_its_route_unknown(kb):
    with pytest.raises(IncompleteProfile) as error:
        check_eligibility(Profile("bac"), kb)
    assert error.value.missing == ["job"]
    assert route_of(Profile(), kb) == "unknown"


def test_the_rule_follows_the_knowledge_base_not_the_code(kb):
    from dataclasses import replace

    from orientation.knowledge import Figure

    figures = dict(kb.figures)
    figures["cqp_entry_experience_years"] = Figure("cqp_entry_experience_years", 2, ("article_2023",))
    edited = replace(kb, figures=figures)
    assert check_eligibility(Profile("aucun", "secretaire_medicale", 2), edited).route == "cqp_shortened"
