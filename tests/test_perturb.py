"""The robustness variants of the held-out file change what visitors type, never the annotations."""

import random
import re

from evaluation.perturb import one_typo, rewrite_nlu_file, strip_accents

ANNOTATED = 'je suis [aide-soignante diplômée]{"entity": "diploma", "value": "de_aide_soignant"} depuis [3 ans](experience_years)'
MARKUP = re.compile(r"\{[^}]*\}|\([^)]*\)")


def test_strip_accents_keeps_length_and_markup():
    stripped = strip_accents(ANNOTATED)
    assert "diplomee" in stripped and len(stripped) == len(ANNOTATED)
    assert MARKUP.findall(stripped) == MARKUP.findall(ANNOTATED)
    assert strip_accents("Ça dépend, œuvre") == "Ca depend, œuvre"


def test_one_typo_changes_one_letter_and_never_the_markup():
    rng = random.Random(3)
    for _ in range(200):
        typo = one_typo(ANNOTATED, rng)
        assert typo != ANNOTATED
        assert MARKUP.findall(typo) == MARKUP.findall(ANNOTATED)
        assert abs(len(typo) - len(ANNOTATED)) <= 1


def test_rewritten_file_is_still_valid_rasa_training_data(tmp_path):
    from rasa.shared.nlu.training_data.loading import load_data

    source = tmp_path / "in.yml"
    source.write_text(f'version: "3.1"\nnlu:\n- intent: inform\n  examples: |\n    - {ANNOTATED}\n    - j\'ai le [bac](diploma)\n', encoding="utf-8")
    target = tmp_path / "out.yml"
    rewrite_nlu_file(source, target, strip_accents)
    data = load_data(str(target))
    assert len(data.intent_examples) == 2
    assert {e["entity"] for m in data.intent_examples for e in m.get("entities", [])} == {"diploma", "experience_years"}
