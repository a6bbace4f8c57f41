// Groups wasm-split's shared chunks into a few files: `node scripts/merge-chunks.mjs SPLIT OUT`.
//
// wasm-split-cli writes one shared chunk per distinct set of widgets whose code shares it
// (79 with seven widgets), each fetched, compressed, compiled and instantiated alone.
// Here they are grouped, each group merged into one module, and `__wasm_split.js`
// rewired to load a group where it loaded any of its chunks. SPLIT is the split-cli's
// output; OUT receives the widgets' own chunks unchanged, one chunk_<n>.wasm per group
// (n counted from 0, for the loader's bit masks) and the rewritten `__wasm_split.js`.
//
// Why merging is sound: a chunk imports only the main module's memory, function table
// and shared globals (module "__wasm_split"), has no exports and no start function, and
// calls every function outside itself through the table. Instantiating it only writes
// its functions into its own range of the table and its data into its own addresses
// (active segments at constant offsets). So a module holding several chunks does on
// instantiation exactly what instantiating each of them does; a chunk is in exactly one
// group, so it is still instantiated at most once, only sometimes earlier than its own
// widget needs it (its code cannot run before that widget's chunk calls it).
// `wasm-merge` does the merging; since it would give each chunk's imports their own
// memory and table, the chunks import from a first module, named "__wasm_split", that
// re-exports one import of each, which the merged module then imports under its own
// name again.
//
// The grouping is measured on page shapes (each widget alone, and the launcher with each
// other widget): a page fetches every group holding a chunk of one of its widgets. From
// the chunks apart (and from one group of all the chunks of the widget whose page is
// smallest, or of the two smallest), two groups at a time are merged, the pair that
// lowers the pages' bytes the most by a quick estimate (brotli quality 5 of the
// concatenated chunks, each page's bytes relative to its own, plus PER_FILE bytes a file
// for its request and compilation), down to one group. The grouping kept is the best of
// all on the way in which no page fetches more bytes than with the chunks apart (brotli
// quality 11, as served). A merged module has measured a few percent smaller than that
// estimate (its imports and types once, shrunk together); `make size` checks the real
// figures.
// Takes about a minute (each chunk's wasm-opt, then the estimates).
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompressSync, constants } from 'node:zlib';
import { sections } from './wasm-sections.mjs';

const PER_FILE = 1000;
const key = (a, b) => [a, b].map((g) => g.members.map((c) => c.name).join('+')).join('|');
const [splitDir, outDir] = process.argv.slice(2);
const bin = resolve(import.meta.dirname, '../node_modules/.bin');
const features = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-reference-types'];
const run = promisify(execFile);
const tool = (name, args, opts = {}) =>
  execFileSync(join(bin, name), args, { maxBuffer: 1 << 30, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });

const js = readFileSync(join(splitDir, '__wasm_split.js'), 'utf8');
// Each shared chunk's loader: `/* widgets */ const __chunk_N = makeLoad(() => { … "./chunk_F.wasm" … }, []);`
const blockPattern =
  /\/\* ([\w, ]+) \*\/\nconst (__chunk_\d+) = makeLoad\(\(\) => \{\n\s*const src = fetch\(new URL\("\.\/(chunk_\d+\.wasm)"[^]*?\n\}\n, \[\]\);\n/g;
// Each chunk shrunk first as the build shrinks every file (`wasm-opt -Oz`), for the
// estimates and the merging both.
const work = mkdtempSync(join(tmpdir(), 'merge-chunks-'));
const blocks = [...js.matchAll(blockPattern)];
const queue = blocks.map(([, , , file]) => file);
await Promise.all(
  [0, 1, 2, 3].map(async () => {
    for (let file; (file = queue.shift()); ) {
      await run(join(bin, 'wasm-opt'), ['-Oz', '--strip-debug', '--strip-producers', ...features, '-o', join(work, file), join(splitDir, file)]);
    }
  }),
);
const chunks = blocks.map(([block, widgets, name, file]) => {
  const data = withoutCustomSections(readFileSync(join(work, file)));
  return { block, name, file, widgets: new Set(widgets.split(', ')), data, brotli: brotli(data), final: brotli(data, 11) };
});
if (chunks.length === 0) throw new Error('merge-chunks: no shared chunk loaders in __wasm_split.js');
if ((js.match(/const __chunk_\d+ = /g) || []).length !== chunks.length) {
  throw new Error('merge-chunks: __wasm_split.js has chunk loaders of an unknown form');
}
function brotli(data, quality = 5) {
  return brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: quality } }).length;
}
// The names and other custom sections, which the build strips later, would skew the
// estimates.
function withoutCustomSections(wasm) {
  const parts = [wasm.subarray(0, 8)];
  for (const { id, start, end } of sections(wasm)) if (id !== 0) parts.push(wasm.subarray(start, end));
  return Buffer.concat(parts);
}

