# The README's commands. `make run` serves the archive; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_WORKS ?= 300
# Everything pip installs is pinned in constraints.txt, so every machine tests the same versions.
CONSTRAINTS := constraints.txt

.PHONY: run test lint format install install-dev assets browser epubcheck pdf-libs bench screenshots clean messages gettext

run: install assets pdf-libs
	$(BIN)/fanarchive serve --host $(HOST) --port $(PORT) --demo-works $(DEMO_WORKS)

test: install-dev assets browser epubcheck pdf-libs
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python tools/lint_writes.py
	$(BIN)/python tools/lint_inline_imports.py

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml $(CONSTRAINTS) | $(VENV)/bin/python
	$(PIP) install -c $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(CONSTRAINTS) | $(VENV)/bin/python
	$(PIP) install -c $(CONSTRAINTS) -e ".[dev]"
	touch $(VENV)/.installed $@

# Browser-side libraries (the editor, and axe-core for the accessibility tests), pinned by
# package-lock.json and installed by npm into node_modules/; Node.js comes from Debian.
assets: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

# Every EPUB the tests export is checked with Debian's epubcheck (a Java program).
# epubcheck, and a JDK: the tests run every book through one JVM from a .java source file.
epubcheck:
	@{ test -e /usr/bin/epubcheck && command -v javac >/dev/null; } || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq epubcheck default-jdk-headless; }

# PDF downloads are made by WeasyPrint, which needs Pango (and a font) from Debian.
pdf-libs:
	@{ ldconfig -p | grep -q libpangoft2-1.0.so.0 && test -d /usr/share/fonts/truetype/dejavu; } || \
		{ $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
		libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; }

# The interface's translations (docs/translating.md): gather every marked string into
# locale/es/LC_MESSAGES/django.po (templates, Python) and djangojs.po (static/js's scripts),
# then compile the .mo files Django reads. Translate in between
# (tools/fill_translations.py, or any .po editor) and run it again.
MESSAGE_IGNORE := --ignore=.venv --ignore=node_modules --ignore=bench --ignore='*/tests/*' \
	--ignore=tests --ignore=data --ignore=static --ignore=screenshots
# The scripts: static/js only (not the npm libraries, nor collected copies in the data dir).
JS_MESSAGE_IGNORE := --ignore=.venv --ignore=node_modules --ignore=bench --ignore='*/tests/*' \
	--ignore=tests --ignore=data --ignore=staticfiles --ignore=static/vendor \
	--ignore=screenshots
messages: install gettext
	$(BIN)/python manage.py makemessages -l es --no-obsolete --add-location=file $(MESSAGE_IGNORE)
	$(BIN)/python manage.py makemessages -d djangojs -l es --no-obsolete --add-location=file \
		$(JS_MESSAGE_IGNORE)
	$(BIN)/python manage.py compilemessages -l es --ignore=.venv --ignore=node_modules

# makemessages and compilemessages run GNU gettext's tools, from Debian.
gettext:
	@command -v msgfmt >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq gettext; }

# Benchmarks of downloads and imports (by hand, not in CI); calibre is optional.
bench: install pdf-libs
	$(BIN)/python bench/exports.py
	$(BIN)/python bench/imports.py

# Screenshots of the main pages (desktop and phone, light and dark) of a throwaway demo
# archive, for a reviewer: into screenshots/, or `make screenshots SCREENSHOTS_OUT=DIR`.
SCREENSHOTS_OUT ?= screenshots
screenshots: install-dev assets browser pdf-libs
	$(BIN)/python tools/screenshots.py --out $(SCREENSHOTS_OUT)

clean:
	rm -rf $(VENV) node_modules .mypy_cache .ruff_cache
