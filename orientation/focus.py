"""What a question asks of a topic: its aspects ("ça dure combien ?" → duree), read from the knowledge base.

A topic's answer puts the facts tagged with the question's aspects first (orientation.answers). The
aspects also let the assistant follow the conversation: "et en alternance ?" after the training is a
question on the last topic, and "je peux exercer directement, et ça paye combien ?" asks a second topic.
"""

import re
from typing import Iterable, List, Optional, Sequence, Tuple

from orientation.knowledge import KnowledgeBase, Topic
from orientation.relevance import content_words
from orientation.safety import DISTRESS, HEALTH
from orientation.text import elisions_apart, expand_sms, fold, normalise
from orientation.typos import one_edit_apart

# Where a message holds a second question: a question mark, a semicolon, or "et".
_QUESTION_BREAK = re.compile(r"\?|;|(?<!\w)et(?!\w)")
SECOND_QUESTION_FLOOR = 0.1  # a classifier's guess worth considering for a second question
MAX_FOLLOW_UP_WORDS = 8  # "et si c'est à mi-temps ?": a follow-up is short
# A question this short asks what its aspect says; a longer message (a story) names aspects in passing.
MAX_QUESTION_WORDS = 12
PROFESSION_STEM = 6  # letters: "assistantes medicales", "assistants medicaux" name "assistant médical"
# Requests on the last answer ("vous avez le lien ?") are short too.
MAX_REQUEST_WORDS = 8
MAX_COMPLAINT_WORDS = 15  # "je comprends rien à vos réponses, c'est pas ce que je demande"; a story says more
_YES_OR_NO = ("oui", "non", "nan", "ouais", "si")
REQUEST_TYPO_MIN_LENGTH = 6  # "soruces" is "sources"; "lien" typed "rien" is not
_BACK_REFERENCES = ("et", "elle", "il", "ca", "c", "ce", "sinon", "alors", "du", "donc", "mais", "ok", "bon", "pour")
# A pronoun after its verb stands for what was said before ("combien de temps dure-t-elle ?"), but the
# impersonal "il" of "faut-il", "y a-t-il", "existe-t-il" does not.
_INVERTED_PRONOUN = re.compile(r"(?<!-t)(?<!\bfaut)(?<!\ba)(?<!\bagit)(?<!\bsuffit)(?<!\breste)(?<!\bexiste)(?<!\bvaut)"
                               r"-(?:t-)?(?:il|ils|elle|elles)\b")


def _folded(text: str) -> str:
    """The message as the aspects' words are written (orientation.loader): folded, SMS forms written out
    ("cb" = "combien"), elisions apart ("d' organismes")."""
    return " " + elisions_apart(re.sub(r"[^\w'-]+", " ", normalise(text).lower())) + " "


def _names(folded: str, phrases: Iterable[str]) -> bool:
    return any(f" {phrase} " in folded for phrase in phrases)


def aspects_named(kb: KnowledgeBase, text: str, typos: bool = False) -> Tuple[str, ...]:
    """The aspects the message names, the most specific first (the knowledge base's order); `typos`: also
    a word typed with one typo ("le salair en début"), enough to keep a topic, not to choose another one
    ("il embauche" is no question on the number of hires)."""
    folded = _folded(text)
    return tuple(aspect.id for aspect in kb.aspects.values()
                 if _names(folded, aspect.words) or (typos and _names_with_a_typo(folded, aspect.words)))


def request_named(kb: KnowledgeBase, text: str) -> Optional[str]:
    """"sources" or "details" when a short message asks for the last answer's sources or details."""
    folded = _folded(text)
    if _word_count(text) > MAX_REQUEST_WORDS:
        return None
    return next((kind for kind in ("sources", "details") if _names(folded, kb.requests[kind])
                 or _names_with_a_typo(folded, kb.requests[kind])), None)


def says_misunderstood(kb: KnowledgeBase, text: str) -> bool:
    """Whether the message says the assistant missed ("vous comprenez rien", "c'est pas ce que je demande")
    and nothing else: not a question on the job ("c'est pas ça, je voulais le net"), not a diploma ("c'est
    pas ça, je suis aide-soignante"), not a yes or no, which answer the assistant's own question ("non, c'est
    pas ça"; but "non mais vous comprenez pas" is annoyance)."""
    folded = _folded(text)
    words = folded.split()
    answers = bool(words) and words[0] in _YES_OR_NO and words[1:2] != ["mais"]  # "non mais…" is annoyance
    if not words or answers or _word_count(text) > MAX_COMPLAINT_WORDS:
        return False
    complaints = [phrase for phrase in kb.requests["misunderstood"] if f" {phrase} " in folded]
    if not complaints:
        return False
    rest = folded
    for phrase in complaints:  # "je comprends rien" names no aspect ("comprend": the training's content)
        rest = rest.replace(f" {phrase} ", "  ")
    return not mentions_the_job(kb, rest) and not any(_names(rest, d.aliases) for d in kb.diplomas.values())


