"""Serves the assistant's web page on the loopback interface: the page, its script and styles, and the
rasa-webchat bundle installed from npm into web/node_modules (nothing comes from another host).

    .venv/bin/python -m web.serve --port 8080 --socket-url http://127.0.0.1:5005

Every answer carries a Content-Security-Policy that lets the page load only its own files and
connect only to itself and the Rasa server: the Google Fonts stylesheet that the rasa-webchat bundle
imports is blocked before any request leaves the browser, and no other host can be reached.

The server is one asyncio event loop (no thread per connection), and every connection has deadlines
that a slow or silent client cannot stretch (slowloris): the whole request head must arrive within
--timeout seconds of connecting (default 10), however the bytes are spread out, and the answer must be
taken within RESPONSE_TIMEOUT seconds; otherwise the connection is closed. Only GET and HEAD are
served, without a request body; one request per connection (Connection: close).
"""

import argparse
import asyncio
import json
import math
import re
import signal
import sys
import time
from email.utils import formatdate
from http import HTTPStatus
from pathlib import Path
from typing import Dict, List, Optional, Tuple
from urllib.parse import urlsplit

import settings

WEB = Path(__file__).resolve().parent
BUNDLE = WEB / "node_modules" / "rasa-webchat" / "lib" / "index.js"
DEFAULT_PORT = 8080
DEFAULT_SOCKET_URL = "http://127.0.0.1:5005"
# Seconds a client has, from the moment it connects, to send its whole request head (WEB_TIMEOUT, --timeout).
DEFAULT_TIMEOUT = 10.0
# Seconds a client has to take the whole answer (the bundle, 0.7 MB, is the largest).
RESPONSE_TIMEOUT = 60.0
# Seconds the server waits, after answering, for the client to close (so that unread request bytes do not
# turn the close into a reset that would destroy the answer before the client reads it).
LINGER_TIMEOUT = 2.0
LINGER_BYTES = 64 * 1024
# Largest request head (request line and headers); the page's requests are well under 2 KiB.
MAX_HEAD_BYTES = 16 * 1024
# Connections the kernel queues before the server accepts them (http.server's default was 5).
BACKLOG = 128
SERVER_NAME = "assistant-web"
METHODS = ("GET", "HEAD")
TEXT = "text/plain; charset=utf-8"
# The blank line that ends a request head; lines may end with a bare LF, as http.server accepted.
HEAD_END = re.compile(rb"\r?\n\r?\n")

# URL path -> (file, content type). Nothing else is served: no listing, no path from the request.
FILES: Dict[str, Tuple[Path, str]] = {
    "/": (WEB / "index.html", "text/html; charset=utf-8"),
    "/index.html": (WEB / "index.html", "text/html; charset=utf-8"),
    "/static/page.css": (WEB / "static" / "page.css", "text/css; charset=utf-8"),
    "/static/widget.js": (WEB / "static" / "widget.js", "text/javascript; charset=utf-8"),
    "/static/widget-a11y.js": (WEB / "static" / "widget-a11y.js", "text/javascript; charset=utf-8"),
    "/vendor/rasa-webchat.js": (BUNDLE, "text/javascript; charset=utf-8"),
}


def socket_origins(socket_url: str) -> Tuple[str, str]:
    """The Rasa server's origin for HTTP (socket.io polling) and for WebSocket."""
    parts = urlsplit(socket_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"--socket-url must be http(s)://host:port, not {socket_url!r}")
    ws_scheme = "wss" if parts.scheme == "https" else "ws"
    return f"{parts.scheme}://{parts.netloc}", f"{ws_scheme}://{parts.netloc}"


def content_security_policy(socket_url: str) -> str:
    http_origin, ws_origin = socket_origins(socket_url)
    return "; ".join([
        "default-src 'none'",
        "script-src 'self'",
        # rasa-webchat injects its styles as <style> elements at run time.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        # slick-carousel (inside the bundle) embeds its icon font as data: URLs.
        "font-src 'self' data:",
        f"connect-src 'self' {http_origin} {ws_origin}",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'self'",
    ])


def config_script(socket_url: str) -> bytes:
    settings = {"socketUrl": socket_origins(socket_url)[0], "socketPath": "/socket.io/"}
    return f"window.ASSISTANT_WIDGET_CONFIG = {json.dumps(settings)};\n".encode()


class BadRequest(Exception):
    """A request the server does not accept: the status and the text answered."""

    def __init__(self, status: HTTPStatus, text: str, headers: Tuple[Tuple[str, str], ...] = ()) -> None:
        super().__init__(text)
        self.status, self.text, self.headers = status, text, headers


