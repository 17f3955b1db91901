VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test bench bench-server bench-console model clean

install: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,batch]'
	touch $(STAMP)

# Main job on embedded defaults: the live server on 127.0.0.1:8765, SQLite and recordings
# under ./data/, the installed Vosk model; prints where it listens and a first API key.
# Beside it, the QA console on 127.0.0.1:8766 (its first run prints the admin's enrolment).
# Server options go in ARGS: make run ARGS="--port 9000 --max-calls 6" (see redactor-server --help).
ARGS ?=
run: install
	$(VENV)/bin/redactor-console & console=$$!; trap 'kill $$console 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/redactor-server $(ARGS)

test: install
	$(VENV)/bin/pytest

bench: install
	$(PY) -m benchmarks.run
	$(PY) -m benchmarks.real_text --data $(NER_DATA)
	$(PY) -m benchmarks.names_sets
	$(PY) -m benchmarks.blind_conversations
	$(PY) -m benchmarks.typed_numbers
	$(PY) -m benchmarks.spoken_numbers

# The Indonesian/English NER model shipped in recognizers/models/id_ner (PERSON, LOCATION,
# ORGANIZATION): corpora from IndoNLU + contact-centre augmentation, spaCy training (seeded,
# early stopping), then the dev scores. About 7 minutes on 2 cores. NER_DATA=/path overrides
# where the IndoNLU files are.
NER_DATA ?= ../shared/data/indonlu-ner
NER_MODEL := recognizers/models/id_ner

model: install
	nice $(PY) -m ner.prepare --data $(NER_DATA) --out ner/corpus \
		--ordinary-words recognizers/models/id_ordinary_words.txt \
		--known-words recognizers/models/known_words.txt
	nice $(PY) -m spacy train ner/config.cfg --output ner/training
	rm -rf $(NER_MODEL) && cp -r ner/training/model-best $(NER_MODEL)
	$(PY) -m ner.evaluate --model $(NER_MODEL) --corpus ner/corpus

# Chat throughput and concurrent live calls of the websocket server, then the same over 1
# and 2 worker processes (needs a vosk-model-* package); writes benchmarks/server_results.md.
# Takes about 35 minutes.
bench-server: install
	$(PY) -m benchmarks.server_bench
	$(PY) -m benchmarks.server_scale_bench

# The QA console's page times with 100,000 stored segments (SQLite; PostgreSQL too when
# $REDACTOR_TEST_POSTGRES names a server); writes benchmarks/console_results.md.
bench-console: install
	$(PY) -m benchmarks.console_bench

clean:
	rm -rf $(VENV) build *.egg-info
