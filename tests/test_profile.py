"""Reading what visitors type about their diplomas (orientation.profile.read_message), message by message.

Every sentence is written the way visitors type in the chat: no accents, SMS words ("jsuis", "jai", "g"),
missing punctuation, long stories, tutoiement. Each row states what the assistant must understand from
it, because that is what decides the question it asks next or the verdict it gives.
"""

from typing import Dict, Optional

import pytest

from conftest import message_ids
from orientation.eligibility import assess, read_reply
from orientation.profile import (
    ABANDONED,
    ASK_CONFIRMATION,
    ASK_DIPLOMA,
    ASK_LEVEL,
    ASK_MEDICAL_SECRETARY,
    DENIED,
    FAISANT_FONCTION,
    FOREIGN,
    FOREIGN_RECOGNISED,
    FOREIGN_UNRECOGNISED,
    HELD,
    IN_PROGRESS,
    LEVEL_ONLY,
    NOT_HELD,
    PLANNED,
    Profile,
    read_message,
    relative_of,
    speaks_of_self,
)

NOT_HELD_ANY = {NOT_HELD, ABANDONED, DENIED}  # whatever the wording, the visitor does not hold it


def read(kb, *messages: str) -> Profile:
    """The profile after the visitor typed `messages` freely (no question of the form pending)."""
    profile = Profile()
    for message in messages:
        profile = read_message(profile, message, kb)
    return profile


def statuses(profile: Profile) -> Dict[str, str]:
    return dict(profile.diplomas)


# --------------------------------------------------------------------------------------------------
# The catalogue: every way visitors name a diploma they hold.
# --------------------------------------------------------------------------------------------------

HELD_SENTENCES = [
    ("titulaire du titre secretaire assistante medico sociale depuis 2019", "titre_secretaire_medical"),  # no hyphen
    # DE d'infirmier
    ("jsuis infirmiere depuis 12 ans", "de_infirmier"),
    ("je suis infirmier en bloc op", "de_infirmier"),
    ("Bonjour, je suis infirmière diplômée d'État depuis 2010, j'ai travaillé en réa puis en libéral", "de_infirmier"),
    ("jai mon DE d'infirmiere", "de_infirmier"),
    ("IDEL depuis 2015", "de_infirmier"),
    ("je suis IDE en psychiatrie", "de_infirmier"),
    ("jsuis ide liberale", "de_infirmier"),
    ("jsuis infi aux urgences", "de_infirmier"),
    ("INFIRMIERE", "de_infirmier"),
    # DE d'aide-soignant
    ("je suis aide-soignante en ehpad", "de_aide_soignant"),
    ("jsuis aide soignant de nuit", "de_aide_soignant"),
    ("g mon DEAS depuis 2019", "de_aide_soignant"),
    ("je suis AS en clinique", "de_aide_soignant"),
    ("j'ai le diplome d'aide soignante", "de_aide_soignant"),
    ("J'ai le DEAS !!!", "de_aide_soignant"),
    ("slt jsuis AS depuis 2015 en ehpad, jen ai marre des horaires, est ce que je peux bosser avec un medecin ?", "de_aide_soignant"),
    # DE d'auxiliaire de puériculture
    ("je suis auxiliaire de puericulture en creche", "de_auxiliaire_puericulture"),
    ("jsuis auxi puer", "de_auxiliaire_puericulture"),
    ("jsuis auxi de puer en creche depuis 6 ans", "de_auxiliaire_puericulture"),
    ("j'ai le DEAP depuis 2020", "de_auxiliaire_puericulture"),
    ("je suis AP en maternite", "de_auxiliaire_puericulture"),
    # other DEs and higher education
    ("je suis sage-femme", "de_sage_femme"),
    ("jsuis maieuticien", "de_sage_femme"),
    ("je suis kine", "de_masseur_kinesitherapeute"),
    ("je suis masseur kinesitherapeute", "de_masseur_kinesitherapeute"),
    ("je suis educatrice specialisee", "de_educateur_specialise"),
    ("je suis psychomotricienne", "de_paramedical"),
    ("je suis manipulatrice radio", "de_paramedical"),
    ("j'ai un bts sp3s", "bac_plus"),
    ("j'ai un master en RH", "bac_plus"),
    ("jai une licence pro", "bac_plus"),
    ("j'ai fait un bac+2", "bac_plus"),
    ("bac +3", "bac_plus"),
    ("j'ai un dut", "bac_plus"),
    ("j'ai un deug de lettres", "bac_plus"),
    # titles of level 4
    ("j'ai le titre pro secretaire medicale", "titre_secretaire_medical"),
    ("j'ai le titre pro SAMS", "titre_secretaire_medical"),
    ("j'ai un titre pro secretaire assistante medico-sociale", "titre_secretaire_medical"),
    ("je suis assistante dentaire depuis 10 ans", "assistant_dentaire"),
    ("j'ai le titre d'assistante dentaire", "assistant_dentaire"),
    # the bac
    ("g le bac", "bac"),
    ("j'ai le BAC", "bac"),
    ("Bac Pro ASSP", "bac"),
    ("g un bac pro commerce", "bac"),
    ("j'ai le bac st2s", "bac"),
    ("j'ai eu mon bac s en 2005", "bac"),
    ("j'ai le baccalaureat", "bac"),
    ("j'ai un bac techno stmg", "bac"),
    ("bonsoir, jai eu mon bac en 2008 puis jai fait 2 ans de fac sans valider, maintenant je suis vendeuse", "bac"),
    ("je suis une fille de 19 ans avec le bac", "bac"),
    ("je suis de nationalite marocaine mais j'ai eu mon bac en France", "bac"),
    ("je suis infirmiere et je bosse avec une aide soignante", "de_infirmier"),
    pytest.param("je suis maman de 3 enfants avec un bac pro", "bac"),
    pytest.param("j'ai 30 ans avec un BTS assistant de gestion", "bac_plus"),
    pytest.param("reconversion avec une licence de droit", "bac_plus"),
    # brevet professionnel, "niveau bac ou plus"
    ("jai mon BP coiffure", "brevet_professionnel"),
    ("j'ai un brevet professionnel en coiffure", "brevet_professionnel"),
    ("j'ai un diplome de niveau bac ou plus", "niveau_bac"),
    # level 3
    ("j'ai un CAP petite enfance", "cap_bep"),
    ("j'ai un cap aepe", "cap_bep"),
    ("jai un bep sanitaire et social", "cap_bep"),
    ("j'ai un CAP cuisine", "cap_bep"),
    ("j'ai le DEAES", "deaes"),
    ("j'ai le DEAVS", "deaes"),
    ("je suis AMP en foyer", "deaes"),
    ("je suis accompagnante educative et sociale", "deaes"),
    ("je suis ambulanciere depuis 4 ans", "ambulancier"),
    ("jai le diplome d'ambulancier", "ambulancier"),
    # brevet, nothing
    ("j'ai le brevet des colleges", "brevet"),
    ("jai que le brevet", "brevet"),
    ("jai juste le DNB", "brevet"),
    ("j'ai aucun diplome, j'ai appris sur le tas", "aucun"),
    ("je suis sans diplome", "aucun"),
    ("aucune qualification", "aucun"),
    ("j'ai pas de diplome", "aucun"),
    ("je n'ai aucun diplome", "aucun"),
    # typos and variants visitors type
    pytest.param("jsuis auxilliaire de puericulture", "de_auxiliaire_puericulture"),
    pytest.param("chuis aide soignente", "de_aide_soignant"),
    pytest.param("je suis aide medico psychologique", "deaes"),
    pytest.param("je suis AES en ehpad", "deaes"),
]


