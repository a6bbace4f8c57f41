#!/usr/bin/env bash
# Release build of the shop-owner dashboard (admin/) into pkg-admin/, which the server
# serves at /admin/. A bundle of its own: shop pages never load it.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir=${CARGO_TARGET_DIR:-target}
out=pkg-admin
rm -rf "$out"
mkdir -p "$out"

RUSTFLAGS="${RUSTFLAGS:-} --cfg erase_components" \
  cargo build --release --lib --target wasm32-unknown-unknown -p comeback-admin
wasm-bindgen --target web --no-typescript --out-dir "$out" --out-name admin \
  "$target_dir/wasm32-unknown-unknown/release/comeback_admin.wasm"
node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types \
  -o "$out/admin_bg.wasm.opt" "$out/admin_bg.wasm"
mv "$out/admin_bg.wasm.opt" "$out/admin_bg.wasm"
node_modules/.bin/esbuild "$out/admin.js" --minify --format=esm --target=es2022 \
  --legal-comments=none --log-level=error --outfile="$out/admin.js" --allow-overwrite
cp admin/www/index.html admin/www/boot.js admin/www/admin.css \
  admin/www/preview.html admin/www/preview.js admin/www/preview.css "$out/"
for file in "$out"/*.js "$out"/*.wasm "$out"/*.css "$out"/*.html; do
  brotli -f -q 11 -o "$file.br" "$file"
  gzip -f -9 -k "$file"
done
echo "admin bundle: $out/ is ready ($(brotli -c -q 11 "$out/admin_bg.wasm" | wc -c) bytes of wasm, brotli)"
