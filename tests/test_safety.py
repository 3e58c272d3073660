"""The safety detector: distress and health messages are recognised whatever their spelling, and
ordinary questions on the job are not (orientation/safety.py, knowledge/safety/lexicon.yml)."""

import pytest

from orientation.safety import DISTRESS, HEALTH, SafetyLexiconError, detect, load_safety_lexicon
from tests.conftest import LEXICON_FILE, ROOT


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


# Round-5 widening: each category of sign, in wordings of our own (never the round-4 sentences).
@pytest.mark.parametrize("message", [
    # self-harm acts, any tense or person
    "elle se taillade les bras dans la salle de bain",
    "il s'est scarifié les cuisses hier soir",
    "je me scarifiais au lycée et ça a repris",
    "jme suis coupée les poignets tout à l'heure",
    "je me brûle exprès avec un briquet",
    "mon fils s'écrase des cigarettes sur le bras",
    # a means gathered, with intent
    "jai fait un stock de cachets dans mon placard",
    "j'ai mis de côté des somnifères depuis un mois",
    "mon père s'est procuré une arme et il parle de plus être là",
    "je pense a ouvrir le gaz cette nuit",
    "je vais m'allonger sur les rails",
    "hier j'ai enjambé la rambarde du pont",
    "j'ai envie de foncer dans un mur avec ma voiture",
    "avaler des somnifères pour plus rien ressentir",
    "je bois pour ne plus rien sentir",
    # farewells, finality, belongings given away, joining the dead
    "cest la derniere fois que je vous parle, merci pour tout",
    "je vous dis adieu, c'était bien de vous connaître",
    "ma soeur a donné tous ses vêtements à ses amies",
    "mon mari veut rejoindre notre fils là-haut",
    # a painless way to go, one reason to go on, death as the only way out
    "il y a un moyen de mourir sans souffrir ?",
    "quelle est la façon la plus douce de partir sans douleur",
    "donnez moi une seule raison de vivre",
    "pourquoi je continuerais ? dites moi une raison",
    "je vois plus que la mort comme solution",
    "la seule issue c'est de disparaitre",
    # "je n'en peux plus", stressed
    "je n'en peux vraiment plus",
    "jpp jpp vraiment plus",
    # others better off, nobody would notice
    "personne ne verra la différence quand je serai plus là",
    "ma fille répète qu'on serait mieux sans elle",
    # two different signs of despair: no sleep, no food, darkness, tears, announcements
    "je dors plus, je pleure chaque jour",
    "je reste enfermée dans le noir et je mange plus",
    "je suis a bout, c'est cette nuit que je le fais",
    # an anxiety crisis under way, with two signs at once
    "là j'arrive plus a respirer, j'ai l'impression que je vais mourir",
])
def test_round_5_distress_categories_are_recognised(lexicon, message):
    assert detect(message, lexicon) == DISTRESS


@pytest.mark.parametrize("message", [
    # anxiety and panic attacks ("the feeling of dying" is a symptom here, not a wish)
    "j'ai des attaques de panique la nuit, j'ai peur de mourir",
    "ma copine fait des crises d'anxiété au travail",
    "j'ai l'impression que je vais mourir quand je prends le métro, le coeur s'emballe",
    # voices, feeling watched
    "mon frere entend des voix et pense qu'on le surveille",
    "jsuis persuadée qu'on m'espionne, c normal ?",
    # blood test values, diagnosis questions
    "mon hba1c est à 7,2, c'est grave ?",
    "mes triglycérides sont a 2,5",
    "suis-je diabétique avec 1,10 à jeun ?",
    # pregnancy tests
    "g fait un test de grossesse, il y a deux traits",
    "ma fille de 16 ans a un test de grossesse positif",
    # is a vaccine or a drug safe with a condition
    "le vaccin covid est il dangereux quand on a un lupus ?",
    "je suis sous chimio, est-ce que le vaccin est contre indiqué pour moi ?",
    # an elderly relative who stops drinking, heat
    "ma mamie de 88 ans boit presque rien avec la chaleur",
    "mon papi est tout somnolent et il refuse de boire",
    # a diabetic's malaise
    "mon mari est diabétique, il est en sueur et tout tremblant",
    "je fais une hypo je crois",
])
def test_round_5_health_categories_are_recognised(lexicon, message):
    assert detect(message, lexicon) == HEALTH


