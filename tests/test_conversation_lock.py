"""One message of a conversation at a time, in arrival order, the next one woken as soon as the
previous one is done: in one server (LocalConversationLockStore) and across replicas (Redis on loopback)."""

import asyncio
import threading
import time

import pytest
from rasa.core.lock_store import InMemoryLockStore, LockStore
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from harness.services import running_redis
from stores.conversation_lock import LocalConversationLockStore, RedisConversationLockStore

MESSAGES = 20


async def handle_at_once(store, conversation_id="visitor", hold=0.0, messages=MESSAGES):
    """`messages` handlers of one conversation started together: (order they got the lock, most
    inside at once, seconds for all)."""
    order, inside, most = [], [0], [0]

    async def handle(index):
        async with store.lock(conversation_id):
            inside[0] += 1
            most[0] = max(most[0], inside[0])
            order.append(index)
            await asyncio.sleep(hold)
            inside[0] -= 1

    started = time.monotonic()
    tasks = []
    for index in range(messages):
        tasks.append(asyncio.ensure_future(handle(index)))
        await asyncio.sleep(0)  # each reaches the lock before the next one arrives
    await asyncio.gather(*tasks)
    return order, most[0], time.monotonic() - started


def test_rasas_in_memory_lock_makes_each_waiting_message_poll_for_a_second():
    order, most, seconds = asyncio.run(handle_at_once(InMemoryLockStore(), hold=0.01, messages=3))
    assert most == 1 and seconds >= 1.9  # the reason for LocalConversationLockStore


def test_local_lock_hands_the_conversation_on_at_release_in_arrival_order():
    order, most, seconds = asyncio.run(handle_at_once(LocalConversationLockStore(), hold=0.005))
    assert order == list(range(MESSAGES)) and most == 1
    assert seconds < 5  # 20 x 5 ms of handling; Rasa's lock: 19 s of waiting


def test_a_waiter_is_woken_when_the_lock_is_released_not_at_the_next_poll():
    store = LocalConversationLockStore()

    async def wait_behind_a_holder() -> float:
        async def holder():
            async with store.lock("visitor"):
                await asyncio.sleep(0.3)

        first = asyncio.ensure_future(holder())
        await asyncio.sleep(0)
        started = time.monotonic()
        async with store.lock("visitor"):
            waited = time.monotonic() - started
        await first
        return waited

    assert 0.25 < asyncio.run(wait_behind_a_holder()) < 0.9


def test_conversations_do_not_wait_for_each_other():
    store = LocalConversationLockStore()

    async def two_visitors() -> float:
        async with store.lock("visitor-a"):
            started = time.monotonic()
            async with store.lock("visitor-b"):
                return time.monotonic() - started

    assert asyncio.run(two_visitors()) < 0.5


def test_a_cancelled_waiter_is_skipped_and_nothing_is_left_behind():
    store = LocalConversationLockStore()

    async def cancel_the_second_of_three():
        entered = []

        async def handle(name, hold):
            async with store.lock("visitor"):
                entered.append(name)
                await asyncio.sleep(hold)

        first = asyncio.ensure_future(handle("first", 0.1))
        await asyncio.sleep(0)
        second = asyncio.ensure_future(handle("second", 0))
        await asyncio.sleep(0)
        third = asyncio.ensure_future(handle("third", 0))
        await asyncio.sleep(0.02)
        second.cancel()  # e.g. the visitor's connection closed
        await asyncio.gather(first, third)
        with pytest.raises(asyncio.CancelledError):
            await second
        return entered

    assert asyncio.run(cancel_the_second_of_three()) == ["first", "third"]
    assert not store._locks.conversations and not store.is_someone_waiting("visitor")


def test_an_error_in_a_handler_releases_the_lock():
    store = LocalConversationLockStore()

    async def fail_then_continue():
        with pytest.raises(RuntimeError):
            async with store.lock("visitor"):
                raise RuntimeError("the conversation store failed")
        async with store.lock("visitor"):
            return True

    assert asyncio.run(asyncio.wait_for(fail_then_continue(), 5))


def test_a_message_stuck_beyond_the_lock_lifetime_lets_the_next_one_go():
    store = LocalConversationLockStore()

    async def stuck_holder() -> float:
        async def stuck():
            async with store.lock("visitor", lock_lifetime=0.2):
                await asyncio.sleep(1)

        holder = asyncio.ensure_future(stuck())
        await asyncio.sleep(0)
        started = time.monotonic()
        async with store.lock("visitor", lock_lifetime=5):
            waited = time.monotonic() - started
        await holder  # its late release does not release the lock of the message after it
        return waited

    assert 0.15 < asyncio.run(stuck_holder()) < 0.8
    assert not store._locks.conversations


def test_rasa_creates_the_local_lock_store_of_endpoints_yml_and_refuses_several_workers(monkeypatch):
    config = EndpointConfig(type="stores.conversation_lock.LocalConversationLockStore")
    assert isinstance(LockStore.create(config), LocalConversationLockStore)
    monkeypatch.setenv("SANIC_WORKERS", "4")
    with pytest.raises(RasaException, match="SANIC_WORKERS=4"):
        LockStore.create(config)


@pytest.mark.services
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


@pytest.mark.services
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


@pytest.mark.services
def test_messages_waiting_in_one_replica_are_woken_at_release_in_arrival_order(tmp_path):
    with running_redis(tmp_path) as redis:
        store = RedisConversationLockStore(EndpointConfig(url=redis.host, port=redis.port, db=1))
        order, most, seconds = asyncio.run(handle_at_once(store, "visitor-3", hold=0.005))
    assert order == list(range(MESSAGES)) and most == 1 and seconds < 5
