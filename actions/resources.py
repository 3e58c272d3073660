"""The knowledge base and site settings the actions share, loaded when the action server starts.

A broken file stops the server at start-up with a message naming the file and the entry, rather
than letting it answer visitors from a half-read knowledge base.
"""

import os
from pathlib import Path

from orientation.knowledge import KnowledgeBase
from orientation.loader import KnowledgeBaseError, load_knowledge_dir
from orientation.site_settings import SiteSettings, SiteSettingsError, load_site_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = Path(os.environ.get("KNOWLEDGE_BASE_DIR", PROJECT_ROOT / "knowledge"))
PROFESSION = os.environ.get("PROFESSION", "assistant_medical")
SITE_SETTINGS = Path(os.environ.get("SITE_SETTINGS", PROJECT_ROOT / "site.yml"))


def _load_knowledge_base() -> KnowledgeBase:
    try:
        bases = load_knowledge_dir(KNOWLEDGE_DIR)
    except KnowledgeBaseError as error:
        raise SystemExit(f"Base de connaissances invalide, serveur d'actions arrêté : {error}")
    if PROFESSION not in bases:
        raise SystemExit(f"Aucune base de connaissances pour la profession « {PROFESSION} » dans {KNOWLEDGE_DIR}")
    return bases[PROFESSION]


def _load_site_settings() -> SiteSettings:
    try:
        return load_site_settings(SITE_SETTINGS)
    except SiteSettingsError as error:
        raise SystemExit(f"Réglages du site invalides, serveur d'actions arrêté : {error}")


_KNOWLEDGE_BASE = _load_knowledge_base()
_SITE_SETTINGS = _load_site_settings()


def knowledge_base() -> KnowledgeBase:
    return _KNOWLEDGE_BASE


def site_settings() -> SiteSettings:
    return _SITE_SETTINGS