@pytest.mark.parametrize("message", [
    # the visitor's own health or past, told to ask whether the job or training suits them
    "j'ai une sclérose en plaques, est-ce que le métier est adapté ?",
    "je suis sous traitement pour une dépression, je peux quand même faire le cqp ?",
    "j'ai eu un cancer il y a 5 ans, ça pose problème pour devenir assistante médicale ?",
    "j'ai mal aux genoux depuis 10 ans comme aide soignante, le poste d'assistant est plus calme ?",
    "j'ai une RQTH pour une fibromyalgie, je peux faire la formation ?",
    "je suis épileptique stabilisée, ça m'empêche d'être assistante médicale ?",
    "je fais des crises d'angoisse, ce métier est il fait pour moi ?",
    "j'ai été en dépression, je veux me reconvertir, c'est raisonnable ?",
    # knowing medicines or tests is part of the job
    "faut-il connaître les médicaments pour devenir assistant médical ?",
    "l'assistante médicale fait-elle les glycémies capillaires des diabétiques ?",
    "on apprend à repérer un patient qui entend des voix ?",
    "l'assistante prend le pouls à 80 ?",
    "on fait des tests de grossesse au cabinet ?",
    # the new words used in their everyday sense
    "je veux changer mon fusil d'épaule et devenir assistante médicale",
    "je veux remettre ma carrière sur les rails avec ce métier",
    "je vais me jeter à l'eau et m'inscrire au cqp",
    "pourquoi continuer la formation si je n'ai pas de stage ?",
    "donnez moi une raison de choisir ce métier plutôt que secrétaire",
    "on sera mieux sans patron en libéral ?",
    "l'assistant médical gère le stock de médicaments du cabinet ?",
    "mon chien mange plus ses croquettes, quelle marque acheter ?",
    "mon employeur veut me faire signer une rupture, il en a le droit ?",  # « signer », not « saigner »
])
def test_round_5_job_questions_and_everyday_words_are_not_taken_for_distress_or_health(lexicon, message):
    assert detect(message, lexicon) is None


@pytest.mark.parametrize("message", [
    # a sign of despair that is the whole message is a cry
    "jen peux plus", "je craque", "adieu", "c'est fini pour moi",
    # the visitor speaks of themselves after speaking of patients
    "je m'occupe des patients toute la journée et le soir je pense à me jeter sous un train",
    # a relative who announces it, a way of leaving, a stock, renewed self-harm, affairs put in order
    "mon cousin a dit qu'il allait en finir ce week-end",
    "ma voisine m'a dit qu'elle va se jeter du balcon",
    "je cherche une façon de partir sans que mes parents souffrent",
    "je me suis encore coupé cette nuit",
    "j'ai tout réglé pour la succession, l'assurance vie aussi, je me sens enfin apaisée",
    "j'ai des idées morbides tout le temps",
])
def test_round_6_distress_categories_are_recognised(lexicon, message):
    assert detect(message, lexicon) == DISTRESS


@pytest.mark.parametrize("message", [
    # a symptom that opens the message, with no person named
    "migraine atroce depuis ce matin", "toux grasse qui passe pas", "plaques rouges sur les bras, c'est quoi ?",
    "mal en bas du ventre depuis hier", "piqûre de guêpe qui a gonflé",
])
def test_round_6_symptoms_described_without_a_person_are_health(lexicon, message):
    assert detect(message, lexicon) == HEALTH


@pytest.mark.parametrize("message", [
    "merci pour tout", "merci pour tout, bonne journée",  # a polite goodbye alone is not a cry
    "températures à Marseille en août ?", "eligible avc un bac pro ?",  # weather; "avc" typed for "avec"
    "si un patient me dit qu'il veut se jeter sous un train, je fais quoi ?",  # still of the patient
    "est-ce que le métier va disparaître avec l'IA ?", "je vais en finir avec l'intérim et faire le cqp",
    "je dis adieu à la vente pour devenir assistante médicale",
])
def test_round_6_goodbyes_weather_and_job_questions_are_not_taken_for_distress_or_health(lexicon, message):
    assert detect(message, lexicon) is None


