"""Each custom action against trackers built from small fixtures, as a visitor would see its reply."""

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.conversation import ActionContactHuman, ActionDeclineOffer, ActionFeedback, ActionHandleMiss, ActionHelp
from actions.eligibility import ActionGiveVerdict, AskDiploma, AskDiplomaConfirmation
from actions.questions import ActionAcceptOffer, ActionAnswerQuestion, ActionGiveDetails, ActionGiveSources
from actions.replies import DETAILS_BUTTON, FEEDBACK_BUTTONS, SOURCES_BUTTON
from orientation.answers import FIRST_MESSAGE_CHARS
from conftest import profile_slot, responses, texts

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
    "ask_training_funding": ("12 600 € par stagiaire", "Rapport de l'IGAS"),
    "ask_training_place": ("31 organismes agréés", "CQP Assistant médical (RNCP 40913)"),
    "ask_vae": ("la VAE permet d'obtenir un CQP", "France VAE"),
    "ask_age_limit": ("Je n'ai pas d'information fiable sur une limite d'âge", "Arrêté du 7 novembre 2019"),
    "ask_adaptation_training": ("formation d'adaptation à l'emploi", "Arrêté du 7 novembre 2019"),
    "ask_afgsu": ("est comprise dans le CQP", "CPAM de la Mayenne"),
    "ask_allowed_acts": ("n'est pas un professionnel de santé", "ameli.fr"),
    "ask_net_salary": ("Les montants que je connais sont bruts", "avenant n° 90"),
    "ask_vs_dental_assistant": ("deux métiers distincts", "Arrêté du 8 juin 2018"),
    # Outside the job: where to look instead, never a job answer.
    "ask_other_profession": ("Je réponds seulement sur le métier d'assistant médical", "Onisep"),
    "ask_labour_law": ("pas sur le droit du travail en général", "Service-Public.fr"),
}


@pytest.mark.parametrize("intent", sorted(TOPIC_CHECKS))
def test_every_question_is_answered_from_the_knowledge_base_with_sources(intent, tracker_for, dispatcher, domain):
    first, source = TOPIC_CHECKS[intent]
    events = ActionAnswerQuestion().run(dispatcher, tracker_for(intent), domain)
    key, source_line = dispatcher.messages[0]["text"], dispatcher.messages[1]["text"]
    assert first in key.split("\n")[0] and len(key) <= FIRST_MESSAGE_CHARS
    assert source_line.startswith("Source") and source_line.count("http") <= 2
    topic = next(e["value"] for e in events if e["name"] == "topic")
    sources = CollectingDispatcher()
    ActionGiveSources().run(sources, tracker_for("ask_sources", slots={"topic": topic}), domain)
    assert source in texts(sources)


def test_an_answer_gives_its_key_fact_first_and_the_rest_on_request(tracker_for, dispatcher, domain):
    ActionAnswerQuestion().run(dispatcher, tracker_for("ask_training"), domain)
    key, source_line = dispatcher.messages[0], dispatcher.messages[1]
    assert "279 heures" in key["text"] and "alternance" not in key["text"] and len(key["text"]) <= FIRST_MESSAGE_CHARS
    assert "cpnefp" in source_line["text"].lower()
    assert dispatcher.messages[-1]["buttons"] == [DETAILS_BUTTON, SOURCES_BUTTON]  # after the offer's Oui / Non

    details = CollectingDispatcher()
    ActionGiveDetails().run(details, tracker_for("ask_details", slots={"topic": "training"}), domain)
    assert "alternance" in texts(details) and "279 heures" not in texts(details).split("\n")[0]
    assert details.messages[-1]["buttons"] == [SOURCES_BUTTON]

    sources = CollectingDispatcher()
    ActionGiveSources().run(sources, tracker_for("ask_sources", slots={"topic": "training"}), domain)
    assert texts(sources).startswith("Sources :") and "RNCP 40913" in texts(sources) and "2019" in texts(sources)


