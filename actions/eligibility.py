"""The visitor's profile, read from every message, and the eligibility form built on it.

`action_validate_slot_mappings` is Rasa's hook that runs after each message (custom slot mappings):
it reads the message into the `profile` slot (orientation.profile). The form then asks only what the
rules still need (orientation.eligibility.assess), one question at a time, and the verdict follows.
"""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker, ValidationAction
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.questions import ROUTE_SLOT, TOPIC_SLOT, answer, guessed_topics, returning_topic
from actions.replies import send_answer
from actions.resources import knowledge_base
from actions.visitor import NO_OFFER, OFFER_SLOT, PROFILE_SLOT, latest_intent, latest_text, visitor_profile
from orientation.answers import answer_verdict
from orientation.eligibility import assess, once_obtained, read_reply, verdict_for, why_asked
from orientation.focus import aspects_named, follow_up_topic, second_question_topic
from orientation.knowledge import KnowledgeBase, Relative
from orientation.profile import FOREIGN, Profile, answers_the_question, relative_of, speaks_of_self

FORM = "eligibility_form"
STATEMENT_SLOT = "profile_statement"  # the latest message told something about the profile
FOLLOW_UP_SLOT = "follow_up"  # the latest message asks an aspect of the last topic answered ("et la 2e année ?")
# Messages read as a statement about oneself or an answer to the form's question, whatever their words.
PROFILE_INTENTS = frozenset({"inform", "ask_eligibility", "affirm", "deny", "nlu_fallback", "out_of_scope"})
# "Quelle différence avec une secrétaire médicale ?": a job named in these is not the visitor's.
NOT_ABOUT_THE_VISITOR = frozenset({"ask_vs_secretary", "ask_career_evolution"})
# Routes that open the job: the verdict offers the training's details.
OPEN_ROUTES = frozenset({"direct", "cqp"})


def _pending_question(tracker: Tracker) -> Optional[str]:
    """The form's question the latest message answers, if the form is running."""
    return tracker.get_slot(REQUESTED_SLOT) if tracker.active_loop.get("name") == FORM else None


def _payload_entities(tracker: Tracker) -> Dict[str, str]:
    """Entities of a clicked button (`/inform{"diploma": "bac"}`): typed text has none."""
    return {e["entity"]: e["value"] for e in (tracker.latest_message or {}).get("entities") or ()
            if isinstance(e.get("value"), str)}


