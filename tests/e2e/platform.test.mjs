// The widget platform from the network's point of view: a page downloads the runtime and
// the chunks of the widgets it shows, nothing else; the closed launcher is drawn without
// the wasm and loads it on the shopper's intent; and the launcher and the widget in its
// tab share one read of the loyalty summary however often the panel opens.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { holdRoute, signInScript, useServerAndBrowser } from './harness.mjs';

const world = useServerAndBrowser();

const LOADER = '<script type="module" src="/comeback/loader.js" data-shop="demo"></script>';
const SIGN_IN = signInScript();

/** Opens a page with `body`; records every request the page makes. */
async function shopPage(body, head = LOADER) {
  const page = await world.browser.newPage();
  const errors = [];
  const requests = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => requests.push(new URL(request.url()).pathname));
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
  await page.route('**/shop-page.html', (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(world.server.base + '/shop-page.html');
  return { page, errors, requests };
}

const wasm = (requests) => requests.filter((p) => p.endsWith('.wasm')).map((p) => p.split('/').pop());
const count = (requests, path) => requests.filter((p) => p.endsWith(path)).length;
const idle = (page) =>
  page.evaluate(() => new Promise((ok) => requestIdleCallback(() => setTimeout(ok, 500), { timeout: 4000 })));

test('a page with the loyalty widget fetches the runtime, the loyalty chunks and its locale\'s strings only, each once', async () => {
  const { page, errors, requests } = await shopPage(`<comeback-loyalty></comeback-loyalty>${SIGN_IN}`);
  await page.waitForFunction(() => !!document.querySelector('comeback-loyalty').shadowRoot.querySelector('[part=balance]'), null, {
    timeout: 20_000,
  });
  await idle(page);
  const files = wasm(requests);
  assert.ok(files.includes('comeback_bg.wasm'), files.join());
  assert.ok(files.includes('split_widget_loyalty.wasm'), files.join());
  assert.ok(!files.some((f) => f.includes('launcher')), `no launcher code on this page: ${files.join()}`);
  for (const file of new Set(files)) assert.equal(count(files, file), 1, `${file} fetched once`);

  // Only the active locale's strings travel; a switch fetches the new locale's once.
  const strings = () => requests.filter((p) => p.includes('/strings/')).sort();
  assert.deepEqual(strings(), ['/comeback/strings/en/common.json', '/comeback/strings/en/loyalty.json']);
  for (const locale of ['zh-Hant', 'en', 'zh-Hant']) {
    await page.evaluate((l) => window.Comeback.setLocale(l), locale);
    await page.waitForFunction(
      (l) => document.querySelector('comeback-loyalty').shadowRoot.querySelector('.cb-root')?.getAttribute('lang') === l,
      locale,
    );
  }
  assert.match(await page.evaluate(() => document.querySelector('comeback-loyalty').shadowRoot.querySelector('[part=balance]').textContent), /積分$/);
  assert.deepEqual(strings(), [
    '/comeback/strings/en/common.json',
    '/comeback/strings/en/loyalty.json',
    '/comeback/strings/zh-Hant/common.json',
    '/comeback/strings/zh-Hant/loyalty.json',
  ]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a press that starts on the facade and ends on the real launcher still opens the panel', async () => {
  const { page, errors } = await shopPage(SIGN_IN, LOADER.replace('data-shop', 'data-launcher="true" data-shop'));
  const facade = page.locator('comeback-launcher [part=launcher-button]');
  await facade.waitFor({ timeout: 20_000 });
  const box = await facade.boundingBox();
  // The pointer arrives (intent: the wasm loads) and goes down on the facade; the real
  // launcher takes its place before the button is released, so no click is delivered.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.waitForFunction(() => !!document.querySelector('comeback-launcher').shadowRoot.querySelector('.cb-mount [part=launcher-button]'), null, {
    timeout: 20_000,
  });
  await page.mouse.up();
  await page.waitForFunction(() => document.querySelector('comeback-launcher').shadowRoot.querySelector('dialog')?.open === true, null, {
    timeout: 20_000,
  });
  assert.deepEqual(errors, []);
  await page.close();
});

