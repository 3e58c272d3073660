"""Custom Rasa components named in config.yml."""
