# Clean Care Bangladesh. The README shows the two commands that matter: `make run` and `make test`.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.8
SERVICES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/clean_care
SERVICES_REDIS_URL ?= redis://127.0.0.1:6379/1
PYTEST_ARGS ?=

.PHONY: run test test-services test-browser test-deploy lint format install lock messages bench bench-ws bench-server bench-load bench-wrk bench-topology clean

$(VENV)/.installed: requirements/dev.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@$(VENV)/bin/uv pip sync --quiet --python $(PY) --require-hashes requirements/dev.lock
	@touch $@

install: $(VENV)/.installed

## run: install locked dependencies, migrate, load demo data, serve HTTP+WebSocket with a Celery worker and beat
run: install
	@$(PY) manage.py migrate --noinput --verbosity 0 && echo "Database is up to date."
	@$(PY) manage.py seed_demo
	@exec $(PY) manage.py serve

## test: the whole suite on the embedded defaults (no PostgreSQL or Redis needed)
test: install
	@env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL \
		$(PY) -m pytest -m "not services" -n 2 $(PYTEST_ARGS)

## test-services: the same suite plus PostgreSQL/Redis-only tests against local services
test-services: install
	@$(PY) scripts/ensure_database.py "$(SERVICES_DATABASE_URL)"
	@DATABASE_URL="$(SERVICES_DATABASE_URL)" REDIS_URL="$(SERVICES_REDIS_URL)" \
		$(PY) -m pytest $(PYTEST_ARGS)

## test-browser: end-to-end checks in headless Chromium (needs /usr/bin/chromium)
test-browser: install
	@$(PY) -m pytest browser_tests $(PYTEST_ARGS)

## test-deploy: the production topology here: Debian's nginx with deploy/nginx.conf (self-signed
## TLS), two uvicorn processes, a Celery worker and beat on clean_care.settings.production, checked
## over HTTPS; plus static checks of deploy/Dockerfile and docker-compose.yml
DEPLOY_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/clean_care_deploy
DEPLOY_REDIS_URL ?= redis://127.0.0.1:6379/4
test-deploy: install
	@env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL \
		DEPLOY_DATABASE_URL="$(DEPLOY_DATABASE_URL)" DEPLOY_REDIS_URL="$(DEPLOY_REDIS_URL)" \
		$(PY) -m pytest deploy_tests -p no:xdist $(PYTEST_ARGS)

lint: install
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

format: install
	@$(VENV)/bin/ruff format .
	@$(VENV)/bin/ruff check --fix .

## lock: re-resolve requirements/*.lock from pyproject.toml
lock: install
	@$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -q -o requirements/base.lock
	@$(VENV)/bin/uv pip compile pyproject.toml --group dev --generate-hashes --python-version 3.11 -q -o requirements/dev.lock

## messages: refresh and compile the Bengali/English translations (needs GNU gettext)
messages: install
	@$(PY) manage.py makemessages -l bn -l en --no-obsolete --ignore ".venv/*" --ignore "var/*"
	@$(PY) manage.py compilemessages --ignore ".venv/*"

## bench: seed a city (SCALE=1: 200k complaints) into PostgreSQL once and time the dashboard and
## complaint lists against it; results in bench/RESULTS.md (a benchmark, never part of make test)
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/clean_care_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/2
SCALE ?=
BENCH_ARGS ?=
bench: install
	@$(PY) scripts/ensure_database.py "$(BENCH_DATABASE_URL)"
	@DATABASE_URL="$(BENCH_DATABASE_URL)" REDIS_URL="$(BENCH_REDIS_URL)" \
		CELERY_BROKER_URL="$(BENCH_REDIS_URL)" $(PY) bench/run.py --scale $(or $(SCALE),1) $(BENCH_ARGS)

## bench-ws: hold 2,000 WebSockets on one uvicorn process and time chat and staff-feed fan-out
## across two over Redis; results in bench/RESULTS.md (a benchmark, never part of make test)
BENCH_WS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/clean_care_bench_ws
BENCH_WS_REDIS_URL ?= redis://127.0.0.1:6379/3
bench-ws: install
	@$(PY) scripts/ensure_database.py "$(BENCH_WS_DATABASE_URL)"
	@DATABASE_URL="$(BENCH_WS_DATABASE_URL)" REDIS_URL="$(BENCH_WS_REDIS_URL)" \
		CELERY_BROKER_URL="$(BENCH_WS_REDIS_URL)" $(PY) bench/sockets.py $(BENCH_ARGS)

## bench-server: the production-like topology (uvicorn, Celery worker, PostgreSQL, Redis) on the
## 1M-complaint city (SCALE=5), driven with wrk: every list, detail, KPI and filing against the
## trivial DRF view; results in bench/RESULTS.md (a benchmark, never part of make test)
BENCH_SERVER ?= uvicorn
BENCH_PORT ?= 8821
USERS ?= 100,250,500,1000
bench-server: install bench-wrk
	@$(PY) scripts/ensure_database.py "$(BENCH_DATABASE_URL)"
	@DATABASE_URL="$(BENCH_DATABASE_URL)" REDIS_URL="$(BENCH_REDIS_URL)" \
		CELERY_BROKER_URL="$(BENCH_REDIS_URL)" BENCH_SERVER="$(BENCH_SERVER)" \
		$(PY) bench/server.py --scale $(or $(SCALE),5) --port $(BENCH_PORT) $(BENCH_ARGS)

## bench-load: the same topology under locust (bench/locustfile.py), USERS=100,250,500,1000 by
## default; req/s, errors, p50 and p95 per step and the knee in bench/RESULTS.md
bench-load: install
	@$(PY) scripts/ensure_database.py "$(BENCH_DATABASE_URL)"
	@DATABASE_URL="$(BENCH_DATABASE_URL)" REDIS_URL="$(BENCH_REDIS_URL)" \
		CELERY_BROKER_URL="$(BENCH_REDIS_URL)" BENCH_SERVER="$(BENCH_SERVER)" \
		$(PY) bench/server.py --load --users "$(USERS)" --scale $(or $(SCALE),5) \
		--port $(BENCH_PORT) $(BENCH_ARGS)

# wrk from Debian's package when it is missing
bench-wrk:
	@command -v wrk >/dev/null || { echo "Installing wrk (apt-get install wrk) …"; \
		apt-get install -y wrk >/dev/null || sudo apt-get install -y wrk >/dev/null; }
## bench-topology: HTTP under uvicorn (ASGI, what production runs) against gunicorn (WSGI,
## gthread) at the same two processes, with wrk (Debian's package); results in bench/RESULTS.md
bench-topology: install
	@command -v wrk >/dev/null || apt-get install -y wrk
	@$(PY) scripts/ensure_database.py "$(BENCH_DATABASE_URL)"
	@DATABASE_URL="$(BENCH_DATABASE_URL)" REDIS_URL="$(BENCH_REDIS_URL)" \
		CELERY_BROKER_URL="$(BENCH_REDIS_URL)" $(PY) bench/topology.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var staticfiles
