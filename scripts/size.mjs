// `make size`: what a shop page downloads from the Comeback origin before the shopper
// interacts, per page shape, in raw, gzip and brotli bytes, against the budgets of the
// widget-platform issue; then each widget's own chunk. `--check` (run by `make test`)
// fails when a figure grows past its ratchet ceiling: the ceilings only ever move down.
//
// The page shapes follow the loader's own rules: a page fetches the loader, the glue
// and the main module, plus the chunk files of each widget on it (the table the build
// wrote into pkg/loader.js and beside it as pkg/widgets.json), plus the strings of the
// active locale when they travel apart from the wasm. A closed launcher is
// drawn by the loader alone (the facade), so the launcher-only page fetches only what
// the facade needs until the shopper shows intent.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const pkg = resolve(import.meta.dirname, '../pkg');
const check = process.argv.includes('--check');

// Budgets (issue 7) and ratchets (today's figures plus a little room), brotli bytes.
const shapes = [
  {
    name: 'loyalty only',
    widgets: ['loyalty'],
    budget: 100 * 1024,
    // 144 KB before the help widget: the code loyalty shares with help moved into
    // shared chunks this page fetches too (about 5 KB more). 150 KB before the
    // recommendations widget, which split the shared code into more, smaller chunks
    // (each compressed alone): 4 KB more. 154 KB before the two subscribe-and-save
    // widgets: with six widgets wasm-split cuts the shared code into 46 files, of which
    // this page fetches 24 instead of 7 (the loyalty chunk itself shrank by 5 KB, the
    // code it shares moved out), about 10 KB more, all of it per-file overhead and
    // compression lost across files: the same code in one file is 14 KB smaller.
    // 166 KB before the referral widget: with seven widgets the shared code is cut
    // into 79 files, of which this page fetches 40 instead of 25 (163.9 KB then, 170.6
    // KB now; again per-file overhead, the loyalty chunk itself shrank).
    // 173 KB before the shared chunks were merged into a few files
    // (scripts/merge-chunks.mjs): 16 wasm files instead of 40 besides the main module,
    // 170.5 KB then, 165.1 KB now.
    // 170 KB since the survey widget: with eight widgets the shared code is cut into
    // 49 files instead of 45 (168.3 KB now, 165.1 KB before it), the same per-file
    // overhead as each widget before.
    // 170 KB until the stream adapters unexported, the stylesheets minified and wasm-opt's --converge and --low-memory-unused (stop 28): 168.8 KB then, 166.4 KB now.
    ceiling: 167 * 1024,
  },
  {
    name: 'help only',
    widgets: ['help'],
    // The runtime's budget plus the help chunk's (issue 10).
    budget: (100 + 35) * 1024,
    // 176 KB before the recommendations widget, 178 KB before the subscribe-and-save
    // widgets, 190 KB before the referral widget (188.3 KB then, 197.9 KB now: 47 files
    // instead of 28; see the loyalty page), 200 KB before the shared chunks were merged
    // (197.9 KB then, 189.3 KB now: 15 files instead of 47).
    // 198 KB since the survey widget (195.7 KB now, 189.3 KB before; see the loyalty page).
    // 198 KB until stop 28 (see the loyalty page): 195.5 KB then, 191.2 KB now.
    ceiling: 192 * 1024,
  },
  {
    name: 'recommendations only',
    widgets: ['recommendations'],
    // The runtime's budget plus the recommendations chunk's (issue 11).
    budget: (100 + 35) * 1024,
    // 124 KB before the subscribe-and-save widgets, 132 KB before the referral widget
    // (130.1 KB then, 136.7 KB now: 41 files instead of 25; see the loyalty page), 139 KB
    // before the shared chunks were merged (136.7 KB then, 131.3 KB now: 12 files
    // instead of 41).
    // 138 KB since the survey widget (136.5 KB now, 131.3 KB before; see the loyalty page).
    // 138 KB until stop 28 (see the loyalty page): 136.8 KB then, 134.6 KB now, within
    // the budget; the ceiling is the budget.
    ceiling: 135 * 1024,
  },
  {
    name: 'launcher only, closed',
    widgets: [],
    facade: true,
    budget: 20 * 1024,
    ceiling: 5 * 1024,
  },
  {
    name: 'launcher opened (rewards tab)',
    widgets: ['launcher', 'loyalty'],
    budget: null,
    // 180 KB before the recommendations widget, 184 KB before the subscribe-and-save
    // widgets, 200 KB before the referral widget (198.4 KB then, 208.0 KB now; see the
    // loyalty page), 210 KB before the shared chunks were merged (208.0 KB then, 193.2 KB
    // now: 19 files instead of 59).
    // 199 KB since the survey widget (197.2 KB now, 193.2 KB before; see the loyalty page).
    // 199 KB until stop 28 (see the loyalty page): 196.5 KB then, 193.7 KB now.
    ceiling: 195 * 1024,
  },
  {
    name: 'product page, the toggle only',
    widgets: ['subscribe'],
    // The runtime's budget plus the subscribe chunk's (issue 12).
    budget: (100 + 35) * 1024,
    // 130 KB before the referral widget (128.6 KB then, 132.4 KB now: 33 files instead
    // of 23; see the loyalty page), 134 KB before the shared chunks were merged (132.3 KB
    // then, 127.6 KB now: 8 files instead of 33).
    // 134 KB since the survey widget (131.9 KB now, 127.6 KB before; see the loyalty page).
    // 134 KB until stop 28 (see the loyalty page): 131.2 KB then, 129.0 KB now.
    ceiling: 130 * 1024,
  },
  {
    name: 'subscriptions only',
    widgets: ['subscriptions'],
    budget: null,
    // 162 KB before the referral widget (160.3 KB then, 168.5 KB now: 49 files instead
    // of 28; see the loyalty page), 170 KB before the shared chunks were merged (168.5 KB
    // then, 158.8 KB now: 18 files instead of 49).
    // 165 KB since the survey widget (162.8 KB now, 158.8 KB before; see the loyalty page).
    // 165 KB until stop 28 (see the loyalty page): 162.9 KB then, 160.7 KB now.
    ceiling: 162 * 1024,
  },
  {
    // The account page's <comeback-referral>, or the banner on the home and product
    // pages: both modes are the one chunk.
    name: 'referral only',
    widgets: ['referral'],
    // The runtime's budget plus the referral chunk's (issue 13); over it like the other
    // pages, by the runtime's shared chunks (see the loyalty page).
    budget: (100 + 35) * 1024,
    // 174 KB before the shared chunks were merged (172.4 KB then, 162.1 KB now: 13 files
    // instead of 42).
    // 170 KB since the survey widget (168.2 KB now, 162.1 KB before; see the loyalty page).
    // 171 KB since the survey's answers became a sorted vector (stop 27): no referral
    // code changed, but the shared chunks regrouped (49 files instead of 52) and this
    // page fetches 0.7 KB more (170.1 KB) while loyalty, recommendations, the toggle and
    // the opened launcher fetch 0.4–1.1 KB less. merge-chunks.mjs weighs all pages
    // together; keeping each page under its ceiling there is the lever.
    // 171 KB until stop 28 (see the loyalty page): 170.1 KB then, 167.9 KB now.
    ceiling: 169 * 1024,
  },
  {
    // The thank-you page's and the account page's <comeback-survey> (issue 14).
    name: 'survey only',
    widgets: ['survey'],
    budget: (100 + 35) * 1024,
    // Over the budget like the other pages, by the runtime's shared chunks (see the
    // loyalty page); the survey chunk is within its own since stop 27 (166.4 KB now).
    // 172 KB until the survey chunk shrank (172.9 KB then, 166.1 KB now).
    // 167 KB until stop 28 (see the loyalty page): 166.4 KB then, 162.6 KB now.
    ceiling: 164 * 1024,
  },
];
const CHUNK_BUDGET = 35 * 1024; // each later widget's own chunk
// Ratchets of the later widgets' own chunks (the help chunk is over that budget).
const CHUNK_CEILINGS = {
  // 70 KB until stop 28 (see the loyalty page): 58.0 KB now.
  help: 60 * 1024,
  recommendations: 18 * 1024,
  subscribe: 19 * 1024,
  subscriptions: 29 * 1024,
  // The QR encoder (qrcodegen) is about 6.6 KB of it.
  referral: 35 * 1024,
  // Over its 35 KB budget (issue 14): 37,223 B (36.4 KB) when it landed, 38,026 B (37.1 KB)
  // once a new language fetches the survey's own texts. 38 KB until fewer render closures
  // and handler types took it to 37,311 B (36.4 KB). 37 KB until the answers became a
  // sorted vector instead of a BTreeMap and the stored lists plain loops: 35,238 B
  // (34.4 KB), within the budget.
  survey: 35 * 1024,
};
// 4 KB until the subscribe-and-save widgets entered its table of elements: writing the
// table's chunk lists as bit masks took about 100 B off the other entries, and the two
// new entries (their attributes, tab and masks) still add about 50 B.
// 4300 B until the referral programme: keeping a link's ?ref=CODE on the device, counting
// the visit, Comeback.referral() and the banner's skeleton rule cost about 380 B, the
// referral kind's entry in the table about 60 B (4185 B then, 4628 B now).
// 4700 B until the shop's appearance from its settings: fetching it, laying it beneath the
// page's and dressing the skeletons and the closed launcher in its tokens cost about 160 B.
// 4900 B until the skeletons reserved the height a widget settled at on the shopper's
// last page (remembering it per kind and width, and applying it): about 165 B (4838 B
// then, 5001 B now).
const LOADER_BUDGET = 5050;

