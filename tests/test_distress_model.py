"""The distress model under the word lists: what it learns, that it only adds, and that it is kept in the model."""

import pytest

from orientation.distress_model import DistressModel, boundary_sets, examples_fingerprint
from tests.conftest import LEXICON_FILE, ROOT, parsed_message

DISTRESS = ["je ne serai plus là pour la rentrée, j'ai tout préparé", "j'ai laissé une lettre à chacun de mes proches",
            "plus besoin de rien maintenant, c'est bientôt fini", "j'ai donné mon chien à ma voisine, je pars bientôt",
            "tout le monde sera mieux quand je serai parti", "j'ai rangé mes affaires et écrit à ma mère, adieu"]
OTHERS = ["combien gagne une assistante médicale ?", "la formation dure combien de temps ?",
          "je suis aide-soignante, je peux faire le CQP ?", "bonjour", "merci beaucoup", "il fait beau aujourd'hui",
          "où se former près de Lyon ?", "c'est quoi les missions au cabinet ?", "la rentrée c'est quand ?",
          "je pars en vacances bientôt, la formation reprend quand ?"]


@pytest.fixture(scope="module")
def model(lexicon):
    return DistressModel.fit(DISTRESS, OTHERS, lexicon)


def test_a_message_written_like_the_distress_examples_scores_higher_than_a_job_question(model):
    farewell, question = model.scores(["j'ai écrit une lettre à chacun, tout est prêt, je serai plus là",
                                       "combien dure la formation d'assistante médicale ?"])
    assert farewell > 0.5 > question


def test_the_model_reads_sms_forms_as_the_pipeline_does(model):
    """"jsuis" and "je suis" are one form for the model, as for the classifier (TextNormaliser)."""
    assert model.score("jsuis aide soignante") == pytest.approx(model.score("je suis aide soignante"))


def test_the_model_does_not_weigh_what_the_lists_know_for_an_idiom(model):
    """"mourir de honte" is an idiom of the lexicon: the model reads the message without it."""
    assert model.score("j'ai cru mourir de honte à l'entretien") == pytest.approx(model.score("j'ai cru à l'entretien"))


def test_an_everyday_answer_alone_is_left_to_the_lists_and_read_without_inside_a_message(model):
    """"je sais pas", "à plus" (the lexicon's `everyday`): answers to the assistant's questions and goodbyes,
    which distress examples also say ("je sais pas pourquoi je vous écris"), never distress on their own."""
    assert model.scores(["je sais pas", "je ne sais plus", "à plus", "je pense que non"]) == [0.0] * 4
    assert model.score("je sais plus, un bep je crois") == pytest.approx(model.score("un bep je crois"))


def test_the_model_survives_its_archive(model, lexicon):
    again = DistressModel.from_bytes(model.to_bytes(), lexicon)
    assert again.scores(DISTRESS + OTHERS) == pytest.approx(model.scores(DISTRESS + OTHERS))


def test_the_model_needs_both_kinds_of_messages(lexicon):
    with pytest.raises(ValueError):
        DistressModel.fit([], OTHERS, lexicon)


def test_the_boundary_rounds_are_read_with_their_number_and_a_change_changes_the_fingerprint(tmp_path):
    (tmp_path / "distress.yml").write_text('category: distress\nmessages: ["adieu"]\n', encoding="utf-8")
    (tmp_path / "health_12.yml").write_text('category: health\nmessages: ["j\'ai de la fièvre"]\n', encoding="utf-8")
    assert boundary_sets(tmp_path) == [(1, "distress", ["adieu"]), (12, "health", ["j'ai de la fièvre"])]
    before = examples_fingerprint(tmp_path)
    (tmp_path / "distress.yml").write_text('category: distress\nmessages: ["adieu", "au revoir"]\n', encoding="utf-8")
    assert examples_fingerprint(tmp_path) != before
    assert boundary_sets(ROOT / "tests" / "boundaries")  # the project's rounds are readable


def test_the_component_trains_the_model_into_the_archive_and_only_adds_distress(tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    from components.safety_detector import SafetyDetector

    rounds = tmp_path / "rounds"
    rounds.mkdir()
    quoted = ", ".join(f'"{m}"' for m in DISTRESS)
    (rounds / "distress_4.yml").write_text(f"category: distress\nmessages: [{quoted}]\n", encoding="utf-8")
    (rounds / "health_4.yml").write_text('category: health\nmessages: ["j\'ai de la fièvre et mal à la gorge", '
                                         '"mon fils a de la fièvre depuis hier soir"]\n', encoding="utf-8")
    (tmp_path / "model").mkdir()
    storage, resource = LocalModelStorage(tmp_path / "model"), Resource("safety")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {**SafetyDetector.get_default_config(), "examples": str(rounds), "distress_threshold": 0.5}
    examples = TrainingData([Message.build(text, "ask_training") for text in OTHERS])
    SafetyDetector.create(config, storage, resource, context).train(examples)
    loaded = SafetyDetector.load(config, storage, resource, context)

    unnamed, question, symptom, cry, farewell_with_pills = loaded.process([
        parsed_message("j'ai écrit une lettre à chacun, tout est prêt, je serai plus là", "ask_salary"),
        parsed_message("combien dure la formation ?", "ask_training"),
        parsed_message("j'ai de la fièvre depuis hier", "ask_training"),  # the lists' answer stays theirs
        parsed_message("j'ai envie de mourir", "greet"),
        # the lists read a health question (a medicine); the model, a farewell: distress, with the 15 and 112
        parsed_message("j'ai écrit une lettre à chacun, tout est prêt, je serai plus là, j'ai mes somnifères", "ask_salary"),
    ])
    assert unnamed.get("intent")["name"] == "distress"
    assert farewell_with_pills.get("intent")["name"] == "distress"
    assert unnamed.get("intent_ranking")[1]["name"] == "ask_salary"  # the classifier's guess stays visible
    assert question.get("intent")["name"] == "ask_training"
    assert symptom.get("intent")["name"] == "health_question"
    assert cry.get("intent")["name"] == "distress"
    # A round added or corrected is a change Rasa's training cache sees.
    assert SafetyDetector.fingerprint_addon(config) == examples_fingerprint(rounds, LEXICON_FILE)
    # Rasa's fingerprint run passes its stand-in's config: the defaults (the project's rounds) are read.
    assert SafetyDetector.fingerprint_addon({}) == examples_fingerprint(ROOT / "tests" / "boundaries", LEXICON_FILE)
