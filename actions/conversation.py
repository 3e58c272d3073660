"""Misunderstandings, declined offers and hand-over to a human counsellor."""

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.questions import (TOPIC_SLOT, answer_message, context_topic, give_details, give_sources, guessed_topics,
                               safety_answer_again)
from actions.resources import knowledge_base, site_settings
from actions.visitor import NO_OFFER, OFFER_SLOT, consecutive_misses, latest_intent, latest_text, profile_known
from orientation.focus import (aspects_named, covers, home_topic, is_follow_up, is_short_question, names_the_profession,
                               refers_back, request_named, says_misunderstood)
from orientation.knowledge import KnowledgeBase, Topic

# From the second miss in a row, the visitor gets the topics and a human instead of another "pardon ?".
MISSES_BEFORE_HUMAN = 2
MAX_GUESSES = 3
# A guess worth offering: the classifier's confidence in it, for an unclear message (below the fallback
# threshold) and for one taken for off-topic (only when the classifier itself was confident: the
# relevance check overruled it; "une recette de gâteau" gets no job topic as a guess).
GUESS_FLOOR = {"nlu_fallback": 0.15, "out_of_scope": 0.5}
ELIGIBILITY_GUESS = {"title": "Suis-je éligible ?", "payload": "/ask_eligibility"}
HUMAN_GUESS = {"title": "Parler à un conseiller", "payload": "/ask_human"}  # "quelqu'un d'humain ?", unsure
SOMETHING_ELSE = {"title": "Autre chose", "payload": "/help"}
TOPICS_OFFER = "topics"  # the offer slot's value while the likely topics are on screen


def likely_topics(ranking: List[Dict[Text, Any]], floor: float, kb: KnowledgeBase) -> List[Dict[Text, str]]:
    """Buttons for the classifier's best guesses among the job's topics, most likely first."""
    buttons: List[Dict[Text, str]] = []
    for guess in ranking:
        intent, confidence = guess.get("name"), guess.get("confidence") or 0.0
        topic = kb.topic_for_intent(intent or "")
        if confidence < floor or len(buttons) == MAX_GUESSES:
            break
        if intent in ("ask_eligibility", "inform"):
            button = ELIGIBILITY_GUESS
        elif intent == "ask_human":
            button = HUMAN_GUESS
        elif topic is not None and topic.label:
            button = {"title": topic.label, "payload": f"/{intent}"}
        else:
            continue
        if button not in buttons:
            buttons.append(button)
    return buttons


def _understood_from_context(tracker: Tracker, kb: KnowledgeBase) -> Optional[Topic]:
    """A message the classifier was unsure of that the conversation explains: a follow-up on the last
    topic ("et en alternance ?"), an aspect ("combien de temps dure la formation ?") that one of its
    likely topics answers or, in a short question, the aspect's own topic; once the visitor's profile is
    known, a short question whose likeliest topic is the way in ("alors je fais comment ?"): their verdict.
    A message taken for off-topic
    is read so only when it continues the conversation ("et…", "ça…", "dure-t-elle ?") or names the job
    and what it asks of it ("combien y a-t-il d'assistants médicaux en France ?")."""
    text = latest_text(tracker)
    aspects = aspects_named(kb, text)
    if (latest_intent(tracker) == "out_of_scope" and not refers_back(text)
            and not (aspects and names_the_profession(kb, text))):
        return None
    topic = context_topic(tracker, kb, None)
    if topic is not None:
        return topic
    guesses = guessed_topics(tracker, kb, GUESS_FLOOR["nlu_fallback"])
    if guesses and guesses[0] == kb.verdict_topic() and is_follow_up(text) and profile_known(tracker, kb):
        return guesses[0]  # "alors je fais comment ?" once the profile is known: the visitor's way in
    answering = [t for t in guesses if aspects and covers(t, aspects)]
    home = home_topic(kb, aspects)
    if answering:  # the likely topics that answer what is asked: the aspect's own topic first
        return home if home in answering else answering[0]
    # "cb de tps ?" with nothing before: the topic the knowledge base names for that aspect (the training).
    return home if is_short_question(text) else None


