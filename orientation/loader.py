"""Reads knowledge base files and refuses any that is malformed, naming the file, entry and fault.

Counsellors edit these files by hand: every check here turns a silent wrong answer into an error
message they can act on before the assistant ever shows it to a visitor.
"""

from dataclasses import replace
import re
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterable, List, Mapping, Tuple

import yaml

from orientation.knowledge import (
    AUTHORITY_RANK,
    ROUTES,
    UNKNOWN_ROUTE,
    VERDICT_CASES,
    AccessRules,
    Aspect,
    Diploma,
    Figure,
    KnowledgeBase,
    ProfileReading,
    Relative,
    Source,
    Statement,
    Topic,
    VerdictTexts,
    placeholders,
)
from orientation.text import elisions_apart, fold, french_stop_words

SCHEMA_VERSION = 1
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
UNDATED = "non datée"
# Variables the actions supply about the visitor, besides the figures.
VISITOR_VARIABLES = frozenset({"diploma"})
VERDICT_VARIABLES = VISITOR_VARIABLES
# What the profile reader looks for (profile.py); every kind must be listed in `profile_reading`.
CUE_KINDS = (
    "negation", "pseudo_negation", "in_progress", "planned", "abandoned", "faisant_fonction", "level_only", "held", "generic",
    "pronoun_object", "acquired", "elsewhere", "colleague", "becoming", "relative_adjectives", "relative_projects", "counts_as", "foreign", "recognition", "corrections", "additions", "answer_yes", "answer_no", "answer_dont_know",
    "clause_breaks", "medical_secretary", "secretary", "medical_context", "other_context", "self",
)
# Words too common to be a diploma's alias: spaCy's French stop words ("as", "de"…), the reader's own
# answer and negation words ("non", "rien"…), and any word of one or two letters (write those as
# `acronyms`, matched in capitals only).
_READER_WORDS = ("negation", "answer_yes", "answer_no", "answer_dont_know", "self")


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
    profile_reading = _profile_reading(root.get("profile_reading"))
    diplomas = {key: _diploma(key, entry, sources, _common_words(profile_reading)) for key, entry in root.get("diplomas").items()}
    aspects = {key: Aspect(key, _question_words(entry.get("words")), entry.get("topic").text())
               for key, entry in root.get("aspects").items()}
    base = KnowledgeBase(
        path=root.path,
        profession_id=profession.get("id").text(),
        profession_name=profession.get("name").text(),
        sources=sources,
        figures=figures,
        diplomas=diplomas,
        profile_reading=profile_reading,
        access=_access(root.get("access"), sources, diplomas),
        verdicts=_verdicts(root.get("verdicts"), sources, figures),
        topics=_topics(root.get("topics"), sources, figures, aspects),
        aspects=aspects,
        requests=_requests(root.get("requests")),
    )
    for aspect in aspects.values():
        topic = base.topics.get(aspect.topic)
        if topic is None:
            raise root.child("aspects").child(aspect.id).fail(f"sujet « {aspect.topic} » inconnu")
        if not any(aspect.id in fact.aspects for fact in topic.facts):
            raise root.child("aspects").child(aspect.id).fail(f"aucun fait du sujet « {aspect.topic} » ne porte cet aspect")
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


def _common_words(reading: ProfileReading) -> FrozenSet[str]:
    words = set(french_stop_words())
    for kind in _READER_WORDS:
        words.update(w for w in reading.words(kind) if " " not in w)
    return frozenset(words)


def _diploma(key: str, entry: _Reader, sources, common_words: FrozenSet[str]) -> Diploma:
    level = entry.get("level").data
    if level is not None and (not isinstance(level, int) or isinstance(level, bool) or not 0 <= level <= 8):
        raise entry.child("level").fail("un niveau de 0 à 8 (ou null pour « inconnu ») est attendu")
    aliases = _phrases(entry.get("aliases"))
    for alias in aliases:
        if alias in common_words or len(alias.replace(" ", "")) <= 2:
            raise entry.child("aliases").fail(
                f"l'alias « {alias} » est un mot courant du français : il ferait reconnaître ce diplôme dans des phrases "
                "qui n'en parlent pas. Écrivez une expression plus longue, ou un sigle en majuscules dans « acronyms »")
    acronyms = tuple(a.text() for a in entry.child("acronyms").elements()) if "acronyms" in entry.mapping() else ()
    for acronym in acronyms:
        if acronym != acronym.upper():
            raise entry.child("acronyms").fail(f"le sigle « {acronym} » doit être écrit en majuscules")
    in_training = _phrases(entry.child("in_training")) if "in_training" in entry.mapping() else ()
    profession = entry.mapping().get("profession", False)
    if not isinstance(profession, bool):
        raise entry.child("profession").fail("true ou false est attendu")
    return Diploma(key, entry.get("label").text(), level, aliases, acronyms, in_training, profession,
                   entry.get("sources").ids(sources, "source"))


def _phrases(entry: _Reader) -> Tuple[str, ...]:
    return tuple(fold(element.text()) for element in entry.elements())


def _question_words(entry: _Reader) -> Tuple[str, ...]:
    """Words of aspects and requests, in the form orientation.focus compares them with a message: folded,
    each elision a word of its own ("combien d' heures")."""
    return tuple(elisions_apart(phrase) for phrase in _phrases(entry))