def _names_with_a_typo(folded: str, phrases: Iterable[str]) -> bool:
    """A one-word phrase of REQUEST_TYPO_MIN_LENGTH letters or more typed with one typo ("vos soruces ?",
    "le salair en debut")."""
    words = folded.split()
    return any(one_edit_apart(phrase, word) for phrase in phrases
               if len(phrase) >= REQUEST_TYPO_MIN_LENGTH and re.fullmatch(r"\w+", phrase) for word in words)


def covers(topic: Topic, aspects: Iterable[str]) -> bool:
    """Whether one of the topic's facts answers one of the aspects."""
    wanted = set(aspects)
    return any(wanted & set(fact.aspects) for fact in topic.facts)


def _word_count(text: str) -> int:
    return len(re.findall(r"[\w'-]+", fold(text)))


def is_follow_up(text: str) -> bool:
    """A short message that may lean on the conversation ("et en alternance ?", "elle dure combien ?")."""
    return _word_count(text) <= MAX_FOLLOW_UP_WORDS


def is_short_question(text: str) -> bool:
    """A message short enough to ask what its aspect says (a longer one names aspects in passing)."""
    return _word_count(text) <= MAX_QUESTION_WORDS


def _profession_stems(kb: KnowledgeBase) -> List[str]:
    """The beginnings of the job's name that its forms share ("assistantes medicales", "assistants medicaux")."""
    return [w[:PROFESSION_STEM] for w in content_words(kb.profession_name)]


def names_the_profession(kb: KnowledgeBase, text: str) -> bool:
    """Whether the message names the job itself ("assistants médicaux", "assistante medicale")."""
    stems = _profession_stems(kb)
    words = content_words(normalise(text))
    return bool(stems) and all(any(w.startswith(stem) for w in words) for stem in stems)


def refers_back(text: str) -> bool:
    """"et …", "elle …", "ça …", "dure-t-elle ?": the message continues the conversation rather than naming
    a subject."""
    folded = fold(expand_sms(text))
    words = folded.replace("'", " ").split()
    return bool(words) and (words[0] in _BACK_REFERENCES or _INVERTED_PRONOUN.search(folded) is not None)


def follow_up_topic(kb: KnowledgeBase, text: str, last_topic: Optional[str],
                    classified: Optional[Topic]) -> Optional[Topic]:
    """The last topic answered, when a short message asks one of its aspects and the topic the classifier
    chose (if any) does not answer that aspect, or the message refers back ("elle dure combien ?" after
    the FAE is the FAE's, not the CQP's)."""
    topic = kb.topics.get(last_topic or "")
    aspects = aspects_named(kb, text, typos=True)
    if topic is None or not aspects or not is_follow_up(text) or not covers(topic, aspects):
        return None
    if classified is not None and classified.id != topic.id and covers(classified, aspects) and not refers_back(text):
        return None
    return topic


def bare_follow_up(kb: KnowledgeBase, text: str, aspects: Sequence[str]) -> bool:
    """Nothing but the aspects named (`aspects_named`) and words that lean on the conversation ("et ça dure
    cb de temps ?"); not "et infirmière, ça dure combien ?", which names another subject."""
    named = {w for a in aspects for phrase in kb.aspects[a].words for w in re.findall(r"\w+", phrase)}
    return bool(aspects) and all(w in named for w in content_words(normalise(text)))


def back_to_the_job(kb: KnowledgeBase, text: str, last_topic: Optional[str], last_aspects: Sequence[str]) -> Optional[Topic]:
    """After an answer outside the job ("combien gagne une infirmière ?", answered with where to ask), "et
    assistant médical alors ?" asks the same of the job: the topic of the aspects that question named. Only
    a short message that refers back and names nothing but the job ("et pour une assistante médicale ?");
    "et assistant médical, c'est accessible ?" asks something else."""
    topic = kb.topics.get(last_topic or "")
    if topic is None or topic.label is not None or is_safety_topic(topic):
        return None
    if not (is_follow_up(text) and refers_back(text) and names_the_profession(kb, text)):
        return None
    stems = _profession_stems(kb)
    other = [w for w in content_words(normalise(text)) if w != "metier" and not any(w.startswith(s) for s in stems)]
    aspects = [aspect for aspect in last_aspects if aspect in kb.aspects]
    return home_topic(kb, aspects) if aspects and not other else None


