"""`python -m launcher ARGS` runs `rasa ARGS` with the project's fixes to Rasa 3.6 applied.

- action responses are validated with a validator built once (performance, action_response.py);
- an unreachable action server gets the visitor an apology, not silence (action_server_down.py);
- the HTTP API is off, or on behind a token (api_access.py);
- the model loads without tracing a training graph or reading spaCy twice, and without spaCy's
  unused entity recogniser (model_load.py);
- conversations are read and stored in cheaper SQL (sql_tracker_store.py), and events are typed
  without a search through Rasa's classes (event_types.py).
"""
import sys

from launcher import action_response, action_server_down, api_access, event_types, model_load, sql_tracker_store

action_response.install()
action_server_down.install()
model_load.install()
event_types.install()
sql_tracker_store.install()
arguments = api_access.secured_arguments(sys.argv[1:])

from rasa.__main__ import main  # noqa: E402  (after the fixes, so every Rasa command gets them)

sys.argv = ["rasa", *arguments]
main()
