"""`rasa data validate`, failing on any warning except the unavoidable ones.

    python scripts/validate_data.py [--data DIR]    # data/ by default

Rasa warns that a response "is not used in any story or rule" when only a custom action, a form
(utter_ask_<slot>), the default fallback (utter_default) or the apology for an unreachable action
server (utter_technical_problem, rasa_patches/) sends it. Those warnings are accepted
only for responses that are really referenced that way, and "intent not found in the NLU training
data" only for the intents no visitor types (NOT_TYPED); any other warning fails the check.
"""

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from orientation.loader import load_knowledge_base  # noqa: E402
from orientation.profile import FORM_QUESTIONS  # noqa: E402
from orientation.safety import DISTRESS, HEALTH  # noqa: E402

# Intents no visitor types: the SafetyDetector gives them, or a button of the answers.
NOT_TYPED = {DISTRESS, HEALTH, "feedback"}
UNUSED = re.compile(r"The utterance '(\w+)' is not used in any story or rule")
# The SafetyDetector (config.yml), not the classifier, gives these intents: they have no training examples.
UNTRAINED = re.compile(r"The intent '(\w+)' is listed in the domain file, but is not found in the NLU training data")
WARNING = re.compile(r"UserWarning|WARNING|ERROR")


def responses_sent_outside_stories() -> set:
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "actions").glob("*.py"))
    referenced = set(re.findall(r'"(utter_\w+)"', code))  # named in the actions' code, as a response or argument
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    form_slots = {slot for form in domain.get("forms", {}).values() for slot in form.get("required_slots", [])}
    form_slots.update(FORM_QUESTIONS)  # the eligibility form's questions, chosen by its validation action
    # A topic's follow-up offer (knowledge base, `offers`), sent by action_answer_question.
    kb = load_knowledge_base(ROOT / "knowledge" / "assistant_medical.yml")
    offers = {f"utter_offer_{topic.offers}" for topic in kb.topics.values() if topic.offers}
    # utter_technical_problem: sent by the Rasa server when the action server is down (rasa_patches/action_server_down.py).
    return (referenced | offers | {f"utter_ask_{slot}" for slot in form_slots}
            | {"utter_default", "utter_technical_problem"})


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="data", help="the training data folder (a copy of data/ with changes)")
    args = parser.parse_args(argv)
    rasa = Path(sys.executable).parent / "rasa"
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false")
    result = subprocess.run([str(rasa), "data", "validate", "--data", args.data], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    output = result.stdout + result.stderr
    allowed = responses_sent_outside_stories()
    problems = []
    for line in output.splitlines():
        unused = UNUSED.search(line)
        if unused and unused.group(1) in allowed:
            continue
        untrained = UNTRAINED.search(line)
        if untrained and untrained.group(1) in NOT_TYPED:
            continue
        if WARNING.search(line) and "MovedIn20Warning" not in line and "DeprecationWarning" not in line:
            problems.append(line.strip())
    if result.returncode != 0 or problems:
        print("\n".join(problems) or output[-3000:], file=sys.stderr)
        print("rasa data validate: FAILED", file=sys.stderr)
        return 1
    print("rasa data validate: clean (responses sent only by actions or forms: " + ", ".join(sorted(allowed)) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
