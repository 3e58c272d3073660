"""The chat widget of the web page, in a real browser (headless Debian Chromium driven by Playwright),
against the real Rasa server (socketio channel) and action server, with the page served by web/serve.py.

Screenshots go to results/widget/ (WIDGET_TEST_OUTPUT to change it). Needs Chromium
(/usr/bin/chromium, or CHROMIUM=path), Playwright (dev dependency) and web/node_modules
(scripts/setup_web.sh); a missing one fails the tests with what to install.
"""

import json
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Tuple
from urllib.parse import urlsplit

import pytest

import settings
from harness.servers import MODEL, ROOT, http_get, running_assistant, stop_process, wait_until

pytestmark = [pytest.mark.live, pytest.mark.browser]  # Chromium on the real servers

try:
    from playwright.sync_api import Page, expect, sync_playwright
except ImportError:  # reported by the `site` fixture, with what to install
    sync_playwright = None

if sync_playwright is not None:
    # Conditions are waited for, never slept on: 15 s instead of Playwright's 5 s for every expect(), so
    # that a loaded machine (2 cores shared with the Rasa server) slows the tests down without failing them.
    expect.set_options(timeout=15_000)

CHROMIUM = next(s for s in settings.TEST_SETTINGS if s.name == "CHROMIUM").value()
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run"]
BUNDLE = ROOT / "web" / "node_modules" / "rasa-webchat" / "lib" / "index.js"
OUTPUT = next(s for s in settings.TEST_SETTINGS if s.name == "WIDGET_TEST_OUTPUT").path()
# Bot answers arrive after NLU, the action server and rasa-webchat's per-message delay.
ANSWER_TIMEOUT_MS = 30_000

OPEN_LABEL = "Ouvrir la conversation avec l'assistant d'orientation"
CLOSE_LABEL = "Fermer la conversation avec l'assistant d'orientation"
INPUT_LABEL = "Votre message à l'assistant"
GREETING = "Bonjour ! Je suis l'assistant d'orientation"
SALARY = "entre 1\u202f815,79 et 2\u202f159,91 € brut par mois"
SALARY_SOURCE = "https://www.legifrance.gouv.fr"

