"""The page server (web/serve.py), started for real on free loopback ports: its routes and headers, and
its resistance to slow clients (slowloris): a silent client and a client sending its request a byte at a
time are disconnected after --timeout seconds, and hundreds of idle connections neither hold a thread
each nor keep a normal visitor waiting.

No Rasa server is needed: the page only names it (--socket-url) in its Content-Security-Policy and
/config.js. Time bounds are generous (the machine may be loaded); lower bounds are deadlines that the
server cannot beat.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import pytest

from harness.servers import ROOT, free_port, http_get, stop_process, wait_until
from web import serve

pytestmark = pytest.mark.live  # the page server, started for real

SOCKET_URL = "http://127.0.0.1:5999"  # nothing needs to listen there
QUICK_TIMEOUT = 2.0  # --timeout of the server the timeout tests use
PATIENT_TIMEOUT = 300.0  # --timeout of the server that holds a crowd of idle connections
SLACK = 20.0
ENVIRONMENT = ("WEB_HOST", "WEB_PORT", "RASA_SOCKET_URL", "WEB_TIMEOUT")  # what web.serve reads  # how much later than its deadline a loaded machine may close a connection
CSP = serve.content_security_policy(SOCKET_URL)
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-cache",
}


@dataclass
class PageServer:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8")


def start_page_server(log: Path, args: List[str], env: Optional[Dict[str, str]] = None,
                      port: Optional[int] = None) -> PageServer:
    port = port or free_port()
    command = [sys.executable, "-m", "web.serve", *args]
    if env is None:
        command += ["--port", str(port), "--socket-url", SOCKET_URL]
    environment = {key: value for key, value in os.environ.items() if key not in ENVIRONMENT}
    process = subprocess.Popen(command, cwd=ROOT, env=dict(environment, **(env or {})), stdout=log.open("w"),
                               stderr=subprocess.STDOUT)
    server = PageServer(process, port, log)
    try:
        wait_until(lambda: b"ok" in http_get(f"{server.url}/health"), 30, process, log)
    except BaseException:
        stop_process(process)
        raise
    return server


@pytest.fixture(scope="module")
def quick(tmp_path_factory) -> Iterator[PageServer]:
    """A server whose clients have QUICK_TIMEOUT seconds to send their request; requests not logged."""
    server = start_page_server(tmp_path_factory.mktemp("quick") / "web.log", ["--quiet", "--timeout", str(QUICK_TIMEOUT)])
    yield server
    stop_process(server.process)


@pytest.fixture(scope="module")
def patient(tmp_path_factory) -> Iterator[PageServer]:
    """A server that lets idle connections live for minutes, and logs its requests."""
    server = start_page_server(tmp_path_factory.mktemp("patient") / "web.log", ["--timeout", str(PATIENT_TIMEOUT)])
    yield server
    stop_process(server.process)


# --- a raw HTTP client ---------------------------------------------------------------------------

@dataclass
class Answer:
    status: int
    headers: Dict[str, str]
    body: bytes


def raw_request(port: int, data: bytes, timeout: float = 15) -> Answer:
    """Sends `data` as is and reads the answer until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        received = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        assert name.lower() not in headers, f"header {name} sent twice"
        headers[name.lower()] = value.strip()
    assert int(headers["content-length"]) == len(body) or not body
    return Answer(status, headers, body)


def get(port: int, target: str, method: str = "GET", extra: str = "") -> Answer:
    return raw_request(port, f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}\r\n".encode())


def assert_secure_headers(answer: Answer) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert answer.headers.get(name) == value, (name, answer.headers)
    assert answer.headers["server"] == "assistant-web"
    assert answer.headers["connection"] == "close"
    assert answer.headers["date"].endswith(" GMT")


