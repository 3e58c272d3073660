"""Every environment variable the assistant reads, with its default and what it is for.

The one place to look for configuration: the code reads its settings from here (`Setting.value`),
the Makefile's and deploy/endpoints.production.yml's variables are listed here too, and the README's
"Configuration" table is this list (tests/test_settings.py keeps them equal). No Rasa import.
"""

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Tuple

PROJECT_ROOT = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: Optional[str]  # None: unset by default
    purpose: str
    read_by: str  # who reads it: a module, the Makefile, a YAML file or a test

    def value(self, environ: Optional[Mapping[str, str]] = None) -> Optional[str]:
        """The variable's value, stripped, or the default when it is unset or blank."""
        configured = (os.environ if environ is None else environ).get(self.name, "").strip()
        return configured or self.default

    def path(self, environ: Optional[Mapping[str, str]] = None) -> Path:
        """The value as a path; a relative one is read from the project's root, whatever the working directory."""
        return PROJECT_ROOT / self.value(environ)


# The knowledge and the site (action server).
KNOWLEDGE_BASE_DIR = Setting("KNOWLEDGE_BASE_DIR", "knowledge", "folder of knowledge base files, one profession per file",
                             "actions/resources.py")
PROFESSION = Setting("PROFESSION", "assistant_medical", "which profession of that folder the assistant answers about",
                     "actions/resources.py")
SITE_SETTINGS = Setting("SITE_SETTINGS", "site.yml", "the human counsellor's contact", "actions/resources.py")

# The Rasa server and its channels.
ASSISTANT_API_TOKEN = Setting("ASSISTANT_API_TOKEN", None,
                              "turns Rasa's HTTP API on, behind this token (at least 16 characters); unset: API off",
                              "launcher/api_access.py")
ASSISTANT_SESSION_SECRET = Setting("ASSISTANT_SESSION_SECRET", None,
                                   "signs the widget's session ids (unset: var/session-secret, made on first start); "
                                   "the same on every replica", "channels/widget_sessions.py")
WEBCHAT_ALLOWED_ORIGINS = Setting("WEBCHAT_ALLOWED_ORIGINS", None,
                                  "page origins the channels accept, comma-separated (unset: `cors_allowed_origins` "
                                  "of credentials.yml)", "channels/origins.py")
SANIC_WORKERS = Setting("SANIC_WORKERS", "1", "Rasa server worker processes; more than 1 needs the Redis lock store",
                        "stores/conversation_lock.py")

# The web page server (`python -m web.serve`).
WEB_HOST = Setting("WEB_HOST", "127.0.0.1", "interface the page server listens on", "web/serve.py")
WEB_PORT = Setting("WEB_PORT", "8080", "the web page's port (the socket then accepts that origin)", "web/serve.py")
RASA_SOCKET_URL = Setting("RASA_SOCKET_URL", "http://127.0.0.1:5005", "the Rasa server the page's widget connects to",
                          "web/serve.py")
WEB_TIMEOUT = Setting("WEB_TIMEOUT", "10", "seconds a client has, from connecting, to send its request", "web/serve.py")

# The counsellors' review page (`make review`, review/serve.py).
REVIEW_TOKEN = Setting("REVIEW_TOKEN", None, "turns the review page on, behind this token (at least 16 characters); "
                       "unset: off", "review/serve.py")
REVIEW_HOST = Setting("REVIEW_HOST", "127.0.0.1", "interface the review page listens on", "review/serve.py")
REVIEW_PORT = Setting("REVIEW_PORT", "8090", "the review page's port", "review/serve.py")
REVIEWED_EXAMPLES = Setting("REVIEWED_EXAMPLES", "data/nlu/reviewed_examples.yml",
                            "where the review writes the examples counsellors add (read by `make train`)",
                            "review/teaching.py")
REVIEW_IGNORED = Setting("REVIEW_IGNORED", "var/review-ignored.json", "the missed messages counsellors chose to ignore",
                         "review/teaching.py")

