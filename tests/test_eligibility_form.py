"""The profile is read from each message and the eligibility form asks, one at a time, only what the
rules still need: the actions against trackers built from small fixtures."""

import asyncio

from rasa_sdk.events import SlotSet

from actions.eligibility import (
    AskDiploma,
    AskDiplomaConfirmation,
    AskMedicalSecretary,
    ReadVisitorProfile,
    ValidateEligibilityForm,
)
from conftest import profile_slot, responses

FORM = "eligibility_form"


def read(tracker, dispatcher, domain):
    """The `profile` slot after ReadVisitorProfile, or None when it did not change."""
    events = asyncio.run(ReadVisitorProfile().run(dispatcher, tracker, domain))
    return next((e["value"] for e in events if e["name"] == "profile"), None)


def next_question(tracker, dispatcher, domain):
    events = asyncio.run(ValidateEligibilityForm().run(dispatcher, tracker, domain))
    return [e["value"] for e in events if e["name"] == "requested_slot"][-1]


def test_a_profile_statement_is_read_with_its_status(tracker_for, dispatcher, domain):
    profile = read(tracker_for("inform", text="je suis étudiante infirmière en 2e année"), dispatcher, domain)
    assert profile["diplomas"] == [["de_infirmier", "in_progress"]]


def test_a_topic_question_in_the_third_person_does_not_become_the_visitors_profile(tracker_for, dispatcher, domain):
    assert read(tracker_for("ask_salary", text="combien gagne une aide-soignante qui devient assistante médicale ?"),
                dispatcher, domain) is None


def test_a_topic_question_in_the_first_person_tells_about_the_visitor(tracker_for, dispatcher, domain):
    profile = read(tracker_for("ask_salary", text="je suis aide-soignante, combien je gagnerais ?"), dispatcher, domain)
    assert profile["diplomas"] == [["de_aide_soignant", "held"]]


def test_the_verb_avoir_is_not_a_diploma(tracker_for, dispatcher, domain):
    assert read(tracker_for("ask_salary", text="tu as une idée du salaire ?"), dispatcher, domain) is None


def test_a_button_payload_gives_the_diploma(tracker_for, dispatcher, domain):
    tracker = tracker_for("inform", text='/inform{"diploma": "cap_bep"}', active_loop=FORM,
                          slots={"requested_slot": "diploma"}, entities=[{"entity": "diploma", "value": "cap_bep"}])
    assert read(tracker, dispatcher, domain)["diplomas"] == [["cap_bep", "held"]]


def test_no_to_the_confirmation_settles_it_and_the_diploma_is_then_asked(tracker_for, dispatcher, domain):
    slots = {"profile": profile_slot(("de_aide_soignant", "planned")), "requested_slot": "diploma_confirmation"}
    profile = read(tracker_for("deny", text="non", slots=slots, active_loop=FORM), dispatcher, domain)
    assert profile["diplomas"] == [["de_aide_soignant", "denied"]]
    assert next_question(tracker_for("deny", slots={"profile": profile}, active_loop=FORM), dispatcher, domain) == "diploma"


def test_a_question_in_the_middle_of_the_form_is_not_read_as_an_answer(tracker_for, dispatcher, domain):
    slots = {"profile": profile_slot(("de_aide_soignant", "planned")), "requested_slot": "diploma_confirmation"}
    assert read(tracker_for("ask_salary", text="et ça paie combien ?", slots=slots, active_loop=FORM), dispatcher, domain) is None


def test_a_no_then_another_question_at_the_diploma_question_changes_the_subject(tracker_for, dispatcher, domain):
    """"Quel est votre diplôme ?" "non attendez, je voudrais d'abord connaître le salaire": no answer, so no
    unreadable diploma and no level question; the salary is answered (data/rules/eligibility.yml)."""
    slots = {"requested_slot": "diploma"}
    tracker = tracker_for("ask_salary", text="non attendez, je voudrais d'abord connaître le salaire", slots=slots,
                          active_loop=FORM)
    assert read(tracker, dispatcher, domain) is None
    bare = tracker_for("deny", text="non j'en ai pas", slots=slots, active_loop=FORM)
    assert read(bare, dispatcher, domain)["diplomas"] == [["aucun", "held"]]


def test_an_unknown_diploma_gets_the_level_question_then_a_verdict(tracker_for, dispatcher, domain):
    slots = {"requested_slot": "diploma"}
    profile = read(tracker_for("inform", text="un diplôme de fleuriste", slots=slots, active_loop=FORM), dispatcher, domain)
    assert next_question(tracker_for("inform", slots={"profile": profile}, active_loop=FORM), dispatcher, domain) == "diploma_level"
    slots = {"profile": profile, "requested_slot": "diploma_level"}
    profile = read(tracker_for("inform", text="aucune idée", slots=slots, active_loop=FORM), dispatcher, domain)
    assert next_question(tracker_for("inform", slots={"profile": profile}, active_loop=FORM), dispatcher, domain) is None


