#!/usr/bin/env node
// What the widgets cost the host page's main thread (`make bench-widgets`; not part of
// `make test`). The real server starts as in the end-to-end tests; a small proxy in
// front of it serves three shapes of one host page (no widget, the loyalty widget, only
// the launcher) so every file comes from one origin and the browser's HTTP cache works
// (Playwright's request routing would turn it off). Each run is a fresh browser context
// that loads the page once to warm its HTTP cache (a shopper's second page) and then
// loads it again in a new tab with the CPU throttled 4x, measuring:
//   script   Performance.getMetrics ScriptDuration of the measured load
//   TBT      sum of (long task - 50 ms), from a buffered `longtask` observer registered
//            before the page's own scripts, from navigation start until the widget has
//            rendered its content and the network is idle
//   render   when the widget's own root first appears in its shadow root (the skeleton
//            replaced), and when it shows the shopper's data
//   CLS      sum of layout shifts without recent input, same window
// Medians over RUNS runs (default 9) per shape; the widget's cost is the difference of
// the medians against the page without it.
import http from 'node:http';
import { chromium } from 'playwright-core';
import { startServer } from '../tests/e2e/harness.mjs';

const RUNS = Number(process.env.RUNS || 9);
const THROTTLE = 4;
const BUDGET = { script: 100, tbt: 50, cls: 0, open: 1000 };

const loader = (launcher) =>
  `<script type="module" src="/comeback/loader.js" data-shop="demo"${launcher ? ' data-launcher="true"' : ''}></script>`;
// The shop's own sign-in, the same on every shape (the shop pays it with or without us).
const signIn = `<script type="module">
  const r = await fetch('/demo/session?shop=demo');
  const { token } = await r.json();
  if (window.Comeback) window.Comeback.setCustomerToken(token);
</script>`;
const page = (head, widget) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Bench · Cloud &amp; Leaf Tea</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="/shop.css">${head}${signIn}</head>
<body><header class="bar"><a class="brand" href="/">Cloud &amp; Leaf Tea</a></header>
<main><h1>My account</h1><p>Signed in as the demo customer. Orders, addresses and rewards below.</p>
${widget}
<section class="grid">${'<article class="card"><h2>Wuyi Rock Oolong</h2><p class="price">¥128.00</p></article>'.repeat(8)}</section>
</main><footer><p>Cloud &amp; Leaf Tea — a Comeback demo shop</p></footer></body></html>`;

const SHAPES = {
  'no widget': { html: page('', ''), widget: null },
  loyalty: {
    html: page(loader(false), '<comeback-loyalty></comeback-loyalty>'),
    widget: { host: 'comeback-loyalty', root: '.cb-root', content: '[part=balance]' },
  },
  'launcher only': {
    html: page(loader(true), ''),
    widget: { host: 'comeback-launcher', root: '.cb-root', content: '[part=launcher-balance]', open: true },
  },
};

// Registered before any page script: long tasks, layout shifts and the widget's first
// render, polled once a frame until its content is there.
const OBSERVE = (widget) => {
  const bench = (window.__bench = { longtasks: [], cls: 0, root: null, content: null });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) bench.longtasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) bench.cls += e.value;
  }).observe({ type: 'layout-shift', buffered: true });
  if (!widget) return;
  const poll = () => {
    const root = document.querySelector(widget.host)?.shadowRoot;
    if (bench.root === null && root?.querySelector(widget.root)) bench.root = performance.now();
    if (bench.content === null && root?.querySelector(widget.content)) bench.content = performance.now();
    if (bench.content === null) requestAnimationFrame(poll);
  };
  requestAnimationFrame(poll);
};

// Clicks the closed launcher and resolves with the milliseconds until the panel is open
// and the widget in its first tab shows the shopper's balance.
const OPEN = () =>
  new Promise((done) => {
    const host = document.querySelector('comeback-launcher');
    const start = performance.now();
    host.shadowRoot.querySelector('[part=launcher-button]').click();
    const poll = () => {
      const tab = host.shadowRoot.querySelector('dialog[open] comeback-loyalty');
      if (tab?.shadowRoot?.querySelector('[part=balance]')) done(performance.now() - start);
      else requestAnimationFrame(poll);
    };
    poll();
  });

function proxy(target) {
  const server = http.createServer((req, res) => {
    const shape = Object.keys(SHAPES).find((name) => req.url === `/bench/${encodeURIComponent(name)}.html`);
    if (shape) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      return res.end(SHAPES[shape].html);
    }
    const url = new URL(req.url, target);
    const upstream = http.request(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

async function load(context, url, widget, measure) {
  const tab = await context.newPage();
  const cdp = await context.newCDPSession(tab);
  if (measure) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
    await cdp.send('Performance.enable');
  }
  await tab.goto(url, { waitUntil: 'load' });
  if (widget) {
    await tab.waitForFunction(() => window.__bench.content !== null, null, { timeout: 60_000 });
  }
  await tab.waitForLoadState('networkidle');
  let result = null;
  if (measure) {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name) => metrics.find((m) => m.name === name)?.value ?? 0;
    const bench = await tab.evaluate(() => window.__bench);
    result = {
      script: metric('ScriptDuration') * 1000,
      tbt: bench.longtasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0),
      root: bench.root,
      content: bench.content,
      cls: bench.cls,
    };
  }
  // The closed launcher's promise, timed after the page's own figures are taken: once its
  // code is in the HTTP cache (the warming load opened it too), a click opens the panel
  // with the rewards tab showing the balance.
  if (widget?.open) {
    const opened = await tab.evaluate(OPEN);
    if (result) result.open = opened;
  }
  await tab.close();
  return result;
}

const median = (values) => {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const server = await startServer();
const front = await proxy(server.base);
const base = `http://127.0.0.1:${front.address().port}`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run'],
});

