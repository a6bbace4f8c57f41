#!/usr/bin/env bash
# Release build of the widget bundle into pkg/.
#
# Split build (the default): cargo links one module with relocations kept,
# `wasm-split-cli` cuts it at each widget's split point (src/widgets/mod.rs) into the
# main module, one chunk per widget and shared chunks, the shared chunks are merged into
# a few files (scripts/merge-chunks.mjs), `wasm-bindgen` writes the glue for the main
# module, and `wasm-opt -Oz` shrinks every wasm file. `SPLIT=0` builds the
# same source as one module instead (the fallback should a toolchain update break
# splitting). Then the registry and the chunk map are written into the loader, and
# .br/.gz copies are made for the server to send.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir=${CARGO_TARGET_DIR:-target}
wasm=$target_dir/wasm32-unknown-unknown/release/comeback.wasm
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf pkg
mkdir -p pkg

# `erase_components` makes Leptos box each component's view instead of monomorphising
# it per call site: about 4% smaller here (measured), at no cost a shopper can notice.
export RUSTFLAGS="${RUSTFLAGS:-} --cfg erase_components"
if [ "${SPLIT:-1}" = 1 ]; then
  RUSTFLAGS="$RUSTFLAGS -Clink-args=--emit-relocs" \
    cargo build --release --lib --target wasm32-unknown-unknown -p comeback
  wasm-split-cli --target web --out-name comeback "$wasm" "$work/split"
  wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle \
    --out-dir pkg --out-name comeback "$work/split/comeback.wasm"
  # The shared chunks (one per set of widgets sharing code: 79 with seven widgets) are
  # merged into a few files, so a page fetches and compiles a few modules, not dozens.
  node scripts/merge-chunks.mjs "$work/split" "$work/merged"
  cp "$work/merged"/*.wasm "$work/merged/__wasm_split.js" pkg/
else
  cargo build --release --lib --target wasm32-unknown-unknown -p comeback --no-default-features
  wasm-bindgen --target web --no-typescript --out-dir pkg --out-name comeback "$wasm"
fi

# The stream adapters Leptos links but the widgets never call are exported, so no
# optimiser could drop them: unexported first, then their glue goes once wasm-opt has
# dropped the code (scripts/unexport.mjs).
node scripts/unexport.mjs wasm pkg/comeback_bg.wasm
# `--converge` repeats the -Oz passes while they still shrink the file. `--low-memory-unused`
# lets wasm-opt fold constant offsets into loads and stores (about 480 B brotli of the main
# module): it assumes nothing valid lives below address 1024, which holds here because
# Rust puts the 1 MB stack first, growing down from 1 MB, and its data and heap above it,
# so only a stack within 1 KB of overflowing would reach there.
for file in pkg/*.wasm; do
  node_modules/.bin/wasm-opt -Oz --converge --low-memory-unused --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types \
    -o "$file.opt" "$file"
  mv "$file.opt" "$file"
done
node scripts/unexport.mjs glue pkg/comeback.js pkg/comeback_bg.wasm

# The loader's list of elements comes from the registry; each kind's chunk files
# (its own and the shared ones it needs) from the split map, so the loader can fetch
# them in parallel with the main module.
registry=$(cargo run --quiet --example bundle_data)
node scripts/loader-manifest.mjs "$registry" pkg >"$work/manifest.json"
node -e '
  const fs = require("fs");
  const [source, manifest, out] = process.argv.slice(1);
  const { kinds, text } = JSON.parse(fs.readFileSync(manifest, "utf8"));
  // The loader is on every page, so the files of each kind are written small: its own chunk
  // is named after the kind (split_widget_<kind>.wasm, checked here), and the shared
  // ones (chunk_<n>.wasm) as one hexadecimal number whose bit n is set for chunk n;
  // empty in a single-module build, which has no chunk files.
  for (const [kind, entry] of Object.entries(kinds)) {
    let mask = 0n;
    for (const file of entry[2]) {
      if (/^chunk_\d+\.wasm$/.test(file)) mask |= 1n << BigInt(file.slice(6, -5));
      else if (file !== `split_widget_${kind}.wasm`) throw new Error(`${kind}: its chunk ${file} is not split_widget_${kind}.wasm`);
    }
    entry[2] = entry[2].length ? mask.toString(16) : "";
    // Flags as 0/1, no tab as 0, and trailing zeros dropped (read as falsy).
    entry[1] = +entry[1];
    entry[3] ||= 0;
    entry[4] = +entry[4];
    // 1, or "attribute=value" for a kind whose elements with it hold only the shop height.
    if (typeof entry[5] != "string") entry[5] = +entry[5];
    while (entry.at(-1) === 0) entry.pop();
  }
  let loader = fs.readFileSync(source, "utf8");
  for (const [marker, value] of [["/* registry */ {}", kinds], ["/* text */ {}", text]]) {
    if (!loader.includes(marker)) throw new Error("loader.js has no " + marker + " marker");
    loader = loader.replace(marker, () => JSON.stringify(value));
  }
  fs.writeFileSync(out, loader);
' src/loader.js "$work/manifest.json" pkg/loader.js
# Minified: whitespace, comments and long local names are most of the hand-written
# loader (on every page) and of the generated glue; exports and the property names the
# wasm imports by are kept. The table the loader was built from stays beside it for
# `make size` and other tools. `--charset=utf8` keeps the loader's Chinese strings as
# UTF-8 (3 bytes a character) instead of `\uXXXX` escapes (6): module scripts are always
# decoded as UTF-8.
for file in pkg/loader.js pkg/comeback.js pkg/__wasm_split.js; do
  [ -f "$file" ] || continue
  node_modules/.bin/esbuild "$file" --minify --tree-shaking=true --format=esm --target=es2022 --charset=utf8 \
    --legal-comments=none --log-level=error --outfile="$file" --allow-overwrite
done
cp "$work/manifest.json" pkg/widgets.json
# The theme developers' kit, from the same lists: the playground's tokens, parts and
# events (and the end-to-end suite's event check), and the TypeScript declarations.
cargo run --quiet --example kit -- json >pkg/kit.json
cargo run --quiet --example kit -- dts >pkg/comeback.d.ts

for file in pkg/*.js pkg/*.wasm pkg/strings/*/*.json; do
  brotli -f -q 11 -o "$file.br" "$file"
  gzip -f -9 -k "$file"
done
echo "bundle: pkg/ is ready ($(if [ "${SPLIT:-1}" = 1 ]; then echo split; else echo single module; fi))"
