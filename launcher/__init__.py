"""`python -m launcher ARGS` runs `rasa ARGS` with the project's fixes to Rasa 3.6 applied."""


def install_model_fixes() -> None:
    """The fixes to how the trained model is loaded and run, as the launcher applies them.

    Shared with the benchmark's parse floor and the test that compares them with Rasa's own
    behaviour, so that both measure exactly what the server runs. Call it before anything imports
    spaCy's French language (regex_cache.py).
    """
    from launcher import graph_runner, model_load, regex_cache

    regex_cache.install()
    model_load.install()
    graph_runner.install()
