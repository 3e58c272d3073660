"""`python -m launcher ARGS` runs `rasa ARGS` with the project's fixes to Rasa 3.6 applied.

- action responses are validated with a validator built once (performance, action_response.py);
- an unreachable action server gets the visitor an apology, not silence (action_server_down.py);
- the HTTP API is off, or on behind a token (api_access.py);
- the model loads without tracing a training graph or reading spaCy twice, and without spaCy's
  unused entity recogniser (model_load.py);
- conversations are read and stored in cheaper SQL (sql_tracker_store.py), events are typed
  without a search through Rasa's classes (event_types.py), and the model's graph runs without
  dask's scheduler (graph_runner.py);
- an error inside an SQL tracker store session is not taken for a missing PostgreSQL schema, which
  made Rasa exit (sql_tracker_store.py);
- a conversation store that fails raises to the channel instead of Rasa's silent fall-back to
  memory, and an unknown tracker store type stops the start (conversation_store.py);
- a fatal signal (SIGSEGV, SIGBUS...) leaves "Fatal Python error: ..." and the stack in the log;
- `train` runs without the cyclic garbage collector, which stalled the end of training (training_gc.py);
- spaCy's French tokenizer regular expression is compiled once, then read from disk (regex_cache.py).
"""
import faulthandler
import sys

from launcher import install_model_fixes

faulthandler.enable()  # SQLite dies of SIGBUS on a truncated -shm file: say so in the log

install_model_fixes()  # first: before anything imports spaCy's French language

from launcher import (  # noqa: E402
    action_response,
    action_server_down,
    api_access,
    conversation_store,
    event_types,
    sql_tracker_store,
    training_gc,
)

action_response.install()
action_server_down.install()
event_types.install()
sql_tracker_store.install()
conversation_store.install()
arguments = api_access.secured_arguments(sys.argv[1:])
if arguments[:1] == ["train"]:
    training_gc.install()

from rasa.__main__ import main  # noqa: E402  (after the fixes, so every Rasa command gets them)

sys.argv = ["rasa", *arguments]
main()
