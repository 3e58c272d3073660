"""What a question asks of a topic (orientation.focus): the facts it puts first, the follow-ups it
understands from the last topic, and the second question it finds in one message."""

import pytest

from orientation.answers import answer_topic
from orientation.focus import (aspects_named, back_to_the_job, follow_up_topic, refers_back, request_named, says_misunderstood,
                               second_question_topic, topic_asked)


@pytest.mark.parametrize("message, aspect", [
    ("la formation prend combien de temps", "duree"),
    ("ca se fait en alternance ou pas", "alternance"),
    ("et si le poste est a mi-temps", "temps_partiel"),
    ("c'est combien la 2e année", "annees"),
    ("on peut la payer avec le CPF ?", "aides_publiques"),
    ("ça paye combien", "salaire"),
])
def test_an_aspect_is_read_whatever_the_wording(kb, message, aspect):
    assert aspect in aspects_named(kb, message)


def test_a_question_without_an_aspect_names_none(kb):
    assert aspects_named(kb, "bonjour, je voudrais des renseignements") == ()


def test_the_facts_on_the_asked_aspect_come_first(kb):
    plain = answer_topic(kb, kb.topics["training"], "unknown", {})
    focused = answer_topic(kb, kb.topics["training"], "unknown", {}, focus=("alternance",))
    assert "279 heures" in plain.lines[0]
    assert "alternance" in focused.lines[0] and "279 heures" in focused.lines[1]
    assert sorted(plain.lines) == sorted(focused.lines)  # the same facts, in another order
    assert focused.key_sources != plain.key_sources  # the source line names what the first fact rests on


def test_a_follow_up_is_on_the_last_topic_when_the_classifier_found_none(kb):
    assert follow_up_topic(kb, "et à temps partiel ?", "doctor_aid", None).id == "doctor_aid"


def test_a_follow_up_with_a_pronoun_stays_on_the_last_topic(kb):
    # Both the FAE and the CQP have a duration: "elle" is the FAE just answered.
    assert follow_up_topic(kb, "elle dure longtemps ?", "adaptation_training", kb.topics["training"]).id == "adaptation_training"


@pytest.mark.parametrize("message, last_topic", [
    ("et le salaire ?", "training"),  # the training says nothing of the salary
    ("bonjour", "training"),  # no aspect named
    ("combien de temps faut-il compter pour obtenir le diplome quand on travaille deja a plein temps dans un cabinet", "training"),
    ("ça dure combien", None),  # no last topic
])
def test_not_a_follow_up(kb, message, last_topic):
    assert follow_up_topic(kb, message, last_topic, None) is None


def test_a_second_question_on_another_topic_is_found(kb):
    second = second_question_topic(kb, "je suis infirmier, je peux commencer tout de suite ? et ça paye combien ?",
                                   kb.topics["how_to_become"])
    assert second is not None and second.id == "salary"


@pytest.mark.parametrize("message", [
    "combien ça paye à mi-temps ?",  # one question
    "le CQP dure combien et il commence quand ?",  # two questions, both on the topic answered
])
def test_no_second_topic_for_one_question_or_the_same_topic(kb, message):
    assert second_question_topic(kb, message, kb.topics["training"] if "CQP" in message else kb.topics["salary"]) is None


def test_a_deadline_is_not_a_duration(kb):
    # "En combien de temps dois-je la suivre ?": the 3 years after hiring, not the hours of the course.
    answer = answer_topic(kb, kb.topics["adaptation_training"], "unknown", {},
                          focus=aspects_named(kb, "je dois la suivre en combien de temps ?"))
    assert "ans suivant la prise de poste" in answer.lines[0]


@pytest.mark.parametrize("message, answered, second", [
    ("c'est quoi le travail au quotidien, et quelles etudes il faut ?", "missions", "how_to_become"),
    ("il y a une limite d'age ? et la formation commence quand ?", "training", "age_limit"),
])
def test_the_second_question_goes_to_the_aspects_own_topic(kb, message, answered, second):
    assert second_question_topic(kb, message, kb.topics[answered]).id == second