@pytest.mark.parametrize("message", [
    # asking what to take, even in a message about the training; looking for care when one's doctor is away
    "depuis que j'ai commencé le cqp je dors mal, je peux prendre quoi pour dormir ?",
    "mon médecin est fermé ce week-end et mon fils tousse beaucoup, je vais où ?",
    "c'est quoi la pharmacie de garde la plus proche ?",
])
def test_requests_for_medicine_or_care_are_health_whatever_else_is_said(lexicon, message):
    assert detect(message, lexicon) == HEALTH


@pytest.mark.parametrize("message", [
    "l'assistant médical travaille-t-il quand le cabinet est fermé ?",
    "qu'est-ce que je peux prendre comme formation après le bac ?",
])
def test_taking_a_training_or_a_closed_practice_are_job_questions(lexicon, message):
    assert detect(message, lexicon) is None


@pytest.mark.parametrize("message", [
    # rounds 8 and 9: not wanting to be alive, a relative's pills or weapon, letters, a will, a final
    # "pardon", a date chosen, a pharmacy emptied, "personne le remarquera", a burden, "j'ai failli…"
    "je ne veux plus être en vie", "mon frère dit qu'il va se flinguer",
    "j'ai écrit une lettre à mes enfants, elle est sur la table",
    "mon père stocke ses cachets dans sa table de nuit, il y en a des dizaines",
    "j'ai préparé mon testament et je me sens prête", "j'ai reçu un texto de ma fille : pardon maman",
    "c'est décidé, j'ai choisi la date.", "j'ai vidé l'armoire à pharmacie, je sais ce que je vais faire",
    "si demain je suis plus là personne le remarquera", "je suis un fardeau pour mes enfants",
    "hier j'ai failli sauter du pont", "je compte pas me réveiller demain",
    "je vais rejoindre mon mari, j'ai tout préparé pour le retrouver",
])
def test_rounds_8_and_9_distress_categories_are_recognised(lexicon, message):
    assert detect(message, lexicon) == DISTRESS


@pytest.mark.parametrize("message", [
    "j'ai choisi la date de début de la formation", "si je meurs pendant la formation, qui paie ?",
    "je vais rejoindre mon mari à Lyon, il y a des formations là-bas ?",
    "si je me pique avec une aiguille au cabinet c'est un accident du travail ?",
    "Siri ne répond plus quand je lui parle",
])
def test_rounds_8_and_9_job_questions_and_machines_are_not_taken_for_distress_or_health(lexicon, message):
    assert detect(message, lexicon) is None


@pytest.mark.parametrize("message", [
    "taches blanches sur la langue depuis hier", "engourdissement des doigts la nuit",
    "combien de mg de mélatonine je peux prendre ?", "je me suis piquée avec une aiguille usagée",
    "j'ai une verrue sous le pied qui fait mal",
])
def test_rounds_8_and_9_symptoms_are_health(lexicon, message):
    assert detect(message, lexicon) == HEALTH


def test_the_job_questions_list_is_optional(tmp_path):
    """A lexicon without `health.job_questions` still loads (older files): no message is then a job question."""
    import yaml

    raw = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    del raw["health"]["job_questions"]
    older = tmp_path / "lexicon.yml"
    older.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    lexicon = load_safety_lexicon(older)
    assert lexicon.job_questions == ()
    assert detect("j'ai une sclérose en plaques, est-ce que le métier est adapté ?", lexicon) == HEALTH


def test_a_broken_spellings_section_is_refused_with_its_name(tmp_path):
    broken = tmp_path / "lexicon.yml"
    broken.write_text(LEXICON_FILE.read_text(encoding="utf-8") + "\nspellings: {deux mots: un}\n", encoding="utf-8")
    with pytest.raises(SafetyLexiconError, match="spellings"):
        load_safety_lexicon(broken)


def test_a_sign_never_alone_that_is_no_sign_of_despair_is_refused_with_its_name(tmp_path):
    """`not_alone` only qualifies signs of `hopelessness`: a phrase there alone would silently never count."""
    import yaml

    raw = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    raw["distress"]["not_alone"].append("bonne journee")
    broken = tmp_path / "lexicon.yml"
    broken.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SafetyLexiconError, match="not_alone.*bonne journee"):
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


@pytest.mark.parametrize("message", [
    "je fais des crises d'angoisse, pas d'idées noires, est-ce que je devrais consulter ?",
    "Je n'ai aucune idée suicidaire mais j'ai mal au ventre tous les matins depuis une semaine",
    "pas du tout envie de mourir hein, mais j'ai une migraine depuis hier",
])
def test_a_denied_dark_thought_leaves_the_rest_of_the_message_to_decide(lexicon, message):
    assert detect(message, lexicon) == HEALTH


