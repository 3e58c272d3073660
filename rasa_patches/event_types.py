"""Finds an event's class by its type name in a dictionary (speed).

Rasa 3.6 reads every stored or received event through `Event.resolve_by_type`, which walks the
whole tree of `Event` subclasses (calling `inspect.isabstract` on each) until a name matches:
about 0.2 ms an event, so 6 ms to read back a 30-event conversation, on every turn (docs/measures.md,
"Speed"). Here each name is resolved by Rasa once, then remembered. Unknown names still go to
Rasa, so they raise or fall back to the default exactly as before.
"""

from typing import Dict, Optional, Type

from rasa.shared.core.events import Event

_rasa_resolve_by_type = Event.resolve_by_type
_resolved: Dict[str, Type[Event]] = {}


def resolve_by_type(type_name: str, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    event_class = _resolved.get(type_name)
    if event_class is None:
        event_class = _rasa_resolve_by_type(type_name, default)
        if event_class is not None and event_class is not default:
            _resolved[type_name] = event_class
    return event_class

