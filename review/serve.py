"""`make review`: the counsellors' review page, on the loopback interface, behind a token.

    REVIEW_TOKEN=<at least 16 random characters> make review      # then open http://127.0.0.1:8090/

Off by default: without REVIEW_TOKEN the server does not start. A counsellor enters the token once
(a form, POST /login); the browser then keeps a session cookie derived from the token (HttpOnly,
SameSite=Strict: another site cannot use it), so changing the token ends every session. Without a
valid session every page answers 401 and shows nothing but the login form. The page reads the
conversation store of ENDPOINTS (endpoints.yml), again when what it read is 30 seconds old; "Ajouter comme exemple" writes to
data/nlu/reviewed_examples.yml (review/teaching.py), "Ignorer" hides a message. Nothing is fetched
from or sent to another host.
"""

import argparse
import hashlib
import hmac
import sys
import time
from typing import Callable, Dict, FrozenSet, List, Optional, Tuple
from urllib.parse import quote, urlsplit

from sanic import Sanic, response
from sanic.request import Request

import settings
from orientation.loader import load_knowledge_dir
from review.conversations import DAY, Conversation, read_conversations
from review.page import render_login, render_page
from review.report import Report, build_report
from review.teaching import Refused, add_example, ignore, ignored, taught_intents

MINIMUM_TOKEN_LENGTH = 16
COOKIE = "review_session"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'"
PERIODS = (1, 7, 30, 90)
FRESH_SECONDS = 30  # a page shown again within this reuses the conversations read: 10,000 take seconds to read


def session_value(token: str) -> str:
    return hmac.new(token.encode(), b"review-session", hashlib.sha256).hexdigest()


def topic_labels() -> Dict[str, str]:
    """Each topic intent's label in the knowledge base ("ask_salary": "Le salaire")."""
    kb = load_knowledge_dir(settings.KNOWLEDGE_BASE_DIR.path())[settings.PROFESSION.value()]
    return {intent: topic.label for topic in kb.topics.values() if topic.label for intent in topic.intents}


class RecentReview:
    """The review of each period, built again once what it was built from is FRESH_SECONDS old or a
    message was taught or ignored since: teaching a message, then seeing the page again, reads the store
    once, and the page still shows what was just taught or ignored."""

    def __init__(self, engine, retention_days: int, clock: Callable[[], float] = time.time) -> None:
        self.engine, self.retention_days, self.clock = engine, retention_days, clock
        self._built: Dict[int, Tuple[float, List[Conversation], FrozenSet[str], Report]] = {}

    def of_last(self, days: int, hidden: FrozenSet[str]) -> Report:
        now = self.clock()
        read_at, conversations, hidden_then, report = self._built.get(days, (None, [], frozenset(), None))
        if read_at is None or now - read_at >= FRESH_SECONDS:
            read_at, conversations = now, read_conversations(self.engine, now - days * DAY, now, self.retention_days)
        elif report is not None and hidden == hidden_then:
            return report
        report = build_report(conversations, hidden)
        self._built[days] = (read_at, conversations, hidden, report)
        return report


def create_app(token: str, endpoints: str, retention_days: int) -> Sanic:
    from maintenance.retention import tracker_store_engine

    recent = RecentReview(tracker_store_engine(endpoints), retention_days)
    app = Sanic("counsellor_review")
    labels = topic_labels()
    expected = session_value(token)

    def signed_in(request: Request) -> bool:
        return hmac.compare_digest(request.cookies.get(COOKIE, ""), expected)

    def same_origin(request: Request) -> bool:
        # A form posted from another site carries its Origin (or "null"); Referrer-Policy same-origin
        # lets the browser send this page's own. SameSite=Strict already keeps the cookie from such posts.
        origin = request.headers.get("origin")
        return origin is None or urlsplit(origin).netloc == request.host

    def page(html: str, status: int = 200) -> response.HTTPResponse:
        return response.html(html, status=status, headers={"Content-Security-Policy": CSP, "Cache-Control": "no-store",
                                                           "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"})

    def period(request: Request) -> int:
        try:
            days = int(request.args.get("days") or request.form.get("days") or 7)
        except (TypeError, ValueError):
            days = 7
        return days if days in PERIODS else 7

    def report_of(days: int):
        return recent.of_last(days, ignored())

    def review(days: int, notice: str = "", status: int = 200) -> response.HTTPResponse:
        return page(render_page(report_of(days), days, sorted(taught_intents()), notice, labels), status)

    def set_aside(text: str, days: int) -> None:
        """The message's whole group leaves the review (taught or ignored): each of its messages is ignored."""
        group = next((g for g in report_of(days).misses if text in g.examples), None)
        for example in group.examples if group else [text]:
            ignore(example)

    @app.get("/")
    async def index(request: Request):
        if not signed_in(request):
            return page(render_login(), 401)
        return review(period(request), request.args.get("notice", ""))

    @app.post("/login")
    async def login(request: Request):
        given = (request.form.get("token") or "").strip()
        if not same_origin(request) or not hmac.compare_digest(given.encode(), token.encode()):
            return page(render_login(failed=True), 401)
        answer = response.redirect("/")
        answer.cookies[COOKIE] = expected
        answer.cookies[COOKIE]["httponly"] = True
        answer.cookies[COOKIE]["samesite"] = "Strict"
        answer.cookies[COOKIE]["path"] = "/"
        return answer

    @app.post("/teach")
    async def teach(request: Request):
        if not (signed_in(request) and same_origin(request)):
            return page(render_login(), 401)
        try:
            written = add_example(request.form.get("intent", ""), request.form.get("text", ""))
            set_aside(request.form.get("text", ""), period(request))  # taught: no longer a miss to review
            notice = f"Ajouté à {request.form.get('intent')} : « {written} ». Lancez make train pour qu'il soit appris."
        except Refused as refusal:
            notice = f"Refusé : {refusal}"
        return response.redirect(f"/?days={period(request)}&notice={quote(notice)}")

    @app.post("/ignore")
    async def hide(request: Request):
        if not (signed_in(request) and same_origin(request)):
            return page(render_login(), 401)
        set_aside(request.form.get("text", ""), period(request))
        return response.redirect(f"/?days={period(request)}&notice={quote('Message ignoré.')}")

    return app


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=settings.value_of("REVIEW_HOST"))
    parser.add_argument("--port", type=int, default=int(settings.value_of("REVIEW_PORT")))
    parser.add_argument("--endpoints", default=settings.value_of("ENDPOINTS"))
    args = parser.parse_args(argv)
    token = settings.value_of("REVIEW_TOKEN") or ""
    if len(token) < MINIMUM_TOKEN_LENGTH:
        print(f"The review page is off: set REVIEW_TOKEN to at least {MINIMUM_TOKEN_LENGTH} random characters "
              "to turn it on (README, \"Commands\").", file=sys.stderr)
        return 2
    app = create_app(token, args.endpoints, int(settings.value_of("DAYS")))
    print(f"Review page on http://{args.host}:{args.port}/ (token: REVIEW_TOKEN)", flush=True)
    app.run(host=args.host, port=args.port, access_log=False, motd=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