@pytest.mark.parametrize("sentence, diploma", HELD_SENTENCES)
def test_a_diploma_named_plainly_is_read_as_held_and_nothing_else(kb, sentence, diploma):
    assert statuses(read(kb, sentence)) == {diploma: HELD}


# --------------------------------------------------------------------------------------------------
# False friends: ordinary words that look like a diploma's name or acronym.
# --------------------------------------------------------------------------------------------------

NO_DIPLOMA_SENTENCES = [
    "tu as une idee de combien on gagne ?",
    "est ce que tu as des infos sur la formation",
    "tu as le droit de me dire si c'est possible ?",
    "t'as des infos ?",
    "je suis secretaire",
    "je suis secretaire depuis 8 ans dans une agence immo",
    "je fais du secretariat dans une boite de transport",
    "je suis aide dentaire depuis 3 ans",
    "je suis auxiliaire de vie a domicile",
    "jsuis auxiliaire de vie sociale",
    "je suis assistante de vie",
    "je suis aide a domicile",
    "je suis assistante maternelle agreee",
    "je suis ASH en ehpad",
    "jsuis agent de service hospitalier",
    "je travaille avec des aides soignantes",
    "c'est pour mon fils, il est en terminale",
    pytest.param("je suis secretaire medicale a l'AP-HP depuis 8 ans"),
    pytest.param("BONJOUR JE SUIS SECRETAIRE MEDICALE, TU AS UNE IDEE SI JE PEUX ?"),
]


@pytest.mark.parametrize("sentence", NO_DIPLOMA_SENTENCES)
def test_false_friends_name_no_diploma(kb, sentence):
    profile = read(kb, sentence)
    assert statuses(profile) == {}
    assert assess(profile, kb).question == ASK_DIPLOMA  # the assistant still asks for the diploma


@pytest.mark.parametrize("sentence", [
    "je suis secretaire",
    "je suis aide dentaire depuis 3 ans",
    "je suis secretaire depuis 8 ans dans une agence immo",
    "je fais du secretariat dans une boite de transport",
])
def test_a_secretary_or_dental_aide_is_not_taken_for_a_medical_secretary(kb, sentence):
    assert read(kb, sentence).medical_secretary is not True


@pytest.mark.parametrize("sentence, diploma", [
    ("je suis AS", "de_aide_soignant"), ("je suis AP", "de_auxiliaire_puericulture"), ("j'ai un BP", "brevet_professionnel"),
])
def test_acronyms_are_read_in_capitals_only(kb, sentence, diploma):
    assert statuses(read(kb, sentence)) == {diploma: HELD}
    assert statuses(read(kb, sentence.lower())) == {}


@pytest.mark.parametrize("sentence, diploma", [
    pytest.param("je veux devenir infirmiere plus tard", "de_infirmier"),
    ("je bosse avec une infirmiere liberale", "de_infirmier"),
    ("je suis secretaire chez un infirmier liberal", "de_infirmier"),
    ("je travaille dans un cabinet de kine comme secretaire", "de_masseur_kinesitherapeute"),
    ("mon CAP petite enfance ca compte comme auxiliaire de puericulture ?", "de_auxiliaire_puericulture"),
])
def test_a_job_named_without_being_the_visitors_is_not_held(kb, sentence, diploma):
    assert read(kb, sentence).status(diploma) != HELD


def test_asking_whether_a_diploma_counts_keeps_the_diploma_held(kb):
    profile = read(kb, "mon CAP petite enfance ca compte comme auxiliaire de puericulture ?")
    assert profile.status("cap_bep") == HELD


# --------------------------------------------------------------------------------------------------
# Statuses: a diploma named is not always a diploma held.
# --------------------------------------------------------------------------------------------------

STATUS_SENTENCES = [
    # studying
    ("je suis etudiante infirmiere en 2eme annee", "de_infirmier", IN_PROGRESS),
    ("jsuis en 1ere annee a l'ifsi", "de_infirmier", IN_PROGRESS),
    ("j'ai pas encore le DE mais je suis en 3e annee d'ifsi", "de_infirmier", IN_PROGRESS),
    ("je suis en formation d'aide soignante", "de_aide_soignant", IN_PROGRESS),
    ("je termine ma formation d'aide soignante en juillet", "de_aide_soignant", IN_PROGRESS),
    ("je suis en VAE pour le DEAS", "de_aide_soignant", IN_PROGRESS),
    ("il me manque un module pour le DEAS", "de_aide_soignant", IN_PROGRESS),
    ("je suis en terminale bac pro ASSP", "bac", IN_PROGRESS),
    ("je fais un bts en alternance", "bac_plus", IN_PROGRESS),
    ("ma fille est etudiante infirmiere", "de_infirmier", IN_PROGRESS),
    ("ma copine a fait une formation d'aide soignante", "de_aide_soignant", IN_PROGRESS),
    # exam to come, results awaited
    ("je passe le bac en juin", "bac", PLANNED),
    ("j'aurai mon DEAS en juillet", "de_aide_soignant", PLANNED),
    ("je repasse le bac en candidat libre", "bac", PLANNED),
    ("j'attends les resultats du DEAP", "de_auxiliaire_puericulture", PLANNED),
    ("je prepare le concours d'auxiliaire de puericulture", "de_auxiliaire_puericulture", PLANNED),
    ("c'est pour mon fils, il passe le bac en juin", "bac", PLANNED),
    ("mon fils est en terminale, il aura son bac en juin", "bac", PLANNED),
    pytest.param("jvais passer le DEAP en juin", "de_auxiliaire_puericulture", PLANNED),
    pytest.param("ma fille va passer le DEAS", "de_aide_soignant", PLANNED),
    pytest.param("ma fille passe le DEAS en juin", "de_aide_soignant", PLANNED),
    pytest.param("elle prepare le DEAS", "de_aide_soignant", PLANNED),
    pytest.param("mon fils passe son bac cette annee", "bac", PLANNED),
    # doing the job without the diploma
    ("je suis faisant fonction d'AS depuis 3 ans", "de_aide_soignant", FAISANT_FONCTION),
    ("je fais fonction d'aide soignante en ehpad", "de_aide_soignant", FAISANT_FONCTION),
    ("je suis aide-soignante mais pas diplomee", "de_aide_soignant", FAISANT_FONCTION),
    ("je suis pas diplomee d'etat mais je suis aide soignante", "de_aide_soignant", FAISANT_FONCTION),
    ("je suis aide soignante depuis 10 ans mais j'ai jamais passe le diplome", "de_aide_soignant", FAISANT_FONCTION),
    pytest.param("je suis AS FF depuis 2 ans", "de_aide_soignant", FAISANT_FONCTION),
    # stopped, failed
    ("j'ai arrete l'ifsi en 2eme annee", "de_infirmier", ABANDONED),
    ("j'ai rate mon bac", "bac", ABANDONED),
    ("j'ai ete recalee au DEAS", "de_aide_soignant", ABANDONED),
    ("j'ai echoue au bac", "bac", ABANDONED),
    ("j'ai abandonne mon bts en cours de route", "bac_plus", ABANDONED),
    ("j'ai lache la fac en 2e annee de licence", "bac_plus", ABANDONED),
    ("mon conjoint a arrete l'ifsi", "de_infirmier", ABANDONED),
    ("jai raté le DEAS l'an dernier, je le repasse en juin", "de_aide_soignant", {ABANDONED, PLANNED}),
    pytest.param("j'ai fait un bac pro mais je l'ai rate", "bac", ABANDONED),
    pytest.param("jai passe le DEAS mais je l'ai pas eu", "de_aide_soignant", {NOT_HELD, ABANDONED}),
    pytest.param("jai fait un bac pro mais je l'ai pas eu", "bac", {NOT_HELD, ABANDONED}),
    # "niveau bac": went that far
    ("je suis niveau bac", "bac", LEVEL_ONLY),
    ("niveau bac, j'ai arrete en terminale", "bac", LEVEL_ONLY),
    ("j'ai un niveau BTS", "bac_plus", LEVEL_ONLY),
    # held, said with a date or a word of success
    ("j'ai eu mon bac en 2008", "bac", HELD),
    ("infirmiere diplomee d'etat", "de_infirmier", HELD),
    pytest.param("jsuis infirmiere diplomee, jai fait l'ifsi de saint-pierre a la reunion", "de_infirmier", HELD),
    pytest.param("j'ai fait mon IFSI a la reunion et je suis diplomee depuis 2018", "de_infirmier", HELD),
]


@pytest.mark.parametrize("sentence, diploma, expected", STATUS_SENTENCES)
def test_what_the_sentence_says_of_the_diploma(kb, sentence, diploma, expected):
    expected = expected if isinstance(expected, set) else {expected}
    assert read(kb, sentence).status(diploma) in expected


# What the visitor notices: "Avez-vous obtenu … ?" comes before any verdict.
DOUBT_SENTENCES = [
    ("je suis etudiante infirmiere en 2eme annee", "de_infirmier"),
    ("jsuis en 1ere annee a l'ifsi", "de_infirmier"),
    ("je suis en VAE pour le DEAS", "de_aide_soignant"),
    ("il me manque un module pour le DEAS", "de_aide_soignant"),
    ("je suis en terminale bac pro ASSP", "bac"),
    ("je passe le bac en juin", "bac"),
    ("j'aurai mon DEAS en juillet", "de_aide_soignant"),
    ("j'attends les resultats du DEAP", "de_auxiliaire_puericulture"),
    ("c'est pour mon fils, il passe le bac en juin", "bac"),
    ("je suis faisant fonction d'AS depuis 3 ans", "de_aide_soignant"),
    ("je suis aide-soignante mais pas diplomee", "de_aide_soignant"),
    ("je suis pas diplomee d'etat mais je suis aide soignante", "de_aide_soignant"),
    ("je suis niveau bac", "bac"),
    ("j'ai un niveau BTS", "bac_plus"),
    ("j'ai un diplome d'infirmiere marocain", "de_infirmier"),
    pytest.param("jvais passer le DEAP en juin", "de_auxiliaire_puericulture"),
    pytest.param("ma fille va passer le DEAS", "de_aide_soignant"),
    pytest.param("ma fille passe le DEAS en juin", "de_aide_soignant"),
    pytest.param("elle prepare le DEAS", "de_aide_soignant"),
    pytest.param("mon fils passe son bac cette annee", "bac"),
    pytest.param("je suis AS FF depuis 2 ans", "de_aide_soignant"),
]


@pytest.mark.parametrize("sentence, diploma", DOUBT_SENTENCES)
def test_a_diploma_in_doubt_is_asked_about_before_any_verdict(kb, sentence, diploma):
    assessment = assess(read(kb, sentence), kb)
    assert (assessment.question, assessment.diploma, assessment.case) == (ASK_CONFIRMATION, diploma, None)


