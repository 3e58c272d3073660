"""Answers the visitor's questions about the job from the knowledge base."""

from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.replies import SOURCES_BUTTON, send_answer
from actions.resources import knowledge_base
from actions.visitor import NO_OFFER, OFFER_SLOT, latest_intent, latest_text, visitor_profile
from orientation.answers import Answer, answer_topic, answer_verdict, visitor_variables
from orientation.eligibility import assess, verdict_for
from orientation.focus import (SECOND_QUESTION_FLOOR, aspects_named, back_to_the_job, follow_up_topic, is_safety_topic,
                               job_topic_beside_health, mentions_the_job, second_question_topic, topic_asked, topics_guessed)
from orientation.knowledge import UNKNOWN_ROUTE, KnowledgeBase, Topic
from orientation.profile import relative_of

TOPIC_SLOT = "topic"  # the last topic answered
ASPECTS_SLOT = "aspects"  # what the last answer was focused on ("duree"): its details follow the same order
ROUTE_SLOT = "eligibility_route"  # the route of the last verdict given


def guessed_topics(tracker: Tracker, kb: KnowledgeBase, floor: float = SECOND_QUESTION_FLOOR) -> List[Topic]:
    """The topics of the classifier's ranking for the latest message, most likely first."""
    return topics_guessed(kb, (tracker.latest_message or {}).get("intent_ranking") or [], floor)


def reply_for(tracker: Tracker, kb: KnowledgeBase, topic: Topic, focus: Sequence[str] = ()) -> Tuple[Answer, str]:
    """The topic's answer for this visitor (their verdict, for a topic that gives it) and their route."""
    profile = visitor_profile(tracker, kb)
    assessment = assess(profile, kb)
    if topic.verdict_when_known and assessment.route != UNKNOWN_ROUTE:
        return answer_verdict(kb, verdict_for(assessment, kb), relative_of(profile, kb)), assessment.route
    known = assessment.diploma if assessment.route != UNKNOWN_ROUTE else None
    return answer_topic(kb, topic, assessment.route, visitor_variables(kb, known), focus), assessment.route


def answer(dispatcher: CollectingDispatcher, tracker: Tracker, kb: KnowledgeBase, topic: Topic,
           may_offer_check: bool, focus: Sequence[str] = ()) -> List[Dict[Text, Any]]:
    """Sends the topic's answer for this visitor (the topic their route is answered instead, if any: the
    FAE for "la formation" asked by a nurse), the facts on the question's aspects (`focus`) first; offers
    the eligibility check or the topic's follow-up where it would help."""
    instead = topic.instead_for(assess(visitor_profile(tracker, kb), kb).route)
    topic = kb.topics[instead] if instead else topic
    reply, route = reply_for(tracker, kb, topic, focus)
    events = [SlotSet(TOPIC_SLOT, topic.id), SlotSet(ASPECTS_SLOT, list(focus))]
    if topic.verdict_when_known and route != UNKNOWN_ROUTE:
        events.append(SlotSet(ROUTE_SLOT, route))
    offer, response = NO_OFFER, None
    if may_offer_check and route == UNKNOWN_ROUTE and topic.depends_on_profile:
        offer, response = "eligibility", "utter_offer_eligibility"
    elif may_offer_check and topic.offers:
        offer, response = topic.offers, f"utter_offer_{topic.offers}"  # scripts/validate_data.py knows these
    send_answer(dispatcher, reply, response)
    return events + [SlotSet(OFFER_SLOT, offer)]


def answer_message(dispatcher: CollectingDispatcher, tracker: Tracker, kb: KnowledgeBase, topic: Topic,
                   may_offer_check: bool) -> List[Dict[Text, Any]]:
    """Answers the latest message on `topic`, and a second question it asks on another topic, if any."""
    text = latest_text(tracker)
    focus = aspects_named(kb, text, typos=True)
    guesses = guessed_topics(tracker, kb)
    second = job_topic_beside_health(kb, text, topic, guesses) or second_question_topic(kb, text, topic, guesses)
    if second is None:
        return answer(dispatcher, tracker, kb, topic, may_offer_check, focus)
    # The offer, if any, comes after both answers; the last answer's details are the ones on request.
    return (answer(dispatcher, tracker, kb, topic, False, focus)
            + answer(dispatcher, tracker, kb, second, may_offer_check, focus))


def safety_answer_again(dispatcher: CollectingDispatcher, tracker: Tracker,
                        kb: KnowledgeBase) -> Optional[List[Dict[Text, Any]]]:
    """After the 3114 or "see a doctor", a message that is no job question ("jsais même pas à qui en
    parler", whatever job topic the classifier heard in it, or an unclear one) gets that answer again; a new
    distress or health message gets its own answer (the 3114 after "see a doctor"), and one the classifier
    took for outside the job ("vous êtes pas pharmacien ?") the answer that says what the assistant is for."""
    last = kb.topics.get(tracker.get_slot(TOPIC_SLOT) or "")
    current = kb.topic_for_intent(latest_intent(tracker) or "")
    if last is None or not is_safety_topic(last) or mentions_the_job(kb, latest_text(tracker)):
        return None
    if current is not None and (is_safety_topic(current) or current.label is None):
        return None
    return answer(dispatcher, tracker, kb, last, may_offer_check=False)


def context_topic(tracker: Tracker, kb: KnowledgeBase, classified: Optional[Topic]) -> Optional[Topic]:
    """The last topic answered, for a follow-up that asks one of its aspects ("et en alternance ?")."""
    return follow_up_topic(kb, latest_text(tracker), tracker.get_slot(TOPIC_SLOT), classified)


def returning_topic(tracker: Tracker, kb: KnowledgeBase) -> Optional[Topic]:
    """"et assistant médical alors ?" after another job's salary: the job's salary."""
    return back_to_the_job(kb, latest_text(tracker), tracker.get_slot(TOPIC_SLOT), tracker.get_slot(ASPECTS_SLOT) or ())


def asked_topic(tracker: Tracker, kb: KnowledgeBase) -> Optional[Topic]:
    """The topic of the latest question: the classifier's, read with the conversation and the aspect asked."""
    returning = returning_topic(tracker, kb)
    if returning is not None:
        return returning
    classified = kb.topic_for_intent(latest_intent(tracker) or "")
    return topic_asked(kb, latest_text(tracker), tracker.get_slot(TOPIC_SLOT), classified)


class ActionAnswerQuestion(Action):
    def name(self) -> Text:
        return "action_answer_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kb = knowledge_base()  # once per run: a reload between two reads would mix two versions
        again = safety_answer_again(dispatcher, tracker, kb)
        if again is not None:
            return again
        topic = asked_topic(tracker, kb)
        if topic is None:
            dispatcher.utter_message(response="utter_help")
            return [SlotSet(OFFER_SLOT, NO_OFFER)]
        # No offer in the middle of the eligibility form: the visitor is already in the check.
        return answer_message(dispatcher, tracker, kb, topic, may_offer_check=not tracker.active_loop.get("name"))


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
    if topic is None and tracker.active_loop.get("name"):
        topic = kb.verdict_topic()  # asked during the eligibility check: the rules it applies
    return reply_for(tracker, kb, topic, tracker.get_slot(ASPECTS_SLOT) or ())[0] if topic is not None else None


def give_details(dispatcher: CollectingDispatcher, tracker: Tracker, kb: KnowledgeBase) -> None:
    """The rest of the last answer, recomputed for the visitor as it stands now."""
    reply = _last_answer(tracker, kb)
    if reply is None:
        dispatcher.utter_message(response="utter_which_topic")
    elif reply.details():
        *first, last = reply.details()  # one message a fact: each fits on a phone screen
        for line in first:
            dispatcher.utter_message(text=line)
        dispatcher.utter_message(text=last, buttons=[SOURCES_BUTTON])
    else:
        dispatcher.utter_message(response="utter_no_more_details", buttons=[SOURCES_BUTTON])


def give_sources(dispatcher: CollectingDispatcher, tracker: Tracker, kb: KnowledgeBase) -> None:
    """Every source of the last answer, with its date and deep link."""
    reply = _last_answer(tracker, kb)
    if reply is None:
        dispatcher.utter_message(response="utter_which_topic")
    else:
        dispatcher.utter_message(text=reply.sources_text())


class ActionGiveDetails(Action):
    """ "Plus de détails"."""

    def name(self) -> Text:
        return "action_give_details"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        give_details(dispatcher, tracker, knowledge_base())
        return []


class ActionGiveSources(Action):
    """ "Les sources"."""

    def name(self) -> Text:
        return "action_give_sources"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        give_sources(dispatcher, tracker, knowledge_base())
        return []
