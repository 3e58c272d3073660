"""Topic answers: key figure first, personalised by route, and always ending with dated sources."""

import dataclasses

from orientation.answers import (FIRST_MESSAGE_CHARS, KEY_SOURCES, answer_topic, citation, french_date,
                                 overlong_key_facts, visitor_variables)
from orientation.knowledge import Statement


def test_salary_answer_gives_the_figure_first_then_sources(kb):
    text = answer_topic(kb, kb.topics["salary"], "unknown", {}).as_text()
    # The branch minimum (avenant 90), never a starting figure below it.
    assert text.startswith("Au minimum entre 1\u202f815,79 et 2\u202f159,91 € brut par mois")
    body, sources = text.split("\n\nSources :\n")
    assert "2 500 €" in body and "1 700" not in body
    assert "12 juillet 2024" in sources and "IDCC 1147" in sources


def test_the_training_for_an_aide_soignante_is_the_adaptation_training_said_for_her(kb):
    instead = kb.topics[kb.topics["training"].instead_for("direct")]  # "la formation", for her, is the FAE
    answer = answer_topic(kb, instead, "direct", visitor_variables(kb, "de_aide_soignant"))
    assert answer.lines[0].startswith("Avec le diplôme d'État d'aide-soignant, pas besoin du CQP")
    assert not any("279" in line or "prérequis" in line for line in answer.lines)  # the CQP does not concern her
    assert any("112 heures" in line for line in answer.lines)  # its length, as far as it is known
    assert kb.topics["training"].instead_for("cqp") is None


def test_training_answer_for_an_unknown_visitor_covers_both_routes_and_the_change_of_hours(kb):
    answer = answer_topic(kb, kb.topics["training"], "unknown", {})
    text = answer.as_text()
    assert "279 heures" in answer.lines[0]
    assert "384 heures" in text and "Ce chiffre a changé" in text
    assert "formation d'adaptation à l'emploi" in text
    assert "Fiche RNCP 40913" in text


def test_figures_bring_their_sources_and_official_sources_come_first(kb):
    answer = answer_topic(kb, kb.topics["job_market"], "unknown", {})
    assert "8\u202f111 contrats" in answer.lines[0]
    ids = [s.id for s in answer.sources]
    assert "cpam53_etat_2024" in ids and "rncp_40913" in ids
    ranks = [s.authority for s in answer.sources]
    assert ranks == sorted(ranks, key=["loi", "officiel", "presse"].index)


def test_french_dates_and_citations(kb):
    assert french_date("2019-11-13") == "13 novembre 2019"
    assert french_date("2024-06-01") == "1er juin 2024"
    assert french_date("2024") == "2024" and french_date("non datée") == "non datée"
    assert citation(kb.sources["arrete_2019"]).endswith("https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000039364029")


def test_doctor_aid_comes_from_ameli_with_the_third_year(kb):
    text = answer_topic(kb, kb.topics["doctor_aid"], "unknown", {}).as_text()
    assert "troisième année : 22 000 € et 11 000 €" in text
    body, sources = text.split("\n\nSources :\n")
    assert "https://www.ameli.fr/medecin/" in sources and "agipi" not in sources
    assert body.count("Selon la presse spécialisée") == 1  # the 2-year condition is the press's, not the arrêté's


def test_expired_rncp_codes_are_not_cited_as_current(kb):
    for topic in kb.topics.values():
        text = answer_topic(kb, topic, "unknown", {}).as_text()
        assert "36632" not in text and "36495" not in text


def test_every_topic_key_fact_fits_on_a_phone_screen_with_one_or_two_sources(kb):
    assert overlong_key_facts(kb) == ()
    for topic in kb.topics.values():
        answer = answer_topic(kb, topic, "unknown", {})
        assert len(answer.key_text()) <= FIRST_MESSAGE_CHARS
        assert 1 <= len(answer.named_sources()) <= KEY_SOURCES and answer.source_line().count("http") <= KEY_SOURCES
        # The details are what the first message left out, nothing more, nothing twice.
        assert answer.lines[:answer.key_count] + answer.also_asked() + answer.details() == answer.lines


def test_every_aspect_asked_is_answered_in_the_first_reply(kb):
    """"combien d'organismes… et c'est en alternance ?": both facts come at once, the second in its own
    message when the first is full; the rest stays for "Plus de détails"."""
    answer = answer_topic(kb, kb.topics["training_place"], "unknown", {}, ("lieu", "alternance"))
    first_reply = "\n".join((answer.key_text(), *answer.also_asked()))
    assert "organismes agréés" in first_reply and "deux jours par semaine" in first_reply
    assert len(answer.also_asked()) == 1 and len(answer.key_text()) <= FIRST_MESSAGE_CHARS
    assert not any("organismes agréés" in line or "deux jours" in line for line in answer.details())
    assert answer.lines[:answer.key_count] + answer.also_asked() + answer.details() == answer.lines
    one_aspect = answer_topic(kb, kb.topics["training_place"], "unknown", {}, ("lieu",))
    assert one_aspect.also_asked() == () and any("deux jours" in line for line in one_aspect.details())


def test_the_source_line_names_what_the_key_fact_rests_on(kb):
    answer = answer_topic(kb, kb.topics["salary"], "unknown", {})
    assert "IDCC 1147" in answer.source_line() and "2023" not in answer.source_line()  # not the 2023 article of line 2


def test_a_key_fact_too_long_for_the_first_message_is_reported(kb):
    salary = kb.topics["salary"]
    long_fact = Statement("Au minimum " + "très " * 80 + "bien payé.", salary.facts[0].sources)
    edited = dataclasses.replace(kb, topics={**kb.topics, "salary": dataclasses.replace(salary, facts=(long_fact,))})
    assert [problem.split(" ")[0] for problem in overlong_key_facts(edited)] == ["topics.salary"]
