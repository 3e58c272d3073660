"""A Redis lock that really keeps two replicas off the same conversation at the same time.

Rasa 3.6's RedisLockStore issues "tickets" by reading the lock from Redis, adding a ticket and
writing it back, with nothing atomic in between: when two replicas receive messages of the same
visitor at the same moment, both get the first ticket, both handle their message, and one's events
overwrite the other's (RasaHQ/rasa#9213; the atomic version, #11256, was reverted in #11428).
tests/test_scale_out.py lost a message that way. Here the lock is a single Redis key set with
SET NX (atomic: one replica wins, the other waits) and deleted only by its holder.

    lock_store:
      type: launcher.conversation_lock.RedisConversationLockStore
      url: ${REDIS_HOST}
      port: ${REDIS_PORT}
"""

import asyncio
import time
import uuid
from contextlib import asynccontextmanager
from typing import AsyncGenerator, Text

from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

POLL_SECONDS = 0.02  # a queued message waits for the lock in short steps (Rasa's own waits 1 s)
# Deletes the key only if this holder still owns it (an expired lock may belong to someone else now).
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


class RedisConversationLockStore(RedisLockStore):
    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = POLL_SECONDS) -> AsyncGenerator[None, None]:
        key = f"{self.key_prefix}{conversation_id}:holder"
        holder = uuid.uuid4().hex
        deadline = time.monotonic() + lock_lifetime
        # px: a replica that dies while holding the lock frees the conversation after lock_lifetime.
        while not self.red.set(key, holder, nx=True, px=int(lock_lifetime * 1000)):
            if time.monotonic() > deadline:
                raise LockError(f"conversation still locked after {lock_lifetime} s")
            await asyncio.sleep(min(wait_time_in_seconds, POLL_SECONDS))
        try:
            yield
        finally:
            self.red.eval(_RELEASE, 1, key, holder)
