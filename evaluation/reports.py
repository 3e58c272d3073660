"""Reads the reports `rasa test nlu` writes and condenses them into the figures we track."""

import json
from collections import Counter
from pathlib import Path
from typing import Dict, List, Tuple

_AGGREGATES = ("accuracy", "macro avg", "weighted avg", "micro avg")


def summarise(folder: Path) -> Dict:
    intents = json.loads((folder / "intent_report.json").read_text())
    per_intent = {k: v for k, v in intents.items() if k not in _AGGREGATES and isinstance(v, dict)}
    confusions: Counter = Counter()
    for intent, metrics in per_intent.items():
        for other, count in (metrics.get("confused_with") or {}).items():
            confusions[(intent, other)] += count
    errors_file = folder / "intent_errors.json"
    return {
        "accuracy": intents["accuracy"],
        "macro_f1": intents["macro avg"]["f1-score"],
        "utterances": int(intents["macro avg"]["support"]),
        "per_intent_f1": {k: v["f1-score"] for k, v in per_intent.items()},
        "confusions": confusions.most_common(),
        "errors": json.loads(errors_file.read_text()) if errors_file.exists() else [],
    }


def worst(summary: Dict, n: int = 5) -> List[Tuple[str, float]]:
    return sorted(summary["per_intent_f1"].items(), key=lambda kv: kv[1])[:n]


def describe(title: str, summary: Dict, show_errors: int = 0) -> str:
    lines = [f"{title} ({summary['utterances']} utterances)",
             f"  intent accuracy : {summary['accuracy']:.3f}",
             f"  intent macro-F1 : {summary['macro_f1']:.3f}"]
    lines.append("  worst intents   : " + ", ".join(f"{name} {f1:.2f}" for name, f1 in worst(summary)))
    confused = [f"{a} → {b} ({n})" for (a, b), n in summary["confusions"][:5]]
    lines.append("  most confused   : " + (", ".join(confused) or "none"))
    for error in summary["errors"][:show_errors]:
        lines.append(f"    ✗ {error['text']!r}: {error['intent']} → {error['intent_prediction']['name']}")
    return "\n".join(lines)