// The page shapes the grouping is measured on.
const widgets = [...new Set(chunks.flatMap((c) => [...c.widgets]))].sort();
const pages = widgets.map((w) => [w]);
const launcher = widgets.find((w) => w.endsWith('_launcher'));
if (launcher) for (const w of widgets) if (w !== launcher) pages.push([launcher, w]);
const touches = (group, page) => page.some((w) => group.widgets.has(w));
const pageBytes = (groups) => pages.map((p) => groups.reduce((sum, g) => sum + (touches(g, p) ? g.final : 0), 0));

let groups = chunks.map((c) => ({ members: [c], widgets: c.widgets, data: c.data, brotli: c.brotli, final: c.final }));
const apart = pageBytes(groups);
// Each page's bytes count relative to its own: a small page's few kilobytes matter as
// much to it as a large page's many.
const weights = apart.map((bytes) => Math.max(...apart) / bytes);
const score = (groups) =>
  pages.reduce((sum, p, k) => sum + weights[k] * groups.reduce((s, g) => s + (touches(g, p) ? g.final + PER_FILE : 0), 0), 0);
// Merging down to one group, two at a time, the pair whose merge the quick estimate finds
// best (or least bad); the grouping kept is the best of those on the way by brotli's
// quality 11 (the one served) where no page fetches more bytes than with the chunks apart.
const estimates = new Map();
const finals = new Map();
const group = (members) => {
  const data = Buffer.concat(members.map((c) => c.data));
  const k = members.map((c) => c.name).join('+');
  if (!finals.has(k)) finals.set(k, brotli(data, 11));
  return { members, widgets: new Set(members.flatMap((c) => [...c.widgets])), data, final: finals.get(k) };
};
const search = (groups) => {
  let kept = { groups, score: pageBytes(groups).every((bytes, k) => bytes <= apart[k]) ? score(groups) : Infinity };
  while (groups.length > 1) {
    let best = null;
    for (let i = 0; i < groups.length; i++) {
      for (let j = i + 1; j < groups.length; j++) {
        const [a, b] = [groups[i], groups[j]];
        const touched = pages.filter((p) => touches(a, p) || touches(b, p));
        let gain = 0;
        let weight = 0;
        for (const p of touched) {
          const w = weights[pages.indexOf(p)];
          weight += w;
          gain += w * ((touches(a, p) ? a.brotli + PER_FILE : 0) + (touches(b, p) ? b.brotli + PER_FILE : 0) - PER_FILE);
        }
        // The merged group compresses to at least the larger of the two.
        if (best && weight * Math.max(a.brotli, b.brotli) - gain >= best.delta) continue;
        const k = key(a, b);
        if (!estimates.has(k)) estimates.set(k, brotli(Buffer.concat([a.data, b.data])));
        const delta = weight * estimates.get(k) - gain;
        if (!best || delta < best.delta) best = { i, j, delta, k };
      }
    }
    const merged = group([...groups[best.i].members, ...groups[best.j].members]);
    merged.brotli = estimates.get(best.k);
    groups = groups.filter((_, k) => k !== best.i && k !== best.j);
    groups.splice(best.i, 0, merged);
    const s = score(groups);
    if (s < kept.score && pageBytes(groups).every((bytes, k) => bytes <= apart[k])) kept = { groups, score: s };
  }
  return kept;
};
// Starting from each chunk apart, and from one group of all the chunks of the widget
// whose page is smallest (then of the next smallest, too), the rest apart.
const bySize = pages.filter((p) => p.length === 1).sort((a, b) => apart[pages.indexOf(a)] - apart[pages.indexOf(b)]);
const starts = [groups];
for (let m = 1; m <= 2; m++) {
  const left = new Set(chunks);
  const first = bySize.slice(0, m).map(([w]) => {
    const members = [...left].filter((c) => c.widgets.has(w));
    members.forEach((c) => left.delete(c));
    return group(members);
  });
  starts.push([...first.filter((g) => g.members.length), ...[...left].map((c) => groups.find((g) => g.members[0] === c))]);
}
for (const start of starts) for (const g of start) g.brotli ??= brotli(g.data);
const results = starts.map(search);
groups = results.reduce((a, b) => (b.score < a.score ? b : a)).groups;
// In the order of their first chunk, as wasm-split wrote them.
const order = new Map(chunks.map((c, k) => [c, k]));
for (const g of groups) g.members.sort((a, b) => order.get(a) - order.get(b));
groups.sort((a, b) => order.get(a.members[0]) - order.get(b.members[0]));

