"""Two replicas never handle the same conversation at once (real Redis on loopback)."""

import asyncio
import threading
import time

from rasa.utils.endpoints import EndpointConfig

from evaluation.services import running_redis
from launcher.conversation_lock import RedisConversationLockStore


def test_two_replicas_taking_turns_on_one_conversation_lose_no_update(tmp_path):
    # Each "message" reads the conversation, works a little, writes it back: overlapping handlers
    # would lose messages, as two Rasa replicas with Rasa's own RedisLockStore did.
    conversation = {"messages": 0}
    rounds = 15

    def replica(store: RedisConversationLockStore) -> None:
        async def handle_messages() -> None:
            for _ in range(rounds):
                async with store.lock("visitor-1"):
                    seen = conversation["messages"]
                    await asyncio.sleep(0.003)
                    conversation["messages"] = seen + 1

        asyncio.run(handle_messages())

    with running_redis(tmp_path) as redis:
        config = EndpointConfig(url=redis.host, port=str(redis.port), db=1)  # as read from endpoints
        threads = [threading.Thread(target=replica, args=(RedisConversationLockStore(config),)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert conversation["messages"] == 2 * rounds


def test_a_replica_that_died_holding_the_lock_frees_the_conversation_after_its_lifetime(tmp_path):
    with running_redis(tmp_path) as redis:
        store = RedisConversationLockStore(EndpointConfig(url=redis.host, port=redis.port, db=1))

        async def crash_then_retry() -> float:
            held = store.lock("visitor-2", lock_lifetime=0.5)
            await held.__aenter__()  # never released: the replica "died"
            started = time.monotonic()
            async with store.lock("visitor-2", lock_lifetime=5):
                return time.monotonic() - started

        waited = asyncio.run(crash_then_retry())
    assert 0.3 < waited < 2
