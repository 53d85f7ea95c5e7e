# The two set-up commands of the platform. Everything else is called by them.
#   make run   environment, install, migrate, reference + demo data, serve on :8000 (IPv4 and IPv6) with a worker
#   make test  everything the tests need (Debian packages included), then lint, types and the whole suite
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# PostgreSQL used by the second pass of the suite; pytest-django creates and drops test_<name> itself.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/langson
# The border gate's offline OCR (Tesseract with Vietnamese, Simplified Chinese and English) and the fonts
# its synthetic documents are printed in: needed by `make run` as well as the tests.
# wbritish: the English word list that puts right English words the OCR misread ("Eresh" → "Fresh").
# restic: encrypted, deduplicated backups (`langson backup`, the worker's hourly job); postgresql-client
# (pg_dump/pg_restore) backs up and restores a PostgreSQL database.
DEBIAN_RUN_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-chi-sim tesseract-ocr-eng \
  fonts-dejavu-core fonts-liberation2 fonts-noto-cjk wbritish restic postgresql-client
DEBIAN_TEST_PACKAGES := $(DEBIAN_RUN_PACKAGES) chromium gettext mosquitto mosquitto-clients

.PHONY: help run test lint types test-sqlite test-postgres services-test system-run-deps system-test-deps translations

help:
	@echo "make run   - cài đặt và chạy nền tảng tại http://localhost:$(PORT) / install and serve"
	@echo "make test  - cài mọi thứ cần cho kiểm thử rồi chạy toàn bộ / install test needs and run the suite"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Cần Python 3.11 trở lên / Python 3.11+ is required"; exit 1; }
	$(PYTHON) -m venv $(VENV) || { echo "Không tạo được môi trường ảo: cài python3-venv / install python3-venv"; exit 1; }
	$(BIN)/pip install --quiet --upgrade pip

# Runtime install; re-done only when pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	# The carrier of the PP-OCRv4 recognition model (Apache-2.0) that border/figures.py runs: only its model
	# file is used, so none of its dependencies (opencv-python would clash with the headless build).
	$(BIN)/pip install --quiet --no-deps rapidocr-onnxruntime==1.4.4
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed-run
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

translations: $(VENV)/.installed-run
	$(BIN)/langson compile_translations --verbosity 0

run: system-run-deps $(VENV)/.installed-run translations
	$(BIN)/langson migrate --verbosity 0
	$(BIN)/langson seed
	$(BIN)/langson serve --port $(PORT) --with-worker

system-run-deps:
	if [ ! -f /usr/share/tesseract-ocr/5/tessdata/vie.traineddata ] || [ ! -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] \
	  || [ ! -f /usr/share/dict/british-english ] || ! command -v restic >/dev/null || ! command -v pg_dump >/dev/null; then
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"
	  $$SUDO apt-get update -qq
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(DEBIAN_RUN_PACKAGES) >/dev/null
	fi
	[ -f /usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata ] || { echo "Tesseract chưa cài được / could not install Tesseract"; exit 1; }
	command -v restic >/dev/null || { echo "restic chưa cài được / could not install restic"; exit 1; }

# Debian packages for the browser journeys (chromium) and the translation check (gettext); idempotent.
system-test-deps:
	missing=""
	for cmd in chromium xgettext psql pg_dump tesseract mosquitto mosquitto_passwd restic; do command -v $$cmd >/dev/null || missing=1; done
	[ -f /usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata ] || missing=1
	[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || missing=1
	[ -f /usr/share/dict/british-english ] || missing=1
	if [ -n "$$missing" ]; then
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"
	  $$SUDO apt-get update -qq
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(DEBIAN_TEST_PACKAGES) >/dev/null
	fi
	command -v chromium >/dev/null || { echo "chromium chưa cài được / could not install chromium"; exit 1; }
	command -v restic >/dev/null || { echo "restic chưa cài được / could not install restic"; exit 1; }

# PostgreSQL must answer for the production-path tests: start it if it is down, fail loudly if it cannot run.
services-test:
	if ! pg_isready -q -h 127.0.0.1 -p 5432; then
	  echo "PostgreSQL is down: starting it"
	  for version in $$(ls /etc/postgresql 2>/dev/null); do
	    pg_ctlcluster --skip-systemctl-redirect $$version main start || true
	  done
	  for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
	fi
	pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL không chạy được / PostgreSQL cannot run at 127.0.0.1:5432"; exit 1; }

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench conftest.py
	$(BIN)/ruff format --check src tests bench conftest.py

types: $(VENV)/.installed-dev
	$(BIN)/mypy src

test-sqlite: $(VENV)/.installed-dev translations
	env -u DATABASE_URL $(BIN)/pytest -q -p no:cacheprovider

# Every database-touching test again on PostgreSQL, browser journeys included.
test-postgres: $(VENV)/.installed-dev translations
	DATABASE_URL=$(TEST_DATABASE_URL) LANGSON_E2E_DATABASE_URL=$(TEST_DATABASE_URL)_e2e \
	  $(BIN)/pytest -q -p no:cacheprovider -m "not nodb"

# The two passes run side by side (each prints its output when it ends): much of their time is spent
# waiting on browsers, brokers and subprocesses, so together they take little more than the longer one.
test: system-test-deps services-test $(VENV)/.installed-dev translations
	$(MAKE) --no-print-directory lint types
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres
