"""Serves the assistant's web page on the loopback interface: the page, its script and styles, and the
rasa-webchat bundle installed from npm into web/node_modules (nothing comes from another host).

    .venv/bin/python -m web.serve --port 8080 --socket-url http://127.0.0.1:5005

Every answer carries a Content-Security-Policy that lets the page load only its own files and
connect only to itself and the Rasa server: the Google Fonts stylesheet that the rasa-webchat bundle
imports is blocked before any request leaves the browser, and no other host can be reached.
"""

import argparse
import json
import os
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, Optional, Tuple
from urllib.parse import urlsplit

WEB = Path(__file__).resolve().parent
BUNDLE = WEB / "node_modules" / "rasa-webchat" / "lib" / "index.js"
DEFAULT_PORT = 8080
DEFAULT_SOCKET_URL = "http://127.0.0.1:5005"

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


def make_handler(socket_url: str, quiet: bool = False):
    csp = content_security_policy(socket_url)
    config = config_script(socket_url)

    class Handler(BaseHTTPRequestHandler):
        server_version = "assistant-web"
        sys_version = ""

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._answer(with_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(with_body=False)

        def _answer(self, with_body: bool) -> None:
            path = urlsplit(self.path).path
            if path == "/config.js":
                self._send(HTTPStatus.OK, config, "text/javascript; charset=utf-8", with_body)
            elif path == "/health":
                self._send(HTTPStatus.OK, b"ok\n", "text/plain; charset=utf-8", with_body)
            elif path in FILES:
                file, content_type = FILES[path]
                if file.is_file():
                    self._send(HTTPStatus.OK, file.read_bytes(), content_type, with_body)
                else:
                    message = f"{file.relative_to(WEB)} is missing: run scripts/setup_web.sh (npm ci in web/)\n"
                    self._send(HTTPStatus.SERVICE_UNAVAILABLE, message.encode(), "text/plain; charset=utf-8", with_body)
            elif path == "/favicon.ico":
                self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon", with_body)
            else:
                self._send(HTTPStatus.NOT_FOUND, "Page introuvable.\n".encode(), "text/plain; charset=utf-8", with_body)

        def _send(self, status: HTTPStatus, body: bytes, content_type: str, with_body: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Security-Policy", csp)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            if with_body:
                self.wfile.write(body)

        def log_message(self, format: str, *args) -> None:  # noqa: A002
            if not quiet:
                super().log_message(format, *args)

    return Handler


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=os.environ.get("WEB_HOST", "127.0.0.1"),
                        help="interface to listen on (default 127.0.0.1, loopback only)")
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", DEFAULT_PORT)))
    parser.add_argument("--socket-url", default=os.environ.get("RASA_SOCKET_URL", DEFAULT_SOCKET_URL),
                        help="the Rasa server the widget connects to (socketio channel)")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    args = parser.parse_args(argv)
    if not BUNDLE.is_file():
        print(f"warning: {BUNDLE.relative_to(WEB.parent)} is missing: run scripts/setup_web.sh", file=sys.stderr)
    server = ThreadingHTTPServer((args.host, args.port), make_handler(args.socket_url, args.quiet))
    print(f"Page de l'assistant : http://{args.host}:{server.server_port}/ (Rasa : {args.socket_url})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
