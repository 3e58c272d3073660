"""Plain-Python core of the orientation assistant: knowledge base, profile, eligibility, answers.

Nothing here imports Rasa, so the rules can be tested and reused without a model or a server.
"""
