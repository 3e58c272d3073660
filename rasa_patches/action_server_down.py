"""When the action server cannot be reached, the visitor gets a short apology instead of silence.

Rasa 3.6 logs the failure and carries on without the action's events, so the visitor's message
gets no reply at all and they cannot tell whether to wait or retry. Here the Rasa server sends
the domain's `utter_technical_problem` (once per incoming message, even if several actions fail),
then lets Rasa carry on exactly as before: what is already stored is untouched, and once the
action server is back the next message is answered normally (the form in progress included).
"""

import weakref
from typing import Any, List

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.exceptions import RasaException

APOLOGY = "utter_technical_problem"
_rasa_run = RemoteAction.run
# Output channels are created for each incoming message: one apology per message.
_apologised: "weakref.WeakSet[Any]" = weakref.WeakSet()


async def run_or_apologise(self: RemoteAction, output_channel, nlg, tracker, domain) -> List[Any]:
    try:
        return await _rasa_run(self, output_channel, nlg, tracker, domain)
    except ActionExecutionRejection:
        raise  # a form declining a value: normal dialogue, not a fault
    except RasaException:
        if output_channel not in _apologised:
            _apologised.add(output_channel)
            apology = await nlg.generate(APOLOGY, tracker, output_channel.name())
            if apology:
                await output_channel.send_response(tracker.sender_id, apology)
        raise

