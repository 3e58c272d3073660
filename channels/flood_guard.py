"""Limits how fast one conversation can send turns, without slowing the others.

Each conversation's turns are handled one at a time (the lock store), so a client flooding one id
would queue work for minutes and hold memory. A token bucket per conversation lets a person type
and click freely, and a test replay a conversation (a burst of BURST turns, then RATE a second),
and refuses the rest at once: 429 on REST, an error event on socket.io. Conversations idle long
enough to have a full bucket again are forgotten, so the table stays small.
"""

import time
from typing import Callable, Dict, Tuple

BURST = 20
RATE = 2.0  # turns per second, sustained


class TurnRateLimiter:
    def __init__(self, burst: int = BURST, rate: float = RATE, clock: Callable[[], float] = time.monotonic,
                 max_tracked: int = 10_000) -> None:
        self.burst = burst
        self.rate = rate
        self.clock = clock
        self.max_tracked = max_tracked
        self._buckets: Dict[str, Tuple[float, float]] = {}  # conversation -> (tokens, time)

    def allow(self, conversation_id: str) -> bool:
        """Takes one turn from the conversation's bucket; False when it is empty."""
        now = self.clock()
        tokens, then = self._buckets.get(conversation_id, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) * self.rate)
        if len(self._buckets) >= self.max_tracked:
            self._forget_idle(now)
        if tokens < 1:
            self._buckets[conversation_id] = (tokens, now)
            return False
        self._buckets[conversation_id] = (tokens - 1, now)
        return True

    def _forget_idle(self, now: float) -> None:
        refill_seconds = self.burst / self.rate
        self._buckets = {key: value for key, value in self._buckets.items() if now - value[1] < refill_seconds}
