"""Each custom action against trackers built from small fixtures, as a visitor would see its reply."""

import pytest
from rasa_sdk.events import SlotSet

from actions.conversation import ActionContactHuman, ActionDeclineOffer, ActionHandleMiss
from actions.eligibility import ActionGiveVerdict
from actions.questions import ActionAcceptOffer, ActionAnswerQuestion
from conftest import responses, texts

TOPIC_CHECKS = {
    # intent: (what must come first, a source that must be cited)
    "ask_how_to_become": ("Deux voies", "Arrêté du 7 novembre 2019"),
    "ask_training": ("279 heures", "CQP Assistant médical (RNCP 40913)"),
    "ask_salary": ("1\u202f815,79 et 2\u202f159,91 € brut par mois", "12 juillet 2024"),
    "ask_missions": ("Trois familles de missions", "ameli.fr"),
    "ask_skills": ("organisation et rigueur", "Fiche métier"),
    "ask_work_conditions": ("Temps plein ou temps partiel", "Fiche métier"),
    "ask_employers": ("médecins de ville", "Arrêté du 7 novembre 2019"),
    "ask_job_market": ("8\u202f111 contrats", "État des lieux en France en 2024"),
    "ask_career_evolution": ("diplômes d'État", "Fiche RNCP 40913"),
    "ask_vs_secretary": ("va plus loin que le secrétaire médical", "2023"),
    "ask_doctor_aid": ("38 000 €", "Convention médicale 2024-2029"),
}


@pytest.mark.parametrize("intent", sorted(TOPIC_CHECKS))
def test_every_question_is_answered_from_the_knowledge_base_with_sources(intent, tracker_for, dispatcher, domain):
    first, source = TOPIC_CHECKS[intent]
    ActionAnswerQuestion().run(dispatcher, tracker_for(intent), domain)
    answer = dispatcher.messages[0]["text"]
    assert first in answer.split("\n")[0]
    assert "\n\nSource" in answer and source in answer.split("\n\nSource")[1]


def test_how_to_become_for_a_known_aide_soignante_is_her_verdict(tracker_for, dispatcher, domain):
    tracker = tracker_for("ask_how_to_become", slots={"diploma": "de_aide_soignant"})
    events = ActionAnswerQuestion().run(dispatcher, tracker, domain)
    answer = texts(dispatcher)
    assert answer.startswith("Oui, vous pouvez exercer comme assistant médical dès maintenant : votre diplôme d'État d'aide-soignant (DEAS)")
    assert "Deux voies" not in answer
    assert "utter_offer_eligibility" not in responses(dispatcher)
    assert events == [SlotSet("offer", "aucune")]


def test_how_to_become_without_a_profile_offers_the_eligibility_check(tracker_for, dispatcher, domain):
    events = ActionAnswerQuestion().run(dispatcher, tracker_for("ask_how_to_become"), domain)
    assert responses(dispatcher) == ["utter_offer_eligibility"]
    assert events == [SlotSet("offer", "eligibility")]


def test_no_offer_in_the_middle_of_the_eligibility_form(tracker_for, dispatcher, domain):
    events = ActionAnswerQuestion().run(dispatcher, tracker_for("ask_training", active_loop="eligibility_form"), domain)
    assert "279 heures" in texts(dispatcher)
    assert responses(dispatcher) == [] and events == [SlotSet("offer", "aucune")]


def test_salary_does_not_offer_an_eligibility_check(tracker_for, dispatcher, domain):
    events = ActionAnswerQuestion().run(dispatcher, tracker_for("ask_salary"), domain)
    assert responses(dispatcher) == [] and events == [SlotSet("offer", "aucune")]


def test_yes_to_the_training_offer_gives_the_training_for_this_visitor(tracker_for, dispatcher, domain):
    tracker = tracker_for("affirm", slots={"offer": "training", "diploma": "de_infirmier"})
    events = ActionAcceptOffer().run(dispatcher, tracker, domain)
    assert texts(dispatcher).startswith("Avec votre diplôme d'État d'infirmier (DEI), vous n'avez pas besoin du CQP")
    assert events == [SlotSet("offer", "aucune")]


def test_verdict_for_a_nurse(tracker_for, dispatcher, domain):
    tracker = tracker_for("ask_eligibility", slots={"diploma": "de_infirmier"})
    events = ActionGiveVerdict().run(dispatcher, tracker, domain)
    reply = texts(dispatcher)
    assert reply.startswith("Oui, vous pouvez exercer")
    assert "Prochaines étapes :" in reply and "formation d'adaptation à l'emploi" in reply
    assert "Arrêté du 7 novembre 2019" in reply.split("Sources :")[1]
    assert responses(dispatcher) == ["utter_offer_training"] and events == [SlotSet("offer", "training")]


def test_verdict_for_a_secretary_with_two_years_and_no_bac(tracker_for, dispatcher, domain):
    tracker = tracker_for("inform", slots={"diploma": "brevet", "job": "secretaire_medicale", "experience_years": "2 ans"})
    ActionGiveVerdict().run(dispatcher, tracker, domain)
    reply = texts(dispatcher)
    assert reply.startswith("Pas encore") and "il vous manque 1 an(s)" in reply


def test_verdict_with_an_incomplete_profile_asks_instead_of_crashing(tracker_for, dispatcher, domain):
    events = ActionGiveVerdict().run(dispatcher, tracker_for("ask_eligibility", slots={"diploma": "bac"}), domain)
    assert responses(dispatcher) == ["utter_need_profile"] and events == [SlotSet("offer", "eligibility")]


def test_first_miss_recentres_second_miss_offers_choices_and_a_human(tracker_for, domain):
    from rasa_sdk.executor import CollectingDispatcher

    first = CollectingDispatcher()
    ActionHandleMiss().run(first, tracker_for("nlu_fallback", previous_intents=["ask_salary"]), domain)
    assert responses(first) == ["utter_first_miss"]

    second = CollectingDispatcher()
    ActionHandleMiss().run(second, tracker_for("out_of_scope", previous_intents=["ask_salary", "nlu_fallback"]), domain)
    assert responses(second) == ["utter_second_miss"]
    buttons = domain["responses"]["utter_second_miss"][0]["buttons"]
    assert {"title": "Parler à un conseiller", "payload": "/ask_human"} in buttons


def test_human_contact_comes_from_the_site_settings(tracker_for, dispatcher, domain):
    from actions.resources import site_settings

    ActionContactHuman().run(dispatcher, tracker_for("ask_human"), domain)
    message = dispatcher.messages[0]
    assert message["response"] == "utter_human_contact"
    assert message["name"] == site_settings().human_contact.name and "mon-cep.org" in message["details"]


def test_declining_an_offer_clears_it(tracker_for, dispatcher, domain):
    events = ActionDeclineOffer().run(dispatcher, tracker_for("deny", slots={"offer": "eligibility"}), domain)
    assert responses(dispatcher) == ["utter_anything_else"] and events == [SlotSet("offer", "aucune")]


def test_domain_responses_state_no_figures(domain):
    # Facts live in the knowledge base only: a response with a number would escape its sources.
    import re

    for name, variants in domain["responses"].items():
        for variant in variants:
            text = re.sub(r"\(par exemple[^)]*\)|par exemple \d+|« 18 mois »", "", variant["text"])
            assert not re.search(r"\d", text), (name, variant["text"])
