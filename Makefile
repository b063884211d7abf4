# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-dates lint bench screenshots system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Debian's packages the tests need, installed only when missing: Chromium (and its emoji
# font) drives the simulator page tests; faketime moves the clock for `make test-dates`.
SYSTEM_DEPS := chromium fonts-noto-color-emoji faketime
system-deps:
	@missing=$$(for p in $(SYSTEM_DEPS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian's $$missing for the tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

run: $(STAMP)
	$(PY) run_bot.py

test: $(STAMP) system-deps
	$(PY) -m pytest -q

# The time-sensitive tests again with the machine's clock moved: a year and more ahead, and
# into the middle of the quiet hours (02:30 in Phnom Penh). No date may break the suite.
TIME_TESTS := tests/test_outbox.py tests/test_outbox_broadcast.py tests/test_outbox_groups.py \
  tests/test_sender.py tests/test_sender_postgres.py tests/test_e2e_course.py \
  tests/test_dialogs_course.py tests/test_dialogs_course_themes.py tests/test_dialogs_travel.py \
  tests/test_e2e_groups.py tests/test_dialogs_groups.py tests/test_dialogs_groups_reminders.py \
  tests/test_storage.py tests/test_autoclean.py tests/test_quick_exit.py \
  tests/test_discreet_notifications.py tests/test_reports.py tests/test_e2e_counsellor.py \
  tests/test_dialogs_counsellor.py tests/test_crisis.py tests/test_content_shipped.py
test-dates: $(STAMP) system-deps
	faketime -f +400d $(PY) -m pytest -q $(TIME_TESTS)
	TZ=UTC faketime -f '@2028-02-29 19:30:00' $(PY) -m pytest -q $(TIME_TESTS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy bot dialogs simulator tests bench run_bot.py
	$(VENV)/bin/moz-l10n lint locales
	$(VENV)/bin/moz-l10n compare --json --source $(CURDIR)/locales/en $(CURDIR)/locales/km \
	  | $(PY) -c 'import json,sys; r=json.load(sys.stdin); print(r); sys.exit(any(v["missing"] or v["errors"] for v in r.values()))'

bench: $(STAMP)
	$(PY) -m bench.run

# Each journey in the simulator page, in Khmer and English, as docs/screens/*.png (README).
screenshots: $(STAMP) system-deps
	$(PY) -m simulator.screenshots

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
