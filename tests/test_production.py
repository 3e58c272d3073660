"""What a site owner relies on when the assistant runs for months: conversations survive restarts
and outages, the API is closed to strangers, logs keep visitors' words out, odd input is handled.

Against the real servers, configured as shipped (SQLite tracker store), through the REST channel.
"""

import json
import urllib.error
import urllib.request
import uuid

import pytest

from evaluation.servers import MODEL, running_assistant

pytestmark = pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train`")

API_TOKEN = "test-token-" + uuid.uuid4().hex
APOLOGY = "un incident technique m'empêche de vous répondre"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    with running_assistant(tmp_path_factory.mktemp("production"), {"ASSISTANT_API_TOKEN": API_TOKEN}) as running:
        yield running


def visitor():
    return f"visitor-{uuid.uuid4().hex[:8]}"


def text_of(messages):
    return "\n".join(m.get("text", "") for m in messages)


def post(assistant, body: bytes, headers=None):
    """(status, decoded JSON) of a raw POST to the REST channel."""
    request = urllib.request.Request(assistant.bot.url, data=body, method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null"), dict(error.headers)


def get_tracker(assistant, sender, token=None):
    url = f"{assistant.bot.base_url}/conversations/{sender}/tracker" + (f"?token={token}" if token else "")
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, None


def test_eligibility_check_in_progress_survives_a_restart_of_the_rasa_server(assistant):
    sender = visitor()
    assistant.say(sender, "suis-je éligible ?")
    assert "secrétaire médical(e) ou assistant(e) dentaire" in text_of(assistant.say(sender, "je n'ai pas le bac"))
    assistant.rasa.restart()
    assert "Depuis combien d'années" in text_of(assistant.say(sender, "secrétaire médicale"))
    assert text_of(assistant.say(sender, "4 ans")).startswith("Oui, par le CQP assistant médical, avec un parcours allégé")


def test_action_server_down_gets_an_apology_and_the_conversation_resumes_once_it_is_back(assistant):
    sender = visitor()
    assistant.say(sender, "suis-je éligible ?")
    assistant.actions.stop()
    try:
        reply = text_of(assistant.say(sender, "je n'ai pas le bac"))
        assert APOLOGY in reply and reply.count(APOLOGY) == 1
    finally:
        assistant.actions.start().wait_ready()
    # Nothing stored was lost: the check is still waiting for the diploma.
    assert "secrétaire médical(e) ou assistant(e) dentaire" in text_of(assistant.say(sender, "je n'ai pas le bac"))
    assert "Depuis combien d'années" in text_of(assistant.say(sender, "secrétaire médicale"))


def test_without_the_token_nobody_reads_a_visitors_conversation(assistant):
    confided = visitor()
    assistant.say(confided, "je suis aide-soignante et je suis en arrêt maladie")
    assert get_tracker(assistant, confided)[0] == 401
    assert get_tracker(assistant, confided, token="guessed-" + uuid.uuid4().hex)[0] == 401
    status, tracker = get_tracker(assistant, confided, token=API_TOKEN)
    assert status == 200 and tracker["slots"]["diploma"] == "de_aide_soignant"


def test_a_page_from_a_foreign_site_is_refused_and_a_listed_one_gets_cors_headers(assistant):
    body = json.dumps({"sender": visitor(), "message": "bonjour"}).encode()
    status, reply, _ = post(assistant, body, {"Origin": "https://intrus.example"})
    assert status == 403 and "not allowed" in reply["error"]
    status, reply, headers = post(assistant, body, {"Origin": "http://127.0.0.1:8080"})
    assert status == 200 and "assistant médical" in text_of(reply)
    assert headers.get("Access-Control-Allow-Origin") == "http://127.0.0.1:8080"


def test_what_a_visitor_types_is_not_in_the_server_logs(assistant):
    sentence = f"je m'appelle Zoé Marchal-{uuid.uuid4().hex[:6]}, je suis enceinte, combien gagne une assistante médicale"
    reply = text_of(assistant.say(visitor(), sentence))
    assert "€" in reply
    logs = assistant.rasa.log.read_text() + assistant.actions.log.read_text()
    assert "Marchal" not in logs and "enceinte" not in logs


@pytest.mark.parametrize("message", [
    "",
    "   \n\t ",
    "combien gagne un assistant médical ? " * 280,  # about 10,000 characters
    "😀🙏👍💉",
    "<script>alert('x')</script><b>salaire</b>",
    "'; DROP TABLE events; -- salaire",
    "Hello, I would like to know le salaire d'une assistante médicale please",
    "slt c koi le salair dun assistant medical stp",
])
def test_odd_messages_get_a_normal_answer_and_the_next_visitor_is_served(assistant, message):
    sender = visitor()
    status, reply, _ = post(assistant, json.dumps({"sender": sender, "message": message}).encode())
    assert status == 200 and text_of(reply).strip()
    assert "<script>" not in text_of(reply)
    assert "1 700 et 2 000 €" in text_of(assistant.say(visitor(), "combien gagne un assistant médical ?"))
    assert get_tracker(assistant, sender, token=API_TOKEN)[1]["events"]  # stored, store intact


@pytest.mark.parametrize("body, problem", [
    (b'{"sender": "v1"}', "'message' must be a string"),
    (b'{"message": "bonjour"}', "'sender' must be a non-empty string"),
    (b'{"sender": 42, "message": "bonjour"}', "'sender' must be a non-empty string"),
    (b'{"sender": "v1", "message": ["bonjour"]}', "'message' must be a string"),
    ('{"sender": "%s", "message": "bonjour"}' % ("x" * 1000), "at most 128 printable characters"),
    (b'{"sender": "v1", "message": "bonjour", "metadata": "x"}', "'metadata' must be a JSON object"),
    (b"sender=v1&message=bonjour", "must be a JSON object"),
    (b'["v1", "bonjour"]', "must be a JSON object"),
    (b"", "must be a JSON object"),
    ('{"sender": "v1", "message": "salaire é"}'.encode("latin-1"), "UTF-8"),
])
def test_malformed_requests_get_a_400_saying_what_is_wrong(assistant, body, problem):
    body = body if isinstance(body, bytes) else body.encode()
    status, reply, _ = post(assistant, body)
    assert status == 400 and problem in reply["error"]
    assert "assistant médical" in text_of(assistant.say(visitor(), "bonjour"))