test('the closed launcher shows the balance without the wasm; intent loads it; one summary read however often it opens', async () => {
  const { page, errors, requests } = await shopPage(SIGN_IN, LOADER.replace('data-shop', 'data-launcher="true" data-shop'));
  const balance = () =>
    document.querySelector('comeback-launcher')?.shadowRoot?.querySelector('[part=launcher-balance]')?.textContent ?? '';
  await page.waitForFunction(balance, null, { timeout: 20_000 });
  await idle(page);
  assert.match(await page.evaluate(balance), /points$/);
  assert.deepEqual(wasm(requests), [], 'a closed launcher downloads no wasm');
  assert.equal(count(requests, '/comeback.js'), 0);

  // Hover is intent: the wasm and the launcher's chunk load, and the real button takes
  // the facade's place showing the same balance.
  const shown = await page.evaluate(balance);
  await page.locator('comeback-launcher [part=launcher-button]').hover();
  await page.waitForFunction(() => !!document.querySelector('comeback-launcher').shadowRoot.querySelector('.cb-mount [part=launcher-button]'), null, {
    timeout: 20_000,
  });
  assert.ok(wasm(requests).includes('split_widget_launcher.wasm'));
  assert.equal(await page.evaluate(balance), shown);

  // Open, close and open again: the rewards tab shows the summary; nobody asks twice.
  for (let round = 0; round < 2; round++) {
    await page.locator('comeback-launcher [part=launcher-button]').click();
    await page.waitForFunction(() => {
      const panel = document.querySelector('comeback-launcher').shadowRoot;
      return panel.querySelector('dialog').open && !!panel.querySelector('comeback-loyalty')?.shadowRoot?.querySelector('[part=balance]');
    }, null, { timeout: 20_000 });
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('comeback-launcher').shadowRoot.querySelector('dialog').open);
  }
  assert.equal(count(requests, '/loyalty/me'), 1, 'one GET /loyalty/me for the whole page');
  assert.deepEqual(errors, []);
  await page.close();
});

// The shop's appearance may answer after a widget has shown its content (a slow API):
// the widget keeps its content in place, unmoved, and takes the shop's tokens when the
// answer sets some. (That an answer setting nothing skips the update is measured by
// `make bench-widgets`: the update during loading moved the loyalty widget on its
// throttled page; this unthrottled page does not reproduce that timing.)
test('a late appearance answer restyles a mounted widget in place', async () => {
  for (const [answer, accent] of [
    [{ variables: {} }, '#2f6b4f'],
    [{ variables: { '--comeback-color-accent': '#8a3b12' } }, '#8a3b12'],
  ]) {
    const page = await world.browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const release = await holdRoute(page, '**/v1/shops/demo/appearance', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify(answer) }),
    );
    await page.addInitScript(() => {
      window.__shifts = [];
      new PerformanceObserver((list) => window.__shifts.push(...list.getEntries().map((e) => e.value))).observe({
        type: 'layout-shift',
        buffered: true,
      });
    });
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">${LOADER}</head><body><comeback-loyalty></comeback-loyalty><p>Below the widget.</p>${SIGN_IN}</body></html>`;
    await page.route('**/shop-page.html', (route) => route.fulfill({ contentType: 'text/html', body: html }));
    await page.goto(world.server.base + '/shop-page.html');
    const balance = () => !!document.querySelector('comeback-loyalty').shadowRoot.querySelector('[part=balance]');
    await page.waitForFunction(balance, null, { timeout: 20_000 });
    await idle(page);
    const before = await page.evaluate(() => {
      const root = document.querySelector('comeback-loyalty').shadowRoot;
      root.querySelector('.cb-root').__mark = 1;
      root.querySelector('[part=balance]').__mark = 1;
      return window.__shifts.length;
    });
    const answered = page.waitForResponse((r) => r.url().endsWith('/v1/shops/demo/appearance'));
    release();
    await (await answered).finished();
    await idle(page);
    const after = await page.evaluate(() => ({
      shifts: window.__shifts.length,
      accent: getComputedStyle(document.querySelector('comeback-loyalty').shadowRoot.querySelector('.cb-root'))
        .getPropertyValue('--cb-accent')
        .trim(),
      balance: !!document.querySelector('comeback-loyalty').shadowRoot.querySelector('[part=balance]'),
      root: document.querySelector('comeback-loyalty').shadowRoot.querySelector('.cb-root').__mark,
      shown: document.querySelector('comeback-loyalty').shadowRoot.querySelector('[part=balance]')?.__mark,
    }));
    assert.equal(after.accent, accent);
    assert.ok(after.balance && after.root && after.shown, 'the widget kept its content in place');
    assert.equal(after.shifts, before, 'nothing moved');
    assert.deepEqual(errors, []);
    await page.close();
  }
});

