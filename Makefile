VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test bench bench-server clean

install: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,batch]'
	touch $(STAMP)

# Main job on embedded defaults: the live server on 127.0.0.1:8765, SQLite and recordings
# under ./data/, the installed Vosk model; prints where it listens and a first API key.
run: install
	$(VENV)/bin/redactor-server

test: install
	$(VENV)/bin/pytest

bench: install
	$(PY) -m benchmarks.run

# Chat throughput and concurrent live calls of the websocket server (needs espeak-ng, sox and a
# vosk-model-* package); writes benchmarks/server_results.md. Takes about 20 minutes.
bench-server: install
	$(PY) -m benchmarks.server_bench

clean:
	rm -rf $(VENV) build *.egg-info
