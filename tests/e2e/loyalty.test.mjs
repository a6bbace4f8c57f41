// The loyalty widget end to end: the real server, the real bundle, a real browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_API_KEY, newCustomer, sendOrder, useServerAndBrowser } from './harness.mjs';

const world = useServerAndBrowser();

async function openPage(path) {
  const page = await world.browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  await page.goto(world.server.base + path);
  return { page, errors };
}

test('the demo account page shows the demo customer balance and tier', async () => {
  const { page, errors } = await openPage('/account.html?lang=en');
  const balance = page.locator('comeback-loyalty [part=balance]');
  await balance.waitFor({ timeout: 20_000 });
  assert.match(await balance.textContent(), /^\d[\d,]* points$/);
  assert.equal(await page.locator('comeback-loyalty [part=tier-badge]').textContent(), 'Tender Bud');
  assert.ok((await page.locator('comeback-loyalty [part=history-entry]').count()) > 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an order through the signed webhook earns points; redeeming shows a code and lowers the balance', async () => {
  const customer = newCustomer();
  const paid = await sendOrder(world.server.base, { id: `${customer}-o1`, customer_id: customer, status: 'paid', total: 62_000 });
  assert.equal(paid.points, 620);

  const { page, errors } = await openPage(`/account.html?lang=en&customer=${customer}`);
  const balance = page.locator('comeback-loyalty [part=balance]');
  await page.waitForFunction(
    () => document.querySelector('comeback-loyalty')?.shadowRoot?.querySelector('[part=balance]')?.textContent === '620 points',
    null,
    { timeout: 20_000 },
  );
  const redeemed = page.evaluate(
    () => new Promise((ok) => document.addEventListener('comeback:loyalty:redeemed', (e) => ok(e.detail), { once: true })),
  );
  const reward = page.locator('comeback-loyalty [part=reward]', { hasText: '¥10 off' });
  await reward.locator('[part=redeem-button]').click();
  await page.locator('comeback-loyalty [part=confirm-button]').click();
  const code = await page.locator('comeback-loyalty [part=code-value]').textContent({ timeout: 10_000 });
  assert.match(code, /^TEA-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  assert.equal(await balance.textContent(), '120 points');
  const detail = await redeemed;
  assert.equal(detail.code, code);
  assert.equal(detail.balance, 120);

  // The shop's backend can check the code it will be handed at checkout.
  const check = await fetch(`${world.server.base}/v1/shops/demo/discount-codes/${code}`, {
    headers: { authorization: `Bearer ${DEMO_API_KEY}` },
  });
  assert.equal(check.status, 200);
  const view = await check.json();
  assert.equal(view.status, 'active');
  assert.equal(view.customer_id, customer);

  // The balance the server holds agrees with the widget after a reload.
  await page.reload();
  await page.waitForFunction(
    () => document.querySelector('comeback-loyalty')?.shadowRoot?.querySelector('[part=balance]')?.textContent === '120 points',
    null,
    { timeout: 20_000 },
  );
  assert.deepEqual(errors, []);
  await page.close();
});

test("an action the shop's backend awards shows in the widget's history and ways to earn", async () => {
  const customer = newCustomer();
  const award = (reference, key) =>
    fetch(`${world.server.base}/v1/shops/demo/admin/customers/${customer}/actions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${DEMO_API_KEY}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify({ action_id: 'review', reference }),
    });
  const first = await award('oolong-100g', 'review-1');
  assert.equal(first.status, 201);
  assert.equal((await first.json()).balance, 50);
  // The same review again is refused by the action's once-per-reference limit.
  const again = await award('oolong-100g', 'review-2');
  assert.equal(again.status, 409);
  assert.equal((await again.json()).error.code, 'limit_reached');

  const { page, errors } = await openPage(`/account.html?lang=en&customer=${customer}`);
  await page.waitForFunction(
    () => document.querySelector('comeback-loyalty')?.shadowRoot?.querySelector('[part=balance]')?.textContent === '50 points',
    null,
    { timeout: 20_000 },
  );
  assert.match(await page.locator('comeback-loyalty [part=history]').textContent(), /Write a review/);
  assert.match(await page.locator('comeback-loyalty [part=ways-to-earn]').textContent(), /Create an account: 100 points/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('buying on the demo product page earns points shown on the thank-you page', async () => {
  const customer = newCustomer();
  const page = await world.browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error));
  // Buy once the demo sign-in has answered.
  const signedIn = page.waitForResponse((r) => r.url().includes('/demo/session'));
  await page.goto(`${world.server.base}/product.html?lang=en&customer=${customer}`);
  await signedIn;
  await page.click('[data-buy]');
  await page.waitForURL(/thank-you\.html/);
  await page.waitForFunction(
    () => document.querySelector('comeback-loyalty')?.shadowRoot?.querySelector('[part=balance]')?.textContent === '128 points',
    null,
    { timeout: 20_000 },
  );
  assert.deepEqual(errors, []);
  await page.close();
});

test('Simplified and Traditional Chinese render, and switching needs no reload', async () => {
  const { page } = await openPage('/account.html?lang=zh-Hans');
  const badge = page.locator('comeback-loyalty [part=tier-badge]');
  await badge.waitFor({ timeout: 20_000 });
  assert.equal(await badge.textContent(), '嫩芽');
  assert.match(await page.locator('comeback-loyalty [part=balance]').textContent(), /^\d[\d,]* 积分$/);
  assert.match(await page.locator('comeback-loyalty [part=history]').textContent(), /积分明细/);
  await page.locator('.langs button[data-lang=zh-Hant]').click();
  await page.waitForFunction(
    () => document.querySelector('comeback-loyalty')?.shadowRoot?.querySelector('[part=history] h3')?.textContent === '積分明細',
  );
  assert.match(await page.locator('comeback-loyalty [part=balance]').textContent(), /積分$/);
  await page.close();
});

test('signing out shows the invitation to join; the widget sign-in link signs back in', async () => {
  const { page } = await openPage('/account.html?lang=en');
  await page.locator('comeback-loyalty [part=balance]').waitFor({ timeout: 20_000 });
  await page.locator('[data-sign-out]').click();
  const join = page.locator('comeback-loyalty [part=join]');
  await join.waitFor();
  assert.match(await join.textContent(), /Join Cloud & Leaf Tea Rewards/);
  await page.locator('comeback-loyalty [part=signin-button]').click();
  await page.locator('comeback-loyalty [part=balance]').waitFor({ timeout: 20_000 });
  await page.close();
});

const HOSTILE = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<style>
  *, *::before, *::after { box-sizing: content-box !important; color: rgb(255, 0, 0) !important;
    font-size: 40px !important; line-height: 5 !important; letter-spacing: 9px !important;
    text-transform: uppercase !important; font-family: serif !important; }
  div, p, span, button, section, ul, li { margin: 30px !important; padding: 30px !important;
    border: 5px dashed red !important; background: yellow !important; }
  button { display: none !important; }
</style>
<script type="module" src="/comeback/loader.js" data-shop="demo"></script>
</head><body>
<p id="probe">The shop's own paragraph</p>
<comeback-loyalty></comeback-loyalty>
<script type="module">
  const r = await fetch('/demo/session?shop=demo');
  window.Comeback.setCustomerToken((await r.json()).token);
</script>
</body></html>`;

test('aggressive host CSS neither breaks the widget nor is changed by it', async () => {
  const page = await world.browser.newPage();
  await page.route('**/hostile.html', (route) => route.fulfill({ contentType: 'text/html', body: HOSTILE }));
  await page.goto(world.server.base + '/hostile.html');
  const probeStyle = () =>
    page.evaluate(() => {
      const s = getComputedStyle(document.getElementById('probe'));
      return [s.color, s.fontSize, s.margin, s.padding, s.backgroundColor, s.fontFamily].join('|');
    });
  const before = await probeStyle();
  const sheetsBefore = await page.evaluate(() => document.styleSheets.length);
  await page.locator('comeback-loyalty [part=balance]').waitFor({ timeout: 20_000 });

  const inside = await page.evaluate(() => {
    const root = document.querySelector('comeback-loyalty').shadowRoot;
    const style = (selector) => getComputedStyle(root.querySelector(selector));
    const balance = style('[part=balance]');
    const button = style('[part=redeem-button], [part=reward] button') ;
    return {
      balanceColor: balance.color,
      balanceTransform: balance.textTransform,
      balanceSpacing: balance.letterSpacing,
      balanceMargin: balance.margin,
      buttonDisplay: button.display,
      buttonBackground: button.backgroundColor,
      inlineStyles: root.querySelectorAll('[style]').length,
    };
  });
  assert.notEqual(inside.balanceColor, 'rgb(255, 0, 0)');
  assert.equal(inside.balanceTransform, 'none');
  assert.equal(inside.balanceSpacing, 'normal');
  assert.equal(inside.balanceMargin, '0px');
  assert.notEqual(inside.buttonDisplay, 'none');
  assert.notEqual(inside.buttonBackground, 'rgb(255, 255, 0)');
  assert.equal(inside.inlineStyles, 0);

  assert.equal(await probeStyle(), before, "the page's own element changed style");
  const outside = await page.evaluate(() => ({
    sheets: document.styleSheets.length,
    adopted: document.adoptedStyleSheets.length,
    hostStyle: document.querySelector('comeback-loyalty').getAttribute('style'),
    lightChildren: document.querySelector('comeback-loyalty').children.length,
  }));
  assert.deepEqual(outside, { sheets: sheetsBefore, adopted: 0, hostStyle: null, lightChildren: 0 });
  await page.close();
});
