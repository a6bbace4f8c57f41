// Builds the loader's table of elements: `node scripts/loader-manifest.mjs REGISTRY PKG`.
// REGISTRY is the JSON `cargo run --example bundle_data` prints (per widget its kind,
// attributes, floating, chunk, tab; the loader's own strings); PKG holds the split build, whose `__wasm_split.js` says which wasm
// files each split point needs (its own chunk and the shared chunks it depends on).
// Prints `{kinds: {kind: [attributes, floating, [files], tab, tab shown by default, holds only the shop's reserved height: 1, or "attribute=value" for the elements that do]}, text: {locale: {key: text}}}`;
// a single-module build (no `__wasm_split.js`) gives every kind an empty file list.
// Writes PKG/strings/<locale>/<common|kind>.json, each catalogue's texts in one locale.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [registryJson, pkg] = process.argv.slice(2);
const { widgets: registry, text, catalogues } = JSON.parse(registryJson);
const splitJs = join(pkg, '__wasm_split.js');
const split = existsSync(splitJs) ? readFileSync(splitJs, 'utf8') : null;

// Each loader in __wasm_split.js is `makeLoad(() => { … fetch(new URL("./F.wasm", …)) … }, [deps])`,
// bound either to `const __chunk_N` (a shared chunk) or to
// `export const __wasm_split_load_<chunk>` (a split point).
const loaders = new Map();
if (split) {
  const pattern =
    /(?:export )?const (\w+) = (?:wrapAsyncCb\()?makeLoad\(\(\) => \{\s*const src = fetch\(new URL\("\.\/([\w.-]+\.wasm)"[^]*?\n\}\s*,\s*\[([\w,\s]*)\]\)/g;
  for (const [, name, file, deps] of split.matchAll(pattern)) {
    loaders.set(name, { file, deps: deps.split(',').map((d) => d.trim()).filter(Boolean) });
  }
  if (loaders.size === 0) throw new Error('no chunk loaders found in __wasm_split.js');
}

const filesOf = (name, seen = new Set()) => {
  const loader = loaders.get(name);
  if (!loader) throw new Error(`__wasm_split.js has no loader ${name}`);
  if (seen.has(name)) return [];
  seen.add(name);
  return [...loader.deps.flatMap((dep) => filesOf(dep, seen)), loader.file];
};

const table = {};
for (const widget of registry) {
  const files = split ? filesOf(`__wasm_split_load_${widget.chunk}`) : [];
  table[widget.kind] = [widget.attributes, widget.floating, files, widget.tab, widget.tab_by_default, widget.floating ? 0 : widget.space];
}
// The string files: one per locale and catalogue, so a page fetches only its locale's.
for (const [locale, files] of Object.entries(catalogues)) {
  mkdirSync(join(pkg, 'strings', locale), { recursive: true });
  for (const [name, strings] of Object.entries(files)) {
    writeFileSync(join(pkg, 'strings', locale, `${name}.json`), JSON.stringify(strings));
  }
}
process.stdout.write(JSON.stringify({ kinds: table, text }) + '\n');
