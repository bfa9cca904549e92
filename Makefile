# Gongkai — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= 2

.PHONY: run test test-sqlite test-postgresql bench lint checks messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Local settings for `make run`: a generated secret key, plain HTTP on loopback. Never overwritten.
var/gongkai.env:
	mkdir -p var
	printf 'SECRET_KEY=%s\nGONGKAI_HTTPS=false\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	chmod 600 $@

run: $(VENV)/.installed var/gongkai.env
	$(BIN)/gongkai migrate --noinput
	$(BIN)/gongkai demo
	$(BIN)/gongkai serve --port $(PORT) --workers $(WORKERS)

test: $(VENV)/.installed
	$(BIN)/pytest

# The same suite against PostgreSQL (CI runs both).
test-postgresql: $(VENV)/.installed
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest

bench: $(VENV)/.installed
	$(BIN)/python -m bench.run

lint: $(VENV)/.installed
	$(BIN)/ruff check .

# Migrations match the models, and the production settings pass Django's deployment checks.
checks: $(VENV)/.installed
	SECRET_KEY=ci-only-$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))') GONGKAI_HTTPS=false \
		$(BIN)/python manage.py makemigrations --check --dry-run
	env -u GONGKAI_HTTPS -u DJANGO_ALLOW_ASYNC_UNSAFE DEBUG=false ALLOWED_HOSTS=gongkai.example.gov.cn GONGKAI_ENV_FILE=/dev/null \
		SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))') \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l en --ignore '.venv/*' --ignore 'var/*'
	$(BIN)/python manage.py compilemessages -l en --ignore '.venv/*' --ignore 'var/*'

clean:
	rm -rf $(VENV) var/static .pytest_cache .ruff_cache
