"""The settings module is the one list of environment variables: the code reads nothing else, and the
README's "Configuration" table is that list."""

import re

import settings
from tests.conftest import ROOT

PRODUCT = ("actions", "channels", "components", "launcher", "maintenance", "orientation", "rasa_patches", "review", "stores", "web")


def test_the_readme_configuration_table_is_the_settings_module():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    assert settings.configuration_table() in section


def test_the_product_reads_no_environment_variable_but_through_settings():
    reads = re.compile(r"os\.environ(?:\.get)?[\[(]|os\.getenv\(")
    found = [f"{path.relative_to(ROOT)}:{number}" for package in PRODUCT for path in (ROOT / package).rglob("*.py")
             if "node_modules" not in path.parts
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if reads.search(line)]
    assert found == []


def test_every_variable_of_the_makefile_scripts_and_production_endpoints_is_listed():
    names = {s.name for s in settings.SETTINGS}
    used = set(re.findall(r"\$\{(\w+)\}", (ROOT / "deploy" / "endpoints.production.yml").read_text()))
    for script in (ROOT / "scripts").glob("*.sh"):
        used |= set(re.findall(r"\$\{(\w+):-", script.read_text()))
    used |= {"RASA_HOST", "ENDPOINTS", "DAYS", "DAYS_REVIEWED"} & set(re.findall(r"^(\w+) \?=", (ROOT / "Makefile").read_text(), re.M))
    assert used and used <= names, used - names


def test_a_blank_variable_is_the_default_and_a_relative_path_is_read_from_the_project(monkeypatch):
    assert settings.PROFESSION.value({"PROFESSION": "  "}) == "assistant_medical"
    assert settings.WEB_PORT.value({"WEB_PORT": " 9090 "}) == "9090"
    assert settings.KNOWLEDGE_BASE_DIR.path({}) == ROOT / "knowledge"
    assert settings.KNOWLEDGE_BASE_DIR.path({"KNOWLEDGE_BASE_DIR": "/srv/kb"}).as_posix() == "/srv/kb"
