# Two commands on a fresh machine: `make run` and `make test`. Everything else is optional.
SHELL := /bin/bash
# uv from PATH if it runs (a pyenv shim for another Python may be there and fail), else the
# one pip installs for this Python.
UV := $(shell uv --version >/dev/null 2>&1 && echo uv || echo "python3 -m uv")

.PHONY: run test lint format check security bench bench-mail install messages

install:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet --user uv || \
	  python3 -m pip install --quiet --user --break-system-packages uv
	@$(UV) sync --frozen --quiet

## Install, start PostgreSQL + Redis (yours, or embedded in .devdata/), migrate, demo data,
## then web + worker + beat. Ctrl-C stops it all.
run: install
	@$(UV) run python -m servicedesk.devservices run

## The whole suite: real PostgreSQL, Redis, Celery worker and headless Chromium.
test: install
	@$(UV) run python -m servicedesk.devservices test -n 2 --dist loadfile

lint: install
	@$(UV) run ruff check .
	@$(UV) run ruff format --check .
	@$(UV) run mypy
	@$(UV) run lint-imports --no-cache

format: install
	@$(UV) run ruff format .
	@$(UV) run ruff check --fix .

## `check --deploy` under production settings, and no model change without a migration.
check: install
	@DEBUG=0 SECRET_KEY=$$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))') \
	  BANK_TRANSFER_DETAILS="IBAN DE00 0000 0000 0000 0000 00 (check only)" \
	  $(UV) run python manage.py check --deploy --fail-level WARNING
	@DEBUG=1 $(UV) run python manage.py makemigrations --check --dry-run

## Gather marked strings into servicedesk/locale/vi (then translate the empty ones) and compile.
messages: install
	@DEBUG=1 $(UV) run python manage.py makemessages -l vi -d django --ignore=tests --ignore=benchmarks --add-location=file --no-obsolete
	@DEBUG=1 $(UV) run python manage.py makemessages -l vi -d djangojs --ignore=tests --ignore=benchmarks --ignore=staticfiles --ignore=node_modules --add-location=file --no-obsolete
	@# msgmerge guesses a translation for each new string from a similar old one ("fuzzy"):
	@# never right enough to ship, so those go back to empty, to be translated.
	@for po in servicedesk/locale/vi/LC_MESSAGES/*.po; do msgattrib --clear-fuzzy --empty -o $$po $$po; done
	@DEBUG=1 $(UV) run python manage.py compilemessages -l vi --ignore=.venv --ignore=.devdata --ignore=node_modules

## Static security analysis of our code: bandit fails on any finding of high severity
## (medium ones are reviewed by hand: each mark_safe and raw SQL carries its reason).
security: install
	@$(UV) run bandit --quiet --recursive --severity-level high --configfile pyproject.toml \
	  servicedesk tenants accounts tickets legal

bench: install
	@$(UV) run python -m servicedesk.devservices bench

## Mail in: messages per second from SMTP to ticket, receipt-to-ticket p95 (one real worker).
bench-mail: install
	@$(UV) run python -m servicedesk.devservices bench mail_throughput
