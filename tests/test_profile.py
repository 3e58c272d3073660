"""Reading what visitors type about themselves: diplomas, jobs, years, with typos and no accents."""

import pytest

from orientation.profile import match_diploma, match_job, parse_years, profile_from_slots


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Infirmière", "de_infirmier"), ("infirmiere", "de_infirmier"), ("IDE", "de_infirmier"),
        ("aide-soignante", "de_aide_soignant"), ("DEAS", "de_aide_soignant"), ("je suis aide soignante", "de_aide_soignant"),
        ("auxiliaire de puériculture", "de_auxiliaire_puericulture"),
        ("bac pro", "bac"), ("le Bac", "bac"), ("BTS SP3S", "bac_plus"), ("bac+2", "bac_plus"),
        ("CAP petite enfance", "cap_bep"), ("brevet des collèges", "brevet"),
        ("aucun diplôme", "aucun"), ("j'ai pas le bac", "aucun"), ("rien", "aucun"),
        ("bac_plus", "bac_plus"),
        ("coiffure", None), ("", None), ("<script>alert(1)</script>", None),
    ],
)
def test_match_diploma(kb, text, expected):
    assert match_diploma(text, kb) == expected


@pytest.mark.parametrize(
    "entity, sentence, expected",
    [("bac", "je n'ai pas le bac", "aucun"), ("bac", "j'ai eu le bac en 2010", "bac"),
     ("bac", "j'ai le bac mais pas le DEAS", "bac"), ("DEAS", "j'ai le bac et le DEAS", "de_aide_soignant"),
     ("bac", '/inform{"diploma": "bac"}', "bac")],
)
def test_an_extracted_diploma_is_read_in_its_sentence(kb, entity, sentence, expected):
    # The entity extractor returns "bac" for "je n'ai pas le bac": the visitor has NOT got it.
    assert match_diploma(entity, kb, sentence) == expected


@pytest.mark.parametrize(
    "text, expected",
    [("secrétaire médicale", "secretaire_medicale"), ("secretaire medical", "secretaire_medicale"),
     ("assistante dentaire", "assistant_dentaire"), ("non, aucun des deux", "autre"), ("autre", "autre"), ("vendeuse", None)],
)
def test_match_job(kb, text, expected):
    assert match_job(text, kb) == expected


@pytest.mark.parametrize(
    "text, expected",
    [("3", 3), ("trois ans", 3), ("depuis 5 ans", 5), ("18 mois", 1.5), ("6 mois", 0.5), ("2 ans et demi", 2.5),
     ("2,5", 2.5), ("un an", 1), (4, 4), ("euh je sais pas", None), ("", None), ("999", None), ("-3", 3)],
)
def test_parse_years(text, expected):
    assert parse_years(text) == expected


def test_profile_from_raw_slots_normalises_what_was_typed(kb):
    profile = profile_from_slots({"diploma": "aide soignante", "job": "Secrétaire médicale", "experience_years": "5 ans"}, kb)
    assert (profile.diploma, profile.job, profile.experience_years) == ("de_aide_soignant", "secretaire_medicale", 5)
    assert profile_from_slots({}, kb).diploma is None