const loaderPath = join(pkg, 'loader.js');
if (!existsSync(loaderPath)) {
  console.error("size: pkg/loader.js is missing; run 'make bundle' first");
  process.exit(1);
}
const tablePath = join(pkg, 'widgets.json');
if (!existsSync(tablePath)) throw new Error('size: pkg/widgets.json is missing; was pkg/ built by scripts/bundle.sh?');
const { kinds } = JSON.parse(readFileSync(tablePath, 'utf8'));

const sizes = new Map();
const measure = (file) => {
  if (!sizes.has(file)) {
    const path = join(pkg, file);
    if (!existsSync(path)) throw new Error(`size: pkg/${file} is missing`);
    const data = readFileSync(path);
    sizes.set(file, {
      raw: data.length,
      gzip: gzipSync(data, { level: 9 }).length,
      brotli: brotliCompressSync(data, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
      }).length,
    });
  }
  return sizes.get(file);
};

const split = existsSync(join(pkg, '__wasm_split.js'));
const runtime = ['loader.js', 'comeback.js', ...(split ? ['__wasm_split.js'] : []), 'comeback_bg.wasm'];
// A page fetches its active locale's strings; counted here in the locale whose file is
// largest, so no shop's figure is understated.
const LOCALES = ['en', 'zh-Hans', 'zh-Hant'];
const stringsOf = (name) => {
  const files = LOCALES.map((l) => `strings/${l}/${name}.json`).filter((f) => existsSync(join(pkg, f)));
  return files.length ? [files.reduce((a, b) => (measure(a).brotli >= measure(b).brotli ? a : b))] : [];
};
const filesOf = (shape) => {
  if (shape.facade) return ['loader.js'];
  const files = new Set([...runtime, ...stringsOf('common')]);
  for (const kind of shape.widgets) {
    for (const file of kinds[kind][2]) files.add(file);
    for (const file of stringsOf(kind)) files.add(file);
  }
  return [...files];
};

