"""How well the distress model (orientation.distress_model) finds distress in rounds it was not taught.

    python -m evaluation.distress_model [--threshold T] [--new FOLDER]

Leave one round out: for each boundary round from 4 on (the rounds written after the word lists), the
model is trained as `rasa train` trains it (the other rounds' sets and the NLU training examples) and
scores the round left out. Printed per round: its distress messages the model finds alone, and the
job questions, health and off-topic messages it would wrongly turn into distress (of those the lists do
not take for distress). Then dev.txt (never trained on) with the model trained on
every round. `--new FOLDER`: a round written since, measured as written, with the lists and the model.
"""

import argparse
import os
import sys
from pathlib import Path
from typing import List

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

from evaluation.boundaries import BOUNDARIES, dev_lines  # noqa: E402
from orientation.distress_model import (DISTRESS_CATEGORY, DistressModel, boundary_sets, detect_with_model,  # noqa: E402
                                        train_on_rounds)
from orientation.safety import DISTRESS, detect, load_safety_lexicon  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LEXICON = ROOT / "knowledge" / "safety" / "lexicon.yml"
FIRST_ROUND_AFTER_LISTS = 4


def training_examples() -> List[str]:
    """The NLU training examples' texts, as the component's train() receives them."""
    from rasa.shared.nlu.training_data.loading import load_data

    return [example.get("text") for example in load_data(str(ROOT / "data" / "nlu")).intent_examples]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threshold", type=float, default=None, help="default: config.yml's")
    parser.add_argument("--new", type=Path, help="a folder of boundary sets written since")
    args = parser.parse_args()
    threshold = args.threshold if args.threshold is not None else configured_threshold()
    lexicon = load_safety_lexicon(LEXICON)
    sets, examples = boundary_sets(BOUNDARIES), training_examples()
    print(f"Distress model, threshold {threshold}: leave one round out")
    found_total = distress_total = wrong_total = others_total = 0
    for held_out in sorted({r for r, _, _ in sets if r >= FIRST_ROUND_AFTER_LISTS}):
        model = train_on_rounds([s for s in sets if s[0] != held_out], examples, lexicon)
        distress = [m for r, c, ms in sets if r == held_out and c == DISTRESS_CATEGORY for m in ms]
        others = [m for r, c, ms in sets if r == held_out and c != DISTRESS_CATEGORY for m in ms
                  if detect(m, lexicon) != DISTRESS]
        found = sum(s >= threshold for s in model.scores(distress))
        wrong = [m for m, s in zip(others, model.scores(others)) if s >= threshold]
        print(f"  round {held_out}: distress found by the model alone {found} / {len(distress)}, "
              f"other messages turned into distress {len(wrong)} / {len(others)}")
        for message in wrong:
            print(f"    ✗ {message}")
        found_total, distress_total = found_total + found, distress_total + len(distress)
        wrong_total, others_total = wrong_total + len(wrong), others_total + len(others)
    print(f"  all rounds: distress {found_total} / {distress_total}, others turned into distress "
          f"{wrong_total} / {others_total}")
    model = train_on_rounds(sets, examples, lexicon)
    dev_alone = [line for line in dev_lines() if detect(line, lexicon) != DISTRESS]
    wrong = [m for m, s in zip(dev_alone, model.scores(dev_alone)) if s >= threshold]
    print(f"dev.txt lines the lists leave alone turned into distress: {len(wrong)} / {len(dev_alone)}")
    for line in wrong:
        print(f"    {line}")
    if args.new:
        report_new_round(boundary_sets(args.new), model, lexicon, threshold)
    return 0


def report_new_round(sets, model: DistressModel, lexicon, threshold: float) -> None:
    print(f"New round, as written (lists, then lists and model at {threshold}):")
    for _, category, messages in sets:
        by_lists = [detect(m, lexicon) for m in messages]
        with_model = detect_with_model(messages, lexicon, model, threshold)
        if category == DISTRESS_CATEGORY:
            print(f"  distress missed: lists {sum(f != DISTRESS for f in by_lists)} / {len(messages)}, "
                  f"lists and model {sum(f != DISTRESS for f in with_model)} / {len(messages)}")
        else:
            print(f"  {category} answered as distress: lists {sum(f == DISTRESS for f in by_lists)} / {len(messages)}, "
                  f"lists and model {sum(f == DISTRESS for f in with_model)} / {len(messages)}")


def configured_threshold() -> float:
    import yaml

    pipeline = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]
    detector = next(c for c in pipeline if c["name"].endswith("SafetyDetector"))
    return float(detector["distress_threshold"])


if __name__ == "__main__":
    sys.exit(main())
