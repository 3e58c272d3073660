"""NLU evaluation.

    python -m evaluation.nlu heldout [--model M] [--gate]
        held-out file only (seconds); --gate exits 1 below the targets (the test command uses it)
    python -m evaluation.nlu full [--model M] [--config C]
        5-fold cross-validation on data/nlu, held-out file, and robustness (accents stripped,
        one typo per utterance); reports and confusion matrices under results/evaluation/
    python -m evaluation.nlu compare [PIPELINE.yml ...]
        the same measures for each pipeline (default: config.yml, then the candidates in
        evaluation/pipelines/), same folds, printed as a Markdown table
"""

import argparse
import asyncio
import logging
import os
import sys
import time
from pathlib import Path
from typing import Dict, List

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from evaluation.perturb import write_variants  # noqa: E402
from evaluation.reports import describe, summarise, worst  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "tests" / "nlu_heldout.yml"
TRAINING_DATA = ROOT / "data" / "nlu"
RESULTS = ROOT / "results" / "evaluation"
FOLDS, FOLD_SEED = 5, 2026

# Targets of the held-out file (issue "Measured quality").
TARGETS = {"accuracy": 0.97, "macro_f1": 0.95, "intent_f1": 0.85}
# The test command's gate stays under the targets so that it catches regressions, not the noise
# between two trainings: with the same training examples, adding two button-only intents to the
# domain moved the held-out accuracy from 0.958 to 0.946 (27 errors instead of 21, spread over 20
# intents), so the gate allows 1.5 points under the best measured figure. The weakest intent is
# out_of_scope, 10 utterances: one more job question sent off-topic costs it 0.04. Since the typed
# requests for details and sources are checked for relevance (config.yml), two of their held-out
# sentences fall there (0.74 on 2026-12-04); action_handle_miss still gives them the sources.
GATE = {"accuracy": 0.94, "macro_f1": 0.94, "intent_f1": 0.70}


def quiet_rasa_logs() -> None:
    import structlog

    logging.disable(logging.WARNING)
    # Rasa also logs through structlog, which otherwise prints every parsed sentence at debug level.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def load_processor(model: Path):
    """The model's message processor, as the server runs it (the SafetyDetector included)."""
    from rasa.core.agent import Agent

    return Agent.load(str(model)).processor


def _evaluate(processor, nlu_file: Path, out: Path) -> Dict:
    from rasa.nlu.test import run_evaluation

    asyncio.run(run_evaluation(str(nlu_file), processor, output_directory=str(out), errors=True))
    return summarise(out)


def evaluate_file(model: Path, nlu_file: Path, out: Path) -> Dict:
    return _evaluate(load_processor(model), nlu_file, out)


def heldout_with_robustness(model: Path, out: Path) -> Dict[str, Dict]:
    processor = load_processor(model)  # loaded once for the three files
    files = {"heldout": HELDOUT, **write_variants(HELDOUT, out / "variants")}
    return {name: _evaluate(processor, nlu_file, out / name) for name, nlu_file in files.items()}


def cross_validation(config: Path, out: Path) -> Dict:
    import numpy as np
    from rasa.nlu.test import cross_validate
    from rasa.shared.nlu.training_data.loading import load_data

    # Rasa shuffles folds with numpy's global generator: seeding it gives every pipeline the same folds.
    np.random.seed(FOLD_SEED)
    data = load_data(str(TRAINING_DATA))
    asyncio.run(cross_validate(data, FOLDS, str(config), output=str(out), errors=True, report_as_dict=True))
    return summarise(out)


def train_nlu(config: Path, out: Path) -> (Path, float):
    from rasa.model_training import train_nlu as rasa_train_nlu

    started = time.monotonic()
    model = rasa_train_nlu(str(config), str(TRAINING_DATA), str(out), fixed_model_name="nlu")
    return Path(model), time.monotonic() - started