const row = (label, s) =>
  console.log(`  ${label.padEnd(34)} ${String(s.raw).padStart(9)} ${String(s.gzip).padStart(9)} ${String(s.brotli).padStart(9)}`);
const sum = (files) =>
  files.map(measure).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }), {
    raw: 0,
    gzip: 0,
    brotli: 0,
  });
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

let failed = false;
console.log(`bundle: ${split ? 'split' : 'single module'}`);
for (const shape of shapes) {
  const files = filesOf(shape);
  console.log(`\n${shape.name}:${' '.repeat(Math.max(1, 35 - shape.name.length))}${'raw'.padStart(9)} ${'gzip'.padStart(9)} ${'brotli'.padStart(9)}`);
  for (const file of files) row(file, measure(file));
  const total = sum(files);
  row('total', total);
  const verdict = shape.budget == null ? 'no budget' : total.brotli <= shape.budget ? `within budget ${kb(shape.budget)}` : `OVER budget ${kb(shape.budget)}`;
  console.log(`  ${kb(total.brotli)} brotli: ${verdict}; ratchet ceiling ${kb(shape.ceiling)}`);
  if (check && total.brotli > shape.ceiling) {
    console.error(`size: "${shape.name}" grew past its ceiling (${total.brotli} > ${shape.ceiling} B brotli)`);
    failed = true;
  }
}

console.log(`\nwidget chunks (each alone; later widgets' budget ${kb(CHUNK_BUDGET)} brotli):`);
for (const [kind, [, , files]] of Object.entries(kinds)) {
  const own = files.filter((f) => f.startsWith('split_'));
  if (!own.length) continue;
  const total = sum(own);
  row(`${kind} (${own.join(', ')})`, total);
  const ceiling = CHUNK_CEILINGS[kind];
  if (check && ceiling && total.brotli > ceiling) {
    console.error(`size: the ${kind} chunk grew past its ceiling (${total.brotli} > ${ceiling} B brotli)`);
    failed = true;
  }
}
const shared = [...new Set(Object.values(kinds).flatMap(([, , files]) => files.filter((f) => !f.startsWith('split_'))))];
if (shared.length) row(`shared chunks (${shared.join(', ')})`, sum(shared));

const loaderBrotli = measure('loader.js').brotli;
console.log(`\nloader.js ${loaderBrotli} B brotli: ${loaderBrotli <= LOADER_BUDGET ? 'within' : 'OVER'} its ${kb(LOADER_BUDGET)} budget`);
if (check && loaderBrotli > LOADER_BUDGET) {
  console.error('size: loader.js is over its budget');
  failed = true;
}
process.exit(failed ? 1 : 0);
