# Commands for developers and counsellors; each is described in the README.
SHELL := /bin/bash
VENV := .venv
PYTHON := $(VENV)/bin/python
MODEL := models/assistant.tar.gz
TRAINING_FILES := config.yml domain.yml $(shell find data -name '*.yml')
ENDPOINTS ?= endpoints.yml
# The servers listen on the loopback interface only; set RASA_HOST (Rasa server) and ACTION_SERVER_HOST
# (action server) to 0.0.0.0 or an address to listen elsewhere, behind the TLS proxy (docs/operations.md, "Deploying").
RASA_HOST ?= 127.0.0.1
# Conversations whose last message is older than this are deleted by purge-conversations.
DAYS ?= 180
# The period of `make review-report`, in days up to now.
DAYS_REVIEWED ?= 7

# The machines have no internet: Rasa must not try to send telemetry.
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: install run shell train test test-unit lint review review-report evaluate evaluate-conversations compare-pipelines bench load-test validate-kb purge-conversations lock clean

## install: create .venv (Python 3.8-3.10), install the locked dependencies and the web widget, train the model
install: $(VENV)/.installed $(MODEL) web/node_modules/.installed

# rasa-webchat 1.0.1 from the npm registry, as pinned by web/package-lock.json (served by web/serve.py)
web/node_modules/.installed: web/package.json web/package-lock.json scripts/setup_web.sh
	scripts/setup_web.sh

$(VENV)/.installed: pyproject.toml constraints.txt scripts/setup.sh
	scripts/setup.sh
	touch $@

# `python -m launcher` is `rasa` with the project's patches to Rasa 3.6 that apply to the command (rasa_patches/).
LAUNCHER := $(PYTHON) -m launcher

$(MODEL): $(VENV)/.installed $(TRAINING_FILES)
	$(LAUNCHER) train --fixed-model-name assistant --out models

## train: retrain the model after editing data/, domain.yml or config.yml
train: $(VENV)/.installed
	$(LAUNCHER) train --fixed-model-name assistant --out models

## run: action server, Rasa server (REST and socketio channels on port 5005) and the web page on http://127.0.0.1:8080/
run: install
	scripts/with_action_server.sh scripts/with_web_page.sh $(LAUNCHER) run --model $(MODEL) --interface $(RASA_HOST) --port 5005 --credentials credentials.yml --endpoints $(ENDPOINTS)

## shell: chat with the assistant in the terminal (the action server is started for you)
shell: install
	scripts/with_action_server.sh $(LAUNCHER) shell --model $(MODEL) --endpoints $(ENDPOINTS)

## load-test: 50 concurrent visitors x 10 turns on the real servers; fails on any error or lost turn
load-test: install
	$(PYTHON) -m evaluation.load

## validate-kb: check the knowledge base after editing knowledge/
validate-kb: $(VENV)/.installed
	$(PYTHON) -m orientation.validate_kb

## review: the counsellors' review page on http://127.0.0.1:8090/ (off unless REVIEW_TOKEN is set, at least 16 characters)
review: $(VENV)/.installed
	DAYS=$(DAYS) $(PYTHON) -m review.serve --endpoints $(ENDPOINTS)

## review-report: what visitors asked that the assistant missed, useless answers, topics, verdicts, hand-offs, over DAYS_REVIEWED days (default 7), as text
review-report: $(VENV)/.installed
	DAYS=$(DAYS) $(PYTHON) -m review report --days $(DAYS_REVIEWED) --endpoints $(ENDPOINTS)

## purge-conversations: delete conversations whose last message is older than DAYS days (default 180) from the tracker store of ENDPOINTS
purge-conversations: $(VENV)/.installed
	$(PYTHON) -m maintenance.retention --days $(DAYS) --endpoints $(ENDPOINTS)

## test: every test (lint, data validation, unit and end-to-end tests, dialogue stories, NLU quality gates, load test)
test: install
	$(VENV)/bin/ruff check .
	$(PYTHON) -m orientation.validate_kb
	$(PYTHON) scripts/validate_data.py
	$(PYTHON) -m pytest
	$(LAUNCHER) test core --model $(MODEL) --stories tests/test_stories.yml --fail-on-prediction-errors --out results/stories
	$(PYTHON) -m evaluation.nlu heldout --gate
	$(PYTHON) -m evaluation.boundaries --gate
	$(PYTHON) -m evaluation.conversations --gate --show 0
	$(PYTHON) -m evaluation.load

## test-unit: the unit tests only (no server, service, browser or trained model; under a minute)
test-unit: $(VENV)/.installed
	$(PYTHON) -m pytest -m "not live and not services and not browser"

## lint: ruff's checks for mistakes (undefined or unused names, syntax errors)
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

## evaluate: cross-validation, held-out accuracy/F1, robustness, off-topic and safety figures, eligibility conversations (about 12 minutes)
evaluate: install
	$(PYTHON) -m evaluation.nlu full
	$(PYTHON) -m evaluation.boundaries
	$(PYTHON) -m evaluation.eligibility

## evaluate-conversations: the independent multi-turn conversations (tests/conversations/) against the real servers: pass rate by category and every failure (about a minute)
evaluate-conversations: install
	$(PYTHON) -m evaluation.conversations

## compare-pipelines: the evaluation for config.yml and each candidate of evaluation/pipelines/
compare-pipelines: install
	$(PYTHON) -m evaluation.nlu compare

## bench: latency, throughput, cold start, training time and memory of the real servers
bench: install
	$(PYTHON) -m evaluation.bench

## lock: rewrite constraints.txt from the current .venv (after changing pyproject.toml)
lock: $(VENV)/.installed
	{ sed -n '1,3p' constraints.txt; $(VENV)/bin/pip freeze --exclude-editable; } > constraints.txt.new && mv constraints.txt.new constraints.txt

clean:
	rm -rf results logs .pytest_cache
