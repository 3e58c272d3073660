"""The safety detector: distress and health messages are recognised whatever their spelling, and
ordinary questions on the job are not (orientation/safety.py, knowledge/safety/lexicon.yml)."""

import pytest

from orientation.safety import DISTRESS, HEALTH, SafetyLexiconError, detect, load_safety_lexicon
from tests.conftest import ROOT

LEXICON_FILE = ROOT / "knowledge" / "safety" / "lexicon.yml"


@pytest.fixture(scope="module")
def lexicon():
    return load_safety_lexicon(LEXICON_FILE)


@pytest.mark.parametrize("message", [
    "je pense au suicide depuis des semaines",
    "j'ai envie de mourir",
    "jai plus envie de vivre franchement",
    "je veux en finir avec tout ça",
    "des fois je pense a me foutre en l'air",
    "je veux disparaitre, personne me regretterait",
    "jme scarifie le soir",
    "suicde",  # one typo
    "je pense au sucide",
    "JE VEUX MOURIR",
    "J'ai envie de mourir. Vraiment.",
    "je rate tout, meme le CQP, j'ai envie de mourir",
    "autant en finir",
    "jsuis a bout, jveux plus vivre",
    "ma fille m'a dit qu'elle voulait se tuer",
    "je ne vaux rien et personne ne m'aime",  # two signs of despair
])
def test_distress_is_recognised_however_it_is_written(lexicon, message):
    assert detect(message, lexicon) == DISTRESS


@pytest.mark.parametrize("message", [
    "j'ai de la fievre depuis hier",
    "mon fils a des boutons partout",
    "jai mal a la poitrine quand je respire",
    "ma mere a des vertiges depuis ce matin",
    "combien de doliprane je peux prendre ?",
    "mon bebe a 39 de fievre",
    "j'ai la tension a 17, c'est grave ?",
    "dois-je aller aux urgences pour une entorse ?",
    "Je suis assistante médicale et j'ai une douleur au bras depuis hier",
    "jvomis depuis ce matin, je fais quoi",  # SMS style; "je prends quoi"-like request below
    "j'ai mal au ventre, je prends quoi ?",
])
def test_health_messages_are_recognised(lexicon, message):
    assert detect(message, lexicon) == HEALTH


@pytest.mark.parametrize("message", [
    "les assistants médicaux prennent la tension ?",
    "est-ce qu'on fait des prises de sang ?",
    "il faut gérer la douleur des patients ?",
    "on voit des patients malades toute la journée ?",
    "c'est stressant comme métier ?",
    "combien gagne une assistante médicale ?",
    "faut-il l'AFGSU pour le CQP ?",
    "si un patient a des idées suicidaires au téléphone, que fait l'assistant médical ?",
    "j'ai envie de courir après le travail",  # "courir" is not "mourir"
    "j'ai hâte d'en finir avec mes études",
    "je bosse dans un cabinet médical",
    "je peux être assistante médicale enceinte ?",
    "le métier va-t-il disparaître avec l'IA ?",
])
def test_ordinary_questions_are_not_taken_for_distress_or_health(lexicon, message):
    assert detect(message, lexicon) is None


# Sentences unlike the ones the lexicon was tuned on: accent-free, SMS, typos, a relative, a story.
@pytest.mark.parametrize("message", [
    "jveu pu me reveiller le matin",  # SMS spellings: "veu" is "veux", "pu" is "plus"
    "g envie de crevé, tout me degoute",
    "ma cousine dit qu elle veut se suicidé",
    "mon pere parle de mourir depuis que maman est partie",
    "jme scarifi les jambes en cachette",
    "honnetement ils seraient tous plus heureux sans moi",
    "jai mis de coté des cachets pour en finir",
    "je me suis fait des entailles au poignet hier",
    "plus rien a de sens, je me sens vide",  # "ne" dropped, two signs of despair
    "j'ai plus gout a la vie depuis mon divorce",
    "je voulais faire le cqp mais jai plus la force de vivre",
    "je regrette d etre nee, a quoi bon",
    "je ne vaux rien, personne ne remarquerait si je partais",
])
def test_distress_written_in_many_ways_is_recognised(lexicon, message):
    assert detect(message, lexicon) == DISTRESS