class ReadVisitorProfile(ValidationAction):
    """Reads each message into the profile (Rasa runs it after every message: see the module doc)."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        kb = knowledge_base()
        intent, text = latest_intent(tracker), latest_text(tracker)
        before = visitor_profile(tracker, kb)
        after = self._read(tracker, kb, intent, text, before)
        told = after != before
        # "et la 2e année ?" after the doctor's aid, "et assistant médical alors ?" after another job's
        # salary, taken for an eligibility question: a follow-up (data/rules/eligibility.yml answers it),
        # unless it tells the profile.
        follow_up = not told and (
            follow_up_topic(kb, text, tracker.get_slot(TOPIC_SLOT), kb.topic_for_intent(intent or "")) is not None
            or returning_topic(tracker, kb) is not None)
        events = [SlotSet(PROFILE_SLOT, after.to_slot())] if told else []
        for slot, value in ((STATEMENT_SLOT, told), (FOLLOW_UP_SLOT, follow_up)):
            if value or tracker.get_slot(slot):
                events.append(SlotSet(slot, value))
        return events

    @staticmethod
    def _read(tracker: Tracker, kb: KnowledgeBase, intent: Optional[str], text: str, before: Profile) -> Profile:
        pending = _pending_question(tracker)
        if intent not in PROFILE_INTENTS and not (pending and answers_the_question(text, pending, kb)):
            # A question on a topic ("combien gagne une aide-soignante ?") is not an answer; it tells
            # about the visitor only in the first person ("je suis aide-soignante, combien… ?").
            pending = None
            if intent in NOT_ABOUT_THE_VISITOR or not speaks_of_self(text, kb):
                return before
        return read_reply(before, text, kb, intent, pending, _payload_entities(tracker))


class ValidateEligibilityForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_eligibility_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Text]:
        return [PROFILE_SLOT]

    async def next_requested_slot(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Optional[Dict[Text, Any]]:
        # The next question the rules need (None ends the form and brings the verdict).
        kb = knowledge_base()
        return SlotSet(REQUESTED_SLOT, assess(visitor_profile(tracker, kb), kb).question)

    def validate_profile(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        # Already read and checked by ReadVisitorProfile; declared so that the SDK does not warn.
        return {PROFILE_SLOT: value}


def _ask(dispatcher: CollectingDispatcher, relative: Optional[Relative], response: Text, of_relative: Text,
         person_first: bool = False, **values: Any) -> None:
    """Sends `response`, or `of_relative` naming the relative ("Votre fille a-t-elle…", "… de votre
    fille") with its pronoun."""
    if relative is None:
        dispatcher.utter_message(response=response, **values)
    else:
        person = relative.name[0].upper() + relative.name[1:] if person_first else relative.name
        dispatcher.utter_message(response=of_relative, person=person, pronoun=relative.pronoun, **values)


def _tell_once_obtained(dispatcher: CollectingDispatcher, profile: Profile, relative: Optional[Relative],
                        kb: KnowledgeBase) -> None:
    """Before asking about a diploma the visitor is preparing (or has just said not to hold yet): what it
    will open once obtained, a condition and not a verdict. Written to the visitor ("vous"): not for a relative."""
    condition = once_obtained(profile, kb) if relative is None else None
    if condition:
        dispatcher.utter_message(text=condition[0])


class AskDiploma(Action):
    def name(self) -> Text:
        return "action_ask_diploma"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kb = knowledge_base()
        profile = visitor_profile(tracker, kb)
        relative = relative_of(profile, kb)
        _tell_once_obtained(dispatcher, profile, relative, kb)
        _ask(dispatcher, relative, "utter_ask_diploma", "utter_ask_diploma_of_relative")
        return []


class AskDiplomaConfirmation(Action):
    """One yes/no question on the diploma in doubt: obtained? (recognised in France, if foreign)"""

    def name(self) -> Text:
        return "action_ask_diploma_confirmation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kb = knowledge_base()
        profile = visitor_profile(tracker, kb)
        diploma = assess(profile, kb).diploma
        relative = relative_of(profile, kb)
        _tell_once_obtained(dispatcher, profile, relative, kb)
        if profile.status(diploma) == FOREIGN:
            _ask(dispatcher, relative, "utter_ask_diploma_recognition", "utter_ask_diploma_recognition_of_relative")
        else:
            _ask(dispatcher, relative, "utter_ask_diploma_confirmation", "utter_ask_diploma_confirmation_of_relative",
                 person_first=True, diploma=kb.diplomas[diploma].label)
        return []


class AskMedicalSecretary(Action):
    def name(self) -> Text:
        return "action_ask_medical_secretary"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kb = knowledge_base()
        profile = visitor_profile(tracker, kb)
        reason = why_asked(assess(profile, kb), kb)
        if reason:  # what the answer changes, before the question
            dispatcher.utter_message(text=reason[0])
        _ask(dispatcher, relative_of(profile, kb), "utter_ask_medical_secretary",
             "utter_ask_medical_secretary_of_relative", person_first=True)
        return []


class ActionGiveVerdict(Action):
    def name(self) -> Text:
        return "action_give_verdict"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kb = knowledge_base()
        profile = visitor_profile(tracker, kb)
        assessment = assess(profile, kb)
        if assessment.case is None:
            dispatcher.utter_message(response="utter_need_profile")
            return [SlotSet(OFFER_SLOT, "eligibility")]
        verdict = verdict_for(assessment, kb)
        reply = answer_verdict(kb, verdict, relative_of(profile, kb))
        topic = kb.verdict_topic()
        events = [SlotSet(ROUTE_SLOT, verdict.route), SlotSet(TOPIC_SLOT, topic.id if topic else None)]
        text = latest_text(tracker)
        second = second_question_topic(kb, text, topic, guessed_topics(tracker, kb)) if topic else None
        if second is not None:  # "je suis aide-soignante : je peux bosser direct et ça paye combien ?"
            send_answer(dispatcher, reply)
            return events + answer(dispatcher, tracker, kb, second, False, aspects_named(kb, text))
        if verdict.route in OPEN_ROUTES:
            send_answer(dispatcher, reply, "utter_offer_training")
            return events + [SlotSet(OFFER_SLOT, "training")]
        send_answer(dispatcher, reply)
        return events + [SlotSet(OFFER_SLOT, NO_OFFER)]