const samples = Object.fromEntries(Object.keys(SHAPES).map((name) => [name, []]));
try {
  for (let run = 0; run < RUNS; run++) {
    // Shapes interleaved, so drift on the shared machine touches each alike.
    for (const [name, shape] of Object.entries(SHAPES)) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript(OBSERVE, shape.widget);
      const url = `${base}/bench/${encodeURIComponent(name)}.html`;
      await load(context, url, shape.widget, false); // warms the HTTP cache
      samples[name].push(await load(context, url, shape.widget, true));
      await context.close();
    }
    process.stderr.write(`run ${run + 1}/${RUNS} done\n`);
  }
} finally {
  await browser.close();
  front.close();
  await server.stop();
}

const med = Object.fromEntries(
  Object.entries(samples).map(([name, runs]) => [
    name,
    Object.fromEntries(['script', 'tbt', 'root', 'content', 'cls', 'open'].map((k) => [k, median(runs.map((r) => r[k]))])),
  ]),
);
const ms = (v) => (v === null ? '—' : `${v.toFixed(0)} ms`);
const signed = (v) => `${v >= 0 ? '+' : ''}${v.toFixed(0)} ms`;
const verdict = (ok) => (ok ? 'within' : 'OVER');

console.log(`\nMain-thread cost, CPU throttled ${THROTTLE}x, warm HTTP cache, medians of ${RUNS} runs (fresh context each)\n`);
const rows = [['page shape', 'script', 'TBT', 'first render', 'content', 'CLS']];
for (const [name, m] of Object.entries(med)) {
  rows.push([name, ms(m.script), ms(m.tbt), ms(m.root), ms(m.content), m.cls.toFixed(3)]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i])).join('  '));

console.log('\nWidget cost = median of the shape minus median of "no widget" (difference of medians)\n');
const plain = med['no widget'];
for (const name of ['loyalty', 'launcher only']) {
  const m = med[name];
  const script = m.script - plain.script;
  const tbt = m.tbt - plain.tbt;
  const budget = name === 'loyalty';
  console.log(
    `${name.padEnd(14)} script ${signed(script).padStart(8)}${budget ? ` (budget ≤${BUDGET.script} ms: ${verdict(script <= BUDGET.script)})` : ''}` +
      `  TBT ${signed(tbt).padStart(8)}${budget ? ` (budget ≤${BUDGET.tbt} ms: ${verdict(tbt <= BUDGET.tbt)})` : ''}` +
      `  CLS ${m.cls.toFixed(3)} (budget ${BUDGET.cls}: ${verdict(m.cls <= BUDGET.cls)})`,
  );
}
const open = med['launcher only'].open;
console.log(
  `\nlauncher, click to an open panel showing the rewards tab (code cached, CPU ${THROTTLE}x): ` +
    `${ms(open)} (budget ≤${BUDGET.open} ms: ${verdict(open !== null && open <= BUDGET.open)})`,
);
