"""Answers the visitor's questions about the job from the knowledge base."""

from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.replies import SOURCES_BUTTON, send_answer
from actions.resources import knowledge_base
from actions.visitor import NO_OFFER, OFFER_SLOT, latest_intent, visitor_profile
from orientation.answers import Answer, answer_topic, answer_verdict, visitor_variables
from orientation.eligibility import assess, verdict_for
from orientation.knowledge import UNKNOWN_ROUTE, KnowledgeBase, Topic
from orientation.profile import relative_of

TOPIC_SLOT = "topic"  # the last topic answered
ROUTE_SLOT = "eligibility_route"  # the route of the last verdict given


def reply_for(tracker: Tracker, kb: KnowledgeBase, topic: Topic) -> Tuple[Answer, str]:
    """The topic's answer for this visitor (their verdict, for a topic that gives it) and their route."""
    profile = visitor_profile(tracker, kb)
    assessment = assess(profile, kb)
    if topic.verdict_when_known and assessment.route != UNKNOWN_ROUTE:
        return answer_verdict(kb, verdict_for(assessment, kb), relative_of(profile, kb)), assessment.route
    known = assessment.diploma if assessment.route != UNKNOWN_ROUTE else None
    return answer_topic(kb, topic, assessment.route, visitor_variables(kb, known)), assessment.route


def answer(dispatcher: CollectingDispatcher, tracker: Tracker, kb: KnowledgeBase, topic: Topic,
           may_offer_check: bool) -> List[Dict[Text, Any]]:
    """Sends the topic's answer for this visitor; offers the eligibility check or the topic's follow-up where it would help."""
    reply, route = reply_for(tracker, kb, topic)
    events = [SlotSet(TOPIC_SLOT, topic.id)]
    if topic.verdict_when_known and route != UNKNOWN_ROUTE:
        events.append(SlotSet(ROUTE_SLOT, route))
    offer, response = NO_OFFER, None
    if may_offer_check and route == UNKNOWN_ROUTE and topic.depends_on_profile:
        offer, response = "eligibility", "utter_offer_eligibility"
    elif may_offer_check and topic.offers:
        offer, response = topic.offers, f"utter_offer_{topic.offers}"  # scripts/validate_data.py knows these
    send_answer(dispatcher, reply, response)
    return events + [SlotSet(OFFER_SLOT, offer)]


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


def _last_answer(tracker: Tracker, kb: KnowledgeBase) -> Optional[Answer]:
    topic = kb.topics.get(tracker.get_slot(TOPIC_SLOT) or "")
    return reply_for(tracker, kb, topic)[0] if topic is not None else None


class ActionGiveDetails(Action):
    """ "Plus de détails": the rest of the last answer, recomputed for the visitor as it stands now."""

    def name(self) -> Text:
        return "action_give_details"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        reply = _last_answer(tracker, knowledge_base())
        if reply is None:
            dispatcher.utter_message(response="utter_which_topic")
        elif reply.details():
            dispatcher.utter_message(text="\n".join(reply.details()), buttons=[SOURCES_BUTTON])
        else:
            dispatcher.utter_message(response="utter_no_more_details", buttons=[SOURCES_BUTTON])
        return []


class ActionGiveSources(Action):
    """ "Les sources": every source of the last answer, with its date and deep link."""

    def name(self) -> Text:
        return "action_give_sources"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        reply = _last_answer(tracker, knowledge_base())
        if reply is None:
            dispatcher.utter_message(response="utter_which_topic")
        else:
            dispatcher.utter_message(text=reply.sources_text())
        return []
