"""The counsellor's review: what visitors asked that the assistant missed, which answers they found
useless, what they ask most, read from the conversation store; and teaching a missed message in one step.

Plain Python over the tracker store's `events` table (SQLite or PostgreSQL): no Rasa import, nothing
leaves the machine, and what is shown is masked (privacy.py).
"""