// The skeleton reserves 320 px; a signed-in member's view is taller. On the shopper's
// next page the skeleton holds the height the view settled at on this device, so the
// view replacing it moves nothing below it; a size reached after the shopper touched
// the widget is not remembered. (Whether the page paints once before the loader runs is
// the browser's timing, so the heights the element takes frame by frame are checked,
// not the layout-shift score.)
test('a later page reserves the height the widget settled at, so nothing below it moves', async () => {
  const context = await world.browser.newContext();
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">${LOADER}</head><body><comeback-loyalty></comeback-loyalty><p>Below the widget.</p>${SIGN_IN}</body></html>`;
  await context.route('**/shop-page.html', (route) => route.fulfill({ contentType: 'text/html', body: html }));
  // Every height the element shows, frame by frame, once it has one.
  await context.addInitScript(() => {
    window.__heights = [];
    const poll = () => {
      const height = document.querySelector('comeback-loyalty')?.offsetHeight;
      if (height && height !== window.__heights.at(-1)) window.__heights.push(height);
      requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
  const key = 'comeback:size:demo:loyalty:';
  const visit = async () => {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(world.server.base + '/shop-page.html');
    await page.waitForFunction(
      () => !!document.querySelector('comeback-loyalty').shadowRoot.querySelector('[part=balance]'),
      null,
      { timeout: 20_000 },
    );
    await idle(page);
    return { page, errors };
  };
  const seen = (page) =>
    page.evaluate((key) => {
      const host = document.querySelector('comeback-loyalty');
      return { stored: Number(localStorage[key + host.offsetWidth]), heights: window.__heights };
    }, key);

  const first = await visit();
  const before = await seen(first.page);
  const settled = before.heights.at(-1);
  assert.ok(settled > 320, `the member's view (${settled} px) is taller than the default reservation`);
  assert.deepEqual(before.heights, [320, settled], 'the first page grows from the skeleton to the view');
  assert.equal(before.stored, settled, 'the settled height is remembered');
  await first.page.close();

  const second = await visit();
  assert.deepEqual((await seen(second.page)).heights, [settled], 'the second page never changes height');
  // Touched, the widget's later sizes are its shopper's doing: not remembered.
  await second.page.locator('comeback-loyalty [part=balance]').click();
  await second.page.evaluate(() => {
    document.querySelector('comeback-loyalty').shadowRoot.querySelector('.cb-root').style.paddingBottom = '200px';
  });
  await idle(second.page);
  const touched = await seen(second.page);
  assert.equal(touched.heights.length, 2);
  assert.ok(touched.heights[1] > settled, 'the view grew once touched');
  assert.equal(touched.stored, settled, 'and its new height is not remembered');
  assert.deepEqual([...first.errors, ...second.errors], []);
  await context.close();
});
