"""The counsellors' review page (`make review`), started for real: off without a token, 401 and nothing
shown without a session, the review once signed in, and a missed message taught in one click."""

import asyncio
import http.cookiejar
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

import pytest
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from harness.servers import free_port, http_status, running_review
from tests.conftest import ROOT
from tests.test_review import CONVERSATIONS, DOMAIN

pytestmark = pytest.mark.live  # the review page server, started for real

TOKEN = "review-token-0123456789"


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("review")
    store = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp / "conversations.db"))
    for sender, events in CONVERSATIONS.items():
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))
    store.engine.dispose()
    (tmp / "endpoints.yml").write_text(f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {tmp / 'conversations.db'}\n")
    with running_review(tmp, tmp / "endpoints.yml", TOKEN) as base:
        yield base, tmp


def _signed_in():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def _form(**fields):
    return urllib.parse.urlencode(fields).encode()


def test_the_page_is_off_without_a_token():
    env = {k: v for k, v in os.environ.items() if k != "REVIEW_TOKEN"}
    result = subprocess.run([sys.executable, "-m", "review.serve", "--port", str(free_port())], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "REVIEW_TOKEN" in result.stderr


def test_without_a_session_or_with_a_wrong_token_nothing_is_shown(review):
    base, _ = review
    for request in (base + "/", base + "/?days=30"):
        try:
            urllib.request.urlopen(request, timeout=10)
            raise AssertionError("served without a session")
        except urllib.error.HTTPError as refusal:
            body = refusal.read().decode()
            assert refusal.code == 401 and "délire" not in body and "Jeton" in body
    assert http_status(base + "/login", _form(token="not-the-token-at-all")) == 401
    assert http_status(base + "/teach", _form(intent="ask_salary", text="x y z")) == 401
    opener, jar = _signed_in()
    assert http_status(base + "/login", _form(token="not-the-token-at-all"), opener) == 401 and not list(jar)


@pytest.mark.browser
def test_in_chromium_a_counsellor_signs_in_and_adds_a_missed_message_with_the_keyboard(review):
    # Before the other tests teach or ignore anything: the screenshot shows a full review (README).
    from playwright.sync_api import expect, sync_playwright

    from tests.test_widget_browser import CHROMIUM, CHROMIUM_FLAGS

    base, tmp = review
    output = ROOT / "results" / "review"
    output.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, timeout=60_000)
        try:
            page = chromium.new_page(viewport={"width": 1100, "height": 1400})
            page.goto(base + "/")
            expect(page.get_by_role("heading", name="Revue des conversations")).to_be_visible()
            page.get_by_label("Jeton d'accès (REVIEW_TOKEN)").fill(TOKEN)
            page.keyboard.press("Enter")
            expect(page.get_by_role("heading", name="Messages non compris")).to_be_visible()
            page.screenshot(path=str(output / "review-page.png"), full_page=True)
            row = page.get_by_role("row").filter(has_text="faut il un stage")
            row.get_by_label("Intention").select_option(label="La formation (CQP)")
            row.get_by_role("button", name="Ajouter comme exemple").focus()
            page.keyboard.press("Enter")
            expect(page.get_by_role("status")).to_contain_text("Ajouté à ask_training")
            expect(page.get_by_role("row").filter(has_text="faut il un stage")).to_have_count(0)
            page.screenshot(path=str(output / "review-page-after-adding.png"))
        finally:
            chromium.close()
    assert "- faut il un stage" in (tmp / "reviewed_examples.yml").read_text(encoding="utf-8")


def test_a_counsellor_signs_in_sees_the_misses_and_teaches_one(review):
    base, tmp = review
    opener, jar = _signed_in()
    with opener.open(base + "/login", data=_form(token=TOKEN), timeout=10) as answer:
        page = answer.read().decode()
    cookie = next(iter(jar))
    assert cookie.name == "review_session" and cookie.has_nonstandard_attr("HttpOnly")
    assert "c&#x27;est quoi le délire des horaires ?" in page and "Hypothèses : Les conditions de travail" in page
    assert "[téléphone]" in page and "06 12" not in page and "visitor-" not in page  # masked, no visitor id
    assert "combien ça gagne ?" in page  # the question before the 👎
    assert "<svg" in page and "http" not in page.split("<body>")[1].replace("http://www.w3.org/2000/svg", "")

    group = ["c'est quoi le délire des horaires ?", "le délire des horaires c'est quoi"]
    teach = _form(intent="ask_work_conditions", text=group[1], days="7")
    with opener.open(base + "/teach", data=teach, timeout=10) as answer:
        assert "Ajouté à ask_work_conditions" in answer.read().decode()
    taught = yaml.safe_load((tmp / "reviewed_examples.yml").read_text(encoding="utf-8"))
    assert {"intent": "ask_work_conditions", "examples": "- le délire des horaires c'est quoi\n"} in taught["nlu"]

    assert "horaires" not in answer_page(opener, base)  # taught: the group is no longer to review
    missed_with_a_phone = "rappelez moi au [téléphone] ou [e-mail]"
    with opener.open(base + "/ignore", data=_form(text=missed_with_a_phone, days="7"), timeout=10) as answer:
        after = answer.read().decode()
    assert "Message ignoré" in after and "rappelez moi" not in after


def answer_page(opener, base):
    with opener.open(base + "/?days=7", timeout=10) as answer:
        return answer.read().decode().split("Messages non compris", 1)[1]