# Stopped, failed, or not held: no verdict on that diploma. Whether the assistant then asks "Avez-vous obtenu
# … ?" or "Quel est votre diplôme le plus élevé ?" is the form's choice; a verdict would be wrong.
@pytest.mark.parametrize("sentence", [
    "j'ai arrete l'ifsi en 2eme annee",
    "j'ai ete recalee au DEAS",
    "j'ai rate mon bac",
    "j'ai echoue au bac",
    "jai passe le DEAS mais je l'ai pas eu",
    "il n'a pas encore le bac",
    "je n'ai pas encore mon diplome d'aide soignante",
    "je suis pas infirmiere",
    pytest.param("j'ai fait un bac pro mais je l'ai rate"),
])
def test_a_diploma_stopped_failed_or_not_held_gives_no_verdict(kb, sentence):
    assessment = assess(read(kb, sentence), kb)
    assert assessment.case is None
    assert assessment.question in (ASK_CONFIRMATION, ASK_DIPLOMA)


# --------------------------------------------------------------------------------------------------
# Negation and its scope: a "pas" bears on its own clause only.
# --------------------------------------------------------------------------------------------------

NEGATION_SENTENCES = [
    ("jai le bac mais pas de DE", {"bac": HELD}),
    ("il n'a pas encore le bac", {"bac": NOT_HELD}),
    ("jai pas le bac", {"bac": NOT_HELD}),
    ("non je n'ai pas de bac", {"bac": NOT_HELD}),
    ("j'ai jamais eu le bac", {"bac": NOT_HELD}),
    ("jai pas valide mon bac", {"bac": NOT_HELD}),
    ("je suis pas infirmiere", {"de_infirmier": NOT_HELD}),
    ("je n'ai pas encore mon diplome d'aide soignante", {"de_aide_soignant": NOT_HELD}),
    ("je ne suis pas infirmiere, je suis aide-soignante", {"de_infirmier": NOT_HELD, "de_aide_soignant": HELD}),
    ("pas infirmiere mais aide soignante", {"de_infirmier": NOT_HELD, "de_aide_soignant": HELD}),
    ("je suis aide soignante mais pas infirmiere", {"de_aide_soignant": HELD, "de_infirmier": NOT_HELD}),
    ("j'ai pas le bac, juste le brevet", {"bac": NOT_HELD, "brevet": HELD}),
    ("j'ai pas eu mon bac mais j'ai eu le DEAS", {"bac": NOT_HELD, "de_aide_soignant": HELD}),
    pytest.param("sans le bac mais avec un CAP", {"bac": NOT_HELD, "cap_bep": HELD}),
    ("ma fille n'a pas son bac mais elle a un CAP", {"bac": NOT_HELD, "cap_bep": HELD}),
    ("j'ai pas le bac ni aucun diplome", {"bac": NOT_HELD, "aucun": HELD}),
    ("je suis pas secretaire medicale mais j'ai le bac", {"bac": HELD}),
    # a question tag denies nothing (NegEx's pseudo-triggers, `pseudo_negation`)
    ("jai un bac pro ASSP, c'est considéré comme un diplome de santé pour travailler en cabinet ou pas ?", {"bac": HELD}),
    ("j'ai le DEAP, ça suffit oui ou non ?", {"de_auxiliaire_puericulture": HELD}),
    ("faisant fonction d'aide soignante, jamais eu le DEAS", {"de_aide_soignant": NOT_HELD}),
    ("j'ai arrete l'ecole en 3eme, pas de diplome, mais ca fait 6 ans que je suis secretaire medicale", {"aucun": HELD}),
    pytest.param("j'ai le DEAS depuis 2012 et pas le bac", {"de_aide_soignant": HELD, "bac": NOT_HELD}),
]


@pytest.mark.parametrize("sentence, expected", NEGATION_SENTENCES)
def test_a_negation_bears_on_its_own_clause(kb, sentence, expected):
    assert statuses(read(kb, sentence)) == expected


@pytest.mark.parametrize("first, then, diploma", [
    ("j'ai passe le bac l'an dernier", "je l'ai pas eu", "bac"),
    ("ma fille a passe le DEAS", "elle l'a pas eu", "de_aide_soignant"),
    ("j'ai le bac", "en fait non, je l'ai pas eu", "bac"),
])
def test_a_pronoun_carries_the_negation_to_the_diploma_spoken_of(kb, first, then, diploma):
    assert read(kb, first, then).status(diploma) in NOT_HELD_ANY


def test_the_medical_secretary_job_denied_in_one_clause_does_not_deny_the_diploma_of_the_next(kb):
    profile = read(kb, "je suis pas secretaire medicale mais j'ai le bac")
    assert profile.medical_secretary is False
    assert profile.status("bac") == HELD


# --------------------------------------------------------------------------------------------------
# Abroad, or in France overseas.
# --------------------------------------------------------------------------------------------------

FOREIGN_SENTENCES = [
    (("j'ai un diplome d'infirmiere marocain",), "de_infirmier", FOREIGN),
    (("jsuis infirmiere, diplomee au maroc",), "de_infirmier", FOREIGN),
    (("je suis infirmiere belge",), "de_infirmier", FOREIGN),
    (("jsuis infirmiere diplomee au Quebec",), "de_infirmier", FOREIGN),
    (("je viens du Cameroun ou j'etais infirmiere",), "de_infirmier", FOREIGN),
    (("je suis infirmiere a l'etranger",), "de_infirmier", FOREIGN),
    (("j'ai un bac algerien",), "bac", FOREIGN),
    (("mon mari a un diplome d'infirmier obtenu au senegal",), "de_infirmier", FOREIGN),
    (("ma soeur est infirmiere au Portugal",), "de_infirmier", FOREIGN),
    (("je suis infirmiere", "diplomee en Tunisie"), "de_infirmier", FOREIGN),
    (("je suis infirmiere en france", "en fait je l'ai eu au maroc"), "de_infirmier", FOREIGN),
    (("j'ai un diplome d'infirmiere obtenu en Belgique, reconnu en France",), "de_infirmier", FOREIGN_RECOGNISED),
    (("je suis infirmiere, diplome obtenu au Maroc, j'ai l'equivalence",), "de_infirmier", FOREIGN_RECOGNISED),
    (("je suis infirmiere diplomee en Roumanie, reconnue en France",), "de_infirmier", FOREIGN_RECOGNISED),
    (("j'ai un diplome d'infirmiere obtenu en Belgique mais il n'est pas reconnu en France",), "de_infirmier",
     FOREIGN_UNRECOGNISED),
    (("je suis aide soignante au portugal, pas reconnu ici",), "de_aide_soignant", FOREIGN_UNRECOGNISED),
    pytest.param(("j'ai eu mon diplome d'infirmiere en 2012, au Maroc",), "de_infirmier", FOREIGN),
    pytest.param(("j'ai le bac, passe en Algerie",), "bac", FOREIGN),
    pytest.param(("j'ai le bac et un diplome d'infirmiere, les deux obtenus au Maroc",), "de_infirmier", FOREIGN),
]


