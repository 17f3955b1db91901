VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test bench bench-server bench-console clean

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

# Chat throughput and concurrent live calls of the websocket server (needs a
# vosk-model-* package); writes benchmarks/server_results.md. Takes about 20 minutes.
bench-server: install
	$(PY) -m benchmarks.server_bench

# The QA console's page times with 100,000 stored segments (SQLite; PostgreSQL too when
# $REDACTOR_TEST_POSTGRES names a server); writes benchmarks/console_results.md.
bench-console: install
	$(PY) -m benchmarks.console_bench

clean:
	rm -rf $(VENV) build *.egg-info
