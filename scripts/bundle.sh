#!/usr/bin/env bash
# Release build of the widget bundle into pkg/: wasm-pack, then wasm-opt -Oz with the
# name section stripped, the hand-written loader beside it, and .br/.gz copies the
# server sends to browsers that accept them.
set -euo pipefail
cd "$(dirname "$0")/.."

wasm-pack build --release --target web --out-dir pkg --out-name comeback --no-typescript --no-pack
node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
  -o pkg/comeback_bg.opt.wasm pkg/comeback_bg.wasm
mv pkg/comeback_bg.opt.wasm pkg/comeback_bg.wasm
cp src/loader.js pkg/loader.js
rm -f pkg/.gitignore pkg/package.json pkg/README.md
for file in pkg/loader.js pkg/comeback.js pkg/comeback_bg.wasm; do
  brotli -f -q 11 -o "$file.br" "$file"
  gzip -f -9 -k "$file"
done
echo "bundle: pkg/ is ready"