def disconnected_after(sock: socket.socket, started: float, limit: float, drip: bytes = b"",
                       every: float = 0.2) -> float:
    """Seconds from `started` until the server closed `sock` (without answering), sending `drip` a byte
    every `every` seconds meanwhile; fails if the server answers or is still connected at `limit`."""
    sent = 0
    while time.monotonic() - started < limit:
        try:
            if sent < len(drip):
                sock.send(drip[sent:sent + 1])
                sent += 1
            sock.settimeout(every)
            data = sock.recv(4096)
        except socket.timeout:
            continue
        except OSError:  # reset (the server aborts the connection), broken pipe
            return time.monotonic() - started
        assert data == b"", f"the server answered a slow client instead of dropping it: {data[:80]!r}"
        return time.monotonic() - started
    pytest.fail(f"the server kept a slow client connected for {limit:.0f} s (sent {sent} bytes)")


def still_connected(sock: socket.socket) -> bool:
    """Open, and nothing answered (the requests started on it are incomplete)."""
    sock.setblocking(False)
    try:
        sock.recv(1)  # b"": closed; data: an answer to an incomplete request
        return False
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        sock.setblocking(True)


def threads_of(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^Threads:\s+(\d+)", status, re.M).group(1))


# --- slow clients ----------------------------------------------------------------------------------

def test_a_client_that_sends_nothing_is_disconnected_after_the_timeout(quick):
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", quick.port), timeout=10) as sock:
        elapsed = disconnected_after(sock, started, QUICK_TIMEOUT + SLACK)
    assert elapsed >= QUICK_TIMEOUT * 0.9  # the timeout, not something else, closed it


def test_a_client_sending_its_request_a_byte_at_a_time_is_disconnected_after_the_timeout(quick):
    """The deadline is for the whole request head: bytes trickling in do not extend it (they would with
    an inactivity timeout, such as Sanic's REQUEST_TIMEOUT)."""
    slow_head = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 2000
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", quick.port), timeout=10) as sock:
        elapsed = disconnected_after(sock, started, QUICK_TIMEOUT + SLACK, drip=slow_head, every=0.1)
    assert elapsed >= QUICK_TIMEOUT * 0.9
    # Meanwhile and afterwards, the server answers others at once.
    assert http_get(f"{quick.url}/health") == b"ok\n"


def test_hundreds_of_idle_connections_hold_no_thread_and_do_not_delay_a_visitor(patient):
    idle: List[socket.socket] = []
    try:
        for number in range(200):
            sock = socket.create_connection(("127.0.0.1", patient.port), timeout=30)
            if number % 10 == 0:  # some have started a request they will never finish
                sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            idle.append(sock)
        started = time.monotonic()
        with urllib.request.urlopen(f"{patient.url}/", timeout=30) as response:
            page = response.read()
        assert response.status == 200 and b'<html lang="fr">' in page
        assert time.monotonic() - started < 15  # under a second on an idle machine
        # The server holds all of them (none was dropped to make room), on one thread (plus the few of
        # asyncio's resolver pool); http.server held one thread for each.
        assert all(still_connected(sock) for sock in idle)
        assert threads_of(patient.process.pid) < 20
    finally:
        for sock in idle:
            sock.close()
    assert http_get(f"{patient.url}/health") == b"ok\n"


def test_the_listen_backlog_is_128(patient):
    if shutil.which("ss") is None:
        pytest.skip("no `ss` (iproute2) to read the listening socket's backlog")
    output = subprocess.run(["ss", "-ltnH", f"sport = :{patient.port}"], capture_output=True, text=True,
                            check=True).stdout.split()
    somaxconn = int(Path("/proc/sys/net/core/somaxconn").read_text())
    assert output[0] == "LISTEN" and int(output[2]) == min(serve.BACKLOG, somaxconn) == min(128, somaxconn)


# --- routes and headers ----------------------------------------------------------------------------

def test_every_file_of_the_allow_list_is_served_with_its_type_and_the_security_headers(quick):
    for path, (file, content_type) in serve.FILES.items():
        answer = get(quick.port, path)
        assert_secure_headers(answer)
        if file.is_file():
            assert (answer.status, answer.headers["content-type"], answer.body) == (200, content_type, file.read_bytes())
        else:  # only the npm bundle can be missing
            assert answer.status == 503 and path == "/vendor/rasa-webchat.js"
        head = get(quick.port, path, "HEAD")
        assert head.status == answer.status and head.body == b""
        assert head.headers["content-length"] == str(len(answer.body))
        assert head.headers["content-type"] == answer.headers["content-type"]
        assert_secure_headers(head)


def test_config_health_favicon_and_unknown_paths(quick):
    config = get(quick.port, "/config.js")
    assert config.status == 200 and config.headers["content-type"] == "text/javascript; charset=utf-8"
    assert config.body == b'window.ASSISTANT_WIDGET_CONFIG = {"socketUrl": "http://127.0.0.1:5999", ' \
                          b'"socketPath": "/socket.io/"};\n'
    assert_secure_headers(config)
    health = get(quick.port, "/health?probe=1")
    assert (health.status, health.body, health.headers["content-type"]) == (200, b"ok\n", "text/plain; charset=utf-8")
    favicon = get(quick.port, "/favicon.ico")
    assert (favicon.status, favicon.body, favicon.headers["content-length"]) == (204, b"", "0")
    # Absolute-form targets are read for their path, as before.
    assert get(quick.port, f"http://127.0.0.1:{quick.port}/health").body == b"ok\n"
    # No path from the request ever reaches the file system.
    for path in ("/nope", "/serve.py", "/web/serve.py", "/static/../serve.py", "/static/..%2f..%2fserve.py",
                 "/%2e%2e/serve.py", "/static/", "/static/page.css/", "/STATIC/page.css", "/index.html/",
                 "/node_modules/rasa-webchat/lib/index.js", "/.git/config", "//etc/passwd", "/static//page.css"):
        answer = get(quick.port, path)
        assert (answer.status, answer.body) == (404, "Page introuvable.\n".encode()), path
        assert answer.headers["content-type"] == "text/plain; charset=utf-8"
        assert_secure_headers(answer)
        head = get(quick.port, path, "HEAD")
        assert (head.status, head.body) == (404, b"")


def test_a_missing_bundle_is_a_503_saying_what_to_run(monkeypatch):
    missing = serve.WEB / "node_modules" / "absent-package" / "index.js"
    monkeypatch.setitem(serve.FILES, "/vendor/rasa-webchat.js", (missing, "text/javascript; charset=utf-8"))
    status, body, content_type = serve.PageServer(SOCKET_URL).answer("/vendor/rasa-webchat.js")
    assert status == 503 and content_type == "text/plain; charset=utf-8"
    assert body == b"node_modules/absent-package/index.js is missing: run scripts/setup_web.sh (npm ci in web/)\n"


def test_only_get_and_head_without_a_body_are_accepted(quick):
    for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "get"):
        answer = get(quick.port, "/", method)
        assert (answer.status, answer.headers["allow"]) == (405, "GET, HEAD"), method
        assert_secure_headers(answer)
    # A body is refused without being read, and the answer still reaches the client.
    posted = raw_request(quick.port, b"POST /health HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                     b"Content-Length: 40000\r\n\r\n" + b"x" * 40000)
    assert posted.status == 405
    for extra in ("Content-Length: 5\r\n", "Transfer-Encoding: chunked\r\n"):
        answer = raw_request(quick.port, f"GET /health HTTP/1.1\r\nHost: x\r\n{extra}\r\nhello".encode())
        assert answer.status == 413 and answer.body != b"ok\n"
    assert get(quick.port, "/health", extra="Content-Length: 0\r\n").body == b"ok\n"


def test_malformed_or_oversized_requests_are_refused(quick):
    for request in (b"HELLO\r\n\r\n", b"GET /\r\n\r\n", b"GET / HTTP/2.0\r\n\r\n", b"GET  / HTTP/1.1\r\n\r\n",
                    b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n", b"GET / HTTP/1.1\r\n Folded: x\r\n\r\n",
                    b"GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"):
        answer = raw_request(quick.port, request)
        assert answer.status == 400, request
        assert_secure_headers(answer)
    huge = raw_request(quick.port, b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Big: " + b"a" * 40000 + b"\r\n\r\n")
    assert huge.status == 431
    # HTTP/1.0, blank lines before the request line and lines ending with a bare LF are fine.
    assert raw_request(quick.port, b"\r\nGET /health HTTP/1.0\r\n\r\n").body == b"ok\n"
    assert raw_request(quick.port, b"GET /health HTTP/1.1\nHost: x\n\n").body == b"ok\n"


def test_the_page_loads_only_from_itself_and_the_rasa_server(quick):
    if not serve.BUNDLE.exists():
        pytest.fail("web/node_modules is missing: run scripts/setup_web.sh (npm ci in web/)", pytrace=False)
    with urllib.request.urlopen(f"{quick.url}/", timeout=15) as response:
        policy = response.headers["Content-Security-Policy"]
        page = response.read().decode()
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "connect-src 'self' http://127.0.0.1:5999 ws://127.0.0.1:5999" in policy
    assert "fonts.googleapis" not in policy and "https://" not in policy
    # Every script and stylesheet of the page is the site's own (no CDN).
    assert not re.findall(r'(?:src|href)="(?!/)[^"]*"', page)
    # The widget is rasa-webchat as installed from npm, served by the project itself.
    with urllib.request.urlopen(f"{quick.url}/vendor/rasa-webchat.js", timeout=15) as response:
        assert response.read() == serve.BUNDLE.read_bytes()
    installed = json.loads((serve.BUNDLE.parent.parent / "package.json").read_text())
    assert installed["name"] == "rasa-webchat" and installed["version"] == "1.0.1"
    assert json.loads((ROOT / "web" / "package.json").read_text())["dependencies"] == {"rasa-webchat": "1.0.1"}


# --- command line, log, stop ---------------------------------------------------------------------

REQUEST_LOG_LINE = re.compile(r'^127\.0\.0\.1 - - \[\d\d/\w{3}/\d{4} \d\d:\d\d:\d\d\] "(.*)" (\d{3}) -$', re.M)


def test_the_start_line_and_the_request_log(quick, patient):
    for server in (quick, patient):
        assert f"Page de l'assistant : http://127.0.0.1:{server.port}/ (Rasa : {SOCKET_URL})" in \
            server.log_text().splitlines()
    get(patient.port, "/static/page.css?v=2")
    get(patient.port, "/nope")
    deadline = time.monotonic() + 15
    while '"GET /nope HTTP/1.1" 404 -' not in patient.log_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    logged = REQUEST_LOG_LINE.findall(patient.log_text())
    assert ("GET /static/page.css?v=2 HTTP/1.1", "200") in logged and ("GET /nope HTTP/1.1", "404") in logged
    # --quiet: no line per request (the other tests' requests to this server were answered before).
    get(quick.port, "/health")
    assert REQUEST_LOG_LINE.findall(quick.log_text()) == []


def test_the_environment_sets_port_rasa_and_timeout_and_the_default_is_the_loopback_interface(tmp_path):
    port = free_port()
    environment = {"WEB_PORT": str(port), "RASA_SOCKET_URL": "http://127.0.0.1:5998", "WEB_TIMEOUT": "1"}
    server = start_page_server(tmp_path / "web.log", [], env=environment, port=port)
    try:
        assert f"Page de l'assistant : http://127.0.0.1:{port}/ (Rasa : http://127.0.0.1:5998)" in \
            server.log_text().splitlines()
        if shutil.which("ss"):
            listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True,
                                       check=True).stdout.split()
            assert listening[3] == f"127.0.0.1:{port}", listening
        assert b"http://127.0.0.1:5998" in get(port, "/config.js").body
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            assert disconnected_after(sock, started, 1 + SLACK) >= 0.9
    finally:
        stop_process(server.process)


@pytest.mark.parametrize("value", ["0", "-1", "abc", "inf", "nan"])
def test_a_wrong_timeout_is_refused(value):
    result = subprocess.run([sys.executable, "-m", "web.serve", "--port", "1", "--timeout", value], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "--timeout" in result.stderr


def test_sigterm_stops_the_server_even_with_connections_open(tmp_path):
    server = start_page_server(tmp_path / "web.log", ["--quiet", "--timeout", str(PATIENT_TIMEOUT)])
    idle = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(5)]
    try:
        server.process.terminate()
        assert server.process.wait(timeout=20) == 0
        for sock in idle:
            sock.settimeout(10)
            try:
                assert sock.recv(1) == b""
            except ConnectionResetError:
                pass
    finally:
        for sock in idle:
            sock.close()
        stop_process(server.process)