@pytest.mark.parametrize("message, intent, expected", [
    ("la formation est-elle gratuite ?", "ask_training", "training_funding"),  # the aspect asked, not the word "formation"
    ("le salaire à mi-temps ?", "ask_salary", "salary"),  # the classifier's topic answers it
    ("et ça dure cb de temps ?", "ask_other_profession", "training"),  # a bare follow-up, not another job
    ("et infirmière ça dure combien ?", "ask_other_profession", "other_professions"),  # another job named
    ("et ça dure combien ?", "distress", "distress"),  # the safety layer's answer is never overridden
    ("j'ai passé dix ans à l'hôpital comme secrétaire et je voudrais savoir comment devenir assistante",
     "ask_how_to_become", "how_to_become"),  # a story names aspects in passing
])
def test_the_topic_asked_is_the_classifiers_unless_the_aspect_says_otherwise(kb, message, intent, expected):
    assert topic_asked(kb, message, None, kb.topic_for_intent(intent)).id == expected


def test_who_pays_after_the_cost_is_the_funding_not_the_salary(kb):
    funding = kb.topics["training_funding"]
    assert topic_asked(kb, "et qui paye ?", "training_funding", funding).id == "training_funding"


@pytest.mark.parametrize("message, expected", [
    ("Combien de temps dure-t-elle ?", True), ("se fait-elle en alternance ?", True), ("est-il payé ?", True),
    ("et en alternance ?", True),
    # an impersonal "il" names nothing said before
    ("Combien y a-t-il d'assistants médicaux ?", False), ("faut-il le bac ?", False), ("existe-t-il une aide ?", False),
    ("la formation dure combien ?", False),
])
def test_a_pronoun_after_its_verb_refers_back_but_not_an_impersonal_il(message, expected):
    assert refers_back(message) is expected


@pytest.mark.parametrize("message, expected", [
    ("c'est quoi vos soruces ?", "sources"), ("plus de detials svp", "details"), ("vos sources ?", "sources"),
    ("rien", None), ("c'est quoi la source du nil ?" + " et" * 8, None),
])
def test_a_request_for_sources_or_details_is_read_with_a_typo(kb, message, expected):
    assert request_named(kb, message) == expected


@pytest.mark.parametrize("message, aspect", [
    ("et c'est payé par qui ?", "financement"),
    ("et en maison de santé ?", "ville"),
    ("faut quel niveau pour rentrer en formation ?", "niveau"),
])
def test_aspects_read_with_a_typo_or_in_visitors_words(kb, message, aspect):
    assert aspect in aspects_named(kb, message)


def test_a_word_with_one_typo_names_its_aspect_only_when_asked(kb):
    assert "salaire" in aspects_named(kb, "le salair en debut ?", typos=True)
    assert "salaire" not in aspects_named(kb, "le salair en debut ?")


def test_an_aspect_named_in_passing_with_a_typo_does_not_choose_another_topic(kb):
    # "embauche" is one letter from "embauches" (the number of hires): the aid is what is asked.
    aid = kb.topics["doctor_aid"]
    assert topic_asked(kb, "un medecin qui embauche un assistant medical, il touche une aide ?", None, aid).id == "doctor_aid"


def test_a_salary_question_with_a_typo_is_not_taken_for_the_training_start(kb):
    assert topic_asked(kb, "salair d'un assistant medical en debut ?", None, kb.topics["salary"]).id == "salary"


def test_the_place_of_work_after_the_employers_stays_on_them(kb):
    assert follow_up_topic(kb, "et en maison de santé ?", "employers", None).id == "employers"


def test_the_later_years_after_the_aid_stay_on_the_aid(kb):
    assert topic_asked(kb, "et les années d'après ?", "doctor_aid", kb.topics["career_evolution"]).id == "doctor_aid"


def test_an_elided_article_does_not_hide_the_aspect_it_precedes(kb):
    text = "Combien d'organismes proposent le CQP, et est-ce que ça se fait en alternance ?"
    assert aspects_named(kb, text) == ("alternance", "lieu")
    assert second_question_topic(kb, text, kb.topics["training"]).id == "training_place"
    assert "afgsu" in aspects_named(kb, "c'est quoi l'AFGSU ?")