def topic_asked(kb: KnowledgeBase, text: str, last_topic: Optional[str], classified: Optional[Topic]) -> Optional[Topic]:
    """The topic a question is about: the classifier's, unless the conversation or the aspect asked says
    otherwise. A follow-up on the last topic is the last topic's ("elle dure combien ?"); a job topic
    that answers none of the aspects asked gives way to the aspect's own topic ("la formation est-elle
    gratuite ?" is the cost's, whatever the classifier made of "formation"); an answer outside the job
    (another job, labour law) gives way only to a bare follow-up ("et ça dure combien ?")."""
    topic = follow_up_topic(kb, text, last_topic, classified)
    if topic is not None or classified is None:
        return topic or classified
    aspects = aspects_named(kb, text)
    if not aspects or covers(classified, aspects_named(kb, text, typos=True)) or not is_short_question(text):
        return classified
    if classified.label is None:  # the recentring answers (other jobs, labour law) and the safety ones
        bare = not is_safety_topic(classified) and refers_back(text) and bare_follow_up(kb, text, aspects)
        return home_topic(kb, aspects) if bare else classified
    return home_topic(kb, aspects)


def is_safety_topic(topic: Topic) -> bool:
    """The answers to distress (the 3114) and to health questions (see a doctor): never overridden."""
    return bool({DISTRESS, HEALTH} & set(topic.intents))


def topics_guessed(kb: KnowledgeBase, ranking: Iterable[dict], floor: float = SECOND_QUESTION_FLOOR) -> List[Topic]:
    """The topics of a classifier's intent ranking (Rasa's `intent_ranking`) from `floor` up, most likely first."""
    topics: List[Topic] = []
    for guess in ranking:
        topic = kb.topic_for_intent(guess.get("name") or "")
        if (guess.get("confidence") or 0.0) >= floor and topic is not None and topic not in topics:
            topics.append(topic)
    return topics


def job_topic_beside_health(kb: KnowledgeBase, text: str, answered: Topic, guesses: Sequence[Topic]) -> Optional[Topic]:
    """The job topic a message asks beside the health answer it gets ("ma fille est en rémission d'une
    leucémie… je peux faire le CQP en alternance ?"): the classifier's most likely job topic, when the message
    names the job, else the topic of the aspects it names ("où trouver une formation ?" when the classifier
    read the story as off-topic). The health answer comes first and stays; distress gets nothing beside the 3114."""
    if HEALTH not in answered.intents or not mentions_the_job(kb, text):
        return None
    guessed = next((t for t in guesses if t.label is not None and not is_safety_topic(t)), None)
    return guessed or home_topic(kb, aspects_named(kb, text))


def mentions_the_job(kb: KnowledgeBase, text: str) -> bool:
    """Whether the message uses a word of the job's topics ("la formation", "le CQP", "les conditions")."""
    job_words = {w for topic in kb.topics.values() if topic.label for w in content_words(topic.label)}
    job_words |= set(content_words(kb.profession_name))
    return bool(aspects_named(kb, text)) or any(w in job_words for w in content_words(normalise(text)))


def home_topic(kb: KnowledgeBase, aspects: Sequence[str]) -> Optional[Topic]:
    """The topic of the aspects named (`aspects_named`) when the conversation does not say which: the one
    of their topics that answers them all ("le contrat avec la CPAM dure combien ?" is the aid's, whose
    contract lasts 5 years, not the training's), else the first aspect's."""
    homes = list(dict.fromkeys(kb.topics[kb.aspects[aspect].topic] for aspect in aspects))
    whole = [topic for topic in homes if all(covers(topic, (aspect,)) for aspect in aspects)]
    return (whole or homes or [None])[0]


def second_question_topic(kb: KnowledgeBase, text: str, answered: Topic,
                          guesses: Sequence[Topic] = ()) -> Optional[Topic]:
    """Another topic asked in the same message ("… et ça paye combien ?"): one that answers an aspect
    named in a message of two questions, when the topic answered does not. The classifier's guesses
    come first, then the aspect's own topic."""
    parts = [p for p in _QUESTION_BREAK.split(fold(text)) if p.strip(" ,.!")]
    if len(parts) < 2:
        return None
    # The second question is usually the last: its aspects first.
    named = dict.fromkeys(a for part in reversed(parts) for a in aspects_named(kb, part))
    for aspect in (a for a in named if not covers(answered, (a,))):
        guessed = [t for t in guesses if t.id != answered.id and covers(t, (aspect,))]
        home = kb.topics[kb.aspects[aspect].topic]
        if guessed or home.id != answered.id:
            return guessed[0] if guessed else home
    return None
