VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install run test bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Main job on embedded defaults: redact the bundled sample conversation.
run: install
	$(VENV)/bin/redactor redact < examples/conversation.txt

test: install
	$(VENV)/bin/pytest

bench: install
	$(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) build *.egg-info
