"""How an answer is sent: the key fact first, then its source line with "Plus de détails" / "Les sources",
and "Utile ?" 👍 / 👎 (stored in the conversation, shown to counsellors by the review: review/).

The buttons go on the answer's last message, the only one whose buttons the widget and `rasa shell`
let the visitor click: after an offer ("Voulez-vous … ?"), they join its "Oui" / "Non", without the
feedback buttons, which would crowd a question.
"""

from typing import Dict, List, Optional

from rasa_sdk.executor import CollectingDispatcher

from orientation.answers import Answer

DETAILS_BUTTON = {"title": "Plus de détails", "payload": "/ask_details"}
SOURCES_BUTTON = {"title": "Les sources", "payload": "/ask_sources"}
# The review reads them back (review/report.py): intent `feedback`, entity `useful`.
FEEDBACK_BUTTONS = [{"title": "👍 Utile", "payload": '/feedback{"useful": "yes"}'},
                    {"title": "👎 Pas utile", "payload": '/feedback{"useful": "no"}'}]


def more_buttons(reply: Answer) -> List[Dict[str, str]]:
    """What the visitor may ask for next: the details, if any are left, and the sources, if more exist."""
    buttons = [DETAILS_BUTTON] if reply.details() else []
    if reply.details() or len(reply.sources) > len(reply.named_sources()):
        buttons.append(SOURCES_BUTTON)
    return buttons


def send_answer(dispatcher: CollectingDispatcher, reply: Answer, offer: Optional[str] = None) -> None:
    """The key fact (and the facts on the question's other aspects), its source line, then the offer (a
    response name) if there is one."""
    dispatcher.utter_message(text=reply.key_text())
    for line in reply.also_asked():
        dispatcher.utter_message(text=line)
    buttons = more_buttons(reply)
    if offer:
        dispatcher.utter_message(text=reply.source_line())
        dispatcher.utter_message(response=offer, buttons=buttons)
    else:
        dispatcher.utter_message(text=reply.source_line(), buttons=buttons + FEEDBACK_BUTTONS)
