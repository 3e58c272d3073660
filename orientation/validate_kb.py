"""`python -m orientation.validate_kb [dossier]`: checks the knowledge base a counsellor has just edited."""

import sys
from pathlib import Path

from orientation.answers import FIRST_MESSAGE_CHARS, overlong_key_facts
from orientation.loader import KnowledgeBaseError, load_knowledge_dir
from orientation.safety import SafetyLexiconError, load_safety_lexicon

DEFAULT_DIRECTORY = Path(__file__).resolve().parent.parent / "knowledge"
SAFETY_LEXICON = "safety/lexicon.yml"  # inside the knowledge directory


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    directory = Path(args[0]) if args else DEFAULT_DIRECTORY
    try:
        bases = load_knowledge_dir(directory)
        lexicon = load_safety_lexicon(directory / SAFETY_LEXICON)
    except (KnowledgeBaseError, SafetyLexiconError) as error:
        print(f"ERREUR : {error}", file=sys.stderr)
        return 1
    overlong = [problem for base in bases.values() for problem in overlong_key_facts(base)]
    for problem in overlong:
        print(f"ERREUR : {problem} ; le premier fait est envoyé seul et doit tenir en {FIRST_MESSAGE_CHARS} caractères", file=sys.stderr)
    if overlong:
        return 1
    for base in bases.values():
        facts = sum(len(t.facts) for t in base.topics.values())
        print(f"OK : {base.path} ({base.profession_name}) : {len(base.sources)} sources, {len(base.figures)} chiffres, {len(base.topics)} sujets, {facts} faits.")
    print(f"OK : {directory / SAFETY_LEXICON} : {len(lexicon.distress)} expressions de détresse, "
          f"{len(lexicon.symptoms)} symptômes, {len(lexicon.advice)} demandes de soin.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