@pytest.mark.parametrize("message", [
    "mon ptit a 39 de temperature, kesk je fais",
    "jai mal o dos depuis 1 semaine",
    "ma grand mere s'est cassé le poignet en tombant",
    "mon fils s est coupe le pied, sa saigne",
    "jsuis enceinte de 6 mois et g des contractions",
    "ma fille se gratte partout, elle a des plaques",
    "jfais des crises de panique au volant",
    "jarrive plus a dormir depuis 15 jours",
    "c koi la dose de doliprane pour un bb de 6 kg",
    "quel medoc pour une cystite ?",
    "mon copain a du mal a respirer apres une piqure de guepe",
    "est ce grave docteur si jai la tete qui tourne",
    "ma mere a la tension tres haute ce matin",
])
def test_health_messages_written_in_many_ways_are_recognised(lexicon, message):
    assert detect(message, lexicon) == HEALTH


@pytest.mark.parametrize("message", [
    "jveu devenir assistante medical, c koi la formation",
    "les assitants medicaux prennent la temperature des patients ?",
    "si un patient a mal au ventre en salle d attente on previent qui ?",  # said of a patient
    "l'assistante peut elle donner du paracetamol aux patients ?",
    "j'ai pas mal de questions sur le salaire",  # idioms: "pas mal de", "du mal à"
    "j'ai du mal a choisir entre le cqp et le bts",
    "jsuis aide soignante en arret maladie, jpeux faire le cqp ?",
    "je suis en arret maladie pour depression, je peux m'inscrire au cqp ?",
    "je veux en finir avec les contrats precaires",
    "je meurs d'envie de commencer, c'est mortel ce metier",
    "mourir de rire avec les patients ca arrive ?",
    "ce serait une corde a mon arc pour trouver un cdi",
    "j'ai une allergie au latex, c'est bloquant pour les soins ?",
    "jsers a rien dans mon taf actuel, je veux changer",  # one sign of despair, counted once
])
def test_job_questions_written_in_many_ways_are_not_taken_for_distress_or_health(lexicon, message):
    assert detect(message, lexicon) is None


def test_a_broken_spellings_section_is_refused_with_its_name(tmp_path):
    broken = tmp_path / "lexicon.yml"
    broken.write_text(LEXICON_FILE.read_text(encoding="utf-8") + "\nspellings: {deux mots: un}\n", encoding="utf-8")
    with pytest.raises(SafetyLexiconError, match="spellings"):
        load_safety_lexicon(broken)


def test_a_broken_lexicon_file_is_refused_with_its_name(tmp_path):
    broken = tmp_path / "lexicon.yml"
    broken.write_text("distress:\n  phrases: []\nhealth: {}\n", encoding="utf-8")
    with pytest.raises(SafetyLexiconError, match="distress.phrases"):
        load_safety_lexicon(broken)


def test_a_very_long_message_is_read_quickly(lexicon):
    import time

    started = time.perf_counter()
    assert detect("je voudrais devenir assistante médicale " * 400 + " j'ai envie de mourir", lexicon) == DISTRESS
    assert time.perf_counter() - started < 5


def test_make_validate_kb_checks_the_safety_lexicon(tmp_path, capsys):
    from orientation.validate_kb import main as validate_main

    (tmp_path / "assistant_medical.yml").write_text((ROOT / "knowledge" / "assistant_medical.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "safety").mkdir()
    (tmp_path / "safety" / "lexicon.yml").write_text("distress: [oops\n", encoding="utf-8")
    assert validate_main([str(tmp_path)]) == 1
    assert "lexicon.yml" in capsys.readouterr().err
