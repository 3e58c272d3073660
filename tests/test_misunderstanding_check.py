"""The pipeline component that gives `help` to a visitor saying the assistant missed (config.yml)."""

from conftest import parsed_message


def test_a_complaint_gets_help_whatever_topic_the_classifier_heard_and_other_messages_are_left_alone(tmp_path):
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    from components.misunderstanding_check import MisunderstandingCheck

    component = MisunderstandingCheck.create(MisunderstandingCheck.get_default_config(), LocalModelStorage(tmp_path),
                                             Resource("misunderstanding"), ExecutionContext(GraphSchema({}), "test"))
    complaint, question = component.process([parsed_message("jcomprend rien a vos trucs la", "ask_training"),
                                             parsed_message("c'est pas ça, je voulais le salaire net", "ask_net_salary")])
    assert complaint.get("intent")["name"] == "help"
    assert complaint.get("intent_ranking")[1]["name"] == "ask_training"  # the guess stays visible
    assert question.get("intent")["name"] == "ask_net_salary"
