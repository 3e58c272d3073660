"""Answers the visitor's questions about the job from the knowledge base."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.resources import knowledge_base
from actions.visitor import NO_OFFER, OFFER_SLOT, latest_intent, visitor_profile
from orientation.answers import answer_topic, answer_verdict, visitor_variables
from orientation.eligibility import assess, verdict_for
from orientation.knowledge import UNKNOWN_ROUTE, KnowledgeBase, Topic
from orientation.profile import relative_of

TOPIC_SLOT = "topic"  # the last topic answered
ROUTE_SLOT = "eligibility_route"  # the route of the last verdict given


def answer(dispatcher: CollectingDispatcher, tracker: Tracker, kb: KnowledgeBase, topic: Topic,
           may_offer_check: bool) -> List[Dict[Text, Any]]:
    """Sends the topic's answer for this visitor; offers the eligibility check or the topic's follow-up where it would help."""
    profile = visitor_profile(tracker, kb)
    assessment = assess(profile, kb)
    route = assessment.route
    events = [SlotSet(TOPIC_SLOT, topic.id)]
    if topic.verdict_when_known and route != UNKNOWN_ROUTE:
        reply = answer_verdict(kb, verdict_for(assessment, kb), relative_of(profile, kb))
        events.append(SlotSet(ROUTE_SLOT, route))
    else:
        known = assessment.diploma if route != UNKNOWN_ROUTE else None
        reply = answer_topic(kb, topic, route, visitor_variables(kb, known))
    dispatcher.utter_message(text=reply.as_text())

    if may_offer_check and route == UNKNOWN_ROUTE and topic.depends_on_profile:
        dispatcher.utter_message(response="utter_offer_eligibility")
        return events + [SlotSet(OFFER_SLOT, "eligibility")]
    if may_offer_check and topic.offers:
        dispatcher.utter_message(response=f"utter_offer_{topic.offers}")
        return events + [SlotSet(OFFER_SLOT, topic.offers)]
    return events + [SlotSet(OFFER_SLOT, NO_OFFER)]


class ActionAnswerQuestion(Action):
    def name(self) -> Text:
        return "action_answer_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kb = knowledge_base()  # once per run: a reload between two reads would mix two versions
        topic = kb.topic_for_intent(latest_intent(tracker))
        if topic is None:
            dispatcher.utter_message(response="utter_help")
            return [SlotSet(OFFER_SLOT, NO_OFFER)]
        # No offer in the middle of the eligibility form: the visitor is already in the check.
        return answer(dispatcher, tracker, kb, topic, may_offer_check=not tracker.active_loop.get("name"))


class ActionAcceptOffer(Action):
    """ "Oui" to "Voulez-vous le détail de … ?": answers the offered topic."""

    def name(self) -> Text:
        return "action_accept_offer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kb = knowledge_base()
        topic = kb.topics.get(tracker.get_slot(OFFER_SLOT))
        if topic is None:
            dispatcher.utter_message(response="utter_anything_else")
            return [SlotSet(OFFER_SLOT, NO_OFFER)]
        return answer(dispatcher, tracker, kb, topic, may_offer_check=False)
