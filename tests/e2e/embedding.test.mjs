// The embedding contract from a shop page's point of view: one script tag, elements that
// come and go, attributes that change, the JS API and its queue, and a backend that is down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signInScript, useServerAndBrowser } from './harness.mjs';

const world = useServerAndBrowser();

/** Opens a page with `body` served from the Comeback origin; collects page errors. */
async function shopPage(body, head = '') {
  const page = await world.browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
  await page.route('**/shop-page.html', (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(world.server.base + '/shop-page.html');
  return { page, errors };
}

const LOADER = '<script type="module" src="/comeback/loader.js" data-shop="demo"></script>';
const SIGN_IN = signInScript();

const inShadow = (page, selector, index = 0) =>
  page.evaluate(
    ([selector, index]) => document.querySelectorAll('comeback-loyalty')[index]?.shadowRoot?.querySelector(selector)?.textContent ?? null,
    [selector, index],
  );

async function until(page, fn, arg) {
  await page.waitForFunction(fn, arg, { timeout: 20_000 });
}

const balanceShown = (index) =>
  !!document.querySelectorAll('comeback-loyalty')[index]?.shadowRoot?.querySelector('[part=balance]');

test('loading the loader twice is harmless and defines the element once', async () => {
  const { page, errors } = await shopPage(
    `<comeback-loyalty></comeback-loyalty>${SIGN_IN}`,
    LOADER + LOADER.replace('loader.js', 'loader.js?copy=2') +
      `<script>window.readyCount = 0; document.addEventListener('comeback:ready', () => window.readyCount++);</script>`,
  );
  await until(page, balanceShown, 0);
  assert.equal(await page.evaluate(() => window.readyCount), 1);
  assert.equal(await page.evaluate(() => document.querySelector('comeback-loyalty').shadowRoot.querySelectorAll('.cb-root').length), 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('elements added later, removed and re-added, and with changed attributes all work', async () => {
  const { page, errors } = await shopPage(`<div id="slot"></div>${SIGN_IN}`, LOADER);
  // A page without widgets downloads no wasm, even once it is idle.
  await page.evaluate(() => new Promise((ok) => requestIdleCallback(() => setTimeout(ok, 300), { timeout: 4000 })));
  const fetchedWasm = () =>
    page.evaluate(() => performance.getEntriesByType('resource').filter((e) => /\.wasm$/.test(e.name)).length);
  assert.equal(await fetchedWasm(), 0);
  await page.evaluate(() => {
    document.getElementById('slot').innerHTML = '<comeback-loyalty></comeback-loyalty>';
  });
  await until(page, balanceShown, 0);

  // Removed and re-added (as an SPA router would): mounts again, once.
  await page.evaluate(() => {
    const el = document.querySelector('comeback-loyalty');
    el.remove();
    document.getElementById('slot').append(el);
  });
  await until(page, balanceShown, 0);
  assert.equal(await page.evaluate(() => document.querySelector('comeback-loyalty').shadowRoot.querySelectorAll('.cb-root').length), 1);

  // Attributes change later: theme and language follow.
  await page.evaluate(() => {
    const el = document.querySelector('comeback-loyalty');
    el.setAttribute('theme', 'dark');
    el.setAttribute('lang', 'zh-Hant');
  });
  await until(page, () => {
    const root = document.querySelector('comeback-loyalty').shadowRoot.querySelector('.cb-root');
    return root.classList.contains('cb-root--dark') && root.getAttribute('lang') === 'zh-Hant';
  });
  assert.match(await inShadow(page, '[part=balance]'), /積分$/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('calls queued before the loader replay, and the JS API themes and reports', async () => {
  const { page, errors } = await shopPage(
    `<comeback-loyalty></comeback-loyalty>${SIGN_IN}`,
    `<script>
      window.Comeback = [['setLocale', 'zh-Hans']];
      window.loaded = [];
    </script>${LOADER}
    <script type="module">window.Comeback.on('loyalty:loaded', (detail) => window.loaded.push(detail));</script>`,
  );
  await until(page, balanceShown, 0);
  assert.match(await inShadow(page, '[part=balance]'), /积分$/);
  assert.equal((await page.evaluate(() => window.loaded))[0].tier, 'bud');

  await page.evaluate(() => window.Comeback.setAppearance({ variables: { '--comeback-color-accent': 'rgb(1, 2, 3)' } }));
  const badge = await page.evaluate(() =>
    getComputedStyle(document.querySelector('comeback-loyalty').shadowRoot.querySelector('[part=tier-badge]')).backgroundColor,
  );
  assert.equal(badge, 'rgb(1, 2, 3)');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a backend that is down gives a polite fallback and an event, and the page keeps working', async () => {
  const { page, errors } = await shopPage(
    `<button id="own" onclick="this.textContent='still works'">shop button</button>
     <comeback-loyalty></comeback-loyalty>`,
    `<script>window.failures = []; document.addEventListener('comeback:error', (e) => window.failures.push(e.detail));</script>
     <script type="module" src="/comeback/loader.js" data-shop="demo" data-api="http://127.0.0.1:9"></script>`,
  );
  await until(page, () => !!document.querySelector('comeback-loyalty')?.shadowRoot?.querySelector('[part=fallback]'));
  assert.match(await inShadow(page, '[part=fallback]'), /unavailable right now/);
  const failures = await page.evaluate(() => window.failures);
  assert.equal(failures[0].widget, 'loyalty');
  assert.equal(failures[0].code, 'network');
  await page.click('#own');
  assert.equal(await page.textContent('#own'), 'still works');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a bundle that cannot load leaves a polite note in the shopper\'s script and an event', async () => {
  const page = await world.browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route('**/comeback/comeback.js', (route) => route.fulfill({ status: 404, body: 'gone' }));
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
    <script>window.failures = []; document.addEventListener('comeback:error', (e) => window.failures.push(e.detail));</script>
    ${LOADER}</head><body><comeback-loyalty lang="zh-TW"></comeback-loyalty></body></html>`;
  await page.route('**/broken-page.html', (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(world.server.base + '/broken-page.html');
  await until(page, () => !!document.querySelector('comeback-loyalty')?.shadowRoot?.querySelector('[part=fallback]'));
  assert.equal(await inShadow(page, '[part=fallback]'), '服務暫時無法使用，請稍後再試。');
  const failures = await page.evaluate(() => window.failures);
  assert.equal(failures[0].code, 'load');
  assert.equal(failures[0].widget, 'loyalty');
  assert.deepEqual(errors, []);
  await page.close();
});
