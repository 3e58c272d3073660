"""Rewrites NLU test utterances as careless visitors type them, keeping entity annotations intact."""

import random
import re
import unicodedata
from pathlib import Path
from typing import Callable

import yaml

# [visible text]{json} or [visible text](entity): only the visible text may change.
_ANNOTATION = re.compile(r"\[([^\]]*)\](\{[^}]*\}|\([^)]*\))")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _base_letter(c: str) -> str:
    decomposed = unicodedata.normalize("NFD", c)
    return decomposed[0] if len(decomposed) > 1 and all(unicodedata.combining(m) for m in decomposed[1:]) else c


def strip_accents(text: str) -> str:
    """Accents removed letter by letter, so every character keeps its place ("é" → "e", "œ" kept)."""
    return "".join(_base_letter(c) for c in text)


def _visible_positions(example: str):
    """Indices of letters the visitor typed (outside the annotation markup)."""
    markup = set()
    for match in _ANNOTATION.finditer(example):
        markup.update({match.start(), match.end(1)})
        markup.update(range(match.start(2), match.end(2)))
    return [i for i, c in enumerate(example) if c.isalpha() and i not in markup]


def one_typo(example: str, rng: random.Random) -> str:
    """One random keyboard slip: a letter dropped, doubled, replaced, or swapped with the next."""
    positions = _visible_positions(example)
    if not positions:
        return example
    i = rng.choice(positions)
    kind = rng.choice(("drop", "double", "replace", "swap"))
    if kind == "drop" and len(positions) > 1:
        return example[:i] + example[i + 1:]
    if kind == "double":
        return example[:i] + example[i] + example[i:]
    if kind == "swap" and i + 1 in positions:
        return example[:i] + example[i + 1] + example[i] + example[i + 2:]
    return example[:i] + rng.choice(_LETTERS.replace(example[i].lower(), "")) + example[i + 1:]


def rewrite_nlu_file(source: Path, target: Path, rewrite: Callable[[str], str]) -> None:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    for block in data.get("nlu", []):
        if "examples" in block:
            lines = [line[2:] for line in block["examples"].splitlines() if line.startswith("- ")]
            block["examples"] = "".join(f"- {rewrite(line)}\n" for line in lines)
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def write_variants(heldout: Path, folder: Path, seed: int = 7) -> dict:
    """The held-out file without accents, and with one typo per utterance (seeded: same typos each run)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    variants = {"no_accents": folder / "heldout_no_accents.yml", "one_typo": folder / "heldout_one_typo.yml"}
    rewrite_nlu_file(heldout, variants["no_accents"], strip_accents)
    rewrite_nlu_file(heldout, variants["one_typo"], lambda line: one_typo(line, rng))
    return variants
