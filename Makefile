# Klik. Two commands matter: `make run` and `make test`. Each step below is skipped when its
# output is newer than its inputs, so a second `make run` goes straight to starting.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
RASA   := $(VENV)/bin/rasa
DEPS   := $(VENV)/.deps-installed
NLP    := build/spacy/nl_klik/meta.json
MODEL  := models/klik.tar.gz
export TF_CPP_MIN_LOG_LEVEL := 2

TRAINING_DATA := config.yml domain.yml $(shell find data/nlu data/rules data/stories -name '*.yml' 2>/dev/null)
NLP_INPUTS    := $(wildcard bot/nlp/*.py) bot/places.py $(wildcard data/reference/*.csv)

.PHONY: help run test eval setup migrate train shell lock clean

help:
	@echo "make run    set up what is missing, train if needed, start Klik and print its URL"
	@echo "make test   set up what is missing and run every test"
	@echo "make eval   train NLU on data/nlu only, score it on tests/nlu_holdout, write reports/nlu/"

$(DEPS): requirements.lock
	@test -x $(PY) || "$$(scripts/find-python310)" -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==0.13.8
	$(VENV)/bin/uv pip sync --quiet --python $(PY) requirements.lock
	@touch $@

$(NLP): $(DEPS) $(NLP_INPUTS)
	$(PY) -m bot build-nlp

# Lookup tables come from the domain core's word lists (tests/test_facet_extractor.py checks it).
data/nlu/lookups.yml: bot/catalogue/vocabulary.py bot/nlp/lookups.py | $(DEPS)
	$(PY) -m bot.nlp.lookups

$(MODEL): $(DEPS) $(NLP) $(TRAINING_DATA) data/nlu/lookups.yml
	$(RASA) train --fixed-model-name klik --out models --quiet
	@touch $@

migrate: $(DEPS)
	@$(PY) -m bot migrate
	@$(PY) -m bot load-sample

setup: $(DEPS) $(NLP) migrate

train: $(MODEL)

run: setup $(MODEL)
	$(PY) -m bot run

test: setup $(MODEL)
	$(RASA) data validate --quiet
	$(PY) -m pytest
	$(RASA) test core --stories tests/stories --model $(MODEL) --fail-on-prediction-errors \
	  --out reports/rasa-test --quiet

EVAL_MODEL := build/eval/nlu.tar.gz
NLU_DATA   := $(shell find data/nlu -name '*.yml' 2>/dev/null)
# NLU-only model for `make eval`: trained on data/nlu alone, never on tests/nlu_holdout.
$(EVAL_MODEL): $(DEPS) $(NLP) config.yml $(NLU_DATA) data/nlu/lookups.yml
	$(PY) -m bot.evaluation check
	$(RASA) train nlu --config config.yml --nlu data/nlu --out build/eval --fixed-model-name nlu --quiet
	@touch $@

eval: setup $(EVAL_MODEL)
	$(PY) -m bot.evaluation holdout --model $(EVAL_MODEL)
	$(PY) -m bot.evaluation cv

shell: setup $(MODEL)
	KLIK_TRACKER_STORE_URL=sqlite:///var/shell-tracker.db \
	KLIK_ACTION_ENDPOINT_URL=http://127.0.0.1:5055/webhook \
	$(RASA) shell --model $(MODEL) --endpoints endpoints.yml

lock: requirements.in
	$(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.10 \
	  --python-platform x86_64-manylinux_2_28 requirements.in -o requirements.lock

clean:
	rm -rf build models reports .rasa
