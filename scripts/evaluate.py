"""Intent accuracy, macro-F1 and entity F1 on the held-out file (utterances absent from training).

    python scripts/evaluate.py [--model models/assistant.tar.gz] [--nlu tests/nlu_heldout.yml]
                               [--out results/heldout] [--min-accuracy 0.95]

Runs `rasa test nlu`, keeps Rasa's reports under --out, and prints the figures. With
--min-accuracy it exits 1 when intent accuracy falls below the bar (the test command's gate).
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILE_ENTITIES = ("diploma", "job", "experience_years")


def run_rasa_test(model: Path, nlu: Path, out: Path) -> None:
    rasa = Path(sys.executable).parent / "rasa"
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="2")
    command = [str(rasa), "test", "nlu", "--model", str(model), "--nlu", str(nlu), "--out", str(out)]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-3000:] + result.stderr[-3000:])
        raise SystemExit(f"rasa test nlu failed (exit {result.returncode})")


def entity_report(out: Path) -> dict:
    for name in ("CRFEntityExtractor_report.json", "DIETClassifier_report.json"):
        if (out / name).exists():
            return json.loads((out / name).read_text())
    return {}


def summarise(out: Path) -> dict:
    intents = json.loads((out / "intent_report.json").read_text())
    per_intent = {k: v for k, v in intents.items() if isinstance(v, dict) and "f1-score" in v and k not in ("macro avg", "weighted avg", "micro avg")}
    entities = entity_report(out)
    entity_f1 = {e: entities[e]["f1-score"] for e in PROFILE_ENTITIES if e in entities}
    return {
        "accuracy": intents["accuracy"],
        "macro_f1": intents["macro avg"]["f1-score"],
        "utterances": int(intents["macro avg"]["support"]),
        "worst": sorted(per_intent.items(), key=lambda kv: kv[1]["f1-score"])[:5],
        "entity_f1": entity_f1,
        "entity_macro_f1": sum(entity_f1.values()) / len(entity_f1) if entity_f1 else None,
        "errors": json.loads((out / "intent_errors.json").read_text()) if (out / "intent_errors.json").exists() else [],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "assistant.tar.gz")
    parser.add_argument("--nlu", type=Path, default=ROOT / "tests" / "nlu_heldout.yml")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "heldout")
    parser.add_argument("--min-accuracy", type=float, default=None)
    args = parser.parse_args()

    run_rasa_test(args.model, args.nlu, args.out)
    summary = summarise(args.out)
    print(f"Held-out NLU ({args.nlu.name}, {summary['utterances']} utterances)")
    print(f"  intent accuracy : {summary['accuracy']:.3f}")
    print(f"  intent macro-F1 : {summary['macro_f1']:.3f}")
    if summary["entity_macro_f1"] is not None:
        detail = ", ".join(f"{e} {f:.3f}" for e, f in summary["entity_f1"].items())
        print(f"  entity F1       : {summary['entity_macro_f1']:.3f} ({detail})")
    print("  worst intents   : " + ", ".join(f"{name} {m['f1-score']:.2f}" for name, m in summary["worst"]))
    for error in summary["errors"][:10]:
        print(f"    ✗ {error['text']!r}: {error['intent']} → {error['intent_prediction']['name']}")
    print(f"  reports         : {args.out}")
    if args.min_accuracy is not None and summary["accuracy"] < args.min_accuracy:
        print(f"FAILED: intent accuracy {summary['accuracy']:.3f} is below {args.min_accuracy}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
