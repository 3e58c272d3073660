"""What a site owner relies on when the assistant runs for months: conversations survive restarts
and outages, the API is closed to strangers, logs keep visitors' words out, odd input is handled.

Against the real servers, configured as shipped (SQLite tracker store), through the REST channel.
"""

import json
import socket
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness.servers import MODEL, running_assistant
from channels.rest_channel import conversation_id

pytestmark = [pytest.mark.live,  # the real Rasa and action servers
              pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train`")]

API_TOKEN = "test-token-" + uuid.uuid4().hex
APOLOGY = "un incident technique m'empêche de vous répondre"
SALARY = "1\u202f815,79 et 2\u202f159,91 €"
MEDICAL_SECRETARY_QUESTION = "Avez-vous travaillé comme secrétaire médical(e)"


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
    """(status, tracker) of a REST sender's conversation, read through the HTTP API."""
    try:
        return 200, assistant.bot.tracker(conversation_id(sender), token)
    except urllib.error.HTTPError as error:
        return error.code, None


def test_eligibility_check_in_progress_survives_a_restart_of_the_rasa_server(assistant):
    sender = visitor()
    assistant.say(sender, "suis-je éligible ?")
    assert MEDICAL_SECRETARY_QUESTION in text_of(assistant.say(sender, "j'ai un CAP"))
    assistant.rasa.restart()
    assert text_of(assistant.say(sender, "oui, 4 ans en cabinet médical")).startswith("Peut-être, par le CQP")


def test_action_server_down_gets_an_apology_and_the_conversation_resumes_once_it_is_back(assistant):
    sender = visitor()
    assistant.say(sender, "suis-je éligible ?")
    assistant.actions.stop()
    try:
        reply = text_of(assistant.say(sender, "j'ai un CAP"))
        assert APOLOGY in reply and reply.count(APOLOGY) == 1
    finally:
        assistant.actions.start().wait_ready()
    # Nothing stored was lost: the check is still waiting for the diploma.
    assert MEDICAL_SECRETARY_QUESTION in text_of(assistant.say(sender, "j'ai un CAP"))
    assert text_of(assistant.say(sender, "non")).startswith("Pas de voie certaine pour l'instant")


def test_without_the_token_nobody_reads_a_visitors_conversation(assistant):
    confided = visitor()
    assistant.say(confided, "je suis aide-soignante et je suis en arrêt maladie")
    assert get_tracker(assistant, confided)[0] == 401
    assert get_tracker(assistant, confided, token="guessed-" + uuid.uuid4().hex)[0] == 401
    status, tracker = get_tracker(assistant, confided, token=API_TOKEN)
    assert status == 200 and tracker["slots"]["profile"]["diplomas"] == [["de_aide_soignant", "held"]]


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
    # A sentence that starts with a slash, payload-like words, and an eligibility check whose questions
    # carry buttons: Rasa logs each of them in full unless the channel and the domain prevent it.
    sender = visitor()
    for message in ["/ je m'appelle Yvette Brossard et je suis en dépression", "/Brossard",
                    '/inform{"Brossard": "dépression"}', "suis-je éligible ?", "je n'ai pas le bac"]:
        assert text_of(assistant.say(sender, message)).strip()
    logs = assistant.rasa.log.read_text() + assistant.actions.log.read_text()
    assert "Marchal" not in logs and "enceinte" not in logs
    assert "Brossard" not in logs and "dépression" not in logs
    assert "interpolator" not in logs  # a button's payload read as a placeholder, logged at ERROR


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
    assert SALARY in text_of(assistant.say(visitor(), "combien gagne un assistant médical ?"))
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
    # Identifiers no database driver can store: one of these used to make the server exit.
    (b'{"sender": "x\\ud800", "message": "bonjour"}', "at most 128 printable characters"),
    (b'{"sender": "x\\u0000", "message": "bonjour"}', "at most 128 printable characters"),
    (b'{"sender": "x\\u200b", "message": "bonjour"}', "at most 128 printable characters"),
    (b'{"sender": "v1", "message": "bon\\udc00jour"}', "valid Unicode text"),
    # Standard JSON only, and no nesting deep enough to exhaust Python's recursion (it was a 500).
    (b'{"sender": "v1", "message": "bonjour", "metadata": {"n": NaN}}', "must be a JSON object"),
    (b'{"sender": "v1", "message": "bonjour", "metadata": ' + b"[" * 5000 + b"]" * 5000 + b"}",
     "must be a JSON object"),
])
def test_malformed_requests_get_a_400_saying_what_is_wrong(assistant, body, problem):
    body = body if isinstance(body, bytes) else body.encode()
    status, reply, _ = post(assistant, body)
    assert status == 400 and problem in reply["error"]
    assert "assistant médical" in text_of(assistant.say(visitor(), "bonjour"))
    assert assistant.rasa.process.poll() is None


def test_a_body_over_the_limit_is_refused_before_it_is_read(assistant):
    # A 20 MB body announced, none of it sent: the answer must come from the headers alone.
    port = int(assistant.bot.base_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           b"Content-Type: application/json\r\nContent-Length: 20000000\r\n\r\n{")
        status_line = connection.makefile("rb").readline()
    assert b" 413 " in status_line
    status, reply, _ = post(assistant, json.dumps({"sender": visitor(), "message": "x" * 70_000}).encode())
    assert status == 413 and "at most" in reply["error"]


def test_a_client_that_stops_sending_its_request_is_cut_off(assistant):
    port = int(assistant.bot.base_url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=45) as connection:
        started = time.monotonic()
        connection.sendall(b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        answer = connection.recv(1024)  # a 408, or the connection closed
    assert answer == b"" or b" 408 " in answer
    assert time.monotonic() - started < 40  # 10 s in the server; Sanic's default was 60 s


def test_metadata_the_assistant_does_not_use_is_not_stored(assistant):
    sender = visitor()
    body = {"sender": sender, "message": "bonjour", "metadata": {"padding": "x" * 50_000, "deep": [[[[[[1]]]]]]}}
    status, _, _ = post(assistant, json.dumps(body).encode())
    assert status == 200
    events = get_tracker(assistant, sender, token=API_TOKEN)[1]["events"]
    assert len(json.dumps(events)) < 20_000  # kilobytes, not the 50 KB sent (copied several times by Rasa)


def test_a_listed_page_can_send_its_preflight_and_a_foreign_one_cannot(assistant):
    def preflight(origin):
        request = urllib.request.Request(assistant.bot.url, method="OPTIONS", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers)

    status, headers = preflight("http://127.0.0.1:8080")
    assert status == 204 and headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8080"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()
    assert preflight("https://intrus.example")[0] == 403


@pytest.mark.parametrize("conversation", ["%ff", "%00", "x%ed%a0%80", "%20"])
def test_the_api_refuses_conversation_ids_it_cannot_decode(assistant, conversation):
    url = f"{assistant.bot.base_url}/conversations/{conversation}/tracker?token={API_TOKEN}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=30)
    assert refused.value.code == 400


def test_a_flood_on_one_conversation_is_refused_without_slowing_another(assistant):
    body = json.dumps({"sender": visitor(), "message": "bonjour"}).encode()
    with ThreadPoolExecutor(max_workers=40) as pool:  # 40 turns at once for one conversation
        statuses = list(pool.map(lambda _: post(assistant, body)[0], range(40)))
    assert statuses.count(429) >= 10 and statuses.count(200) >= 20
    assert SALARY in text_of(assistant.say(visitor(), "combien gagne un assistant médical ?"))
