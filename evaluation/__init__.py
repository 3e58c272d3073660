"""Measurement tools: NLU evaluation (`python -m evaluation.nlu`) and speed benchmark (`python -m evaluation.bench`)."""