needs_model = pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train`")


@dataclass
class Site:
    url: str
    origin: str
    rasa_url: str
    endpoints: Path  # the servers' endpoints file: their conversation store (SQLite)


@dataclass
class Visit:
    """A browser tab on the page, with what it requested and what went wrong in its console."""

    page: "Page"
    requests: List[str] = field(default_factory=list)
    failed: List[Tuple[str, str]] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)

    def outside_requests(self) -> List[str]:
        """Requests that left the machine: anything not on 127.0.0.1 that the browser did not block."""
        blocked = {url for url, reason in self.failed if "csp" in reason.lower()}
        return [url for url in self.requests
                if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                and urlsplit(url).hostname != "127.0.0.1" and url not in blocked]

    def unexpected_errors(self) -> List[str]:
        # The rasa-webchat bundle imports a Google Fonts stylesheet; the page's CSP blocks it (expected).
        return [e for e in self.errors if "fonts.googleapis.com" not in e]


def missing_requirements() -> List[str]:
    problems = []
    if sync_playwright is None and sys.version_info < (3, 10):
        pytest.skip("Playwright 1.65 (the pinned dev dependency) needs Python 3.10; this venv has "
                    f"{sys.version_info.major}.{sys.version_info.minor}")
    if sync_playwright is None:
        problems.append("Playwright is not installed: .venv/bin/pip install playwright==1.65.2 (dev dependency)")
    if not Path(CHROMIUM).exists():
        problems.append(f"no Chromium at {CHROMIUM}: apt-get install chromium (scripts/install_chromium.sh as root), "
                        "or set CHROMIUM=/path/to/chromium")
    if not BUNDLE.exists():
        problems.append("web/node_modules is missing: run scripts/setup_web.sh (npm ci in web/)")
    return problems


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    problems = missing_requirements()
    if problems:
        pytest.fail("the browser test cannot run:\n- " + "\n- ".join(problems), pytrace=False)
    tmp = tmp_path_factory.mktemp("widget")
    # The page's port stays bound until the assistant's servers have taken theirs: a port only chosen
    # (free_port) could be handed to one of them, whose own /health then answered for the page (CI, 2026-12-04).
    reserved = socket.socket()
    reserved.bind(("127.0.0.1", 0))
    web_port = reserved.getsockname()[1]
    origin = f"http://127.0.0.1:{web_port}"
    try:
        # The socketio channel accepts this page's origin only (credentials.yml lists 127.0.0.1:8080).
        with running_assistant(tmp, {"WEBCHAT_ALLOWED_ORIGINS": origin}) as assistant:
            rasa_url = assistant.bot.url.split("/webhooks/")[0]
            log = tmp / "web.log"
            reserved.close()
            web = subprocess.Popen([sys.executable, "-m", "web.serve", "--port", str(web_port), "--socket-url", rasa_url,
                                    "--quiet"], cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
            try:
                wait_until(lambda: http_get(f"{origin}/health").strip() == b"ok", 30, web, log)  # the page server's own answer
                yield Site(url=f"{origin}/", origin=origin, rasa_url=rasa_url, endpoints=tmp / "endpoints.yml")
            finally:
                stop_process(web)
    finally:
        reserved.close()


@pytest.fixture(scope="module")
def browser(site):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, timeout=60_000)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def visit(browser, site):
    """A fresh tab (its own storage, so its own conversation) on the page."""
    context = browser.new_context(viewport={"width": 1280, "height": 1150}, locale="fr-FR")
    context.set_default_timeout(15_000)
    page = context.new_page()
    tab = Visit(page)
    page.on("request", lambda request: tab.requests.append(request.url))
    page.on("requestfailed", lambda request: tab.failed.append((request.url, request.failure or "")))
    page.on("console", lambda message: tab.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: tab.errors.append(str(error)))
    yield tab
    context.close()


def open_widget(page: "Page") -> None:
    page.get_by_role("button", name=OPEN_LABEL).click()
    expect(page.locator(".rw-conversation-container")).to_be_visible()


def bot_message(page: "Page", text: str):
    return page.locator(".rw-messages-container .rw-response", has_text=text)


def session_id(page: "Page") -> str:
    return json.loads(page.evaluate("sessionStorage.getItem('chat_session')"))["session_id"]


# --- the conversation of the issue -----------------------------------------------------------------

@needs_model
def test_visitor_asks_the_salary_sees_the_source_and_keeps_the_history_after_a_reload(visit, site):
    page = visit.page
    page.goto(site.url)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    open_widget(page)

    # French everywhere; the greeting and its quick replies come from the bot (initial payload /greet).
    expect(page.locator(".rw-title")).to_have_text("Assistant d'orientation")
    expect(page.locator(".rw-header > span")).to_have_text("Devenir assistant médical")
    textbox = page.get_by_role("textbox", name=INPUT_LABEL)
    expect(textbox).to_have_attribute("placeholder", "Écrivez votre question…")
    expect(bot_message(page, GREETING)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    replies = page.get_by_role("group", name="Réponses proposées").get_by_role("button")
    expect(replies).to_have_text(["Comment devenir assistant médical ?", "Suis-je éligible ?", "La formation",
                                  "Le salaire", "Les missions"])
    page.wait_for_timeout(300)
    page.screenshot(path=str(OUTPUT / "widget-greeting.png"))

    # A quick reply is a button: clicking it sends its payload, the bot answers that topic.
    page.get_by_role("button", name="Les missions").click()
    expect(page.locator(".rw-client", has_text="Les missions")).to_be_visible()
    expect(bot_message(page, "Trois familles de missions")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    # The answer's last message (its source line) is shown before the visitor types again.
    expect(bot_message(page, "L'aide à l'emploi d'assistants médicaux")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)

    textbox.fill("combien gagne un assistant médical ?")
    textbox.press("Enter")
    expect(page.locator(".rw-client", has_text="combien gagne un assistant médical ?")).to_be_visible()
    expect(bot_message(page, SALARY)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    sources = bot_message(page, "Convention collective nationale du personnel des cabinets médicaux")
    expect(sources).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(sources).to_contain_text("Sources :")
    link = sources.locator(f"a[href='{SALARY_SOURCE}']")
    expect(link).to_be_visible()
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", re.compile(r"\bnoopener\b"))
    # Screen readers hear the new bot messages (the page's live region).
    expect(page.locator("#assistant-annonces[aria-live='polite']")).to_contain_text(SALARY)
    page.wait_for_timeout(500)  # the scroll to the last message
    page.screenshot(path=str(OUTPUT / "widget-salary-answer.png"))
    # The key fact came alone; the rest comes on request, under the same answer.
    expect(bot_message(page, "2 500 €")).to_have_count(0)
    page.get_by_role("button", name="Plus de détails").last.click()
    expect(bot_message(page, "2 500 €")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    page.wait_for_timeout(500)
    page.screenshot(path=str(OUTPUT / "widget-salary-details.png"))

    before = session_id(page)
    page.reload()
    expect(page.locator(".rw-conversation-container")).to_be_visible()
    expect(bot_message(page, SALARY)).to_be_visible()
    expect(bot_message(page, "Convention collective nationale").locator(f"a[href='{SALARY_SOURCE}']")).to_be_visible()
    expect(page.locator(".rw-client", has_text="combien gagne un assistant médical ?")).to_be_visible()
    expect(bot_message(page, GREETING)).to_have_count(1)  # the greeting is not sent again
    assert session_id(page) == before
    page.wait_for_timeout(500)
    page.screenshot(path=str(OUTPUT / "widget-after-reload.png"))

    # After the reload, the bot's replies still reach this tab (same Rasa session).
    page.get_by_role("textbox", name=INPUT_LABEL).fill("merci")
    page.get_by_role("textbox", name=INPUT_LABEL).press("Enter")
    expect(bot_message(page, "Avec plaisir !")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)

    assert visit.outside_requests() == []
    assert visit.unexpected_errors() == []


def tab_to_the_launcher(page: "Page"):
    launcher = page.get_by_role("button", name=OPEN_LABEL)
    expect(launcher).to_have_attribute("aria-expanded", "false")  # rendered and labelled
    for _ in range(5):  # the page has no other focusable element before the widget
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('rw-launcher')"):
            break
    expect(launcher).to_be_focused()
    return launcher


def after_the_widget_scripts_timers(page: "Page") -> None:
    """Returns once the short timers that widget-a11y.js has already set have fired: its reaction to a
    launcher click (50 ms, then 0 ms) and its DOM observer's update (30 ms after a change). Timers fire in
    the order of their due times, and this 200 ms one is set after those: no sleeping on a guess."""
    page.evaluate("() => new Promise(resolve => setTimeout(resolve, 200))")


class HeldSocket:
    """Holds the widget's socket.io requests until release(): a Rasa server slow to answer (or still
    starting), so that rasa-webchat stays in its "connecting" state with the input disabled."""

    def __init__(self, page: "Page") -> None:
        self.page, self.held, self.released = page, [], False
        page.route(re.compile(r".*/socket\.io/.*"), self._route)

    def _route(self, route) -> None:
        if self.released:
            route.continue_()
        else:
            self.held.append(route)

    def wait_until_held(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not self.held:
            assert time.monotonic() < deadline, "the widget did not try to connect its socket"
            self.page.wait_for_timeout(100)  # lets Playwright dispatch the route events

    def release(self) -> None:
        self.released = True
        for route in self.held:
            route.continue_()
        self.held.clear()


@needs_model
def test_the_widget_is_usable_with_the_keyboard_alone(visit, site):
    page = visit.page
    page.goto(site.url)
    launcher = tab_to_the_launcher(page)
    page.keyboard.press("Enter")

    # Open: the input has the focus (once the socket is connected, if it was not yet), the launcher says
    # it now closes the conversation.
    textbox = page.get_by_role("textbox", name=INPUT_LABEL)
    expect(textbox).to_be_focused(timeout=ANSWER_TIMEOUT_MS)
    expect(page.get_by_role("button", name=CLOSE_LABEL)).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("button", name="Envoyer le message")).to_be_attached()
    expect(page.get_by_role("button", name="Le salaire")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)

    # Back from the input to the quick replies with Shift+Tab; Enter chooses one.
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.classList.contains('rw-reply')"):
            break
    assert page.evaluate("document.activeElement.textContent") == "Les missions"
    page.keyboard.press("Enter")
    expect(page.locator(".rw-client", has_text="Les missions")).to_be_visible()
    expect(textbox).to_be_focused()
    expect(bot_message(page, "Trois familles de missions")).to_be_visible(timeout=ANSWER_TIMEOUT_MS)

    page.keyboard.type("combien gagne un assistant médical ?")
    expect(textbox).to_have_value("combien gagne un assistant médical ?")
    page.keyboard.press("Enter")
    expect(bot_message(page, SALARY)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator("#assistant-annonces")).to_contain_text(SALARY)

    # Escape closes the conversation and gives the focus back to the launcher.
    page.keyboard.press("Escape")
    expect(page.locator(".rw-conversation-container")).to_have_count(0)
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    assert visit.unexpected_errors() == []


def open_while_connecting(page: "Page", site: Site) -> HeldSocket:
    """The page with its socket held, the conversation opened with the keyboard, the input disabled."""
    socket = HeldSocket(page)
    page.goto(site.url)
    socket.wait_until_held()
    tab_to_the_launcher(page)
    page.keyboard.press("Enter")
    expect(page.locator(".rw-conversation-container")).to_be_visible()
    after_the_widget_scripts_timers(page)  # the focus was asked for while the input was disabled
    expect(page.get_by_role("textbox", name=INPUT_LABEL)).to_be_disabled()
    return socket


@needs_model
def test_opened_while_the_socket_connects_the_focus_reaches_the_input_once_it_is_enabled(visit, site):
    """A slow connection: the visitor opens the conversation while the input is still disabled."""
    page = visit.page
    socket = open_while_connecting(page, site)
    textbox = page.get_by_role("textbox", name=INPUT_LABEL)
    expect(textbox).not_to_be_focused()

    socket.release()
    expect(textbox).to_be_enabled(timeout=ANSWER_TIMEOUT_MS)
    expect(textbox).to_be_focused()
    page.keyboard.type("bonjour")  # typed where the visitor expects it
    expect(textbox).to_have_value("bonjour")


@needs_model
def test_the_focus_is_not_taken_back_from_where_the_visitor_moved_it_while_connecting(visit, site):
    page = visit.page
    socket = open_while_connecting(page, site)
    textbox = page.get_by_role("textbox", name=INPUT_LABEL)
    page.keyboard.press("Shift+Tab")  # the visitor goes elsewhere in the meantime (the history here)
    moved_to = page.evaluate_handle("document.activeElement")
    assert page.evaluate("element => element !== document.body && !element.closest('.rw-launcher')", moved_to)

    socket.release()
    expect(textbox).to_be_enabled(timeout=ANSWER_TIMEOUT_MS)
    after_the_widget_scripts_timers(page)  # widget-a11y.js has seen the input enabled
    assert page.evaluate("element => document.activeElement === element", moved_to)
    expect(textbox).not_to_be_focused()


@needs_model
def test_a_visitor_who_opens_the_conversation_before_the_socket_connects_gets_the_greeting_and_answers(
        visit, site):
    """rasa-webchat 1.0.1 opens a second socket when the conversation is opened before the first has
    connected (its socket is "initialized" only once connected); the channel must still greet the visitor
    and answer in that tab."""
    page = visit.page
    socket = open_while_connecting(page, site)
    socket.release()
    expect(bot_message(page, GREETING)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    textbox = page.get_by_role("textbox", name=INPUT_LABEL)
    expect(textbox).to_be_focused()
    page.keyboard.type("combien gagne un assistant médical ?")
    page.keyboard.press("Enter")
    expect(bot_message(page, SALARY)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    assert visit.unexpected_errors() == []


@needs_model
def test_bot_text_is_shown_as_text_never_as_html(visit, site):
    """A bot message carrying HTML (injected into the real socket) is displayed, not executed."""
    page = visit.page
    sockets = []

    def forward(socket):
        socket.connect_to_server()
        sockets.append(socket)

    page.route_web_socket(re.compile(r".*/socket\.io/.*"), forward)
    page.goto(site.url)
    open_widget(page)
    expect(bot_message(page, GREETING)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    assert sockets, "the widget did not upgrade to a WebSocket"
    hostile = ('Essai <script>window.pirate = 1</script> <img src="x" onerror="window.pirate = 2"> '
               '[lien](javascript:window.pirate=3)')
    sockets[-1].send("42" + json.dumps(["bot_uttered", {"text": hostile}]))

    message = bot_message(page, "Essai")
    expect(message).to_contain_text("<script>window.pirate = 1</script>")
    expect(message).to_contain_text('<img src="x" onerror="window.pirate = 2">')
    assert message.locator("script, img").count() == 0
    assert message.locator("a[href^='javascript']").count() == 0
    page.get_by_text("lien", exact=True).click()
    assert page.evaluate("window.pirate") is None


@needs_model
def test_the_visitor_can_start_a_new_conversation(visit, site):
    page = visit.page
    page.goto(site.url)
    open_widget(page)
    expect(bot_message(page, GREETING)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    page.get_by_role("textbox", name=INPUT_LABEL).fill("combien gagne un assistant médical ?")
    page.get_by_role("textbox", name=INPUT_LABEL).press("Enter")
    expect(bot_message(page, SALARY)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    first_session = session_id(page)

    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^Commencer une nouvelle conversation")).click()
    expect(page.locator(".rw-conversation-container")).to_be_visible()
    expect(bot_message(page, GREETING)).to_be_visible(timeout=ANSWER_TIMEOUT_MS)
    expect(bot_message(page, SALARY)).to_have_count(0)
    assert session_id(page) != first_session


# --- the channel (the page server's routes and headers: tests/test_page_server.py) -----------------

def polling_handshake(rasa_url: str, origin: str):
    request = urllib.request.Request(f"{rasa_url}/socket.io/?EIO=4&transport=polling", headers={"Origin": origin})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers.get("Access-Control-Allow-Origin"), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Access-Control-Allow-Origin"), error.read()


@needs_model
def test_the_socket_accepts_the_configured_origin_only(site):
    status, allowed, _ = polling_handshake(site.rasa_url, site.origin)
    assert status == 200 and allowed == site.origin
    for other in ("http://evil.example", "http://127.0.0.1:1", "null"):
        status, allowed, body = polling_handshake(site.rasa_url, other)
        assert status == 400 and allowed is None and b"not an accepted origin" in body
    # The REST channel still answers (rasa shell, the REST tests and the README's curl use it).
    body = json.dumps({"sender": "widget-test", "message": "bonjour"}).encode()
    request = urllib.request.Request(f"{site.rasa_url}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert "assistant médical" in json.loads(response.read())[0]["text"]
