"""`python -m launcher ARGS` runs `rasa ARGS` as this project runs Rasa.

- the patches of rasa_patches/ that apply to the command (the registry names each one, and refuses
  other versions of Rasa than those it was written for); none applies to `train`;
- the HTTP API is off, or on behind a token (api_access.py);
- a fatal signal (SIGSEGV, SIGBUS...) leaves "Fatal Python error: ..." and the stack in the log;
- `train` runs without the cyclic garbage collector, which stalled the end of training (training_gc.py).

Everything else this project changes in Rasa is a plugin that plain `rasa` commands load too:
components in config.yml, stores in endpoints.yml, channels in credentials.yml.
"""
import faulthandler
import sys

from launcher import api_access, training_gc
from rasa_patches import PatchRefused, apply

faulthandler.enable()  # SQLite dies of SIGBUS on a truncated -shm file: say so in the log

arguments = api_access.secured_arguments(sys.argv[1:])
command = "actions" if arguments[:2] == ["run", "actions"] else (arguments[:1] or ["help"])[0]
try:
    apply(command)
except PatchRefused as refused:
    raise SystemExit(str(refused)) from None
if command == "train":
    training_gc.install()

from rasa.__main__ import main  # noqa: E402  (after the patches, so that the command runs with them)

sys.argv = ["rasa", *arguments]
main()