class ActionHandleMiss(Action):
    """Rasa's two-stage fallback, with the classifier's best guesses: a first miss offers the likely
    topics as buttons (or asks to rephrase when there is no likely topic), a second one a human."""

    def name(self) -> Text:
        return "action_handle_miss"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        # "Non" to the likely topics is a second miss too (data/rules/conversation.yml); the offer slot
        # stays as the rule's condition left it, so that the rule still applies once the action has run.
        if latest_intent(tracker) == "deny":
            dispatcher.utter_message(response="utter_second_miss")
            return []
        kb = knowledge_base()
        request = request_named(kb, latest_text(tracker)) if tracker.get_slot(TOPIC_SLOT) else None
        if request is not None:  # typed "vous avez un lien ?" after an answer: its sources
            (give_sources if request == "sources" else give_details)(dispatcher, tracker, kb)
            return [SlotSet(OFFER_SLOT, NO_OFFER)]
        topic = _understood_from_context(tracker, kb)
        if topic is not None:
            return answer_message(dispatcher, tracker, kb, topic, may_offer_check=False)
        if consecutive_misses(tracker) >= MISSES_BEFORE_HUMAN:
            dispatcher.utter_message(response="utter_second_miss")
            return [SlotSet(OFFER_SLOT, NO_OFFER)]
        floor = GUESS_FLOOR.get(latest_intent(tracker) or "", 1.0)
        ranking = [g for g in (tracker.latest_message or {}).get("intent_ranking") or [] if g.get("name") not in GUESS_FLOOR]
        guesses = likely_topics(ranking, floor, kb)
        if guesses:
            dispatcher.utter_message(response="utter_likely_topics", buttons=guesses + [SOMETHING_ELSE])
            return [SlotSet(OFFER_SLOT, TOPICS_OFFER)]
        again = safety_answer_again(dispatcher, tracker, kb)
        if again is not None:
            return again
        dispatcher.utter_message(response="utter_first_miss")  # with the main topics as buttons
        return [SlotSet(OFFER_SLOT, TOPICS_OFFER)]


class ActionHelp(Action):
    """What the assistant can answer; right after a safety answer, that answer again; typed right after a
    miss ("je comprends rien à vos trucs"), a second miss: the topics and a human; after an answer that
    missed ("c'est pas ce que je demande", components/misunderstanding_check.py), an apology, the topics and
    a human."""

    def name(self) -> Text:
        return "action_help"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        again = safety_answer_again(dispatcher, tracker, knowledge_base())
        if again is not None:
            return again
        if tracker.get_slot(OFFER_SLOT) == TOPICS_OFFER and not latest_text(tracker).startswith("/"):
            dispatcher.utter_message(response="utter_second_miss")  # not the "Autre chose" button (/help)
            return [SlotSet(OFFER_SLOT, NO_OFFER)]
        if says_misunderstood(knowledge_base(), latest_text(tracker)):  # the last answer missed: a human too
            dispatcher.utter_message(response="utter_misunderstood")
            return [SlotSet(OFFER_SLOT, NO_OFFER)]
        dispatcher.utter_message(response="utter_help")
        return []


class ActionFeedback(Action):
    """The visitor's 👍 / 👎 on an answer (kept in the conversation for the counsellors' review): thanks,
    or after a 👎, the choice to rephrase or to talk to a human counsellor."""

    def name(self) -> Text:
        return "action_feedback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        useful = next((e.get("value") for e in (tracker.latest_message or {}).get("entities") or []
                       if e.get("entity") == "useful"), None)
        response = {"yes": "utter_feedback_thanks", "no": "utter_feedback_sorry"}.get(str(useful), "utter_rephrase")
        dispatcher.utter_message(response=response)
        return [SlotSet(OFFER_SLOT, NO_OFFER)]


class ActionContactHuman(Action):
    def name(self) -> Text:
        return "action_contact_human"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        contact = site_settings().human_contact
        dispatcher.utter_message(response="utter_human_contact", name=contact.name, details=contact.details)
        return [SlotSet(OFFER_SLOT, NO_OFFER)]


class ActionDeclineOffer(Action):
    def name(self) -> Text:
        return "action_decline_offer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(response="utter_anything_else")
        return [SlotSet(OFFER_SLOT, NO_OFFER)]
