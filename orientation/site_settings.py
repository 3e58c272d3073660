"""Settings of the site hosting the assistant (the human contact), read from a YAML file."""

from dataclasses import dataclass
from pathlib import Path

import yaml


class SiteSettingsError(ValueError):
    pass


@dataclass(frozen=True)
class HumanContact:
    name: str
    details: str


@dataclass(frozen=True)
class SiteSettings:
    human_contact: HumanContact


def load_site_settings(path: Path) -> SiteSettings:
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SiteSettingsError(f"{path} : fichier de réglages illisible ({error})") from error
    contact = raw.get("human_contact") if isinstance(raw, dict) else None
    if not isinstance(contact, dict):
        raise SiteSettingsError(f"{path} : la section « human_contact » manque")
    values = {}
    for key in ("name", "details"):
        value = contact.get(key)
        if not isinstance(value, str) or not value.strip():
            raise SiteSettingsError(f"{path} : entrée « human_contact.{key} » : un texte non vide est attendu")
        values[key] = value.strip()
    return SiteSettings(HumanContact(**values))
