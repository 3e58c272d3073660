"""Misunderstandings, declined offers and hand-over to a human counsellor."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.resources import site_settings
from actions.visitor import NO_OFFER, OFFER_SLOT, consecutive_misses

# From the second miss in a row, the visitor gets choices and a human instead of another "pardon ?".
MISSES_BEFORE_CHOICES = 2


class ActionHandleMiss(Action):
    def name(self) -> Text:
        return "action_handle_miss"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if consecutive_misses(tracker) >= MISSES_BEFORE_CHOICES:
            dispatcher.utter_message(response="utter_second_miss")
        else:
            dispatcher.utter_message(response="utter_first_miss")
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
