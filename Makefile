# hadrill: the two commands of README.md. Both run as root on Debian 12 and install what they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HADRILL := $(VENV)/bin/hadrill
# Host packages: mmdebstrap builds the node image; patchelf and the apt tools fetch and fit the UML
# kernel; iproute2 and socat make and reach the lab's namespace; openssh-client for `hadrill lab ssh`;
# a Java runtime runs Allure's report generator (npm allure-commandline, in .tools/); chromium (headless)
# shows the report and the runbook to the checks as a person would see them and prints the runbook's PDF;
# poppler-utils' pdftoppm renders that PDF's pages for the checks.
APT_PACKAGES := mmdebstrap arch-test patchelf socat iproute2 openssh-client e2fsprogs python3-venv \
                iputils-ping ca-certificates default-jre-headless chromium poppler-utils
# The vagrant provider: vagrant with its libvirt plugin, libvirtd and qemu (software emulation where KVM
# does not work). Not libvirt-daemon-system: its service and default network would sit on the machine's
# own namespace; each vagrant lab runs a libvirtd of its own inside the lab's namespace instead.
VAGRANT_APT := vagrant vagrant-libvirt libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients \
               qemu-system-x86 qemu-utils dnsmasq-base iptables
ALLURE_NPM := allure-commandline@2.46.1
ALLURE := .tools/node_modules/.bin/allure
STAMP := $(VENV)/.installed

.PHONY: setup lock vagrant-setup image lint unit features providers report checks test acceptance clean

# The Python packages from requirements.lock, each checked against its hashes; hadrill itself on top.
$(STAMP): pyproject.toml requirements.lock
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(APT_PACKAGES); fi
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q --require-hashes -r requirements.lock
	$(VENV)/bin/pip install -q --no-deps -e .
	command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q npm
	npm install -s --no-audit --no-fund --prefix .tools $(ALLURE_NPM)
	touch $@

setup: $(STAMP)

# requirements.lock again from pyproject.toml's ranges (the newest each allows), with every file's hash.
lock: setup
	$(VENV)/bin/pip install -q pip-tools
	$(VENV)/bin/pip-compile -q --generate-hashes --extra dev --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links --annotation-style line -o requirements.lock pyproject.toml

vagrant-setup: setup
	@if ! dpkg -s $(VAGRANT_APT) >/dev/null 2>&1; then apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(VAGRANT_APT); fi

image: setup
	$(HADRILL) image

lint: setup
	$(VENV)/bin/ruff check harness steps tests checks bench conftest.py
	$(VENV)/bin/mypy

unit: setup
	$(PY) -m pytest tests -q -m "not slow"

# The book's DRBD chapter through the other providers: the ssh provider on a lab taken as an inventory,
# and the vagrant provider on VMs of a box built from the image's recipe.
# One after the other; each test's time is printed (the phase's figures for the speed work).
providers: image vagrant-setup
	$(PY) -m pytest tests -q -m slow --durations=0 --durations-min=10

# The topologies' sessions side by side, each on its own lab, as the machine's cores and memory allow.
features: image
	$(HADRILL) run -n auto

# The Allure report (reports/html), the trends of the kept runs (reports/trends) and the living runbook
# (reports/runbook: HTML, Markdown and PDF) from the last run.
report: setup
	$(HADRILL) report
	$(HADRILL) docs --pdf

# After a run and its report: no secret under reports/, and both documents show in a browser.
checks: setup
	$(PY) -m pytest checks -q

# make test: the set-up, the linters, the harness's own tests, every feature on the embedded lab, the
# report and the runbook, and the checks of what they hold.
test: lint unit features providers report checks

# make acceptance: the set-up, the image, the lab, every feature of the book, the report.
acceptance: image
	$(HADRILL) run -n auto || status=$$?; \
	$(HADRILL) report && $(HADRILL) docs --pdf || status=$${status:-1}; \
	echo "hadrill: the report is $(CURDIR)/reports/html/index.html, the runbook $(CURDIR)/reports/runbook/index.html"; \
	echo "hadrill: the trends of the kept runs: $(CURDIR)/reports/trends/index.html"; \
	echo "hadrill: the data: $(CURDIR)/reports (junit-<lab>.xml, allure-results/, transcript.jsonl, measurements.jsonl, consoles/)"; \
	exit $${status:-0}

clean:
	-$(HADRILL) lab down --all
	rm -rf reports