class PageServer:
    """Answers one request per connection, from the allow-list FILES, /config.js and /health."""

    def __init__(self, socket_url: str, quiet: bool = False, timeout: float = DEFAULT_TIMEOUT,
                 response_timeout: float = RESPONSE_TIMEOUT) -> None:
        self.csp = content_security_policy(socket_url)
        self.config = config_script(socket_url)
        self.quiet = quiet
        self.timeout = timeout
        self.response_timeout = response_timeout

    # --- what is answered ------------------------------------------------------------------------
    def answer(self, path: str) -> Tuple[HTTPStatus, bytes, str]:
        if path == "/config.js":
            return HTTPStatus.OK, self.config, "text/javascript; charset=utf-8"
        if path == "/health":
            return HTTPStatus.OK, b"ok\n", TEXT
        if path in FILES:
            file, content_type = FILES[path]
            if file.is_file():
                return HTTPStatus.OK, file.read_bytes(), content_type
            message = f"{file.relative_to(WEB)} is missing: run scripts/setup_web.sh (npm ci in web/)\n"
            return HTTPStatus.SERVICE_UNAVAILABLE, message.encode(), TEXT
        if path == "/favicon.ico":
            return HTTPStatus.NO_CONTENT, b"", "image/x-icon"
        return HTTPStatus.NOT_FOUND, "Page introuvable.\n".encode(), TEXT

    def response_head(self, status: HTTPStatus, content_type: str, length: int,
                      extra: Tuple[Tuple[str, str], ...] = ()) -> bytes:
        headers: List[Tuple[str, str]] = [
            ("Server", SERVER_NAME),
            ("Date", formatdate(usegmt=True)),
            ("Content-Type", content_type),
            ("Content-Length", str(length)),
            ("Content-Security-Policy", self.csp),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            ("Cache-Control", "no-cache"),
            *extra,
            ("Connection", "close"),
        ]
        lines = [f"HTTP/1.1 {status.value} {status.phrase}"] + [f"{name}: {value}" for name, value in headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    # --- one connection --------------------------------------------------------------------------
    async def read_head(self, reader: asyncio.StreamReader) -> Optional[bytes]:
        """The request head (up to its blank line), or None when the client closed or sent nothing in time.

        One deadline for the whole head, counted from the connection: sending it a byte at a time does
        not extend it (an inactivity timeout, such as Sanic's REQUEST_TIMEOUT, is reset by every byte;
        http.server had no timeout at all)."""
        deadline = time.monotonic() + self.timeout
        buffer = bytearray()
        while True:
            end = HEAD_END.search(buffer)
            if end:
                return bytes(buffer[:end.start()])
            if len(buffer) > MAX_HEAD_BYTES:
                raise BadRequest(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "En-têtes de requête trop longs.\n")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise asyncio.TimeoutError
            chunk = await asyncio.wait_for(reader.read(4096), remaining)
            if not chunk:
                return None
            buffer += chunk
            # Blank lines before the request line are tolerated (RFC 9112, 2.2).
            del buffer[:len(buffer) - len(buffer.lstrip(b"\r\n"))]

    @staticmethod
    def parse(head: bytes) -> Tuple[str, str, str]:
        """(method, path, request line) of a GET or HEAD without a body; BadRequest for anything else."""
        lines = [line[:-1] if line.endswith("\r") else line for line in head.decode("latin-1").split("\n")]
        request_line = lines[0]
        parts = request_line.split(" ")
        if len(parts) != 3 or not parts[1] or parts[2] not in ("HTTP/1.0", "HTTP/1.1"):
            raise BadRequest(HTTPStatus.BAD_REQUEST, "Requête invalide.\n")
        method, target, _ = parts
        has_body = False
        for line in lines[1:]:
            name, colon, value = line.partition(":")
            if not colon or not name or name != name.strip():
                raise BadRequest(HTTPStatus.BAD_REQUEST, "Requête invalide.\n")
            name, value = name.lower(), value.strip()
            if name == "transfer-encoding":
                has_body = True
            elif name == "content-length":
                if not value.isdigit():
                    raise BadRequest(HTTPStatus.BAD_REQUEST, "Requête invalide.\n")
                has_body = has_body or int(value) > 0
        if method not in METHODS:
            raise BadRequest(HTTPStatus.METHOD_NOT_ALLOWED, "Méthode non autorisée.\n", (("Allow", ", ".join(METHODS)),))
        if has_body:
            raise BadRequest(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "Cette page n'accepte pas de corps de requête.\n")
        try:
            path = urlsplit(target).path
        except ValueError:
            raise BadRequest(HTTPStatus.BAD_REQUEST, "Requête invalide.\n") from None
        return method, path, request_line

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        transport = writer.transport
        # drain() then waits until the whole answer has left for the kernel, not just most of it.
        transport.set_write_buffer_limits(high=0)
        try:
            request_line = "-"
            try:
                head = await self.read_head(reader)
                if head is None:
                    return  # closed by the client before a whole request
                request_line = head.split(b"\n", 1)[0].rstrip(b"\r").decode("latin-1")
                method, path, request_line = self.parse(head)
            except BadRequest as refused:
                status, body, content_type = refused.status, refused.text.encode(), TEXT
                extra, with_body = refused.headers, True
            else:
                status, body, content_type = self.answer(path)
                extra, with_body = (), method == "GET"
            writer.write(self.response_head(status, content_type, len(body), extra))
            if with_body and body:
                writer.write(body)
            self.log(writer, request_line, status)
            await asyncio.wait_for(writer.drain(), self.response_timeout)
            await self.linger(reader, writer)
        except (asyncio.TimeoutError, ConnectionError):
            transport.abort()  # silent, too slow to send its request or to take the answer, or gone
        except Exception as error:  # noqa: BLE001 (one broken connection must not stop the server)
            print(f"web.serve: error on a connection: {error!r}", file=sys.stderr, flush=True)
            transport.abort()
        finally:
            transport.close()

    async def linger(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Says "no more data" and waits briefly for the client's close, reading what it still sends."""
        if not writer.can_write_eof():
            return
        writer.write_eof()
        deadline = time.monotonic() + min(LINGER_TIMEOUT, self.timeout)
        discarded = 0
        while discarded < LINGER_BYTES:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            try:
                chunk = await asyncio.wait_for(reader.read(4096), remaining)
            except (asyncio.TimeoutError, ConnectionError):
                return
            if not chunk:
                return
            discarded += len(chunk)

    def log(self, writer: asyncio.StreamWriter, request_line: str, status: HTTPStatus) -> None:
        """One line per request on stderr, in http.server's format (none with --quiet)."""
        if self.quiet:
            return
        peer = writer.get_extra_info("peername")
        client = peer[0] if isinstance(peer, tuple) else "-"
        now = time.localtime()
        stamp = time.strftime("%d/", now) + ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                                              "Nov", "Dec")[now.tm_mon - 1] + time.strftime("/%Y %H:%M:%S", now)
        # Control characters from the request are shown escaped, never written to the terminal or log.
        shown = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in request_line)
        sys.stderr.write(f'{client} - - [{stamp}] "{shown}" {status.value} -\n')
        sys.stderr.flush()


