#!/usr/bin/env bash
# Installs what the build and the tests need, only when missing. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
say() { echo "deps: $*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (matches the pinned wasm-bindgen crate)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# Cuts the linked module into per-widget chunks (scripts/bundle.sh). Pinned: its output
# must match the wasm_split_helpers runtime that leptos links, and toolchain bumps have
# broken it before.
WASM_SPLIT_VERSION=0.2.4
# (The binary has no --version; cargo's install record says which one is there.)
if ! command -v wasm-split-cli >/dev/null ||
  ! grep -qs "^\"wasm_split_cli_support $WASM_SPLIT_VERSION " "${CARGO_HOME:-$HOME/.cargo}/.crates.toml"; then
  say "installing wasm-split-cli $WASM_SPLIT_VERSION"
  cargo install wasm_split_cli_support --version "=$WASM_SPLIT_VERSION" --features build-binary --locked --force
fi

if ! command -v wasm-pack >/dev/null; then
  say "installing wasm-pack"
  cargo install wasm-pack
fi

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v brotli >/dev/null || missing+=(brotli)
# The survey's faces and the theme screenshots (docs/themes/) need a colour emoji font.
[ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || missing+=(fonts-noto-color-emoji)
if ((${#missing[@]})); then
  say "installing ${missing[*]} from Debian"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}"
fi

# Node tools from the committed lockfile: binaryen (a current wasm-opt; Debian's is too old
# for the reference-types output of today's Rust) and playwright-core.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  say "installing node tools from package-lock.json"
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules
fi
