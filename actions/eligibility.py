"""The eligibility form (asks only what the rules still need) and its verdict."""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.resources import knowledge_base
from actions.visitor import OFFER_SLOT, latest_intent, latest_text, visitor_profile
from orientation.answers import answer_verdict
from orientation.eligibility import IncompleteProfile, check_eligibility, missing_information, relevant_questions
from orientation.profile import match_diploma, match_job, parse_years


class ValidateEligibilityForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_eligibility_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Text]:
        kb = knowledge_base()
        return relevant_questions(visitor_profile(tracker, kb), kb)

    async def next_requested_slot(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Optional[Dict[Text, Any]]:
        # Always say which question comes next (None ends the form), rather than let Rasa fall back on
        # the domain's full list whenever the relevant questions happen to be all three.
        kb = knowledge_base()
        missing = missing_information(visitor_profile(tracker, kb), kb)
        return SlotSet(REQUESTED_SLOT, missing[0] if missing else None)

    def validate_diploma(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        diploma = match_diploma(value, knowledge_base(), latest_text(tracker)) if isinstance(value, str) else None
        if diploma is None:
            dispatcher.utter_message(response="utter_invalid_diploma")
        return {"diploma": diploma}

    def validate_job(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        job: Optional[str] = match_job(value, knowledge_base(), latest_text(tracker)) if isinstance(value, str) else None
        if job is None:
            if latest_intent(tracker) == "affirm":
                # "oui" to "secrétaire médicale ou assistante dentaire ?" does not say which.
                dispatcher.utter_message(response="utter_which_job")
                return {"job": None}
            job = "autre"  # any job other than the two that open or shorten the CQP
        return {"job": job}

    def validate_experience_years(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        years = parse_years(value)
        if years is None:
            dispatcher.utter_message(response="utter_invalid_experience_years")
        return {"experience_years": years}


class ActionGiveVerdict(Action):
    def name(self) -> Text:
        return "action_give_verdict"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kb = knowledge_base()
        try:
            verdict = check_eligibility(visitor_profile(tracker, kb), kb)
        except IncompleteProfile:
            dispatcher.utter_message(response="utter_need_profile")
            return [SlotSet(OFFER_SLOT, "eligibility")]
        dispatcher.utter_message(text=answer_verdict(kb, verdict).as_text())
        dispatcher.utter_message(response="utter_offer_training")
        return [SlotSet(OFFER_SLOT, "training")]
