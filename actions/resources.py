"""The knowledge base and site settings the actions share, loaded when the action server starts.

A broken knowledge base stops the server at start-up with a message naming the file and the entry,
rather than letting it answer visitors from a half-read knowledge base. While the server runs, edits
to the knowledge base are picked up within a couple of seconds; an edit that fails validation is
refused and logged, and the last valid version keeps being served.
"""

from pathlib import Path

import settings
from orientation.knowledge import KnowledgeBase
from orientation.loader import KnowledgeBaseError
from orientation.reloading import ProfessionMissingError, ReloadingKnowledgeBase
from orientation.site_settings import SiteSettings, SiteSettingsError, load_site_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = settings.KNOWLEDGE_BASE_DIR.path()
PROFESSION = settings.PROFESSION.value()
SITE_SETTINGS = settings.SITE_SETTINGS.path()


def _watch_knowledge_base() -> ReloadingKnowledgeBase:
    try:
        return ReloadingKnowledgeBase(KNOWLEDGE_DIR, PROFESSION)
    except ProfessionMissingError:
        raise SystemExit(f"Aucune base de connaissances pour la profession « {PROFESSION} » dans {KNOWLEDGE_DIR}")
    except KnowledgeBaseError as error:
        raise SystemExit(f"Base de connaissances invalide, serveur d'actions arrêté : {error}")


def _load_site_settings() -> SiteSettings:
    try:
        return load_site_settings(SITE_SETTINGS)
    except SiteSettingsError as error:
        raise SystemExit(f"Réglages du site invalides, serveur d'actions arrêté : {error}")


_KNOWLEDGE_BASE = _watch_knowledge_base()
_SITE_SETTINGS = _load_site_settings()


def knowledge_base() -> KnowledgeBase:
    """The latest valid knowledge base, re-read if its files changed."""
    return _KNOWLEDGE_BASE.current()


def site_settings() -> SiteSettings:
    return _SITE_SETTINGS
