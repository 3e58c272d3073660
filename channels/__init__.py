"""The Rasa channels named in credentials.yml (REST and socketio, hardened), and the rules they share."""
