// Drops what the widgets link but never call: the stream adapters of `wasm-streams`
// (`IntoUnderlyingSource`, `IntoUnderlyingSink`, `IntoUnderlyingByteSource`), which
// `server_fn`, a dependency of Leptos, brings in. They are `#[wasm_bindgen]` classes, so
// the module exports their methods and no optimiser may remove them: about 5 KB of the
// main module (1.3 KB brotli) and their classes and imports in the glue, on every page.
//
//   node scripts/unexport.mjs wasm MODULE   before `wasm-opt`: removes the exports, so the
//                                           code only they reach becomes dead
//   node scripts/unexport.mjs glue GLUE MODULE
//                                           after it: removes the classes from the glue,
//                                           and every import function MODULE no longer
//                                           imports from it
//
// Both steps check that they found what they expect and fail the build otherwise (a new
// wasm-bindgen or Leptos may change the shapes), rather than ship a glue that does not
// match its module.
import { readFileSync, writeFileSync } from 'node:fs';
import { leb, sections, uleb } from './wasm-sections.mjs';

const CLASSES = ['IntoUnderlyingByteSource', 'IntoUnderlyingSink', 'IntoUnderlyingSource'];
const prefixes = CLASSES.flatMap((name) => [name.toLowerCase() + '_', `__wbg_${name.toLowerCase()}_`]);
const fail = (message) => {
  console.error(`unexport: ${message}`);
  process.exit(1);
};

const [mode, ...files] = process.argv.slice(2);
if (mode === 'wasm' && files.length === 1) dropExports(files[0]);
else if (mode === 'glue' && files.length === 2) pruneGlue(...files);
else fail('usage: unexport.mjs wasm MODULE | unexport.mjs glue GLUE MODULE');

function dropExports(path) {
  const wasm = readFileSync(path);
  const parts = [wasm.subarray(0, 8)];
  let dropped = 0;
  for (const { id, start, body, end } of sections(wasm)) {
    if (id !== 7) {
      parts.push(wasm.subarray(start, end));
    } else {
      // The export section: a count, then (name, kind byte, index) per export.
      let [count, p] = leb(wasm, body);
      const kept = [];
      for (let k = 0; k < count; k++) {
        const start = p;
        let length;
        [length, p] = leb(wasm, p);
        const name = wasm.subarray(p, p + length).toString();
        [, p] = leb(wasm, p + length + 1);
        if (prefixes.some((prefix) => name.startsWith(prefix))) dropped++;
        else kept.push(wasm.subarray(start, p));
      }
      const section = Buffer.concat([uleb(kept.length), ...kept]);
      parts.push(Buffer.from([7]), uleb(section.length), section);
    }
  }
  if (dropped === 0) fail(`${path} exports none of ${CLASSES.join(', ')}: remove this step`);
  writeFileSync(path, Buffer.concat(parts));
}

function pruneGlue(gluePath, modulePath) {
  let glue = readFileSync(gluePath, 'utf8');
  for (const name of CLASSES) {
    const pieces = [
      new RegExp(`\\nexport class ${name} \\{\\n[^]*?\\n\\}\\n`),
      new RegExp(`\\nif \\(Symbol\\.dispose\\) ${name}\\.prototype\\[Symbol\\.dispose\\] = ${name}\\.prototype\\.free;\\n`),
      new RegExp(`\\nconst ${name}Finalization = [^;]*;\\n`),
    ];
    for (const piece of pieces) {
      if (!piece.test(glue)) fail(`${gluePath}: no ${piece.source} for ${name}`);
      glue = glue.replace(piece, '\n');
    }
    if (glue.includes(name)) fail(`${gluePath} still names ${name}`);
  }
  // The module's imports after wasm-opt: an import function the glue offers that the
  // module no longer takes is dead.
  const imported = new Set(
    WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(modulePath)))
      .filter((i) => i.module === './comeback_bg.js')
      .map((i) => i.name),
  );
  const table = /\n    const import0 = \{\n        __proto__: null,\n([^]*?)\n    \};\n/.exec(glue);
  if (!table) fail(`${gluePath}: no import table of the expected form`);
  // `name: function(…) {` … `},`, or for one that may throw `name: function() { return
  // handleError(function (…) {` … `}, arguments); },`.
  const entry = /^ {8}(\w+): function\(.*\) \{\n[^]*?\n {8}\}(?:, arguments\); \})?,?$/gm;
  const entries = [...table[1].matchAll(entry)];
  if (
    entries.map((m) => m[0]).join('\n') !== table[1] ||
    entries.some((m) => m[0].match(/^ {8}\w+: function/gm).length !== 1)
  ) {
    fail(`${gluePath}: an import function of an unexpected form`);
  }
  const offered = new Set(entries.map((m) => m[1]));
  const missing = [...imported].filter((name) => !offered.has(name));
  if (missing.length) fail(`${gluePath}: the module imports ${missing.join(', ')}, which the glue does not offer`);
  const kept = entries.filter((m) => imported.has(m[1])).map((m) => m[0].replace(/\}$/, '},'));
  glue = glue.replace(table[1], () => kept.join('\n'));
  writeFileSync(gluePath, glue);
  console.error(`unexport: the glue keeps ${kept.length} of ${entries.length} import functions`);
}
