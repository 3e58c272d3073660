"""Per-conversation locks: one message of a visitor at a time, the next one started as soon as it may.

Rasa handles a visitor's messages one at a time, under a lock per conversation. Rasa 3.6's lock
stores make a waiting message poll for the lock every second, so 20 messages of one visitor sent
at once took 19.5 s where their handling took 0.5 s. Here a waiting message is woken the moment
the message before it releases the lock, and a conversation's messages are handled in the order
they reached the lock.

One server (endpoints.yml):

    lock_store:
      type: stores.conversation_lock.LocalConversationLockStore

Several replicas (deploy/endpoints.production.yml): Rasa's RedisLockStore issues "tickets" by
reading the lock from Redis, adding a ticket and writing it back, with nothing atomic in between:
when two replicas receive messages of the same visitor at the same moment, both get the first
ticket, both handle their message, and one's events overwrite the other's (RasaHQ/rasa#9213; the
atomic version, #11256, was reverted in #11428). tests/test_scale_out.py lost a message that way.
Here the lock is a single Redis key set with SET NX (atomic: one replica wins, the other waits) and
deleted only by its holder; messages waiting in the same replica queue locally as above, and only
the first of them asks Redis, in short steps, while another replica holds the conversation.

    lock_store:
      type: stores.conversation_lock.RedisConversationLockStore
      url: ${REDIS_HOST}
      port: ${REDIS_PORT}

A holder that keeps a conversation longer than the lock's lifetime (Rasa's TICKET_LOCK_LIFETIME,
60 s) is presumed stuck: the next message goes ahead, as with Rasa's locks.
"""

import asyncio
import collections
import logging
import time
import uuid
import weakref
from contextlib import asynccontextmanager
from typing import AsyncGenerator, Deque, Dict, Optional, Text, Tuple

from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore, RedisLockStore
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

import settings

logger = logging.getLogger(__name__)

# While another replica holds a conversation, the first waiting message of this replica asks Redis
# again after 2 ms, then 1.5 times longer each time, up to 20 ms.
FIRST_POLL_SECONDS = 0.002
POLL_SECONDS = 0.02
# Deletes the key only if this holder still owns it (an expired lock may belong to someone else now).
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


class _Conversation:
    __slots__ = ("holder", "timer", "waiters")

    def __init__(self) -> None:
        self.holder: Optional[object] = None
        self.timer: Optional[asyncio.TimerHandle] = None
        self.waiters: Deque[Tuple["asyncio.Future[None]", object, float]] = collections.deque()


class LocalLocks:
    """First come, first served locks per conversation, for the tasks of one event loop.

    A waiter sleeps on a future that the releasing holder resolves: no polling.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.conversations: Dict[Text, _Conversation] = {}

    async def acquire(self, conversation_id: Text, lifetime: float) -> object:
        """Waits for the conversation's turn; returns the token to release it with."""
        token = object()
        conversation = self.conversations.get(conversation_id)
        if conversation is None:
            conversation = self.conversations[conversation_id] = _Conversation()
            self._hold(conversation_id, conversation, token, lifetime)
            return token
        waiter: "asyncio.Future[None]" = self.loop.create_future()
        conversation.waiters.append((waiter, token, lifetime))
        try:
            await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self.release(conversation_id, token)  # handed the lock just as this task was cancelled
            raise  # a cancelled waiter is skipped when the lock is passed on
        return token

    def release(self, conversation_id: Text, token: object) -> None:
        conversation = self.conversations.get(conversation_id)
        if conversation is not None and conversation.holder is token:  # else: expired, already passed on
            self._pass_on(conversation_id, conversation)

    def is_someone_waiting(self, conversation_id: Text) -> bool:
        conversation = self.conversations.get(conversation_id)
        return conversation is not None and any(not waiter.done() for waiter, _, _ in conversation.waiters)

    def _hold(self, conversation_id: Text, conversation: _Conversation, token: object, lifetime: float) -> None:
        conversation.holder = token
        conversation.timer = self.loop.call_later(lifetime, self._expire, conversation_id, token, lifetime)

    def _pass_on(self, conversation_id: Text, conversation: _Conversation) -> None:
        if conversation.timer is not None:
            conversation.timer.cancel()
        while conversation.waiters:
            waiter, token, lifetime = conversation.waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                self._hold(conversation_id, conversation, token, lifetime)
                return
        del self.conversations[conversation_id]

    def _expire(self, conversation_id: Text, token: object, lifetime: float) -> None:
        conversation = self.conversations.get(conversation_id)
        if conversation is not None and conversation.holder is token:
            logger.warning(f"A message kept its conversation locked for more than {lifetime:g} s: "
                           "the conversation's next message goes ahead.")
            self._pass_on(conversation_id, conversation)


class LocalConversationLockStore(LockStore):
    """The lock store of a single Rasa server process (one event loop)."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None) -> None:
        workers = settings.SANIC_WORKERS.value()
        if workers != "1":
            # Rasa takes any configured lock store for a shared one and would start several workers.
            raise RasaException(f"{type(self).__name__} locks conversations within one process, and "
                                f"SANIC_WORKERS={workers}: use RedisConversationLockStore (docs/operations.md, \"Deploying\").")
        self._locks: Optional[LocalLocks] = None
        super().__init__()

    def _locks_of_this_loop(self) -> LocalLocks:
        loop = asyncio.get_running_loop()
        if self._locks is None or self._locks.loop is not loop:
            if self._locks is not None and self._locks.conversations:
                raise RuntimeError(f"{type(self).__name__} used from two event loops at once")
            self._locks = LocalLocks(loop)
        return self._locks

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncGenerator[None, None]:
        """Rasa's LockStore.lock; `wait_time_in_seconds` is not used (nobody polls)."""
        locks = self._locks_of_this_loop()
        token = await locks.acquire(conversation_id, lock_lifetime)
        try:
            yield
        finally:
            locks.release(conversation_id, token)

    def is_someone_waiting(self, conversation_id: Text) -> bool:
        return self._locks is not None and self._locks.is_someone_waiting(conversation_id)


class RedisConversationLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)
        self._local: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, LocalLocks]" = weakref.WeakKeyDictionary()

    def _locks_of_this_loop(self) -> LocalLocks:
        loop = asyncio.get_running_loop()
        locks = self._local.get(loop)
        if locks is None:
            locks = self._local[loop] = LocalLocks(loop)
        return locks

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = POLL_SECONDS) -> AsyncGenerator[None, None]:
        # First this replica's turn (woken on release), then the conversation's turn across replicas.
        local = self._locks_of_this_loop()
        token = await local.acquire(conversation_id, lock_lifetime)
        try:
            key = f"{self.key_prefix}{conversation_id}:holder"
            holder = uuid.uuid4().hex
            deadline = time.monotonic() + lock_lifetime
            pause = FIRST_POLL_SECONDS
            # px: a replica that dies while holding the lock frees the conversation after lock_lifetime.
            while not self.red.set(key, holder, nx=True, px=int(lock_lifetime * 1000)):
                if time.monotonic() > deadline:
                    raise LockError(f"conversation still locked after {lock_lifetime} s")
                await asyncio.sleep(pause)
                pause = min(pause * 1.5, wait_time_in_seconds, POLL_SECONDS)
            try:
                yield
            finally:
                self.red.eval(_RELEASE, 1, key, holder)
        finally:
            local.release(conversation_id, token)
