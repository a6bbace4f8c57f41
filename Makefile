# Comeback: `make demo` runs the demo shop, `make test` runs every test tier.
# Every target installs what it needs first (idempotently), so both work on a fresh machine.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

export CARGO_TARGET_DIR ?= $(HOME)/.cache/comeback-target
export CHROMEDRIVER ?= /usr/bin/chromedriver
WASM_BINDGEN_VERSION := 0.2.130
PORT ?= 8080
SERVER := $(CARGO_TARGET_DIR)/debug/comeback-server
# A debug bundle with the `test-panic` export, for the end-to-end panic test only.
PANIC_BUNDLE := $(CARGO_TARGET_DIR)/pkg-test-panic

.PHONY: help deps demo test bundle size lint fmt test-rust test-browser test-e2e server clean \
	panic-bundle admin-bundle bench-widgets bench-help bench-recs bench release

help:
	@echo "make demo    build the bundle and run the demo tea shop on http://127.0.0.1:$(PORT)/"
	@echo "make test    run every test tier (unit, server on SQLite and PostgreSQL, browser, end-to-end)"
	@echo "make bundle  release build of the widget bundle into pkg/ (SPLIT=0: one module, no chunks)"
	@echo "make admin-bundle  release build of the shop-owner dashboard into pkg-admin/ (served at /admin/)"
	@echo "make size    print what each page shape downloads, against the budgets"
	@echo "make lint    rustfmt check and clippy -D warnings, native and wasm32"
	@echo "make bench-widgets  main-thread cost of the widgets on a throttled CPU (not in make test)"
	@echo "make bench-help    time a search keystroke in <comeback-help> over 500 articles (4x-throttled CPU)"
	@echo "make bench-recs    recommendation engine vs implicit: build time on 1M order lines, recall@10 table"
	@echo "make bench   release server: /loyalty/me and recommendations throughput as a ratio to /healthz, and p99"
	@echo "make release release server binary and widget bundle, for deployment"

deps:
	@scripts/deps.sh

bundle: deps
	@scripts/bundle.sh

size:
	@scripts/size.sh

server: deps
	cargo build -p comeback-server

# The shop-owner dashboard (admin/), served at /admin/: a bundle of its own.
admin-bundle: deps
	@scripts/admin-bundle.sh

demo: bundle admin-bundle server
	@mkdir -p data
	PORT=$(PORT) $(SERVER) serve --config comeback.demo.toml

lint: deps
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p comeback --target wasm32-unknown-unknown --all-targets -- -D warnings
	cargo clippy -p comeback --target wasm32-unknown-unknown --all-targets --no-default-features -- -D warnings
	cargo clippy -p comeback-admin --target wasm32-unknown-unknown -- -D warnings

fmt:
	cargo fmt --all

test-rust: deps
	@scripts/ensure-postgres.sh
	cargo test --workspace

# The in-process browser tests mount widgets directly, so they build the single-module
# variant (wasm-bindgen-test cannot run the split step); the end-to-end tests below run
# the split bundle the shops get.
# wasm-bindgen-test-runner gives the whole suite 20 s by default; it takes about 25 on
# two shared cores, so it gets room to grow.
test-browser: deps
	WASM_BINDGEN_TEST_TIMEOUT=180 wasm-pack test --headless --chrome --no-default-features

panic-bundle: deps
	wasm-pack build --dev --target web --out-dir $(PANIC_BUNDLE) --out-name comeback \
		--no-typescript --no-pack -- --no-default-features --features test-panic

test-e2e: bundle admin-bundle server panic-bundle
	COMEBACK_SERVER=$(SERVER) COMEBACK_PANIC_BUNDLE=$(PANIC_BUNDLE) \
		node --test --test-concurrency=1 tests/e2e/

bench-widgets: bundle server
	COMEBACK_SERVER=$(SERVER) node scripts/mainthread.mjs

# A search keystroke in <comeback-help> with 500 articles on a 4x-throttled CPU.
bench-help: bundle server
	COMEBACK_SERVER=$(SERVER) node scripts/help-search.mjs

# The recommendation engine against implicit (PyPI, in a venv) on synthetic orders.
bench-recs:
	@scripts/bench-recs.sh

test: lint test-rust test-browser test-e2e
	@scripts/size.sh --check

# The server's release build: the workspace's release profile is tuned for the wasm
# bundle's size (opt-level z, panic = abort); the server wants speed and unwinding (a
# panicking job must not take the process down), so these override it for the server only.
SERVER_RELEASE_ENV := CARGO_PROFILE_RELEASE_OPT_LEVEL=3 CARGO_PROFILE_RELEASE_LTO=thin \
	CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_PANIC=unwind

bench:
	$(SERVER_RELEASE_ENV) scripts/bench.sh

release: bundle admin-bundle
	$(SERVER_RELEASE_ENV) cargo build --release -p comeback-server --bin comeback-server
	@echo "server: $(CARGO_TARGET_DIR)/release/comeback-server"
	@echo "bundle: pkg/ (serve it with COMEBACK_BUNDLE_DIR); deployment: docs/server.md#deployment"

clean:
	rm -rf pkg pkg-admin