# Commands of the Makefile.
MAKEFILE_SETTINGS = (
    Setting("PYTHON", None, "the interpreter `make install` builds .venv with (unset: found automatically)",
            "scripts/find_python.sh"),
    Setting("RASA_HOST", "127.0.0.1", "interface the Rasa server of `make run` listens on (0.0.0.0 behind a proxy)",
            "Makefile"),
    Setting("ACTION_SERVER_HOST", "127.0.0.1", "interface the action server listens on", "scripts/with_action_server.sh"),
    Setting("ACTION_SERVER_PORT", "5055", "the action server's port (keep endpoints.yml in step)",
            "scripts/with_action_server.sh"),
    Setting("ACTION_SERVER_LOG", "logs/action-server.log", "the action server's log of `make run` / `make shell`",
            "scripts/with_action_server.sh"),
    Setting("WEB_LOG", "logs/web.log", "the page server's log of `make run`", "scripts/with_web_page.sh"),
    Setting("ENDPOINTS", "endpoints.yml", "endpoints file of `make run`, `make shell`, `make purge-conversations`",
            "Makefile"),
    Setting("DAYS", "180", "retention of `make purge-conversations`, in days; the review shows nothing older",
            "Makefile, review/__main__.py"),
    Setting("DAYS_REVIEWED", "7", "the period of `make review-report`, in days up to now", "Makefile"),
)

# Several replicas: deploy/endpoints.production.yml.
PRODUCTION_SETTINGS = tuple(
    Setting(name, None, purpose, "deploy/endpoints.production.yml") for name, purpose in (
        ("ACTION_SERVER_URL", "the action server's webhook"),
        ("DB_HOST", "PostgreSQL host"), ("DB_PORT", "PostgreSQL port"), ("DB_NAME", "PostgreSQL database"),
        ("DB_USER", "PostgreSQL user"), ("DB_PASSWORD", "PostgreSQL password"),
        ("POSTGRESQL_SCHEMA", "PostgreSQL schema of the conversations (Rasa's; unset: the default schema)"),
        ("REDIS_HOST", "Redis host (locks)"), ("REDIS_PORT", "Redis port"),
    )
)

# The tests.
TEST_SETTINGS = (
    Setting("CHROMIUM", "/usr/bin/chromium", "the browser of the widget test", "tests/test_widget_browser.py"),
    Setting("WIDGET_TEST_OUTPUT", "results/widget", "where the widget test saves its screenshots",
            "tests/test_widget_browser.py"),
)

SETTINGS: Tuple[Setting, ...] = (
    KNOWLEDGE_BASE_DIR, PROFESSION, SITE_SETTINGS, ASSISTANT_API_TOKEN, ASSISTANT_SESSION_SECRET,
    WEBCHAT_ALLOWED_ORIGINS, SANIC_WORKERS, WEB_HOST, WEB_PORT, RASA_SOCKET_URL, WEB_TIMEOUT,
    REVIEW_TOKEN, REVIEW_HOST, REVIEW_PORT, REVIEWED_EXAMPLES, REVIEW_IGNORED,
    *MAKEFILE_SETTINGS, *PRODUCTION_SETTINGS, *TEST_SETTINGS,
)


def value_of(name: str, environ: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """The value of the setting called `name` (KeyError for a name this module does not list)."""
    for setting in SETTINGS:
        if setting.name == name:
            return setting.value(environ)
    raise KeyError(f"{name} is not a setting of settings.py")


def configuration_table() -> str:
    """The README's "Configuration" table (Markdown)."""
    rows = ["| setting | default | what for | read by |", "| --- | --- | --- | --- |"]
    rows += [f"| `{s.name}` | {f'`{s.default}`' if s.default else 'unset'} | {s.purpose} | `{s.read_by}` |"
             for s in SETTINGS]
    return "\n".join(rows)


if __name__ == "__main__":
    print(configuration_table())
