"""`python -m launcher ARGS` runs `rasa ARGS` with the project's performance fixes to Rasa 3.6 applied."""