@pytest.mark.parametrize("message, last_topic, intent, expected, first_fact_says", [
    # a family of missions, asked after the allowed acts: the missions, administrative first
    ("et pour la partie administrative ?", "allowed_acts", "ask_work_conditions", "missions", "administratives"),
    # an act named: the allowed acts, the fact that names it first
    ("et un électrocardiogramme il a le droit ?", "missions", "ask_allowed_acts", "allowed_acts", "ECG"),
    # how high the pay goes, after the salary: still the salary, not the career
    ("et ça peut monter jusqu'à combien après quelques années ?", "salary", "ask_career_evolution", "salary", "brut"),
    # what the sigil means: the fact that spells it out first
    ("mais le CQP ça veut dire quoi ?", None, "ask_training", "training", "certificat de qualification professionnelle"),
])
def test_an_aspect_of_a_topic_gets_that_topic_and_its_fact_first(kb, message, last_topic, intent, expected, first_fact_says):
    topic = topic_asked(kb, message, last_topic, kb.topic_for_intent(intent))
    assert topic.id == expected
    assert first_fact_says in answer_topic(kb, topic, "unknown", {}, focus=aspects_named(kb, message, typos=True)).lines[0]


def test_the_aid_named_in_a_second_question_gets_its_answer(kb):
    text = "Je suis infirmière, quelle formation dois-je suivre, et est-ce que le médecin recevra une aide de la CPAM ?"
    assert second_question_topic(kb, text, kb.topics["adaptation_training"]).id == "doctor_aid"


def test_a_question_whose_aspects_one_topic_answers_together_goes_to_that_topic(kb):
    """"combien de temps" alone is the training's; with the contract with the CPAM, the aid's (5 years)."""
    assert topic_asked(kb, "le contrat signé avec l'assurance maladie, il court combien de temps ?", None,
                       kb.topic_for_intent("ask_job_market")).id == "doctor_aid"
    assert topic_asked(kb, "ça dure combien de temps ?", None, kb.topic_for_intent("ask_job_market")).id == "training"


@pytest.mark.parametrize("message", [
    "jcomprend rien a vos trucs la",
    "vs voyez bien de quoi je parle",
    "je comprends rien à vos réponses, c'est pas ce que je demande",
    "non mais vous comprenez pas ma question la",
    "c'est pas ça, laissez tomber",
])
def test_a_visitor_saying_the_answer_missed_is_read(kb, message):
    assert says_misunderstood(kb, message)


@pytest.mark.parametrize("message", [
    "c'est pas ça, je voulais le salaire net",  # a question on the job: answered
    "c est pas ca je suis aide soignante",  # a diploma: read
    "non c'est pas ce que je veux dire",  # "non" answers the assistant's own question
    "je comprends rien à mon contrat de travail",
    "tu sers à quoi ?",  # what the assistant does: the help
])
def test_a_complaint_that_says_something_else_is_not_a_miss(kb, message):
    assert not says_misunderstood(kb, message)


def test_the_fae_named_with_a_question_on_it_answers_the_question_first(kb):
    """"la formation d'adaptation, elle dure combien ?": its duration (IGAS's 112 hours), not the deadline."""
    topic = kb.topics["adaptation_training"]
    focus = aspects_named(kb, "elle dure combien de temps cette formation d adaptation ?")
    assert "112 heures" in answer_topic(kb, topic, "direct", {"diploma": "le DEAS"}, focus).lines[0]


@pytest.mark.parametrize("message", ["ok et assistant medical alors ?", "et pour une assistante médicale ?",
                                     "et le métier d'assistant médical ?"])
def test_the_job_named_after_another_jobs_answer_asks_the_same_of_the_job(kb, message):
    asked = aspects_named(kb, "c combien le salaire d'une infirmiere en liberal ?")
    assert back_to_the_job(kb, message, "other_professions", asked).id == "salary"


@pytest.mark.parametrize("message, last_topic", [
    ("et assistant medical, c'est accessible pour moi ?", "other_professions"),  # another question
    ("et assistant medical alors ?", "training"),  # the last answer was on the job: nothing to carry over
    ("assistant medical", "other_professions"),  # names the job without referring back
])
def test_not_the_same_question_asked_of_the_job(kb, message, last_topic):
    assert back_to_the_job(kb, message, last_topic, ("salaire",)) is None
