// Subscribe and save end to end, on the demo shop: the shopper subscribes on the
// product page (the choice travels in the product form's hidden field), the order
// starts the subscription, and in the manager they skip, pause and, in Chinese, cancel
// in two clicks, each change confirmed by the server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_API_KEY, holdRoute, useServerAndBrowser } from './harness.mjs';

const world = useServerAndBrowser();

/** The demo customer's subscriptions as the API has them. */
async function subscriptions(base) {
  const session = await (await fetch(`${base}/demo/session?shop=demo`)).json();
  const response = await fetch(`${base}/v1/shops/demo/subscriptions`, {
    headers: { authorization: `Bearer ${session.token}` },
  });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return JSON.parse(text).subscriptions;
}

/** The manager's row of the subscription with this id, once the manager (mounted when it
 * nears the viewport) has been scrolled to. */
async function row(page, id) {
  await page.locator('comeback-subscriptions').scrollIntoViewIfNeeded();
  const found = page.locator(`comeback-subscriptions [part=subscription][data-subscription="${id}"]`);
  await found.waitFor({ timeout: 20_000 });
  return found;
}

test('a shopper subscribes on the product page, then skips and pauses in the manager', async () => {
  const { base } = world.server;
  const page = await world.browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${base}/product.html?lang=en`);

  const options = page.locator('comeback-subscribe [part=option]');
  await options.nth(1).waitFor({ timeout: 20_000 });
  // 10% off ¥128.00, shown in the shopper's money format.
  assert.match(await page.locator('comeback-subscribe [part=badge]').textContent(), /12\.80/);
  assert.equal(await page.locator('comeback-subscribe [part=interval]').count(), 0, 'no intervals for one-time');

  const changed = page.evaluate(
    () => new Promise((ok) => document.addEventListener('comeback:subscribe:changed', (e) => ok(e.detail), { once: true })),
  );
  await options.nth(1).locator('input').check();
  const detail = await changed;
  assert.equal(detail.plan, 'tea-club');
  assert.equal(detail.price, 11520);
  assert.equal(detail.saving, 1280);

  await page.locator('comeback-subscribe [part=interval]').selectOption('P2W');
  const field = page.locator('form input[type=hidden][name=comeback_subscription]');
  await page.waitForFunction(
    () => document.querySelector('form input[name=comeback_subscription]')?.value === 'tea-club:P2W',
  );
  assert.equal(await field.count(), 1);
  const choice = await page.evaluate(() => window.Comeback.subscription('wuyi-oolong-100g'));
  assert.equal(choice.interval, 'P2W');

  // "Buy now" posts the form's value with the order, as a shop's cart would.
  await Promise.all([page.waitForURL(/thank-you/), page.locator('[data-buy]').click()]);
  const started = (await subscriptions(base)).find((s) => s.interval === 'P2W');
  assert.ok(started, 'the order started a fortnightly subscription');
  assert.equal(started.status, 'active');
  assert.equal(started.price.price, 11520);

  await page.goto(`${base}/account.html?lang=en`);
  const mine = await row(page, started.id);
  assert.match(await mine.locator('[part=title]').textContent(), /Wuyi/);

  await mine.locator('[part=skip-button]').click();
  await page.waitForFunction(
    (id) => {
      const host = document.querySelector('comeback-subscriptions');
      const li = host?.shadowRoot?.querySelector(`[data-subscription="${id}"]`);
      return li && !li.hasAttribute('aria-busy');
    },
    started.id,
  );
  const skipped = (await subscriptions(base)).find((s) => s.id === started.id);
  const days = (Date.parse(skipped.next_delivery) - Date.parse(started.next_delivery)) / 86_400_000;
  assert.equal(days, 14, 'skipping moves the next delivery one interval on');

  await mine.locator('[part=pause-button]').click();
  await mine.locator('[part=pause-form] input[type=radio]').first().check();
  await mine.locator('[part=confirm-pause-button]').click();
  // A plain function: an async one returns a promise, which counts as true at once.
  await page.waitForFunction((id) => {
    const li = document.querySelector('comeback-subscriptions')?.shadowRoot?.querySelector(`[data-subscription="${id}"]`);
    return li?.querySelector('[part=resume-button]') !== null && !li.hasAttribute('aria-busy');
  }, started.id);
  const paused = (await subscriptions(base)).find((s) => s.id === started.id);
  assert.equal(paused.status, 'paused');
  assert.ok(paused.next_delivery >= paused.paused_until, 'no delivery before the pause ends');
  assert.deepEqual(errors, []);
  await page.close();
});

test('in Chinese, cancelling takes two clicks and the shop sees the reason', async () => {
  const { base } = world.server;
  const page = await world.browser.newPage();
  await page.goto(`${base}/account.html?lang=zh-Hans`);
  // The demo customer's own running subscription from the seed.
  const seeded = (await subscriptions(base)).find((s) => s.interval === 'P4W');
  assert.ok(seeded, 'the demo customer has a four-weekly subscription');
  const mine = await row(page, seeded.id);
  assert.match(await mine.locator('[part=title]').textContent(), /武夷/);

  await mine.locator('[part=cancel-button]').click(); // first click
  await mine.locator('[part=reason]').selectOption('too-much');
  await mine.locator('[part=confirm-cancel-button]').click(); // second click
  await page.waitForFunction((id) => {
    const li = document.querySelector('comeback-subscriptions')?.shadowRoot?.querySelector(`[data-subscription="${id}"]`);
    return li && !li.hasAttribute('aria-busy') && li.querySelector('[part=cancel-button]') === null;
  }, seeded.id);
  assert.match(await mine.locator('[part=next]').textContent(), /取消/);
  const cancelled = (await subscriptions(base)).find((s) => s.id === seeded.id);
  assert.equal(cancelled.status, 'cancelled');

  const report = await fetch(`${base}/v1/shops/demo/admin/subscriptions/cancellations`, {
    headers: { authorization: `Bearer ${DEMO_API_KEY}` },
  });
  const text = await report.text();
  assert.equal(report.status, 200, text);
  const recent = JSON.parse(text).recent.find((c) => c.subscription_id === seeded.id);
  assert.equal(recent?.reason, 'too-much', text);
  await page.close();
});

test('a product no plan covers takes no space, while the code loads or after', async () => {
  const { base } = world.server;
  const page = await world.browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  // The toggle's chunk is held back until the first measurement is taken.
  const release = await holdRoute(page, '**/comeback/split_widget_subscribe.wasm');
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body>
    <form><p id="above">Gaiwan</p><comeback-subscribe product="gaiwan-white"></comeback-subscribe>
    <button id="below">Buy now</button></form>
    <script type="module" src="/comeback/loader.js" data-shop="demo"></script></body></html>`;
  await page.route('**/teaware-page.html', (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(`${base}/teaware-page.html`);
  const height = () => page.evaluate(() => document.querySelector('comeback-subscribe').getBoundingClientRect().height);
  await page.waitForFunction(() => document.querySelector('comeback-subscribe')?.shadowRoot?.querySelector('[part=skeleton]'));
  assert.equal(await height(), 0, 'the skeleton of a toggle holds no space by default');
  release();
  // Loaded: the offer has no plan, so nothing shows and no field is written.
  await page.waitForFunction(
    () => !document.querySelector('comeback-subscribe')?.shadowRoot?.querySelector('[part=skeleton], [aria-busy]'),
    null,
    { timeout: 20_000 },
  );
  assert.equal(await height(), 0);
  assert.equal(await page.locator('form input[type=hidden]').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});