def test_a_verdict_comes_with_its_next_steps_and_its_reasons_on_request(tracker_for, dispatcher, domain):
    tracker = tracker_for("ask_eligibility", slots={"profile": profile_slot(("de_infirmier", "held"))})
    events = ActionGiveVerdict().run(dispatcher, tracker, domain)
    key = dispatcher.messages[0]["text"]
    assert "Prochaines étapes :" in key and "formation d'adaptation à l'emploi dans les 3 ans" in key
    topic = next(e["value"] for e in events if e["name"] == "topic")
    details = CollectingDispatcher()
    slots = {"topic": topic, "profile": profile_slot(("de_infirmier", "held"))}
    ActionGiveDetails().run(details, tracker_for("ask_details", slots=slots), domain)
    assert "L'arrêté du 7 novembre 2019 ouvre le métier" in texts(details) and "Prochaines" not in texts(details)


def test_details_without_a_previous_answer_ask_which_topic(tracker_for, dispatcher, domain):
    ActionGiveDetails().run(dispatcher, tracker_for("ask_details"), domain)
    assert responses(dispatcher) == ["utter_which_topic"]


def test_sources_asked_during_the_eligibility_check_are_those_of_its_rules(tracker_for, dispatcher, domain):
    ActionGiveSources().run(dispatcher, tracker_for("ask_sources", "vos sources ?", active_loop="eligibility_form"), domain)
    assert "Arrêté du 7 novembre 2019" in texts(dispatcher) and "legifrance.gouv.fr" in texts(dispatcher)


def test_how_to_become_for_a_known_aide_soignante_is_her_verdict(tracker_for, dispatcher, domain):
    tracker = tracker_for("ask_how_to_become", slots={"profile": profile_slot(("de_aide_soignant", "held"))})
    events = ActionAnswerQuestion().run(dispatcher, tracker, domain)
    answer = texts(dispatcher)
    assert answer.startswith("Oui, ce diplôme (le diplôme d'État d'aide-soignant) permet d'exercer comme assistant médical")
    assert "Deux voies" not in answer
    assert "utter_offer_eligibility" not in responses(dispatcher)
    assert events == [SlotSet("topic", "how_to_become"), SlotSet("aspects", []), SlotSet("eligibility_route", "direct"), SlotSet("offer", "aucune")]


def test_how_to_become_without_a_profile_offers_the_eligibility_check(tracker_for, dispatcher, domain):
    events = ActionAnswerQuestion().run(dispatcher, tracker_for("ask_how_to_become"), domain)
    assert responses(dispatcher) == ["utter_offer_eligibility"]
    # The offer is the last message: its "Oui" / "Non" come with the details and sources buttons.
    assert dispatcher.messages[-1]["buttons"] == [DETAILS_BUTTON, SOURCES_BUTTON]
    assert events == [SlotSet("topic", "how_to_become"), SlotSet("aspects", []), SlotSet("offer", "eligibility")]


def test_no_offer_in_the_middle_of_the_eligibility_form(tracker_for, dispatcher, domain):
    events = ActionAnswerQuestion().run(dispatcher, tracker_for("ask_training", active_loop="eligibility_form"), domain)
    assert "279 heures" in texts(dispatcher)
    assert responses(dispatcher) == [] and events == [SlotSet("topic", "training"), SlotSet("aspects", []), SlotSet("offer", "aucune")]


def test_salary_does_not_offer_an_eligibility_check(tracker_for, dispatcher, domain):
    events = ActionAnswerQuestion().run(dispatcher, tracker_for("ask_salary"), domain)
    assert responses(dispatcher) == [] and events == [SlotSet("topic", "salary"), SlotSet("aspects", []), SlotSet("offer", "aucune")]


def test_yes_to_the_training_offer_gives_the_training_for_this_visitor(tracker_for, dispatcher, domain):
    tracker = tracker_for("affirm", slots={"offer": "training", "profile": profile_slot(("de_infirmier", "held"))})
    events = ActionAcceptOffer().run(dispatcher, tracker, domain)
    assert texts(dispatcher).startswith("Avec le diplôme d'État d'infirmier, pas besoin du CQP")
    # "la formation", for a nurse, is the adaptation training: her follow-ups ("elle dure combien ?") are on it
    assert events == [SlotSet("topic", "adaptation_training"), SlotSet("aspects", []), SlotSet("offer", "aucune")]


