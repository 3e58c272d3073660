"""`python -m launcher ARGS` runs `rasa ARGS` with this project's patches and settings (__main__.py)."""
