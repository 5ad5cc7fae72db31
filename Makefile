# csoffice — set-up, run, test. `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PO_LANGS := zh_CN en
QT_ENV := QT_QPA_PLATFORM=offscreen

.PHONY: run test lint format i18n-extract i18n-update i18n-compile bench lock demo clean package

$(VENV):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(STAMP): requirements.lock | $(VENV)
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

i18n-compile: $(STAMP)
	@for lang in $(PO_LANGS); do \
	  $(PY) -m babel.messages.frontend compile -D csoffice -d translations -l $$lang --statistics >/dev/null || exit 1; \
	done

run: $(STAMP) i18n-compile
	$(PY) main.py

demo: $(STAMP)
	$(PY) -m csoffice demo

test: $(STAMP) i18n-compile
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/pyright
	$(QT_ENV) $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/pyright

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Catalogue upkeep: extract new strings, merge them into every language's .po.
i18n-extract: $(STAMP)
	$(PY) -c "import sys; sys.path.insert(0, 'translations'); import catalog; catalog.extract()"

i18n-update: $(STAMP)
	$(PY) translations/catalog.py update

bench: $(STAMP)
	$(QT_ENV) $(PY) bench/run.py

lock: $(VENV)
	$(VENV)/bin/pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --allow-unsafe --strip-extras --generate-hashes -o requirements.lock requirements.in

# The one-folder app in dist/csoffice (PyInstaller): the window program csoffice and the console
# program csoffice-cli, with icons rendered from the SVG; then its size and its checks.
package: $(STAMP) i18n-compile
	$(QT_ENV) $(PY) packaging/make_icons.py build/icons
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller packaging/csoffice.spec
	$(PY) packaging/check_build.py dist/csoffice

clean:
	rm -rf $(VENV) build dist translations/*/LC_MESSAGES/*.mo
