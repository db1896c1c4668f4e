# hadrill: the two commands of README.md. Both run as root on Debian 12 and install what they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HADRILL := $(VENV)/bin/hadrill
# Host packages: mmdebstrap builds the node image; patchelf and the apt tools fetch and fit the UML
# kernel; iproute2 and socat make and reach the lab's namespace; openssh-client for `hadrill lab ssh`.
APT_PACKAGES := mmdebstrap arch-test patchelf socat iproute2 openssh-client e2fsprogs python3-venv \
                iputils-ping ca-certificates
STAMP := $(VENV)/.installed

.PHONY: setup image lint unit features test acceptance clean

$(STAMP): pyproject.toml
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(APT_PACKAGES); fi
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $@

setup: $(STAMP)

image: setup
	$(HADRILL) image

lint: setup
	$(VENV)/bin/ruff check harness steps tests bench conftest.py
	$(VENV)/bin/mypy

unit: setup
	$(PY) -m pytest tests -q

features: image
	$(HADRILL) run

# make test: the set-up, the linters, the harness's own tests, then every feature on the embedded lab.
test: lint unit features

# make acceptance: the set-up, the image, the lab, every feature of the book, the report.
acceptance: image
	$(HADRILL) run || status=$$?; \
	echo "hadrill: report data in $(CURDIR)/reports (junit-<lab>.xml, allure-results/, transcript.jsonl, measurements.jsonl, consoles/)"; \
	exit $${status:-0}

clean:
	-$(HADRILL) lab down --all
	rm -rf reports