def test_another_job_gets_where_to_look_and_the_offer_to_compare(tracker_for, dispatcher, domain):
    events = ActionAnswerQuestion().run(dispatcher, tracker_for("ask_other_profession"), domain)
    assert "Onisep" in texts(dispatcher) and "CIDJ" in texts(dispatcher)
    assert responses(dispatcher) == ["utter_offer_missions"]
    assert "utter_offer_missions" in domain["responses"]
    assert events == [SlotSet("topic", "other_professions"), SlotSet("aspects", []), SlotSet("offer", "missions")]


def test_yes_to_the_comparison_presents_the_job(tracker_for, dispatcher, domain):
    events = ActionAcceptOffer().run(dispatcher, tracker_for("affirm", slots={"offer": "missions"}), domain)
    assert texts(dispatcher).startswith("Trois familles de missions")
    assert events == [SlotSet("topic", "missions"), SlotSet("aspects", []), SlotSet("offer", "aucune")]


def test_labour_law_points_to_the_services_without_an_offer(tracker_for, dispatcher, domain):
    events = ActionAnswerQuestion().run(dispatcher, tracker_for("ask_labour_law"), domain)
    assert "inspection du travail" in texts(dispatcher) and "service-public.fr" in texts(dispatcher)
    assert responses(dispatcher) == [] and events == [SlotSet("topic", "labour_law"), SlotSet("aspects", []), SlotSet("offer", "aucune")]


def test_verdict_for_a_nurse(tracker_for, dispatcher, domain):
    tracker = tracker_for("ask_eligibility", slots={"profile": profile_slot(("de_infirmier", "held"))})
    events = ActionGiveVerdict().run(dispatcher, tracker, domain)
    reply = texts(dispatcher)
    assert reply.startswith("Oui, ce diplôme (le diplôme d'État d'infirmier) permet d'exercer")
    assert len(dispatcher.messages[0]["text"]) <= FIRST_MESSAGE_CHARS
    assert "Arrêté du 7 novembre 2019" in dispatcher.messages[1]["text"]
    assert responses(dispatcher) == ["utter_offer_training"]
    assert events == [SlotSet("eligibility_route", "direct"), SlotSet("topic", "how_to_become"), SlotSet("offer", "training")]


def test_verdict_for_a_daughter_speaks_of_her(tracker_for, dispatcher, domain):
    tracker = tracker_for("inform", slots={"profile": profile_slot(("bac", "held"), relative="fille")})
    ActionGiveVerdict().run(dispatcher, tracker, domain)
    assert texts(dispatcher).startswith("Pour votre fille, oui, par le CQP assistant médical")


def test_verdict_for_a_cap_holder_who_was_a_medical_secretary_is_to_confirm(tracker_for, dispatcher, domain):
    tracker = tracker_for("inform", slots={"profile": profile_slot(("cap_bep", "held"), medical_secretary=True)})
    events = ActionGiveVerdict().run(dispatcher, tracker, domain)
    reply = texts(dispatcher)
    assert reply.startswith("Peut-être, par le CQP") and "organisme agréé" in reply
    assert responses(dispatcher) == [] and SlotSet("eligibility_route", "cqp_experience_to_confirm") in events


def test_verdict_on_a_foreign_diploma_names_who_decides(tracker_for, dispatcher, domain):
    slots = {"profile": profile_slot(("de_infirmier", "foreign_unrecognised"))}
    ActionGiveVerdict().run(dispatcher, tracker_for("deny", slots=slots), domain)
    key = dispatcher.messages[0]["text"]
    assert key.startswith("Je ne peux pas conclure") and "(ARS)" in key  # who decides, in the first message
    assert "diplômes d'État français" in key  # what opens the job in France