mkdirSync(outDir, { recursive: true });
try {
  groups.forEach((group, n) => {
    group.file = `chunk_${n}.wasm`;
    group.name = `__chunk_${n}`;
    const out = join(outDir, group.file);
    if (group.members.length === 1) {
      copyFileSync(join(work, group.members[0].file), out);
      return;
    }
    // The first module re-exports one import of each shared item the chunks import.
    const imports = new Map();
    for (const chunk of group.members) {
      const text = tool('wasm-dis', [...features, join(work, chunk.file)]);
      for (const line of text.split('\n')) {
        if (!line.startsWith(' (import ')) continue;
        const m = line.match(/^ \(import "__wasm_split" "([\w$.]+)" \((memory|table|global) \$\S+ (.*)\)\)$/);
        if (!m) throw new Error(`merge-chunks: ${chunk.file} has an import of an unknown form: ${line}`);
        const [, name, kind, type] = m;
        if (imports.has(name) && imports.get(name).type !== type) {
          throw new Error(`merge-chunks: ${chunk.file} imports ${name} as ${type}, another chunk as ${imports.get(name).type}`);
        }
        imports.set(name, { kind, type });
      }
      if (/^ \((export|start) /m.test(text)) throw new Error(`merge-chunks: ${chunk.file} has an export or a start function`);
    }
    const hub = [...imports].map(
      ([name, { kind, type }], k) => ` (import "__shared" "${name}" (${kind} $s${k} ${type}))\n (export "${name}" (${kind} $s${k}))`,
    );
    writeFileSync(join(work, 'hub.wat'), `(module\n${hub.join('\n')}\n)\n`);
    tool('wasm-as', [...features, join(work, 'hub.wat'), '-o', join(work, 'hub.wasm')]);
    const inputs = group.members.flatMap((c, k) => [join(work, c.file), `chunk${k}`]);
    tool('wasm-merge', [...features, join(work, 'hub.wasm'), '__wasm_split', ...inputs, '-o', join(work, 'merged.wasm')]);
    // Back to importing from "__wasm_split", without the first module's exports.
    let text = tool('wasm-dis', [...features, join(work, 'merged.wasm')]);
    const lines = text.split('\n');
    let renamed = 0;
    text = lines
      .filter((line) => !/^ \(export /.test(line) || !imports.has(line.match(/^ \(export "([^"]*)"/)?.[1]))
      .map((line) => (line.startsWith(' (import "__shared" ') ? (renamed++, line.replace('"__shared"', '"__wasm_split"')) : line))
      .join('\n');
    if (renamed !== imports.size || /^ \((export|start) /m.test(text) || /\(import "(?!__wasm_split")/.test(text)) {
      throw new Error(`merge-chunks: ${group.file}: the merged module's imports and exports are not as expected`);
    }
    writeFileSync(join(work, 'merged.wat'), text);
    tool('wasm-as', [...features, join(work, 'merged.wat'), '-o', out]);
  });
} finally {
  rmSync(work, { recursive: true, force: true });
}
for (const file of readdirSync(splitDir)) {
  if (/^split_.*\.wasm$/.test(file)) copyFileSync(join(splitDir, file), join(outDir, file));
}

// One loader per group, where its first chunk's was; the split points wait for groups.
const groupOf = new Map(groups.flatMap((g) => g.members.map((c) => [c.name, g])));
let out = js;
for (const group of groups) {
  const [first, ...rest] = group.members;
  const widgetsOf = [...group.widgets].sort().join(', ');
  const block = first.block
    .replace(/^\/\* [\w, ]+ \*\//, `/* ${widgetsOf} */`)
    .replace(`const ${first.name} = `, `const ${group.name}_ = `)
    .replace(`"./${first.file}"`, `"./${group.file}"`);
  out = out.replace(first.block, () => block);
  for (const chunk of rest) out = out.replace(chunk.block, '');
}
out = out.replace(/, \[((?:__chunk_\d+(?:, )?)+)\]\)\);/g, (_, deps) => {
  const names = deps.split(', ').map((dep) => {
    const group = groupOf.get(dep);
    if (!group) throw new Error(`merge-chunks: a split point waits for ${dep}, which is not a shared chunk`);
    return `${group.name}_`;
  });
  return `, [${[...new Set(names)].join(', ')}]));`;
});
out = out.replace(/\b(__chunk_\d+)_\b/g, '$1');
const loaders = out.match(/const __chunk_\d+ = makeLoad/g) || [];
if (loaders.length !== groups.length) throw new Error('merge-chunks: rewriting __wasm_split.js failed');
writeFileSync(join(outDir, '__wasm_split.js'), out);
const perPage = pages.map((p) => `${p.map((w) => w.replace('widget_', '')).join('+')} ${groups.filter((g) => touches(g, p)).length}`);
console.error(`merge-chunks: ${chunks.length} shared chunks in ${groups.length} files (files a page: ${perPage.join(', ')})`);
