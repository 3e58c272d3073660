import sys

from launcher import action_response

action_response.install()

from rasa.__main__ import main  # noqa: E402  (after the fix, so every Rasa command gets it)

sys.argv[0] = "rasa"
main()