@pytest.mark.parametrize("messages, diploma, expected", FOREIGN_SENTENCES, ids=message_ids)
def test_a_diploma_obtained_abroad_is_never_taken_for_a_french_one(kb, messages, diploma, expected):
    assert read(kb, *messages).status(diploma) == expected


@pytest.mark.parametrize("sentence, diploma", [
    ("j'ai eu mon DE infirmier a la Reunion", "de_infirmier"),
    ("jai eu mon diplome d'infirmiere en Guadeloupe", "de_infirmier"),
    ("je suis infirmiere diplomee en Martinique", "de_infirmier"),
    ("je suis infirmiere en Guyane", "de_infirmier"),
    ("aide soignante diplomee a Mayotte", "de_aide_soignant"),
    ("jsuis auxiliaire de puericulture a saint denis de la reunion", "de_auxiliaire_puericulture"),
    ("jai fait mon bac a Fort-de-France", "bac"),
])
def test_a_diploma_from_an_overseas_departement_is_french(kb, sentence, diploma):
    assert statuses(read(kb, sentence)) == {diploma: HELD}


# --------------------------------------------------------------------------------------------------
# Whose diploma: the visitor's, or a relative's.
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("messages, relative, name, pronoun", ids=message_ids, argvalues=[
    (("c'est pour ma fille, elle a le bac pro",), "fille", "votre fille", "elle"),
    (("c'est pour ma fille", "elle a le bac"), "fille", "votre fille", "elle"),
    (("je me renseigne pour mon fils",), "fils", "votre fils", "il"),
    (("mon mari est aide soignant depuis 15 ans",), "mari", "votre mari", "il"),
    (("ma femme a un CAP petite enfance et elle a ete secretaire medicale 5 ans",), "femme", "votre femme", "elle"),
    (("mon pere etait ambulancier",), "pere", "votre père", "il"),
    (("ma maman a son bac",), "maman", "votre mère", "elle"),
    (("ma cousine est auxiliaire de puericulture",), "cousine", "votre cousine", "elle"),
    (("ma copine a fait une formation d'aide soignante",), "copine", "votre amie", "elle"),
    (("mon conjoint a arrete l'ifsi",), "conjoint", "votre conjoint", "il"),
    pytest.param(("ma petite soeur est aide soignante",), "soeur", "votre sœur", "elle"),
    pytest.param(("mon grand frere a le bac",), "frere", "votre frère", "il"),
])
def test_the_check_is_about_the_relative_named(kb, messages, relative, name, pronoun):
    profile = read(kb, *messages)
    assert profile.relative == relative
    assert (relative_of(profile, kb).name, relative_of(profile, kb).pronoun) == (name, pronoun)


@pytest.mark.parametrize("sentence", [
    "je suis une fille de 19 ans avec le bac",
    "jsuis infirmiere",
    "c'est la fille de ma voisine qui m'a parle du metier",
    "les fils electriques",
])
def test_no_relative_without_a_possessive(kb, sentence):
    profile = read(kb, sentence)
    assert profile.relative is None
    assert relative_of(profile, kb) is None


@pytest.mark.parametrize("story, diploma", [
    ("j'ai le bac, je m'occupe de mon pere qui est malade depuis deux ans et j'aimerais travailler en cabinet", "bac"),
    ("ma femme trouve que je suis fait pour ca, j'ai un bts et je cherche un metier utile", "bac_plus"),
    ("aide soignante diplomee, mon fils est grand maintenant donc je veux changer de rythme", "de_aide_soignant"),
])
def test_a_relative_in_the_visitors_story_leaves_the_check_theirs(kb, story, diploma):
    # The relative is a character of the story: the check stays the visitor's, with their diploma.
    profile = read(kb, story)
    assert profile.relative is None
    assert profile.status(diploma) == HELD


@pytest.mark.parametrize("sentence, relative", [
    ("ma niece voudrait devenir assistante medicale", "niece"),
    ("ma mere est tombee malade, je l'accompagne chez le medecin", None),
    ("ma fille voudrait devenir assistante medicale, elle sort du lycee", "fille"),
    ("je demande pour mon mari qui cherche une reconversion", "mari"),
])
def test_a_relative_with_a_project_is_the_one_checked(kb, sentence, relative):
    assert read(kb, sentence).relative == relative


def test_the_relative_stays_when_the_next_messages_give_the_diploma(kb):
    profile = read(kb, "c'est pour ma fille", "elle a le bac", "et elle est en 2e annee d'ifsi")
    assert profile.relative == "fille"
    assert statuses(profile) == {"bac": HELD, "de_infirmier": IN_PROGRESS}


@pytest.mark.parametrize("sentence, expected", [
    ("jsuis aide soignante combien je peux gagner", True),
    ("g le bac", True),
    ("ma fille est infirmiere", True),
    ("moi j'ai un CAP", True),
    ("et si j'obtiens le deas par vae l'an prochain ?", True),  # an elided "je" joined to its verb
    ("combien gagne une aide-soignante ?", False),
    ("c'est quoi le salaire", False),
    ("est-ce qu'une infirmiere peut devenir assistante medicale ?", False),
    ("quelle est la difference avec une secretaire medicale", False),
])
def test_speaks_of_self_tells_a_statement_about_oneself_from_a_question_on_the_job(kb, sentence, expected):
    assert speaks_of_self(sentence, kb) is expected


