"""Reads knowledge base files and refuses any that is malformed, naming the file, entry and fault.

Counsellors edit these files by hand: every check here turns a silent wrong answer into an error
message they can act on before the assistant ever shows it to a visitor.
"""

import re
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Tuple

import yaml

from orientation.knowledge import (
    AUTHORITY_RANK,
    ROUTES,
    UNKNOWN_ROUTE,
    AccessRules,
    Diploma,
    Figure,
    Job,
    KnowledgeBase,
    Source,
    Statement,
    Topic,
    VerdictTexts,
    placeholders,
)

SCHEMA_VERSION = 1
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
UNDATED = "non datée"
# Variables the actions supply about the visitor, besides the figures.
VISITOR_VARIABLES = frozenset({"diploma", "job"})
VERDICT_VARIABLES = VISITOR_VARIABLES | {"years", "missing_years"}


class KnowledgeBaseError(ValueError):
    """A knowledge base file that cannot be used, with where and why."""

    def __init__(self, path: str, entry: str, problem: str) -> None:
        self.path, self.entry, self.problem = path, entry, problem
        where = f"{path} : entrée « {entry} »" if entry else path
        super().__init__(f"{where} : {problem}")


class _Reader:
    """Walks the parsed YAML, remembering where it is for error messages."""

    def __init__(self, path: str, data: Any, entry: str = "") -> None:
        self.path, self.data, self.entry = path, data, entry

    def fail(self, problem: str) -> KnowledgeBaseError:
        return KnowledgeBaseError(self.path, self.entry, problem)

    def child(self, key: Any) -> "_Reader":
        entry = f"{self.entry}[{key}]" if isinstance(key, int) else ".".join(filter(None, [self.entry, str(key)]))
        return _Reader(self.path, self.data[key], entry)

    def mapping(self) -> Dict[str, Any]:
        if not isinstance(self.data, dict) or not self.data:
            raise self.fail("une liste de clés (clé: valeur) non vide est attendue")
        return self.data

    def get(self, key: str) -> "_Reader":
        if key not in self.mapping():
            raise self.fail(f"la clé « {key} » manque")
        return self.child(key)

    def text(self) -> str:
        if not isinstance(self.data, str) or not self.data.strip():
            raise self.fail("un texte non vide est attendu")
        return self.data.strip()

    def items(self) -> Iterable[Tuple[str, "_Reader"]]:
        return ((key, self.child(key)) for key in self.mapping())

    def elements(self, allow_empty: bool = False) -> List["_Reader"]:
        if not isinstance(self.data, list) or (not self.data and not allow_empty):
            raise self.fail("une liste (lignes commençant par « - ») " + ("est attendue" if allow_empty else "non vide est attendue"))
        return [self.child(i) for i in range(len(self.data))]

    def ids(self, known: Mapping[str, Any], what: str, allow_empty: bool = False) -> Tuple[str, ...]:
        values = tuple(element.text() for element in self.elements(allow_empty))
        unknown = [v for v in values if v not in known]
        if unknown:
            raise self.fail(f"{what} inconnu(s) : {', '.join(unknown)} (connus : {', '.join(sorted(known))})")
        return values


