# xiaoan — `make run` serves the app with its job worker; `make test` runs the test suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := xiaoan/static/vendor
LOCK := requirements.lock
CHROMIUM := $(or $(XIAOAN_CHROMIUM),/usr/bin/chromium)
# The lock is resolved for the machines we run on: Python 3.11, Debian 12, x86_64.
COMPILE = $(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --quiet \
	--python-version 3.11 --python-platform x86_64-manylinux_2_36 \
	--custom-compile-command "make lock" -o $(LOCK)

.PHONY: run test setup assets lint format clean lock upgrade replica

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（$(PYTHON)）"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml $(LOCK)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	@$(BIN)/pip check >/dev/null || { $(BIN)/pip check; echo "requirements.lock 与 pyproject.toml 不一致：请运行 make lock"; exit 1; }
	touch $(STAMP)

# Re-resolve after a change to pyproject.toml, keeping the current pins where they still fit.
# Needs only uv, not the installed lock: the lock is what a new dependency makes stale.
$(BIN)/uv: | $(BIN)/python
	$(BIN)/pip install --quiet uv

lock: $(BIN)/uv
	$(COMPILE)

# Re-resolve to the newest versions pyproject.toml allows.
upgrade: $(BIN)/uv
	$(COMPILE) --upgrade

$(VENDOR)/.stamp: package.json
	@command -v npm >/dev/null 2>&1 || { echo "需要 Node.js 和 npm（apt-get install nodejs npm）"; exit 1; }
	npm install --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/bootstrap
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map $(VENDOR)/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map $(VENDOR)/bootstrap/
	mkdir -p $(VENDOR)/noto-sans-sc
	cp node_modules/@fontsource/noto-sans-sc/LICENSE node_modules/@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff node_modules/@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-700-normal.woff $(VENDOR)/noto-sans-sc/
	mkdir -p $(VENDOR)/echarts
	cp node_modules/echarts/LICENSE node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	touch $(VENDOR)/.stamp

assets: $(VENDOR)/.stamp

setup: $(STAMP) assets

run: setup
	$(BIN)/xiaoan migrate --no-input
	$(BIN)/xiaoan demo
	exec ./scripts/run.sh

test: setup
	@[ -x "$(CHROMIUM)" ] || echo "make test: 未找到 Chromium（$(CHROMIUM)），跳过浏览器测试；apt-get install chromium 后即会运行。"
	$(BIN)/pytest $(PYTEST_ARGS)

# A streaming replica of the local PostgreSQL on port 5433 (XIAOAN_READ_DATABASE_URL).
replica:
	./scripts/pg-replica.sh start

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