async def serve(host: str, port: int, page: PageServer, socket_url: str) -> None:
    server = await asyncio.start_server(page.handle, host, port, backlog=BACKLOG, limit=MAX_HEAD_BYTES)
    bound_port = server.sockets[0].getsockname()[1]
    print(f"Page de l'assistant : http://{host}:{bound_port}/ (Rasa : {socket_url})", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, stop.set)
        except (NotImplementedError, RuntimeError):  # not on the main thread, or not on Unix
            pass
    try:
        await stop.wait()
    finally:
        # Not wait_closed(): connections still open are cut when asyncio.run() cancels their tasks.
        server.close()


def positive_seconds(text: str) -> float:
    value = float(text)
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, not {text!r}")
    return value


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=settings.WEB_HOST.value(),
                        help="interface to listen on (default 127.0.0.1, loopback only)")
    parser.add_argument("--port", type=int, default=int(settings.WEB_PORT.value()))
    parser.add_argument("--socket-url", default=settings.RASA_SOCKET_URL.value(),
                        help="the Rasa server the widget connects to (socketio channel)")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    # A string default goes through `type` too: a wrong WEB_TIMEOUT is reported as a wrong --timeout.
    parser.add_argument("--timeout", type=positive_seconds, default=settings.WEB_TIMEOUT.value(),
                        help="seconds a client has, from connecting, to send its request "
                             f"(default {DEFAULT_TIMEOUT:g}, WEB_TIMEOUT)")
    args = parser.parse_args(argv)
    page = PageServer(args.socket_url, quiet=args.quiet, timeout=args.timeout)
    if not BUNDLE.is_file():
        print(f"warning: {BUNDLE.relative_to(WEB.parent)} is missing: run scripts/setup_web.sh", file=sys.stderr)
    try:
        asyncio.run(serve(args.host, args.port, page, args.socket_url))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
