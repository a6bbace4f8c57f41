// The embed under hostile or strict host pages: a strict Content-Security-Policy with
// Trusted Types, a polluted Object.prototype, and a widget runtime that panicked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { signInScript, useServerAndBrowser } from './harness.mjs';

const world = useServerAndBrowser();

const NONCE = 'e2e-nonce';
const SIGN_IN = signInScript(` nonce="${NONCE}"`);

/**
 * Opens `body` as a page of the Comeback origin with the response `headers`; collects
 * page errors, console errors and CSP violations.
 */
async function hostPage(body, { head = '', headers = {}, route } = {}) {
  const page = await world.browser.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  if (route) await route(page);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title>${head}</head>
    <body><main><h1>Host page</h1><button id="own" type="button">shop button</button>${body}</main></body></html>`;
  await page.route('**/host-page.html', (r) =>
    r.fulfill({ contentType: 'text/html', headers, body: html }),
  );
  await page.goto(world.server.base + '/host-page.html');
  return { page, problems };
}

const until = (page, fn, arg) => page.waitForFunction(fn, arg, { timeout: 20_000 });

const balanceShown = () =>
  !!document.querySelector('comeback-loyalty')?.shadowRoot?.querySelector('[part=balance]');
const launcherShown = () =>
  !!document.querySelector('comeback-launcher')?.shadowRoot?.querySelector('[part=launcher-button]');
const panelLoyaltyShown = () =>
  !!document
    .querySelector('comeback-launcher')
    ?.shadowRoot?.querySelector('dialog[open] comeback-loyalty')
    ?.shadowRoot?.querySelector('[part=balance]');

test('the widgets render under a strict CSP with require-trusted-types-for', async () => {
  // What the README tells a shop to allow, and nothing more: no style-src at all (it
  // falls back to 'none'; constructable stylesheets need none) and no 'unsafe-eval'. The
  // nonce is for this page's own inline scripts, img-src for the browser's favicon.
  const csp = [
    "default-src 'none'",
    `script-src 'self' 'wasm-unsafe-eval' 'nonce-${NONCE}'`,
    "connect-src 'self'",
    "img-src 'self'",
    "require-trusted-types-for 'script'",
  ].join('; ');
  const { page, problems } = await hostPage(`<comeback-loyalty></comeback-loyalty>${SIGN_IN}`, {
    head: `<script nonce="${NONCE}">window.violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective + ' ' + e.blockedURI));</script>
      <script type="module" nonce="${NONCE}" src="/comeback/loader.js" data-shop="demo" data-launcher="true"></script>`,
    headers: { 'content-security-policy': csp },
  });
  await until(page, balanceShown);
  await until(page, launcherShown);
  // The constructable stylesheets apply without 'unsafe-inline': the launcher floats.
  assert.equal(
    await page.evaluate(() => getComputedStyle(document.querySelector('comeback-launcher')).position),
    'fixed',
  );
  await page.evaluate(() => window.Comeback.open('rewards'));
  await until(page, panelLoyaltyShown);
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(problems, []);
  await page.close();
});

test('a polluted Object.prototype neither redirects the token nor changes settings', async () => {
  const requests = [];
  const { page, problems } = await hostPage(`<comeback-loyalty></comeback-loyalty>${SIGN_IN}`, {
    head: `<script>
      for (const [k, v] of Object.entries({ api: 'http://127.0.0.1:9/steal', customerToken: 'stolen', shop: 'evil',
        theme: 'dark', locale: 'zh-Hant', launcher: 'true', consent: 'required', rules: ':host{display:none}',
        join_url: 'https://evil.example/', signin_url: 'https://evil.example/' })) Object.prototype[k] = v;
      window.comebackSettings = { appearance: {}, strings: {} };
    </script>
    <script type="module" src="/comeback/loader.js" data-shop="demo"></script>`,
    route: (page) => page.on('request', (request) => requests.push(request.url())),
  });
  await until(page, balanceShown);
  const state = await page.evaluate(() => {
    const root = document.querySelector('comeback-loyalty').shadowRoot;
    return {
      lang: root.querySelector('.cb-root').getAttribute('lang'),
      dark: root.querySelector('.cb-root').classList.contains('cb-root--dark'),
      launcher: !!document.querySelector('comeback-launcher'),
      consent: window.Comeback.hasConsent,
    };
  });
  assert.deepEqual(state, { lang: 'en', dark: false, launcher: false, consent: true });
  const api = requests.filter((url) => url.includes('/v1/'));
  assert.ok(api.length > 0);
  for (const url of api) assert.ok(url.startsWith(world.server.base + '/v1/shops/demo/'), url);
  assert.deepEqual(problems, []);
  await page.close();
});

const PANIC_BUNDLE = process.env.COMEBACK_PANIC_BUNDLE;

test(
  'after a panic nothing the page does throws into it',
  { skip: !PANIC_BUNDLE && 'needs the test-panic bundle: run `make test-e2e`' },
  async () => {
    // The same loader with a bundle built with the `test-panic` feature, whose only
    // difference is an export that panics on purpose.
    const route = async (page) => {
      // Which listeners the wasm keeps on window and document (added from its glue).
      await page.addInitScript(() => {
        const live = (window.__wasmListeners = new Set());
        const proto = EventTarget.prototype;
        const { addEventListener: add, removeEventListener: remove } = proto;
        const key = (target, type, fn) => [target === window ? 'window' : 'document', type, fn];
        const find = (t, type, fn) => [...live].find(([a, b, c]) => a === t && b === type && c === fn);
        proto.addEventListener = function (type, fn, options) {
          if ((this === window || this === document) && /comeback(_bg)?\.(js|wasm)/.test(new Error().stack)) {
            live.add(key(this, type, fn));
          }
          return add.call(this, type, fn, options);
        };
        proto.removeEventListener = function (type, fn, options) {
          const entry = find(this === window ? 'window' : 'document', type, fn);
          if (entry) live.delete(entry);
          return remove.call(this, type, fn, options);
        };
      });
      await page.route('**/comeback/comeback.js', (r) =>
        r.fulfill({ path: join(PANIC_BUNDLE, 'comeback.js'), contentType: 'text/javascript' }),
      );
      await page.route('**/comeback/comeback_bg.wasm', (r) =>
        r.fulfill({ path: join(PANIC_BUNDLE, 'comeback_bg.wasm'), contentType: 'application/wasm' }),
      );
    };
    const { page, problems } = await hostPage(
      `<comeback-loyalty></comeback-loyalty><div style="height:3000px"></div>
       <comeback-loyalty id="below"></comeback-loyalty>${SIGN_IN}`,
      {
        head: `<script>window.failures = [];
          document.addEventListener('comeback:error', (e) => window.failures.push(e.detail.code));</script>
          <script type="module" src="/comeback/loader.js" data-shop="demo" data-launcher="true"></script>`,
        route,
      },
    );
    await until(page, balanceShown);
    await until(page, launcherShown);
    await page.evaluate(() => window.Comeback.open('rewards'));
    await until(page, panelLoyaltyShown);
    await page.waitForTimeout(300);
    assert.ok(await page.evaluate(() => window.__wasmListeners.size) > 0, 'the launcher listens on window');
    // Every call the loader makes into the wasm's handles, from now on.
    await page.evaluate(async () => {
      const { MountHandle } = await import('/comeback/comeback.js');
      window.__calls = [];
      for (const name of ['update', 'free']) {
        const original = MountHandle.prototype[name];
        MountHandle.prototype[name] = function (...args) {
          window.__calls.push(name);
          return original.apply(this, args);
        };
      }
    });

    const thrown = await page.evaluate(async () => {
      const bundle = await import('/comeback/comeback.js');
      try {
        bundle.__comeback_test_panic();
        return null;
      } catch (error) {
        return String(error);
      }
    });
    assert.match(thrown, /unreachable/);
    assert.ok((await page.evaluate(() => window.failures)).includes('panic'));
    // Every mounted widget shows the fallback; the modal panel is gone with the launcher.
    assert.match(
      await page.evaluate(() => document.querySelector('comeback-loyalty').shadowRoot.textContent),
      /unavailable right now/,
    );
    assert.equal(
      await page.evaluate(() => !!document.querySelector('comeback-launcher').shadowRoot.querySelector('dialog')),
      false,
    );

    // Everything that used to reach the wasm: attributes, token, locale, appearance,
    // removal, new elements, clicks, keys, scrolling, resizing, the widgets' own events.
    await page.evaluate(() => {
      const el = document.querySelector('comeback-loyalty');
      el.setAttribute('theme', 'dark');
      el.setAttribute('lang', 'zh-Hant');
      el.setAttribute('join-url', '/join');
      window.Comeback.setCustomerToken('another-token');
      window.Comeback.setLocale('zh-Hans');
      window.Comeback.setAppearance({ theme: 'dark' });
      window.Comeback.open('rewards');
      window.Comeback.close();
      const launcher = document.querySelector('comeback-launcher');
      launcher.setAttribute('label', 'Points');
      document.getElementById('below').scrollIntoView();
      el.remove();
      document.querySelector('main').append(document.createElement('comeback-loyalty'));
      // Shaped as the widgets fire them (the harness checks every comeback:* event).
      const loaded = { balance: 1, tier: null, early_access_products: [] };
      const redeemed = { reward_id: 'r', code: 'C', points_spent: 1, balance: 1, expires_at: 0 };
      window.dispatchEvent(new CustomEvent('comeback:loyalty:loaded', { detail: loaded }));
      window.dispatchEvent(new CustomEvent('comeback:loyalty:redeemed', { detail: redeemed }));
      window.dispatchEvent(new Event('resize'));
      window.scrollTo(0, 0);
    });
    await page.mouse.wheel(0, 800);
    await page.setViewportSize({ width: 500, height: 700 });
    await page.click('comeback-launcher');
    await page.click('#own');
    for (const key of ['Tab', 'Enter', 'Escape', 'ArrowRight', 'Space']) await page.keyboard.press(key);
    await page.evaluate(() => document.querySelector('comeback-launcher').remove());
    await page.waitForTimeout(1_000);

    // Nothing called into the dead instance, nothing of it listens on the page any more,
    // the page itself still works, and nothing was thrown into it.
    assert.deepEqual(await page.evaluate(() => window.__calls), []);
    assert.deepEqual(await page.evaluate(() => [...window.__wasmListeners].map(([t, type]) => `${t}:${type}`)), []);
    await page.click('#own', { timeout: 2_000 });
    const unexpected = problems.filter((p) => !p.includes('a panic asked for by a test'));
    assert.deepEqual(unexpected, []);
    await page.close();
  },
);