def robustness_lines(summaries: Dict[str, Dict]) -> List[str]:
    base = summaries["heldout"]["accuracy"]
    return [f"  {name:<10} accuracy {summaries[name]['accuracy']:.3f} (drop {100 * (base - summaries[name]['accuracy']):.1f} points)"
            for name in ("no_accents", "one_typo")]


def failures(summary: Dict, bar: Dict) -> List[str]:
    problems = []
    if summary["accuracy"] < bar["accuracy"]:
        problems.append(f"intent accuracy {summary['accuracy']:.3f} < {bar['accuracy']}")
    if summary["macro_f1"] < bar["macro_f1"]:
        problems.append(f"macro-F1 {summary['macro_f1']:.3f} < {bar['macro_f1']}")
    name, f1 = worst(summary, 1)[0]
    if f1 < bar["intent_f1"]:
        problems.append(f"intent {name} F1 {f1:.2f} < {bar['intent_f1']}")
    return problems


def command_heldout(args) -> int:
    summary = evaluate_file(args.model, HELDOUT, RESULTS / "heldout")
    print(describe(f"Held-out NLU ({HELDOUT.name})", summary, show_errors=10))
    print(f"  reports         : {RESULTS / 'heldout'}")
    problems = failures(summary, GATE if args.gate else TARGETS)
    for problem in problems:
        print(f"  below {'gate' if args.gate else 'target'}: {problem}", file=sys.stderr)
    return 1 if problems and args.gate else 0


def command_full(args) -> int:
    summaries = heldout_with_robustness(args.model, RESULTS)
    print(describe(f"Held-out NLU ({HELDOUT.name})", summaries["heldout"], show_errors=10))
    print("Robustness on the held-out file:")
    print("\n".join(robustness_lines(summaries)))
    print(f"Cross-validation ({FOLDS} folds, seed {FOLD_SEED}) on {TRAINING_DATA.relative_to(ROOT)} with {args.config.name}…", flush=True)
    print(describe("Cross-validation", cross_validation(args.config, RESULTS / "cross_validation")))
    print(f"Reports and confusion matrices: {RESULTS}")
    for problem in failures(summaries["heldout"], TARGETS):
        print(f"  below target: {problem}")
    return 0


def command_compare(args) -> int:
    pipelines = args.pipelines or [ROOT / "config.yml", *sorted((ROOT / "evaluation" / "pipelines").glob("*.yml"))]
    rows = []
    for pipeline in pipelines:
        out = RESULTS / "compare" / pipeline.stem
        print(f"== {pipeline.stem}", flush=True)
        model, seconds = train_nlu(pipeline, out)
        summaries = heldout_with_robustness(model, out)
        cv = cross_validation(pipeline, out / "cross_validation")
        held = summaries["heldout"]
        rows.append((pipeline.stem, cv["accuracy"], cv["macro_f1"], held["accuracy"], held["macro_f1"],
                     worst(held, 1)[0][1], summaries["no_accents"]["accuracy"], summaries["one_typo"]["accuracy"], seconds))
        print(describe("  held-out", held))
    print("\n| pipeline | CV accuracy | CV macro-F1 | held-out accuracy | held-out macro-F1 | lowest intent F1 | no accents | one typo | NLU training |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, *values, seconds in rows:
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in values) + f" | {seconds:.0f} s |")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    heldout = commands.add_parser("heldout")
    heldout.add_argument("--model", type=Path, default=ROOT / "models" / "assistant.tar.gz")
    heldout.add_argument("--gate", action="store_true")
    full = commands.add_parser("full")
    full.add_argument("--model", type=Path, default=ROOT / "models" / "assistant.tar.gz")
    full.add_argument("--config", type=Path, default=ROOT / "config.yml")
    compare = commands.add_parser("compare")
    compare.add_argument("pipelines", nargs="*", type=Path)
    args = parser.parse_args()
    quiet_rasa_logs()
    return {"heldout": command_heldout, "full": command_full, "compare": command_compare}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