# --------------------------------------------------------------------------------------------------
# Corrections replace what was said; additions add to it.
# --------------------------------------------------------------------------------------------------

CORRECTIONS = [
    (("je suis infirmiere", "en fait je suis aide soignante"), {"de_aide_soignant": HELD}),
    (("je suis infirmiere", "pardon je voulais dire aide soignante"), {"de_aide_soignant": HELD}),
    (("je suis infirmiere", "oups je voulais dire aide soignante"), {"de_aide_soignant": HELD}),
    (("je suis aide soignante", "je voulais dire auxiliaire de puericulture"), {"de_auxiliaire_puericulture": HELD}),
    (("j'ai le DEAS", "ah non en fait c'est le DEAP"), {"de_auxiliaire_puericulture": HELD}),
    (("j'ai le bac", "je me suis trompee, j'ai un BEP"), {"cap_bep": HELD}),
    (("j'ai le bac", "euh plutot un CAP en fait"), {"cap_bep": HELD}),
    (("j'ai un CAP", "en fait j'ai le bac pro"), {"bac": HELD}),
    (("je suis infirmiere", "ah non pardon, je suis auxiliaire de puericulture"), {"de_auxiliaire_puericulture": HELD}),
    # additions keep what was said
    (("j'ai le bac", "j'ai aussi un CAP"), {"bac": HELD, "cap_bep": HELD}),
    (("j'ai un CAP", "j'ai aussi le bac"), {"cap_bep": HELD, "bac": HELD}),
    (("j'ai le bac", "et aussi un BTS"), {"bac": HELD, "bac_plus": HELD}),
    (("je suis aide soignante", "en fait je suis aussi infirmiere"), {"de_aide_soignant": HELD, "de_infirmier": HELD}),
    # corrections within one message
    pytest.param(("je suis infirmiere, ah non pardon, je suis aide soignante",), {"de_aide_soignant": HELD}),
    pytest.param(("je suis infirmiere ah non pardon je suis aide soignante",), {"de_aide_soignant": HELD}),
    pytest.param(("je suis infirmiere", "en fait je suis encore etudiante"), {"de_infirmier": IN_PROGRESS}),
]


@pytest.mark.parametrize("messages, expected", CORRECTIONS, ids=message_ids)
def test_a_correction_replaces_what_was_said(kb, messages, expected):
    assert statuses(read(kb, *messages)) == expected


def test_a_corrected_job_replaces_the_medical_secretary_experience(kb):
    profile = read(kb, "je suis secretaire medicale", "en fait non je suis secretaire dans une mairie")
    assert profile.medical_secretary is False


def test_a_later_mention_adds_the_medical_secretary_experience_without_touching_the_diplomas(kb):
    profile = read(kb, "j'ai le bac", "je suis aussi secretaire medicale")
    assert (statuses(profile), profile.medical_secretary) == ({"bac": HELD}, True)


# --------------------------------------------------------------------------------------------------
# Answers to the form's questions.
# --------------------------------------------------------------------------------------------------

def answer(kb, profile: Profile, message: str, pending: str, intent: Optional[str] = None,
           payload: Optional[Dict[str, str]] = None) -> Profile:
    """The profile once `message` answers the form's `pending` question (the diploma asked about, as the form
    computes it)."""
    return read_reply(profile, message, kb, intent=intent, pending=pending, payload=payload)


# "Quel est votre diplôme le plus élevé ?" (buttons: the catalogue's main diplomas, and "Un autre diplôme")
@pytest.mark.parametrize("diploma", ["de_infirmier", "de_aide_soignant", "de_auxiliaire_puericulture", "bac_plus", "bac",
                                     "cap_bep", "brevet", "aucun"])
def test_a_diploma_button_is_held(kb, diploma):
    profile = answer(kb, Profile(), '/inform{"diploma": "%s"}' % diploma, ASK_DIPLOMA, "inform", {"diploma": diploma})
    assert statuses(profile) == {diploma: HELD}


def test_a_button_payload_naming_an_unknown_diploma_is_not_read_as_one(kb):
    profile = answer(kb, Profile(), '/inform{"diploma": "licence_pilote"}', ASK_DIPLOMA, "inform",
                     {"diploma": "licence_pilote"})
    assert "licence_pilote" not in statuses(profile)


@pytest.mark.parametrize("message, expected, next_question", [
    ("bac", {"bac": HELD}, None),
    ("un bac pro", {"bac": HELD}, None),
    ("CAP", {"cap_bep": HELD}, ASK_MEDICAL_SECRETARY),
    ("BEP", {"cap_bep": HELD}, ASK_MEDICAL_SECRETARY),
    ("aucun diplome", {"aucun": HELD}, None),
    ("pas de diplome", {"aucun": HELD}, None),
    ("je n'ai pas de diplome", {"aucun": HELD}, None),
    ("j'ai le brevet et c'est tout", {"brevet": HELD}, None),
    ("/inform", {}, ASK_LEVEL),  # the "Un autre diplôme" button
    ("j'ai un diplome de coiffure", {}, ASK_LEVEL),
    ("un diplome d'esthetique", {}, ASK_LEVEL),
    ("le BAFA", {}, ASK_LEVEL),
    pytest.param("aucun", {"aucun": HELD}, None),
    pytest.param("rien", {"aucun": HELD}, None),
    pytest.param("jai rien", {"aucun": HELD}, None),
    pytest.param("aucun malheureusement", {"aucun": HELD}, None),
    ("non", {"aucun": HELD}, None),
    ("non j'en ai pas", {"aucun": HELD}, None),
    # A change of mind, not "no diploma": the question is asked again, the verdict waits.
    ("ah non en fait dites moi d'abord combien ca paye, apres on verra", {}, ASK_LEVEL),
])
def test_answers_to_the_diploma_question(kb, message, expected, next_question):
    intent = "inform" if message.startswith("/") else None
    profile = answer(kb, Profile(), message, ASK_DIPLOMA, intent)
    assert statuses(profile) == expected
    assert assess(profile, kb).question == next_question


