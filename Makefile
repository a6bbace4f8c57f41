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
	panic-bundle bench-widgets

help:
	@echo "make demo    build the bundle and run the demo tea shop on http://127.0.0.1:$(PORT)/"
	@echo "make test    run every test tier (unit, server on SQLite and PostgreSQL, browser, end-to-end)"
	@echo "make bundle  release build of the widget bundle into pkg/ (SPLIT=0: one module, no chunks)"
	@echo "make size    print what each page shape downloads, against the budgets"
	@echo "make lint    rustfmt check and clippy -D warnings, native and wasm32"
	@echo "make bench-widgets  main-thread cost of the widgets on a throttled CPU (not in make test)"

deps:
	@scripts/deps.sh

bundle: deps
	@scripts/bundle.sh

size:
	@scripts/size.sh

server: deps
	cargo build -p comeback-server

demo: bundle server
	@mkdir -p data
	PORT=$(PORT) $(SERVER) serve --config comeback.demo.toml

lint: deps
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p comeback --target wasm32-unknown-unknown --all-targets -- -D warnings
	cargo clippy -p comeback --target wasm32-unknown-unknown --all-targets --no-default-features -- -D warnings

fmt:
	cargo fmt --all

test-rust: deps
	@scripts/ensure-postgres.sh
	cargo test --workspace

# The in-process browser tests mount widgets directly, so they build the single-module
# variant (wasm-bindgen-test cannot run the split step); the end-to-end tests below run
# the split bundle the shops get.
test-browser: deps
	wasm-pack test --headless --chrome --no-default-features

panic-bundle: deps
	wasm-pack build --dev --target web --out-dir $(PANIC_BUNDLE) --out-name comeback \
		--no-typescript --no-pack -- --no-default-features --features test-panic

test-e2e: bundle server panic-bundle
	COMEBACK_SERVER=$(SERVER) COMEBACK_PANIC_BUNDLE=$(PANIC_BUNDLE) \
		node --test --test-concurrency=1 tests/e2e/

bench-widgets: bundle server
	COMEBACK_SERVER=$(SERVER) node scripts/mainthread.mjs

test: lint test-rust test-browser test-e2e
	@scripts/size.sh --check

clean:
	rm -rf pkg
