"""Two Rasa server replicas sharing PostgreSQL (conversations) and Redis (locks), as deployed.

Real servers from Debian's packages on loopback (scripts/install_services.sh installs them), the
shipped deploy/endpoints.production.yml filled in through environment variables, one action server.
"""

import os
import threading
import time
import uuid
from unittest.mock import patch

import pytest

from harness.servers import BASE_ENV, MODEL, ROOT, Bot, action_server, free_port, free_ports, rasa_server
from harness.services import running_postgres, running_redis
from maintenance.retention import delete_conversations_older_than, tracker_store_engine
from channels.rest_channel import conversation_id

pytestmark = [pytest.mark.live, pytest.mark.services,  # replicas on PostgreSQL and Redis
              pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train`")]

PRODUCTION_ENDPOINTS = ROOT / "deploy" / "endpoints.production.yml"
API_TOKEN = "scale-out-" + uuid.uuid4().hex


class Replicas:
    def __init__(self, bots, environment):
        self.bots, self.environment = bots, environment

    def tracker(self, sender):
        return self.bots[0].tracker(conversation_id(sender), API_TOKEN)


@pytest.fixture(scope="module")
def replicas(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scale_out")
    with running_postgres(tmp) as postgres, running_redis(tmp) as redis:
        action_port = free_port()
        environment = dict(
            os.environ, **BASE_ENV, ASSISTANT_API_TOKEN=API_TOKEN,
            ACTION_SERVER_URL=f"http://127.0.0.1:{action_port}/webhook",
            DB_HOST=postgres.host, DB_PORT=str(postgres.port), DB_NAME=postgres.db, DB_USER=postgres.user,
            DB_PASSWORD=postgres.password, REDIS_HOST=redis.host, REDIS_PORT=str(redis.port),
        )
        actions = action_server(action_port, environment, tmp / "actions.log")
        ports = free_ports(2)
        servers = [rasa_server(port, PRODUCTION_ENDPOINTS, environment, tmp / f"rasa-{port}.log") for port in ports]
        try:
            for server in [actions, *servers]:
                server.start()
            for server in [actions, *servers]:
                server.wait_ready()
            yield Replicas([Bot(port) for port in ports], environment)
        finally:
            for server in [*servers, actions]:
                server.stop()


def text_of(messages):
    return "\n".join(m.get("text", "") for m in messages)


def test_an_eligibility_check_started_on_one_replica_is_finished_on_the_other(replicas):
    first, second = replicas.bots
    sender = f"visitor-{uuid.uuid4().hex[:8]}"
    assert "Quel est votre diplôme le plus élevé ?" in text_of(first.say(sender, "suis-je éligible ?"))
    assert "Avez-vous travaillé comme secrétaire médical(e)" in text_of(second.say(sender, "j'ai un CAP"))
    verdict = text_of(first.say(sender, "oui, 4 ans en cabinet médical"))
    assert verdict.startswith("Peut-être, par le CQP")


def test_messages_of_one_visitor_sent_to_both_replicas_at_once_are_all_kept_and_answered(replicas):
    # Without the Redis lock, two replicas would handle the same conversation at the same time and
    # one's events would overwrite or duplicate the other's.
    sender = f"visitor-{uuid.uuid4().hex[:8]}"
    questions = ["combien gagne un assistant médical ?", "quelles sont les missions ?"] * 3
    replies = {}

    def say(index, bot, text):
        replies[index] = bot.say(sender, text)

    for start in range(0, len(questions), 2):
        threads = [threading.Thread(target=say, args=(start + i, bot, questions[start + i]))
                   for i, bot in enumerate(replicas.bots)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert all(text_of(replies[i]) for i in range(len(questions)))
    events = replicas.tracker(sender)["events"]
    user_messages = [e["text"] for e in events if e["event"] == "user"]
    assert sorted(user_messages) == sorted(questions)
    assert sum(1 for e in events if e["event"] == "bot" and "€" in e.get("text", "")) == 3


def test_retention_deletes_old_conversations_from_postgresql(replicas):
    first, _ = replicas.bots
    sender = f"visitor-{uuid.uuid4().hex[:8]}"
    first.say(sender, "bonjour")
    with patch.dict(os.environ, replicas.environment):  # the command reads the same file and variables
        engine = tracker_store_engine(PRODUCTION_ENDPOINTS)
    assert delete_conversations_older_than(engine, 1).conversations == 0  # nothing is a day old yet
    two_days_later = time.time() + 2 * 24 * 3600
    report = delete_conversations_older_than(engine, 1, now=two_days_later)
    assert report.conversations >= 1 and report.events > 0
    assert [e for e in replicas.tracker(sender)["events"] if e["event"] == "user"] == []