def test_verdict_with_an_incomplete_profile_asks_instead_of_crashing(tracker_for, dispatcher, domain):
    tracker = tracker_for("ask_eligibility", slots={"profile": profile_slot(("de_infirmier", "in_progress"))})
    events = ActionGiveVerdict().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_need_profile"] and events == [SlotSet("offer", "eligibility")]


def test_first_miss_recentres_second_miss_offers_choices_and_a_human(tracker_for, domain):
    from rasa_sdk.executor import CollectingDispatcher

    first = CollectingDispatcher()
    ActionHandleMiss().run(first, tracker_for("nlu_fallback", previous_intents=["ask_salary"]), domain)
    assert responses(first) == ["utter_first_miss"]  # no likely topic: "reformulez, ou choisissez un sujet"
    assert domain["responses"]["utter_first_miss"][0]["buttons"]

    second = CollectingDispatcher()
    ActionHandleMiss().run(second, tracker_for("out_of_scope", previous_intents=["ask_salary", "nlu_fallback"]), domain)
    assert responses(second) == ["utter_second_miss"]
    buttons = domain["responses"]["utter_second_miss"][0]["buttons"]
    assert {"title": "Parler à un conseiller", "payload": "/ask_human"} in buttons


def test_a_miss_offers_the_classifiers_likely_topics_as_buttons(tracker_for, dispatcher, domain):
    ranking = [("ask_salary", 0.41), ("ask_net_salary", 0.3), ("greet", 0.2), ("ask_training", 0.16), ("ask_skills", 0.15)]
    events = ActionHandleMiss().run(dispatcher, tracker_for("nlu_fallback", ranking=ranking), domain)
    assert responses(dispatcher) == ["utter_likely_topics"] and events == [SlotSet("offer", "topics")]
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert titles == ["Le salaire", "Le salaire net", "La formation (CQP)", "Autre chose"]
    assert dispatcher.messages[0]["buttons"][0]["payload"] == "/ask_salary"


def test_no_to_the_likely_topics_offers_a_human(tracker_for, dispatcher, domain):
    events = ActionHandleMiss().run(dispatcher, tracker_for("deny", slots={"offer": "topics"}), domain)
    assert responses(dispatcher) == ["utter_second_miss"] and events == []


def test_an_off_topic_message_gets_no_job_topic_as_a_guess(tracker_for, dispatcher, domain):
    ActionHandleMiss().run(dispatcher, tracker_for("out_of_scope", ranking=[("ask_training", 0.3)]), domain)
    assert responses(dispatcher) == ["utter_first_miss"]


def test_asking_for_help_right_after_the_3114_gets_the_3114_again(tracker_for, domain):
    after_distress = CollectingDispatcher()
    ActionHelp().run(after_distress, tracker_for("help", "jsais meme pas a qui en parler", slots={"topic": "distress"}), domain)
    assert "3114" in texts(after_distress)
    # a job question asked then, or help at any other time: what the assistant can answer
    for slots, text in (({"topic": "distress"}, "vous pouvez m'aider pour la formation ?"), ({"topic": "salary"}, "aide")):
        other = CollectingDispatcher()
        ActionHelp().run(other, tracker_for("help", text, slots=slots), domain)
        assert responses(other) == ["utter_help"]


def test_human_contact_comes_from_the_site_settings(tracker_for, dispatcher, domain):
    from actions.resources import site_settings

    ActionContactHuman().run(dispatcher, tracker_for("ask_human"), domain)
    message = dispatcher.messages[0]
    assert message["response"] == "utter_human_contact"
    assert message["name"] == site_settings().human_contact.name and "mon-cep.org" in message["details"]


def test_an_answer_without_an_offer_asks_whether_it_was_useful(tracker_for, dispatcher, domain):
    ActionAnswerQuestion().run(dispatcher, tracker_for("ask_salary"), domain)
    assert dispatcher.messages[-1]["buttons"][-2:] == FEEDBACK_BUTTONS
    assert [b["title"] for b in FEEDBACK_BUTTONS] == ["👍 Utile", "👎 Pas utile"]
    assert all(b["payload"].startswith('/feedback{"useful": ') for b in FEEDBACK_BUTTONS)