def test_a_nurse_is_asked_nothing(tracker_for, dispatcher, domain):
    tracker = tracker_for("inform", slots={"profile": profile_slot(("de_infirmier", "held"))}, active_loop=FORM)
    assert next_question(tracker, dispatcher, domain) is None


def test_a_cap_holder_is_asked_about_medical_secretary_experience(tracker_for, dispatcher, domain):
    tracker = tracker_for("inform", slots={"profile": profile_slot(("cap_bep", "held"))}, active_loop=FORM)
    assert next_question(tracker, dispatcher, domain) == "medical_secretary"


def test_questions_speak_of_the_relative(tracker_for, dispatcher, domain):
    profile = profile_slot(("de_infirmier", "in_progress"), relative="fille")
    AskDiplomaConfirmation().run(dispatcher, tracker_for("inform", slots={"profile": profile}), domain)
    assert dispatcher.messages[-1]["response"] == "utter_ask_diploma_confirmation_of_relative"
    assert dispatcher.messages[-1]["person"] == "Votre fille" and dispatcher.messages[-1]["pronoun"] == "elle"
    assert dispatcher.messages[-1]["diploma"] == "le diplôme d'État d'infirmier"
    AskDiploma().run(dispatcher, tracker_for("inform", slots={"profile": profile_slot(relative="fils")}), domain)
    assert dispatcher.messages[-1]["response"] == "utter_ask_diploma_of_relative" and dispatcher.messages[-1]["person"] == "votre fils"
    AskMedicalSecretary().run(dispatcher, tracker_for("inform", slots={"profile": profile_slot(("cap_bep", "held"))}), domain)
    assert responses(dispatcher)[-1] == "utter_ask_medical_secretary"


def test_the_medical_secretary_question_says_why_it_is_asked(tracker_for, dispatcher, domain):
    AskMedicalSecretary().run(dispatcher, tracker_for("inform", slots={"profile": profile_slot(("cap_bep", "held"))}), domain)
    reason, question = dispatcher.messages
    assert "niveau 3" in reason["text"] and "CAP" in reason["text"] and "secrétaire médical" in reason["text"]
    assert question["response"] == "utter_ask_medical_secretary"


def test_a_foreign_diploma_is_asked_about_its_recognition(tracker_for, dispatcher, domain):
    profile = profile_slot(("de_infirmier", "foreign"))
    AskDiplomaConfirmation().run(dispatcher, tracker_for("inform", slots={"profile": profile}), domain)
    assert responses(dispatcher) == ["utter_ask_diploma_recognition"]


def test_the_form_needs_only_the_profile_slot(tracker_for, dispatcher, domain):
    events = asyncio.run(ValidateEligibilityForm().run(dispatcher, tracker_for("inform", active_loop=FORM,
                                                                                   candidates={"profile": profile_slot(("bac", "held"))}), domain))
    assert SlotSet("requested_slot", None) in events


def test_a_statement_is_flagged_so_that_the_check_starts_whatever_the_classifier_said(tracker_for, dispatcher, domain):
    events = asyncio.run(ReadVisitorProfile().run(dispatcher, tracker_for("nlu_fallback", text="infirmière diplômée depuis 2012"), domain))
    assert SlotSet("profile_statement", True) in events
    later = tracker_for("ask_salary", text="et le salaire ?", slots={"profile_statement": True})
    assert asyncio.run(ReadVisitorProfile().run(dispatcher, later, domain)) == [SlotSet("profile_statement", False)]


def test_the_job_named_after_another_jobs_answer_is_flagged_as_a_follow_up(tracker_for, dispatcher, domain):
    # "combien gagne une infirmière ?" got where to ask; "et assistant médical alors ?" asks the job's salary.
    follow_up = tracker_for("ask_eligibility", text="ok et assistant medical alors ?",
                            slots={"topic": "other_professions", "aspects": ["salaire"]})
    assert asyncio.run(ReadVisitorProfile().run(dispatcher, follow_up, domain)) == [SlotSet("follow_up", True)]


def test_a_follow_up_on_the_last_topic_is_flagged_so_that_it_is_answered_not_checked(tracker_for, dispatcher, domain):
    """"et la 2e année ?" after the doctor's aid, taken for an eligibility question (a year of study): the
    rules answer it (data/rules/eligibility.yml) instead of starting the check."""
    follow_up = tracker_for("ask_eligibility", text="et la 2e année ?", slots={"topic": "doctor_aid"})
    assert asyncio.run(ReadVisitorProfile().run(dispatcher, follow_up, domain)) == [SlotSet("follow_up", True)]
    later = tracker_for("ask_eligibility", text="et moi je peux ?", slots={"topic": "doctor_aid", "follow_up": True})
    assert asyncio.run(ReadVisitorProfile().run(dispatcher, later, domain)) == [SlotSet("follow_up", False)]
    # a profile told with it is a statement: the check goes on
    told = tracker_for("ask_eligibility", text="et avec un bac pro ?", slots={"topic": "training"})
    assert SlotSet("follow_up", True) not in asyncio.run(ReadVisitorProfile().run(dispatcher, told, domain))