def test_an_unknown_diploma_is_asked_its_level_then_forgotten_once_a_diploma_is_known(kb):
    profile = answer(kb, Profile(), "j'ai un diplome de coiffure", ASK_DIPLOMA)
    assert profile.diploma_unreadable
    profile = answer(kb, profile, '/inform{"diploma": "cap_bep"}', ASK_LEVEL, "inform", {"diploma": "cap_bep"})
    assert not profile.diploma_unreadable
    assert assess(profile, kb).question == ASK_MEDICAL_SECRETARY


# "Je ne connais pas ce diplôme. Quel est son niveau ?"
@pytest.mark.parametrize("message, payload, question, case", [
    ('/inform{"diploma": "niveau_bac"}', "niveau_bac", None, "cqp"),
    ('/inform{"diploma": "cap_bep"}', "cap_bep", ASK_MEDICAL_SECRETARY, None),
    ('/inform{"diploma": "aucun"}', "aucun", None, "no_certain_route"),
    ('/inform{"diploma": "niveau_inconnu"}', "niveau_inconnu", None, "undetermined_level"),
    ("je sais pas", None, None, "undetermined_level"),
    ("jsp", None, None, "undetermined_level"),
    ("aucune idee", None, None, "undetermined_level"),
    ("bac+2", None, None, "cqp"),
    ("c'est un CAP", None, ASK_MEDICAL_SECRETARY, None),
    ("c'est l'equivalent d'un CAP", None, ASK_MEDICAL_SECRETARY, None),
    pytest.param("c'est niveau bac", None, None, "cqp"),
    pytest.param("c'est equivalent au bac", None, None, "cqp"),
    pytest.param("niveau 4", None, None, "cqp"),
    pytest.param("niveau 3", None, ASK_MEDICAL_SECRETARY, None),
])
def test_answers_to_the_level_question(kb, message, payload, question, case):
    unreadable = Profile(diploma_unreadable=True)
    profile = answer(kb, unreadable, message, ASK_LEVEL, "inform" if payload else None,
                     {"diploma": payload} if payload else None)
    assessment = assess(profile, kb)
    assert (assessment.question, assessment.case) == (question, case)


# "Avez-vous obtenu le diplôme d'État d'aide-soignant ?", asked of a student.
STUDENT = Profile(diplomas=(("de_aide_soignant", IN_PROGRESS),))

CONFIRMATION_ANSWERS = [
    ("oui", None, HELD), ("OUI", None, HELD), ("Oui !", None, HELD), ("ouais", None, HELD), ("yes", None, HELD),
    ("oui oui", None, HELD), ("bien sur", None, HELD), ("c'est bon je l'ai", None, HELD),
    ("oui je l'ai eu", None, HELD), ("oui jlai eu en juin", None, HELD), ("oui depuis 2019", None, HELD),
    ("Oui, je l'ai eu", "affirm", HELD), ("/affirm", "affirm", HELD),
    ("non", None, DENIED), ("Non.", None, DENIED), ("nan", None, DENIED), ("non pas encore", None, DENIED),
    ("non je l'ai pas", None, DENIED), ("pas encore", None, DENIED), ("toujours pas", None, DENIED),
    ("non, je le passe en juin", None, DENIED), ("pas encore, les resultats sont en juillet", None, DENIED),
    ("je suis pas encore diplomee", None, DENIED), ("/deny", "deny", DENIED),
    # not knowing is not a yes
    ("je sais pas", None, DENIED), ("jsp", None, DENIED), ("chais pas", None, DENIED), ("aucune idee", None, DENIED),
    ("euh", None, DENIED),
    pytest.param("ouiii", None, HELD),
    ("je l'ai eu", "inform", HELD), ("je l'ai eu hier !", "inform", HELD),
    ("j'ai eu mon diplome la semaine derniere", "inform", HELD),
    pytest.param("je suis diplomee depuis juillet", "inform", HELD),
    pytest.param("oui enfin pas encore, les resultats sont dans 2 semaines", None, DENIED),
]


@pytest.mark.parametrize("message, intent, expected", CONFIRMATION_ANSWERS)
def test_answers_to_the_confirmation_question(kb, message, intent, expected):
    profile = answer(kb, STUDENT, message, ASK_CONFIRMATION, intent)
    assert profile.status("de_aide_soignant") == expected
    assert assess(profile, kb).question != ASK_CONFIRMATION  # never asked again


@pytest.mark.parametrize("message, expected", [
    ("oui elle l'a eu", HELD),
    ("ouais elle est diplomee depuis juin", HELD),
    ("non elle l'a pas encore", DENIED),
    ("nan pas encore", DENIED),
])
def test_answers_about_a_relative(kb, message, expected):
    daughter = Profile(diplomas=(("de_aide_soignant", IN_PROGRESS),), relative="fille")
    profile = answer(kb, daughter, message, ASK_CONFIRMATION)
    assert profile.status("de_aide_soignant") == expected
    assert profile.relative == "fille"


@pytest.mark.parametrize("message, expected", [
    ("non mais j'ai le bac", {"de_aide_soignant": DENIED, "bac": HELD}),
    ("non, par contre j'ai le DEAP", {"de_aide_soignant": DENIED, "de_auxiliaire_puericulture": HELD}),
    ("non je l'ai rate mais j'ai un bac pro", {"de_aide_soignant": DENIED, "bac": HELD}),
])
def test_a_no_that_names_another_diploma_keeps_it(kb, message, expected):
    assert statuses(answer(kb, STUDENT, message, ASK_CONFIRMATION)) == expected


# "Ce diplôme obtenu à l'étranger est-il reconnu en France ?"
MOROCCAN_NURSE = Profile(diplomas=(("de_infirmier", FOREIGN),))