def load_knowledge_base(path: Path) -> KnowledgeBase:
    """Load and validate one knowledge base file."""
    path_text = str(path)
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise KnowledgeBaseError(path_text, "", f"fichier illisible ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise KnowledgeBaseError(path_text, "", "le fichier n'est pas en UTF-8") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" à la ligne {mark.line + 1}, colonne {mark.column + 1}" if mark else ""
        raise KnowledgeBaseError(path_text, "", f"YAML invalide{where} ({getattr(error, 'problem', error)})") from error
    return _build(_Reader(path_text, raw))


def load_knowledge_dir(directory: Path) -> Dict[str, KnowledgeBase]:
    """Load every *.yml file of `directory`, one profession per file, keyed by profession id."""
    files = sorted(Path(directory).glob("*.yml"))
    if not files:
        raise KnowledgeBaseError(str(directory), "", "aucun fichier .yml de base de connaissances")
    bases: Dict[str, KnowledgeBase] = {}
    for file in files:
        base = load_knowledge_base(file)
        if base.profession_id in bases:
            raise KnowledgeBaseError(str(file), "profession.id", f"« {base.profession_id} » est déjà décrit dans {bases[base.profession_id].path}")
        bases[base.profession_id] = base
    return bases


def _build(root: _Reader) -> KnowledgeBase:
    root.mapping()
    version = root.get("schema_version").data
    if version != SCHEMA_VERSION:
        raise root.child("schema_version").fail(f"version {version!r} non prise en charge (attendue : {SCHEMA_VERSION})")
    profession = root.get("profession")
    sources = {key: _source(key, entry) for key, entry in root.get("sources").items()}
    figures = {key: _figure(key, entry, sources) for key, entry in root.get("figures").items()}
    diplomas = {key: _diploma(key, entry) for key, entry in root.get("diplomas").items()}
    jobs = {key: Job(key, entry.get("label").text(), _aliases(entry)) for key, entry in root.get("jobs").items()}
    base = KnowledgeBase(
        path=root.path,
        profession_id=profession.get("id").text(),
        profession_name=profession.get("name").text(),
        sources=sources,
        figures=figures,
        diplomas=diplomas,
        jobs=jobs,
        access=_access(root.get("access"), sources, diplomas, jobs),
        verdicts=_verdicts(root.get("verdicts"), sources, figures),
        topics=_topics(root.get("topics"), sources, figures),
    )
    _check_experience_figure(root, base)
    return base


def _source(key: str, entry: _Reader) -> Source:
    date = entry.get("date")
    date_text = str(date.data) if date.data is not None else ""
    if not (_DATE.match(date_text) or date_text == UNDATED):
        raise date.fail(f"date « {date_text} » invalide : écrivez AAAA, AAAA-MM, AAAA-MM-JJ ou « {UNDATED} »")
    authority = entry.get("authority").text()
    if authority not in AUTHORITY_RANK:
        raise entry.child("authority").fail(f"autorité « {authority} » inconnue ({', '.join(AUTHORITY_RANK)})")
    url = entry.get("url").text() if "url" in entry.mapping() else None
    if url is not None and not url.startswith("https://"):
        raise entry.child("url").fail("l'adresse doit commencer par https://")
    return Source(key, entry.get("title").text(), entry.get("publisher").text(), date_text, authority, url)


def _figure(key: str, entry: _Reader, sources: Mapping[str, Source]) -> Figure:
    value = entry.get("value").data
    if not isinstance(value, (int, float, str)) or isinstance(value, bool) or value == "":
        raise entry.child("value").fail("un nombre ou un texte est attendu")
    return Figure(key, value, entry.get("sources").ids(sources, "source"))


def _diploma(key: str, entry: _Reader) -> Diploma:
    bac_level = entry.get("bac_level").data
    if not isinstance(bac_level, bool):
        raise entry.child("bac_level").fail("true ou false est attendu")
    return Diploma(key, entry.get("label").text(), _aliases(entry), bac_level)


def _aliases(entry: _Reader) -> Tuple[str, ...]:
    return tuple(alias.text() for alias in entry.get("aliases").elements())


def _access(entry: _Reader, sources, diplomas, jobs) -> AccessRules:
    experience_job = entry.get("cqp_entry_experience_job").text()
    if experience_job not in jobs:
        raise entry.child("cqp_entry_experience_job").fail(f"métier « {experience_job} » inconnu")
    return AccessRules(
        direct_diplomas=entry.get("direct_diplomas").ids(diplomas, "diplôme"),
        direct_sources=entry.get("direct_sources").ids(sources, "source"),
        cqp_entry_experience_job=experience_job,
        cqp_entry_sources=entry.get("cqp_entry_sources").ids(sources, "source"),
        cqp_shortened_jobs=entry.get("cqp_shortened_jobs").ids(jobs, "métier"),
        cqp_shortened_sources=entry.get("cqp_shortened_sources").ids(sources, "source"),
    )


def _statement(entry: _Reader, sources, figures, variables: FrozenSet[str], allow_only_for: bool = False) -> Statement:
    text = entry.get("text").text()
    _check_placeholders(entry.child("text"), text, figures, variables)
    cited = entry.get("sources").ids(sources, "source", allow_empty=True)
    only_for = None
    if "only_for" in entry.mapping():
        if not allow_only_for:
            raise entry.child("only_for").fail("« only_for » n'a de sens que dans les faits d'un sujet")
        only_for = frozenset(entry.get("only_for").ids(dict.fromkeys(ROUTES + (UNKNOWN_ROUTE,)), "parcours"))
        if placeholders(text) & VISITOR_VARIABLES and UNKNOWN_ROUTE in only_for:
            raise entry.child("only_for").fail("ce texte parle du profil du visiteur : il ne peut pas être montré au parcours « unknown »")
    elif placeholders(text) & VISITOR_VARIABLES and allow_only_for:
        raise entry.fail("ce texte parle du profil du visiteur : limitez-le avec « only_for » aux parcours où le profil est connu")
    if not cited and not any(name in figures for name in placeholders(text)):
        raise entry.child("sources").fail("chaque fait doit citer au moins une source (ou un chiffre sourcé)")
    return Statement(text, cited, only_for)


def _check_placeholders(entry: _Reader, text: str, figures, variables: FrozenSet[str]) -> None:
    unknown = sorted(placeholders(text) - set(figures) - variables)
    if unknown:
        raise entry.fail(f"variable(s) inconnue(s) {', '.join('{' + u + '}' for u in unknown)} : déclarez-les dans « figures »")


def _verdicts(entry: _Reader, sources, figures) -> Dict[str, VerdictTexts]:
    missing = [route for route in ROUTES if route not in entry.mapping()]
    if missing:
        raise entry.fail(f"verdict(s) manquant(s) : {', '.join(missing)}")
    verdicts = {}
    for route, texts in entry.items():
        if route not in ROUTES:
            raise texts.fail(f"parcours « {route} » inconnu ({', '.join(ROUTES)})")
        headline = texts.get("headline").text()
        _check_placeholders(texts.child("headline"), headline, figures, VERDICT_VARIABLES)
        missing_experience = None
        if "missing_experience" in texts.mapping():
            missing_experience = _statement(texts.get("missing_experience"), sources, figures, VERDICT_VARIABLES)
        verdicts[route] = VerdictTexts(
            headline=headline,
            reasons=tuple(_statement(r, sources, figures, VERDICT_VARIABLES) for r in texts.get("reasons").elements()),
            next_steps=tuple(_statement(s, sources, figures, VERDICT_VARIABLES) for s in texts.get("next_steps").elements()),
            missing_experience=missing_experience,
        )
    return verdicts


def _topics(entry: _Reader, sources, figures) -> Dict[str, Topic]:
    topics: Dict[str, Topic] = {}
    owner: Dict[str, str] = {}
    for key, topic in entry.items():
        intents = tuple(i.text() for i in topic.get("intents").elements())
        for intent in intents:
            if intent in owner:
                raise topic.child("intents").fail(f"l'intention « {intent} » est déjà traitée par le sujet « {owner[intent]} »")
            owner[intent] = key
        facts = tuple(_statement(f, sources, figures, VISITOR_VARIABLES, allow_only_for=True) for f in topic.get("facts").elements())
        verdict_when_known = topic.mapping().get("verdict_when_known", False)
        if not isinstance(verdict_when_known, bool):
            raise topic.child("verdict_when_known").fail("true ou false est attendu")
        topics[key] = Topic(key, intents, facts, verdict_when_known)
    return topics


def _check_experience_figure(root: _Reader, base: KnowledgeBase) -> None:
    # The eligibility engine compares visitors' years with this figure: it must exist and be a number.
    value = base.figures.get("cqp_entry_experience_years")
    if value is None or not isinstance(value.value, (int, float)):
        raise root.child("figures").fail("le chiffre « cqp_entry_experience_years » (nombre d'années) est obligatoire")