def _profile_reading(entry: _Reader) -> ProfileReading:
    missing = [kind for kind in CUE_KINDS if kind not in entry.mapping()]
    if missing:
        raise entry.fail(f"liste(s) manquante(s) : {', '.join(missing)}")
    relatives = {}
    for word, relative in entry.get("relatives").items():
        pronoun = relative.get("pronoun").text()
        if pronoun not in ("il", "elle"):
            raise relative.child("pronoun").fail("« il » ou « elle » est attendu")
        relatives[fold(word)] = Relative(relative.get("name").text(), pronoun)
    return ProfileReading({kind: _phrases(entry.get(kind)) for kind in CUE_KINDS}, relatives)


def _access(entry: _Reader, sources, diplomas) -> AccessRules:
    levels = {}
    for name in ("cqp_level", "cqp_experience_level"):
        value = entry.get(name).data
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 8:
            raise entry.child(name).fail("un niveau de 0 à 8 est attendu")
        levels[name] = value
    return AccessRules(
        direct_diplomas=entry.get("direct_diplomas").ids(diplomas, "diplôme"),
        direct_sources=entry.get("direct_sources").ids(sources, "source"),
        cqp_level=levels["cqp_level"],
        cqp_experience_level=levels["cqp_experience_level"],
        cqp_sources=entry.get("cqp_sources").ids(sources, "source"),
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


# What a short message may ask of the last answer: its details, its sources; or say that it missed.
REQUESTS = ("details", "sources", "misunderstood")


def _requests(entry: _Reader) -> Dict[str, Tuple[str, ...]]:
    missing = [kind for kind in REQUESTS if kind not in entry.mapping()]
    if missing:
        raise entry.fail(f"liste(s) manquante(s) : {', '.join(missing)}")
    return {kind: _question_words(entry.get(kind)) for kind in REQUESTS}


def _fact(entry: _Reader, sources, figures, aspects) -> Statement:
    """A topic's fact: a statement that may be limited to some routes and tagged with aspects."""
    fact = _statement(entry, sources, figures, VISITOR_VARIABLES, allow_only_for=True)
    if "aspects" not in entry.mapping():
        return fact
    return replace(fact, aspects=entry.get("aspects").ids(aspects, "aspect"))


def _check_placeholders(entry: _Reader, text: str, figures, variables: FrozenSet[str]) -> None:
    unknown = sorted(placeholders(text) - set(figures) - variables)
    if unknown:
        raise entry.fail(f"variable(s) inconnue(s) {', '.join('{' + u + '}' for u in unknown)} : déclarez-les dans « figures »")


def _verdicts(entry: _Reader, sources, figures) -> Dict[str, VerdictTexts]:
    missing = [case for case in VERDICT_CASES if case not in entry.mapping()]
    if missing:
        raise entry.fail(f"verdict(s) manquant(s) : {', '.join(missing)}")
    verdicts = {}
    for case, texts in entry.items():
        if case not in VERDICT_CASES:
            raise texts.fail(f"verdict « {case} » inconnu ({', '.join(VERDICT_CASES)})")
        headline = texts.get("headline").text()
        _check_placeholders(texts.child("headline"), headline, figures, VERDICT_VARIABLES)
        verdicts[case] = VerdictTexts(
            headline=headline,
            reasons=tuple(_statement(r, sources, figures, VERDICT_VARIABLES) for r in texts.get("reasons").elements()),
            next_steps=tuple(_statement(s, sources, figures, VERDICT_VARIABLES) for s in texts.get("next_steps").elements()),
            once_obtained=(_statement(texts.get("once_obtained"), sources, figures, VERDICT_VARIABLES)
                           if "once_obtained" in texts.mapping() else None),
            asked_because=(_statement(texts.get("asked_because"), sources, figures, VERDICT_VARIABLES)
                           if "asked_because" in texts.mapping() else None),
        )
    return verdicts


def _topics(entry: _Reader, sources, figures, aspects) -> Dict[str, Topic]:
    topics: Dict[str, Topic] = {}
    owner: Dict[str, str] = {}
    for key, topic in entry.items():
        intents = tuple(i.text() for i in topic.get("intents").elements())
        for intent in intents:
            if intent in owner:
                raise topic.child("intents").fail(f"l'intention « {intent} » est déjà traitée par le sujet « {owner[intent]} »")
            owner[intent] = key
        facts = tuple(_fact(f, sources, figures, aspects) for f in topic.get("facts").elements())
        verdict_when_known = topic.mapping().get("verdict_when_known", False)
        if not isinstance(verdict_when_known, bool):
            raise topic.child("verdict_when_known").fail("true ou false est attendu")
        offers = topic.mapping().get("offers")
        if offers is not None and offers not in entry.mapping():
            raise topic.child("offers").fail(f"sujet « {offers} » inconnu")
        label = topic.child("label").text() if "label" in topic.mapping() else None
        for_routes = []
        for route, other in (topic.get("for_routes").items() if "for_routes" in topic.mapping() else ()):
            if route not in ROUTES:
                raise topic.child("for_routes").fail(f"parcours inconnu : {route} (connus : {', '.join(ROUTES)})")
            if other.text() not in entry.mapping():
                raise other.fail(f"sujet « {other.text()} » inconnu")
            for_routes.append((route, other.text()))
        topics[key] = Topic(key, intents, facts, verdict_when_known, offers, label, tuple(for_routes))
    return topics
