"""The web page of the assistant: rasa-webchat on Rasa's socketio channel, served from the project (serve.py)."""
