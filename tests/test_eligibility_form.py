"""The eligibility form asks only what it lacks and re-asks clearly when an answer is unusable."""

import asyncio

from actions.eligibility import ValidateEligibilityForm
from conftest import responses


def run_form(tracker, dispatcher, domain):
    return asyncio.run(ValidateEligibilityForm().run(dispatcher, tracker, domain))


def slot_events(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_a_nurse_is_asked_nothing_more(tracker_for, dispatcher, domain):
    tracker = tracker_for("ask_eligibility", text="je suis infirmière, je peux devenir assistante médicale ?", candidates={"diploma": "infirmière"})
    events = slot_events(run_form(tracker, dispatcher, domain))
    assert events == {"diploma": "de_infirmier", "requested_slot": None}  # form ends at once
    assert responses(dispatcher) == []


def test_bac_holder_is_then_asked_about_her_job(tracker_for, dispatcher, domain):
    tracker = tracker_for("inform", text="bac pro", candidates={"diploma": "bac pro"}, active_loop="eligibility_form")
    assert slot_events(run_form(tracker, dispatcher, domain)) == {"diploma": "bac", "requested_slot": "job"}


def test_no_bac_is_understood_although_the_extracted_entity_is_bac(tracker_for, dispatcher, domain):
    tracker = tracker_for("inform", text="je n'ai pas le bac", candidates={"diploma": "bac"}, active_loop="eligibility_form")
    assert slot_events(run_form(tracker, dispatcher, domain)) == {"diploma": "aucun", "requested_slot": "job"}


def test_secretary_without_bac_is_asked_her_years(tracker_for, dispatcher, domain):
    tracker = tracker_for("inform", candidates={"job": "secretaire_medicale"}, slots={"diploma": "aucun"}, active_loop="eligibility_form")
    assert slot_events(run_form(tracker, dispatcher, domain)) == {"job": "secretaire_medicale", "requested_slot": "experience_years"}


def test_years_that_are_not_a_number_get_a_clear_re_ask(tracker_for, dispatcher, domain):
    tracker = tracker_for("nlu_fallback", text="bof", slots={"diploma": "aucun", "job": "secretaire_medicale"},
                          candidates={"experience_years": "bof"}, active_loop="eligibility_form")
    events = slot_events(run_form(tracker, dispatcher, domain))
    assert events == {"experience_years": None, "requested_slot": "experience_years"}
    assert responses(dispatcher) == ["utter_invalid_experience_years"]


def test_years_in_words_are_understood_and_close_the_form(tracker_for, dispatcher, domain):
    tracker = tracker_for("inform", slots={"diploma": "aucun", "job": "secretaire_medicale"},
                          candidates={"experience_years": "trois ans"}, active_loop="eligibility_form")
    assert slot_events(run_form(tracker, dispatcher, domain)) == {"experience_years": 3.0, "requested_slot": None}


def test_unknown_diploma_is_re_asked(tracker_for, dispatcher, domain):
    tracker = tracker_for("inform", candidates={"diploma": "un diplôme de coiffure"}, active_loop="eligibility_form")
    assert slot_events(run_form(tracker, dispatcher, domain)) == {"diploma": None, "requested_slot": "diploma"}
    assert responses(dispatcher) == ["utter_invalid_diploma"]


def test_any_other_job_counts_as_other_but_a_bare_yes_is_re_asked(tracker_for, domain):
    from rasa_sdk.executor import CollectingDispatcher

    other = run_form(tracker_for("inform", candidates={"job": "vendeuse"}, slots={"diploma": "bac"}, active_loop="eligibility_form"),
                     CollectingDispatcher(), domain)
    assert slot_events(other) == {"job": "autre", "requested_slot": None}

    dispatcher = CollectingDispatcher()
    yes = run_form(tracker_for("affirm", candidates={"job": "oui"}, slots={"diploma": "bac"}, active_loop="eligibility_form"), dispatcher, domain)
    assert slot_events(yes) == {"job": None, "requested_slot": "job"}
    assert responses(dispatcher) == ["utter_which_job"]


def test_changing_diploma_mid_form_drops_questions_that_no_longer_matter(tracker_for, dispatcher, domain):
    # Asked for her years as a secretary, she says she is in fact an aide-soignante.
    tracker = tracker_for("inform", slots={"diploma": "aucun", "job": "secretaire_medicale"},
                          candidates={"diploma": "aide-soignante"}, active_loop="eligibility_form")
    assert slot_events(run_form(tracker, dispatcher, domain)) == {"diploma": "de_aide_soignant", "requested_slot": None}