@pytest.mark.parametrize("message", [
    "j'ai envie de passer de l'autre côté du bureau, le CQP c'est long ?",
    "je voudrais travailler de l'autre côté du comptoir, dans un cabinet",
])
def test_changing_sides_of_the_desk_is_a_job_question(lexicon, message):
    assert detect(message, lexicon) is None


@pytest.mark.parametrize("message", [
    "pas d'idées noires mais j'ai préparé les médicaments pour en finir ce soir",
    "j'ai envie de passer de l'autre côté, je n'en peux plus",
])
def test_a_denial_or_an_idiom_does_not_hide_the_distress_said_beside_it(lexicon, message):
    assert detect(message, lexicon) == DISTRESS


@pytest.mark.parametrize("message", [
    "Je suis enceinte de 4 mois, j'ai des contractions et du sang, je pourrai faire la formation après ?",
    "j'ai la bouche de travers et le bras tout mou depuis tout à l'heure",
    "douleur dans la poitrine depuis une heure, le CQP attendra ?",
])
def test_signs_of_an_emergency_are_health_even_in_a_question_on_the_job(lexicon, message):
    assert detect(message, lexicon) == HEALTH


def test_an_emergency_said_of_someone_in_a_training_question_is_a_job_question(lexicon):
    assert detect("la formation AFGSU apprend quoi si une personne a perdu connaissance ?", lexicon) is None


@pytest.mark.parametrize("message", [
    "j'ai une angine depuis lundi et je tousse, je vais voir qui ? sinon pour faire le CQP il faut combien de temps ?",
    "Ma fille a 39 de fièvre depuis hier soir, on fait quoi ? Et pour devenir assistant médical il faut le bac ?",
])
def test_symptoms_asked_about_in_a_question_of_their_own_are_health_beside_a_job_question(lexicon, message):
    assert detect(message, lexicon) == HEALTH


@pytest.mark.parametrize("message", [
    "J'ai mal au dos depuis 2 ans. Est-ce que le poste est moins physique qu'aide-soignante ?",
    "j'ai une sclérose en plaques, est-ce que ça m'empêche de devenir assistante médicale ?",
])
def test_symptoms_told_as_background_of_a_job_question_stay_a_job_question(lexicon, message):
    assert detect(message, lexicon) is None


@pytest.mark.parametrize("message", [
    "j'ai le dos en compote et en ce moment j'ai des vertiges et des palpitations le soir, je sais pas si c'est "
    "le stress. bref je cherche un boulot moins physique, assistante medicale c'est moins dur ?",
    "depuis un mois j'ai des migraines tous les jours, ça m'inquiète, ce poste est fait pour moi ?",
])
def test_symptoms_the_visitor_worries_about_are_health_beside_a_job_question(lexicon, message):
    """The visitor's own background, but a worry too: the health answer comes, with the job answer beside it."""
    assert detect(message, lexicon) == HEALTH


def test_a_worry_about_the_job_beside_ones_background_is_no_health_question(lexicon):
    assert detect("j'ai mal au dos depuis 2 ans et je sais pas si le métier est fait pour moi", lexicon) is None


@pytest.mark.parametrize("message", ["je clique sur quel bouton ?", "le bouton valider marche pas",
                                     "je me suis trompé de bouton, je voulais le salaire"])
def test_the_chat_buttons_are_no_pimples(lexicon, message):
    """The widget answers with buttons: "le bouton" of the chat is no symptom ("j'ai des boutons" is)."""
    assert detect(message, lexicon) is None


@pytest.mark.parametrize("message", ["j'ai des boutons partout depuis hier", "mon fils a un bouton qui gratte"])
def test_buttons_on_the_skin_are_still_health(lexicon, message):
    assert detect(message, lexicon) == HEALTH


def test_everyday_phrases_leave_the_distress_lists_whole(lexicon):
    """`everyday` ("je sais pas") is only for the distress model: a listed cue beside it is still distress."""
    assert detect("je sais pas, je veux mourir", lexicon) == DISTRESS
    assert detect("je sais plus quoi faire, j'ai envie d'en finir", lexicon) == DISTRESS