@pytest.mark.parametrize("useful, response", [("yes", "utter_feedback_thanks"), ("no", "utter_feedback_sorry"),
                                              ("rephrase", "utter_rephrase")])
def test_a_thumbs_up_is_thanked_a_thumbs_down_offers_to_rephrase_or_a_human(tracker_for, dispatcher, domain, useful, response):
    tracker = tracker_for("feedback", text=f'/feedback{{"useful": "{useful}"}}', entities=[{"entity": "useful", "value": useful}])
    ActionFeedback().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == [response]
    if useful == "no":
        buttons = domain["responses"]["utter_feedback_sorry"][0]["buttons"]
        assert [b["title"] for b in buttons] == ["Reformuler", "Parler à un conseiller"]


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


def test_distress_gets_the_3114_and_the_emergency_numbers_and_nothing_else(tracker_for, dispatcher, domain):
    events = ActionAnswerQuestion().run(dispatcher, tracker_for("distress", text="j'ai envie d'en finir"), domain)
    reply = texts(dispatcher)
    assert reply.startswith("Ce que vous traversez compte") and "3114" in reply and "15 (SAMU) ou le 112" in reply
    assert responses(dispatcher) == [] and SlotSet("offer", "aucune") in events


def test_a_health_question_is_told_to_see_a_doctor_or_a_pharmacist(tracker_for, dispatcher, domain):
    ActionAnswerQuestion().run(dispatcher, tracker_for("health_question", text="j'ai de la fièvre"), domain)
    reply = texts(dispatcher)
    assert "consultez votre médecin ou un pharmacien" in reply and "le 15 (SAMU) ou le 112" in reply


def test_a_question_on_an_aspect_gets_that_fact_first_and_its_details_keep_the_order(tracker_for, dispatcher, domain):
    events = ActionAnswerQuestion().run(dispatcher, tracker_for("ask_training", text="le cqp c'est en alternance ?"), domain)
    assert "alternance" in dispatcher.messages[0]["text"].split("\n")[0]
    focus = next(e["value"] for e in events if e["name"] == "aspects")
    details = CollectingDispatcher()
    ActionGiveDetails().run(details, tracker_for("ask_details", slots={"topic": "training", "aspects": focus}), domain)
    assert "279 heures" in texts(details) and "deux jours par semaine" not in texts(details)


def test_a_follow_up_the_classifier_missed_is_answered_on_the_last_topic(tracker_for, dispatcher, domain):
    tracker = tracker_for("nlu_fallback", text="et pour un mi-temps ?", slots={"topic": "doctor_aid"},
                          ranking=[("ask_work_conditions", 0.4)])
    events = ActionHandleMiss().run(dispatcher, tracker, domain)
    assert "19 000 €" in dispatcher.messages[0]["text"] and SlotSet("topic", "doctor_aid") in events


def test_a_follow_up_with_a_pronoun_is_about_the_last_topic_not_the_classifiers(tracker_for, dispatcher, domain):
    tracker = tracker_for("ask_training", text="elle dure longtemps ?", slots={"topic": "adaptation_training"})
    ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert "112 heures" in dispatcher.messages[0]["text"] and "279" not in dispatcher.messages[0]["text"]


def test_the_job_named_after_another_jobs_salary_gets_the_jobs_salary(tracker_for, dispatcher, domain):
    tracker = tracker_for("ask_eligibility", text="ok et assistant medical alors ?",
                          slots={"topic": "other_professions", "aspects": ["salaire"]})
    events = ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert "1\u202f815,79" in dispatcher.messages[0]["text"] and SlotSet("topic", "salary") in events


def test_two_aspects_of_one_topic_are_both_answered_at_once(tracker_for, dispatcher, domain):
    tracker = tracker_for("ask_training_place", text="il y a combien d'organismes pour le cqp et c'est en alternance ?")
    ActionAnswerQuestion().run(dispatcher, tracker, domain)
    first_reply = texts(dispatcher)
    assert "31 organismes agréés" in first_reply and "deux jours par semaine" in first_reply
    assert all(len(m.get("text") or "") <= FIRST_MESSAGE_CHARS for m in dispatcher.messages)