@pytest.mark.parametrize("message, intent, expected", [
    ("oui", None, FOREIGN_RECOGNISED),
    ("/affirm", "affirm", FOREIGN_RECOGNISED),
    ("oui j'ai l'autorisation d'exercer", None, FOREIGN_RECOGNISED),
    ("oui il est reconnu", None, FOREIGN_RECOGNISED),
    ("il est reconnu", "inform", FOREIGN_RECOGNISED),
    ("non", None, FOREIGN_UNRECOGNISED),
    ("/deny", "deny", FOREIGN_UNRECOGNISED),
    ("il est pas reconnu", "inform", FOREIGN_UNRECOGNISED),
    ("non pas encore, j'ai fait la demande a l'ARS", None, FOREIGN_UNRECOGNISED),
    ("jsp", None, FOREIGN_UNRECOGNISED),
    ("je sais pas du tout", None, FOREIGN_UNRECOGNISED),
])
def test_answers_to_the_recognition_question(kb, message, intent, expected):
    profile = answer(kb, MOROCCAN_NURSE, message, ASK_CONFIRMATION, intent)
    assert profile.status("de_infirmier") == expected
    assert assess(profile, kb).case == "undetermined_foreign"  # recognised or not, the ARS decides


def test_a_french_bac_given_with_the_answer_on_recognition_is_held(kb):
    profile = answer(kb, MOROCCAN_NURSE, "non mais j'ai un bac francais", ASK_CONFIRMATION)
    assert statuses(profile) == {"de_infirmier": FOREIGN_UNRECOGNISED, "bac": HELD}


# "Avez-vous travaillé comme secrétaire médical(e) ?", asked of a CAP holder.
CAP_HOLDER = Profile(diplomas=(("cap_bep", HELD),))


@pytest.mark.parametrize("message, intent, expected", [
    ("oui", None, True), ("/affirm", "affirm", True), ("ouais", None, True), ("oui 3 ans", None, True),
    ("oui pendant 3 ans chez un dermato", None, True), ("oui 4 ans dans un cabinet de radiologie", None, True),
    ("j'ai ete secretaire medicale 5 ans", None, True),
    ("jai bosse comme secretaire dans un cabinet medical", None, True),
    ("j'ai fait du secretariat medical en clinique", None, True),
    ("j'ai ete secretaire chez un generaliste pendant 6 ans", None, True),
    ("non", None, False), ("/deny", "deny", False), ("nan", None, False), ("non jamais", None, False),
    ("j'ai ete secretaire mais pas dans le medical", None, False),
    ("secretaire dans une mairie", None, False),
    ("j'etais secretaire chez un notaire", None, False),
    ("non, secretaire comptable", None, False),
    ("non j'etais secretaire dans une agence immo", None, False),
    ("jsp", None, False),
    ("euh pas vraiment", None, False),
])
def test_answers_to_the_medical_secretary_question(kb, message, intent, expected):
    profile = answer(kb, CAP_HOLDER, message, ASK_MEDICAL_SECRETARY, intent)
    assert profile.medical_secretary is expected
    assert assess(profile, kb).question is None  # settled: never asked again


@pytest.mark.parametrize("message", ["oui", "non", "/affirm", "jsp"])
def test_a_yes_or_no_outside_the_form_changes_nothing(kb, message):
    intent = {"/affirm": "affirm"}.get(message)
    assert read_message(CAP_HOLDER, message, kb, intent=intent) == CAP_HOLDER


@pytest.mark.parametrize("sentence, expected", [
    ("je suis secretaire medicale depuis 5 ans", True),
    ("jsuis secretaire chez un medecin", True),
    ("bonjour alors voila jai 45 ans jai travaille 10 ans comme secretaire medicale chez un generaliste, jai un BEP "
     "secretariat et je voudrais savoir si je peux devenir assistante medicale", True),
    ("je suis secretaire chez un notaire", False),
    ("je suis pas secretaire medicale", False),
    ("je suis secretaire", None),
])
def test_medical_secretary_experience_told_spontaneously(kb, sentence, expected):
    assert read(kb, sentence).medical_secretary is expected


# --------------------------------------------------------------------------------------------------
# The profile kept between messages (the slot).
# --------------------------------------------------------------------------------------------------

def test_the_profile_survives_the_slot_round_trip(kb):
    profile = read(kb, "ma fille est etudiante infirmiere, elle a le bac", "elle a ete secretaire medicale")
    assert Profile.from_slot(profile.to_slot(), kb) == profile


@pytest.mark.parametrize("slot", [None, "n'importe quoi", {"diplomas": [["diplome_supprime", "held"], ["bac", 3]],
                                                             "medical_secretary": "oui", "relative": "voisine"}])
def test_a_damaged_or_outdated_slot_gives_an_empty_profile(kb, slot):
    assert Profile.from_slot(slot, kb) == Profile()


def test_the_diploma_spoken_of_last_comes_last(kb):
    profile = read(kb, "j'ai le bac et un CAP", "j'ai aussi le bac pro")
    assert [d for d, _ in profile.diplomas] == ["cap_bep", "bac"]


@pytest.mark.parametrize("sentence, expected", [
    # "ne… que" and a bac said missing in the same breath: the BEP is held, the bac is not.
    ("j'ai qu'un BEP secrétariat pas le bac", {"cap_bep": HELD, "bac": NOT_HELD}),
    # "sans refaire une formation" is about the training, not the diploma.
    ("jsui AS diplomé dpuis 3 an je pe etre assistant medic sans refair 1 formation??", {"de_aide_soignant": HELD}),
])
def test_a_negation_about_something_else_leaves_the_diploma_held(kb, sentence, expected):
    assert statuses(read(kb, sentence)) == expected


def test_a_relative_named_in_passing_leaves_the_check_to_the_visitor_who_names_their_own_diploma(kb):
    profile = read(kb, "J'ai le bac, un bac G de 1992. Ma femme est infirmière libérale et elle me dit que les "
                       "médecins du coin cherchent des assistants médicaux. Ils peuvent me payer la formation ?")
    assert statuses(profile) == {"bac": HELD} and profile.relative is None
    # Asked for the relative, the check is the relative's even when the visitor names their own diploma.
    asked = read(kb, "je suis infirmière, je me renseigne pour ma fille qui a le bac")
    assert statuses(asked) == {"bac": HELD} and asked.relative == "fille"


def test_faisant_fonction_said_without_the_diploma_is_not_asked_again(kb):
    profile = read(kb, "je suis faisant fonction d'aide soignante, je n'ai pas le diplome, mais j'ai le bac")
    assert statuses(profile) == {"de_aide_soignant": NOT_HELD, "bac": HELD}
    assert assess(profile, kb).case == "cqp"  # no "Avez-vous obtenu le DEAS ?" after "je n'ai pas le diplôme"
