"""Whole conversations through the REST channel, against the real Rasa server and action server."""

import uuid

import pytest

from harness.servers import MODEL, running_assistant

pytestmark = [pytest.mark.live,  # the real Rasa and action servers
              pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train`")]


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    with running_assistant(tmp_path_factory.mktemp("live")) as running:
        yield running


def visitor():
    return f"visitor-{uuid.uuid4().hex[:8]}"


def text_of(messages):
    return "\n".join(m.get("text", "") for m in messages)


def buttons_of(messages):
    return [b["title"] for m in messages for b in m.get("buttons", [])]


def test_greeting_offers_topics_as_buttons(bot):
    reply = bot.say(visitor(), "bonjour")
    assert "assistant médical" in text_of(reply)
    assert "Le salaire" in buttons_of(reply) and "Suis-je éligible ?" in buttons_of(reply)


def test_salary_question_gets_the_figure_and_its_source(bot):
    reply = text_of(bot.say(visitor(), "combien gagne un assistant medical ?"))
    assert "1\u202f815,79 et 2\u202f159,91 € brut par mois" in reply and "\nSources : Convention collective" in reply


def test_nurse_gets_her_verdict_at_once(bot):
    reply = text_of(bot.say(visitor(), "je suis infirmière, je peux devenir assistante médicale ?"))
    assert reply.startswith("Oui, ce diplôme (le diplôme d'État d'infirmier) permet d'exercer comme assistant médical dès maintenant")
    assert "formation d'adaptation à l'emploi" in reply and "Voulez-vous le détail de la formation ?" in reply


def test_how_to_become_is_personalised_once_the_visitor_said_she_is_an_aide_soignante(bot):
    sender = visitor()
    bot.say(sender, "je suis aide-soignante")
    reply = text_of(bot.say(sender, "comment devenir assistant médical ?"))
    assert "(le diplôme d'État d'aide-soignant) permet d'exercer" in reply and "Deux voies" not in reply


def test_eligibility_form_asks_only_what_it_needs(bot):
    sender = visitor()
    assert "Quel est votre diplôme le plus élevé ?" in text_of(bot.say(sender, "suis-je éligible ?"))
    assert "Avez-vous travaillé comme secrétaire médical(e)" in text_of(bot.say(sender, '/inform{"diploma": "cap_bep"}'))
    verdict = text_of(bot.say(sender, "oui, 4 ans dans un cabinet de généralistes"))
    assert verdict.startswith("Peut-être, par le CQP") and "organismes agréés" in verdict


def test_a_student_is_asked_to_confirm_before_any_verdict(bot):
    sender = visitor()
    assert "Avez-vous obtenu le diplôme d'État d'infirmier ?" in text_of(bot.say(sender, "je suis étudiante infirmière, je peux devenir assistante médicale ?"))
    assert text_of(bot.say(sender, "non, pas encore, mais j'ai le bac")).startswith("Oui, par le CQP assistant médical")


def test_a_parent_is_answered_about_the_daughter(bot):
    reply = text_of(bot.say(visitor(), "ma fille a un bac pro ASSP, est-ce qu'elle peut devenir assistante médicale ?"))
    assert reply.startswith("Pour votre fille, oui, par le CQP")


def test_a_question_on_another_topic_leaves_the_form_and_is_answered(bot):
    sender = visitor()
    bot.say(sender, "est-ce que je peux devenir assistante medicale ?")
    reply = text_of(bot.say(sender, "combien ça gagne ?"))
    assert "1\u202f815,79 et 2\u202f159,91 €" in reply and "Quel est votre diplôme" not in reply
    assert "Quel est votre diplôme le plus élevé ?" in text_of(bot.say(sender, "suis-je éligible ?"))


def test_yes_to_the_offer_starts_the_check_and_no_declines_it(bot):
    sender = visitor()
    assert "Voulez-vous que je vérifie" in text_of(bot.say(sender, "comment devenir assistant medical"))
    assert "Quel est votre diplôme le plus élevé ?" in text_of(bot.say(sender, "/affirm"))
    other = visitor()
    bot.say(other, "comment devenir assistant medical")
    assert "Que souhaitez-vous savoir d'autre ?" in text_of(bot.say(other, "/deny"))


def test_two_misses_in_a_row_offer_choices_and_a_human(bot):
    sender = visitor()
    first = bot.say(sender, "quelle est la capitale de l'Australie ?")
    assert "reformulez, ou choisissez un sujet" in text_of(first) and "Le salaire" in buttons_of(first)
    assert "Parler à un conseiller" not in buttons_of(first)
    second = bot.say(sender, "et la recette de la blanquette ?")
    assert "Parler à un conseiller" in buttons_of(second)
    contact = text_of(bot.say(sender, "/ask_human"))
    assert "mon-cep.org" in contact


def test_conversations_are_kept_apart(bot):
    nurse, other = visitor(), visitor()
    bot.say(nurse, "je suis infirmière")
    reply = text_of(bot.say(other, "comment devenir assistant médical ?"))
    assert "Deux voies" in reply and "infirmier (DEI) suffit" not in reply


def test_a_job_named_in_a_comparison_is_not_taken_as_the_visitors_own(bot):
    sender = visitor()
    bot.say(sender, "quelle est la différence entre une assistante médicale et une infirmière ?")
    reply = text_of(bot.say(sender, "comment devenir assistant médical ?"))
    assert "Deux voies" in reply and "infirmier (DEI) suffit" not in reply


def test_distress_gets_the_3114_whatever_the_classifier_says(bot):
    sender = visitor()
    bot.say(sender, "suis-je éligible ?")
    reply = text_of(bot.say(sender, "jsuis a bout, jveux plus vivre"))
    assert "3114" in reply and "112" in reply and "Quel est votre diplôme" not in reply


def test_a_symptom_gets_the_advice_to_see_a_doctor(bot):
    reply = text_of(bot.say(visitor(), "mon fils a 39 de fievre depuis hier soir, je lui donne quoi ?"))
    assert "consultez votre médecin ou un pharmacien" in reply and "15" in reply