def test_an_unclear_aspect_only_one_likely_topic_answers_is_answered(tracker_for, dispatcher, domain):
    tracker = tracker_for("nlu_fallback", text="on peut la financer avec son cpf ?",
                          ranking=[("ask_training_funding", 0.3), ("ask_salary", 0.2)])
    ActionHandleMiss().run(dispatcher, tracker, domain)
    assert "CPF" in dispatcher.messages[0]["text"].split("\n")[0] and responses(dispatcher) == []


def test_two_questions_get_two_answers(tracker_for, dispatcher, domain):
    nurse = profile_slot(("de_infirmier", "held"))
    tracker = tracker_for("ask_how_to_become", text="infirmiere DE, je peux y aller directement ? et ca paye combien ?",
                          slots={"profile": nurse})
    events = ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert "sans CQP" in texts(dispatcher) and "brut par mois" in texts(dispatcher)
    assert [e["value"] for e in events if e["name"] == "topic"] == ["how_to_become", "salary"]


@pytest.mark.parametrize("message, expected", [
    ("ok mais c'est sourcé tout ça ?", "RNCP 40913"),
    ("pouvez vous détailler un peu", "deux jours par semaine"),
])
def test_a_typed_request_for_sources_or_details_after_an_answer_gets_them(tracker_for, dispatcher, domain, message, expected):
    ActionHandleMiss().run(dispatcher, tracker_for("nlu_fallback", text=message, slots={"topic": "training"}), domain)
    assert expected in texts(dispatcher) and responses(dispatcher) == []


def test_a_request_without_a_previous_answer_is_a_miss(tracker_for, dispatcher, domain):
    ActionHandleMiss().run(dispatcher, tracker_for("nlu_fallback", text="vous avez des sources ?"), domain)
    assert responses(dispatcher) == ["utter_first_miss"]


def test_an_unclear_message_after_the_3114_gets_the_3114_again(tracker_for, dispatcher, domain):
    ActionHandleMiss().run(dispatcher, tracker_for("nlu_fallback", text="je sais pas", slots={"topic": "distress"}), domain)
    assert "3114" in texts(dispatcher)


def test_a_job_question_after_the_3114_is_not_answered_with_the_3114(tracker_for, dispatcher, domain):
    tracker = tracker_for("nlu_fallback", text="et la formation ?", slots={"topic": "distress"}, ranking=[("ask_training", 0.4)])
    ActionHandleMiss().run(dispatcher, tracker, domain)
    assert "3114" not in texts(dispatcher) and responses(dispatcher) == ["utter_likely_topics"]


def test_a_message_without_the_job_after_the_3114_gets_it_again_whatever_topic_the_classifier_heard(
        tracker_for, dispatcher, domain):
    """"jsais même pas à qui en parler" once read as the qualities asked: no classifier decides this."""
    tracker = tracker_for("ask_skills", text="jsais meme pas a qui en parler", slots={"topic": "distress"})
    ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert "3114" in texts(dispatcher) and "qualités" not in texts(dispatcher)


def test_a_job_question_after_the_see_a_doctor_answer_is_answered(tracker_for, dispatcher, domain):
    tracker = tracker_for("ask_training", text="merci. et la formation dure combien ?", slots={"topic": "health"})
    ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert "279" in texts(dispatcher) and "pharmacien" not in texts(dispatcher)


def test_an_unsure_request_for_a_person_offers_the_counsellor(tracker_for, dispatcher, domain):
    """"vous avez quelqu'un d'humain ?" between a human and a bot question: the counsellor is a button."""
    tracker = tracker_for("nlu_fallback", text="vous avez quelqu'un d'humain ?",
                          ranking=[("bot_challenge", 0.46), ("ask_human", 0.32)])
    ActionHandleMiss().run(dispatcher, tracker, domain)
    assert responses(dispatcher) == ["utter_likely_topics"]
    assert {"title": "Parler à un conseiller", "payload": "/ask_human"} in dispatcher.messages[0]["buttons"]


