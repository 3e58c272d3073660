"""One source of truth per concept: the knowledge base's topics are the intents that the domain
declares, that the rules answer, that the classifier is taught and tested on, and that the tests and
evaluations check. A topic added to (or removed from) the knowledge base alone fails here, naming
every other place to change (CONTRIBUTING.md, "Add a topic")."""

import re
from collections import Counter

import pytest
import yaml

from evaluation.boundaries import JOB_INTENTS, SAFETY_INTENTS
from tests.conftest import ROOT
from tests.test_actions import TOPIC_CHECKS

# Intents that are not knowledge base topics, and why.
NOT_TOPICS = {
    "greet", "goodbye", "thank", "affirm", "deny", "bot_challenge", "help", "ask_human", "stop",  # the dialogue
    "out_of_scope",  # the fallback's suggestions
    "inform", "ask_eligibility",  # the eligibility check (actions/eligibility.py)
    "ask_details", "ask_sources",  # the last answer's details and sources
    "feedback",  # the answers' 👍 / 👎 (actions/replies.py), read by the counsellors' review
}


def _yaml(path):
    return yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))


def _or_intents(rule):
    return [step["intent"] for branch in rule["steps"] if "or" in branch for step in branch["or"]]


def _rules(path, named):
    return [rule for rule in _yaml(path)["rules"] if rule["rule"] in named]


def _training_intents():
    counts = Counter()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in block:
                counts[block["intent"]] += sum(1 for line in block["examples"].splitlines() if line.strip().startswith("- "))
    return counts


def _relevance_check():
    return next(c for c in _yaml("config.yml")["pipeline"] if c["name"].endswith("RelevanceCheck"))


@pytest.fixture(scope="module")
def question_intents(kb):
    """The intents answered from the knowledge base's topics, the safety topics apart."""
    return {intent for topic in kb.topics.values() for intent in topic.intents} - SAFETY_INTENTS


def test_the_domain_declares_every_topic_and_nothing_that_is_neither_a_topic_nor_listed(kb, domain, question_intents):
    declared = set(domain["intents"])
    assert question_intents | SAFETY_INTENTS <= declared
    assert declared - question_intents - SAFETY_INTENTS == NOT_TOPICS


@pytest.mark.parametrize("path, rule", [
    ("data/rules/questions.yml", "answer a question about the job from the knowledge base"),
    ("data/rules/eligibility.yml", "a question on another topic ends the form and is answered"),
    ("data/rules/eligibility.yml", "an answer the classifier took for a topic question continues the form"),
])
def test_every_topic_list_of_the_rules_is_the_knowledge_bases(path, rule, question_intents):
    [found] = _rules(path, {rule})
    listed = _or_intents(found)
    assert len(listed) == len(set(listed)) and set(listed) == question_intents


def test_every_topic_is_taught_and_held_out_and_the_safety_intents_are_not_taught(question_intents):
    taught = _training_intents()
    assert all(taught[intent] >= 20 for intent in question_intents), {i: taught[i] for i in question_intents if taught[i] < 20}
    assert not SAFETY_INTENTS & set(taught)  # the SafetyDetector gives them, never the classifier
    held_out = {block["intent"] for block in _yaml("tests/nlu_heldout.yml")["nlu"]}
    assert question_intents <= held_out


def test_every_topic_has_an_action_test_and_the_evaluations_know_it(question_intents):
    assert set(TOPIC_CHECKS) == question_intents
    off_job = set(_relevance_check()["off_topic_intents"])  # answered by saying where to look instead
    assert JOB_INTENTS == (question_intents - off_job) | {"ask_eligibility", "inform", "ask_details", "ask_sources"}


def test_the_relevance_check_names_intents_of_the_domain(domain):
    relevance = _relevance_check()
    assert set(relevance["off_topic_intents"]) | set(relevance["dialogue_intents"]) <= set(domain["intents"])


def test_every_reference_to_the_documentation_names_a_file_and_section_that_exist():
    # "docs/measures.md, "Speed"" in a docstring, or a Markdown link to a local file.
    sources = [*ROOT.glob("*.md"), *ROOT.glob("docs/*.md"), *ROOT.glob("*.yml"), ROOT / "Makefile",
               *(path for package in ("actions", "channels", "components", "evaluation", "harness", "launcher",
                                      "maintenance", "orientation", "rasa_patches", "stores", "scripts", "web", "tests")
                 for path in (ROOT / package).rglob("*.py")), ROOT / "settings.py"]
    reference = re.compile(r'(docs/[\w-]+\.md|README\.md|CONTRIBUTING\.md)(?:,\s*\\?"([^"\\]+)\\?")?')
    link = re.compile(r"\]\(((?!https?:)[^)#\s]+)")
    broken = []
    for source in sources:
        text = source.read_text(encoding="utf-8")
        for path, section in reference.findall(text):
            target = ROOT / path
            if not target.exists():
                broken.append(f"{source.name}: {path}")
            elif section and not re.search(rf"(?m)^#+ .*{re.escape(section)}", target.read_text(encoding="utf-8")):
                broken.append(f"{source.name}: {path}, {section!r}")
        if source.suffix == ".md":
            broken += [f"{source.name}: {target}" for target in link.findall(text)
                       if not (source.parent / target).exists()]
    assert broken == []


def test_the_readme_layout_names_every_folder_of_the_project_and_only_those():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("```")[1]
    named = {word.rstrip("/") for word in re.findall(r"(?m)^([\w.]+/)", layout)}
    named |= set(re.findall(r"\b(data)/nlu/", layout))
    folders = {path.name for path in ROOT.iterdir() if path.is_dir() and not path.name.startswith(".")
               and any(path.rglob("*.py")) | any(path.rglob("*.yml")) | any(path.rglob("*.md"))
               and path.name not in ("models", "results", "logs", "var") and not path.name.endswith(".egg-info")}
    assert named == folders


def test_diploma_names_live_in_the_knowledge_base_only():
    # The profile reader reads diplomas from the catalogue; NLU synonyms or lookup tables would be a
    # second list of aliases, bound to disagree with it.
    for path in (ROOT / "data").rglob("*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            assert "synonym" not in block and "lookup" not in block and "regex" not in block, path
