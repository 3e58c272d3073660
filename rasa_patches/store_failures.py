"""A conversation store that fails says so: no silent fall-back to memory (robustness).

Rasa 3.6 wraps every tracker store in `FailSafeTrackerStore`, which logs a failed save and keeps the
turn in memory (HTTP 200, then lost at the next restart) and answers a failed read with a new, empty
conversation; and a tracker store `type` that cannot be imported silently becomes an in-memory store.
Rasa has no setting for either. Here the project's conversation store (stores/conversation_store.py)
is left unwrapped, so that its ConversationStoreError reaches the channel, which tells the visitor;
and a `type: module.Class` that cannot be loaded stops the start. Every other store is Rasa's, wrapped
as Rasa wraps it.
"""

from typing import Optional

from rasa.core.agent import Agent
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.utils.common import class_from_module_path
from rasa.utils.endpoints import EndpointConfig

from stores.conversation_store import SQLConversationStore, StoreUnusable

_rasa_create_tracker_store = Agent._create_tracker_store


def create_tracker_store(store: Optional[TrackerStore], domain: Domain) -> TrackerStore:
    """`Agent._create_tracker_store` (Rasa 3.6.21), without FailSafeTrackerStore around a conversation store."""
    if isinstance(store, SQLConversationStore):
        store.domain = domain
        return store
    return _rasa_create_tracker_store(store, domain)


def load_custom_tracker_store(domain: Domain, store: EndpointConfig,
                              event_broker: Optional[EventBroker] = None) -> TrackerStore:
    """Rasa's loader of a `type: module.Class` tracker store, without its fall-back to memory."""
    try:
        store_class = class_from_module_path(store.type)
    except (AttributeError, ImportError) as error:
        raise StoreUnusable(f"tracker store type '{store.type}' cannot be loaded ({error}); the server does not "
                            "start rather than keep the conversations in memory only") from error
    return store_class(host=store.url, domain=domain, event_broker=event_broker, **store.kwargs)