def test_a_short_aspect_without_context_gets_the_aspects_own_topic(tracker_for, dispatcher, domain):
    # Nothing answered before, no likely topic: "combien d'heures ?" is the training's.
    ActionHandleMiss().run(dispatcher, tracker_for("nlu_fallback", text="combien d'heures au total ?"), domain)
    assert "279 heures" in dispatcher.messages[0]["text"]


def test_an_off_topic_message_naming_an_aspect_is_not_answered_without_context(tracker_for, dispatcher, domain):
    ActionHandleMiss().run(dispatcher, tracker_for("out_of_scope", text="mon cours de yoga dure combien de temps ?"), domain)
    assert responses(dispatcher) == ["utter_first_miss"]


def test_an_unclear_job_question_after_the_3114_gets_the_topics_not_the_3114_again(tracker_for, dispatcher, domain):
    tracker = tracker_for("nlu_fallback", text="bon et pour le cqp alors ?", slots={"topic": "distress"})
    ActionHandleMiss().run(dispatcher, tracker, domain)
    assert "3114" not in texts(dispatcher) and responses(dispatcher) == ["utter_first_miss"]


def test_a_diploma_being_prepared_is_told_what_it_opens_before_the_confirmation_question(tracker_for, dispatcher, domain):
    tracker = tracker_for("ask_eligibility", slots={"profile": profile_slot(("de_aide_soignant", "planned"))})
    AskDiplomaConfirmation().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["text"].startswith("Une fois le diplôme d'État d'aide-soignant obtenu")
    assert responses(dispatcher) == ["utter_ask_diploma_confirmation"]


def test_not_yet_graduated_is_told_the_condition_then_asked_the_current_diploma(tracker_for, dispatcher, domain):
    tracker = tracker_for("deny", "non pas encore", slots={"profile": profile_slot(("de_infirmier", "denied"))})
    AskDiploma().run(dispatcher, tracker, domain)
    assert "vous pourrez exercer sans CQP, avec une formation d'adaptation" in texts(dispatcher)
    assert "d'ici là, l'accès passe par le CQP" in texts(dispatcher)
    assert responses(dispatcher) == ["utter_ask_diploma"]


def test_a_relatives_diploma_to_come_is_not_told_as_if_it_were_the_visitors(tracker_for, dispatcher, domain):
    tracker = tracker_for("inform", slots={"profile": profile_slot(("bac", "planned"), relative="fils")})
    AskDiplomaConfirmation().run(dispatcher, tracker, domain)
    assert texts(dispatcher) == "" and responses(dispatcher) == ["utter_ask_diploma_confirmation_of_relative"]


def test_a_verdict_asked_with_a_second_question_answers_both(tracker_for, dispatcher, domain):
    tracker = tracker_for("ask_eligibility", "je suis infirmière diplômée, je peux être AM tout de suite et ça paye combien ?",
                          slots={"profile": profile_slot(("de_infirmier", "held"))})
    events = ActionGiveVerdict().run(dispatcher, tracker, domain)
    reply = texts(dispatcher)
    assert reply.startswith("Oui, ce diplôme (le diplôme d'État d'infirmier)") and "815,79" in reply
    assert SlotSet("eligibility_route", "direct") in events and SlotSet("topic", "salary") in events


def test_a_job_story_told_with_an_illness_gets_the_doctor_then_the_job_answer(tracker_for, dispatcher, domain):
    text = "ma fille a eu une leucémie, elle est en rémission. je voudrais faire la formation, ça dure combien ?"
    tracker = tracker_for("health_question", text=text, ranking=[("ask_training", 0.8), ("ask_salary", 0.1)])
    events = ActionAnswerQuestion().run(dispatcher, tracker, domain)
    first, *rest = [m["text"] for m in dispatcher.messages if m.get("text")]
    assert "médecin" in first and "15" in first  # the health answer first, whole
    assert any("279 heures" in m for m in rest) and SlotSet("topic", "training") in events


