"""The tracker and lock stores named in endpoints.yml: Rasa's store interfaces, this project's SQL and locks."""