def test_distress_after_the_see_a_doctor_answer_gets_the_3114(tracker_for, dispatcher, domain):
    tracker = tracker_for("distress", text="en fait je veux plus vivre", slots={"topic": "health"})
    ActionAnswerQuestion().run(dispatcher, tracker, domain)
    assert "3114" in texts(dispatcher)


def test_a_job_story_told_with_an_illness_gets_the_job_answer_its_words_ask_when_the_classifier_has_none(
        tracker_for, dispatcher, domain):
    """The classifier read the story as off-topic: "où trouver une formation" still names the place to train."""
    text = "je déprime le dimanche soir depuis des mois. où trouver une formation d'assistante médicale vers Nantes ?"
    ActionAnswerQuestion().run(dispatcher, tracker_for("health_question", text=text, ranking=[("out_of_scope", 1.0)]), domain)
    first, *rest = [m["text"] for m in dispatcher.messages if m.get("text")]
    assert "médecin" in first and any("organismes agréés" in m for m in rest)


def test_distress_gets_nothing_beside_the_3114(tracker_for, dispatcher, domain):
    text = "je veux plus vivre, de toute façon la formation ça sert à rien"
    ActionAnswerQuestion().run(dispatcher, tracker_for("distress", text=text, ranking=[("ask_training", 0.8)]), domain)
    assert "3114" in texts(dispatcher) and "279" not in texts(dispatcher)


def test_help_typed_right_after_a_miss_is_a_second_miss_with_a_human(tracker_for, domain):
    """"j'y comprends plus rien" after the likely topics: the visitor is lost, the human is offered; the
    "Autre chose" button (/help) and help asked at any other time get the main topics."""
    lost = CollectingDispatcher()
    ActionHelp().run(lost, tracker_for("help", text="j'y comprends plus rien", slots={"offer": "topics"}), domain)
    assert responses(lost) == ["utter_second_miss"]
    for text, slots in (("/help", {"offer": "topics"}), ("je peux vous demander quoi ?", {})):
        menu = CollectingDispatcher()
        ActionHelp().run(menu, tracker_for("help", text=text, slots=slots), domain)
        assert responses(menu) == ["utter_help"]


def test_a_visitor_who_says_the_answer_missed_gets_an_apology_the_topics_and_a_human(tracker_for, domain):
    """"c'est pas ce que je demande" after an answer: another answer would miss again; the human is offered
    (components/misunderstanding_check.py gives such messages the intent `help`)."""
    missed = CollectingDispatcher()
    tracker = tracker_for("help", text="je comprends rien à vos réponses, c'est pas ce que je demande", slots={"topic": "training"})
    ActionHelp().run(missed, tracker, domain)
    assert responses(missed) == ["utter_misunderstood"]
    titles = [b["title"] for b in domain["responses"]["utter_misunderstood"][0]["buttons"]]
    assert "Parler à un conseiller" in titles and "conseiller" in domain["responses"]["utter_misunderstood"][0]["text"]


def test_how_to_go_on_once_the_profile_is_known_gets_the_visitors_way_in(tracker_for, dispatcher, domain):
    """"alors je fais comment ?" after a verdict, unclear to the classifier whose first guess is the way in:
    the visitor's own verdict again (the bac it needs), not a menu; without a profile, the menu."""
    ranking = [("ask_how_to_become", 0.35), ("ask_adaptation_training", 0.2)]
    known = tracker_for("nlu_fallback", text="alors je fais comment ?", ranking=ranking,
                        slots={"profile": profile_slot(("brevet", "held")), "topic": "how_to_become"})
    ActionHandleMiss().run(dispatcher, known, domain)
    assert "niveau bac" in texts(dispatcher) and responses(dispatcher) == []
    unknown = CollectingDispatcher()
    ActionHandleMiss().run(unknown, tracker_for("nlu_fallback", text="alors je fais comment ?", ranking=ranking), domain)
    assert responses(unknown) == ["utter_likely_topics"]
