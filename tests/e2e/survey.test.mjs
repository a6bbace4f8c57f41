// Surveys end to end, on the demo shop. After the demo checkout the thank-you page asks
// the two-question NPS survey about that order; the shopper answers while Comeback's
// backend is down (the shop's page and the script still load, as from the shop and a
// CDN), sees "saved", reloads, the backend comes back, and exactly one response arrives,
// with its order and the customer. On the account page a signed-in shopper answers the
// delivery survey in Chinese, with its follow-up for a low score, and gets the reward once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_API_KEY, useServerAndBrowser } from './harness.mjs';

const world = useServerAndBrowser();

/** The shop's report of a survey: every response (one page is plenty here). */
async function report(survey) {
  const response = await fetch(`${world.server.base}/v1/shops/demo/admin/surveys/${survey}/responses?limit=100`, {
    headers: { authorization: `Bearer ${DEMO_API_KEY}` },
  });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return JSON.parse(text);
}

/** The demo customer's session token. */
async function token() {
  return (await (await fetch(`${world.server.base}/demo/session?shop=demo`)).json()).token;
}

async function balance() {
  const response = await fetch(`${world.server.base}/v1/shops/demo/loyalty/me`, {
    headers: { authorization: `Bearer ${await token()}` },
  });
  return (await response.json()).balance;
}

/**
 * A browser context whose page and script files come from a copy kept on first load
 * (the shop's own server and a CDN), while `/v1/` and `/demo/` go to Comeback's backend,
 * which may be down.
 */
async function shopAndCdnContext() {
  const context = await world.browser.newContext();
  const kept = new Map();
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname.startsWith('/v1/') || url.pathname.startsWith('/demo/')) return route.continue();
    const key = url.pathname + url.search;
    if (!kept.has(key)) {
      const response = await route.fetch();
      kept.set(key, { status: response.status(), headers: response.headers(), body: await response.body() });
    }
    return route.fulfill(kept.get(key));
  });
  return context;
}

const survey = (page) => page.locator('comeback-survey');

test('answered while the backend is down, reloaded, the backend back: exactly one response arrives', async () => {
  const context = await shopAndCdnContext();
  // What each page load hears of answers reaching the server.
  await context.addInitScript(() => {
    window.sent = [];
    document.addEventListener('comeback:survey:sent', (e) => window.sent.push(e.detail));
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const before = (await report('thank-you-nps')).responses_total;

  // The demo checkout leads to the thank-you page for the order it placed.
  const signedIn = page.waitForResponse((r) => r.url().includes('/demo/session'), { timeout: 20_000 });
  await page.goto(`${world.server.base}/product.html?lang=en`);
  await signedIn;
  await page.locator('[data-buy]').click();
  await page.waitForURL(/thank-you\.html\?.*order=/, { timeout: 20_000 });
  const order = new URL(page.url()).searchParams.get('order');
  const widget = survey(page);
  await widget.locator('[part=scale-point][data-value="9"]').waitFor({ timeout: 20_000 });

  // The backend goes away; the shopper answers both questions.
  await world.server.halt();
  try {
    await widget.locator('[part=scale-point][data-value="9"]').click();
    await widget.locator('[part=next-button]').click();
    await widget.locator('textarea').fill('Fresh leaves, fast delivery.');
    await widget.locator('[part=send-button]').click();
    await widget.locator('[part=saved]').waitFor({ timeout: 20_000 });

    // Reloaded while it is still down: the answer waits on the device.
    await page.reload();
    await page.waitForTimeout(1_500);
  } finally {
    await world.server.resume();
  }
  assert.equal((await report('thank-you-nps')).responses_total, before, 'nothing could arrive while down');

  // Back: the next page with a survey sends the queued answer, once.
  await page.reload();
  await page.waitForFunction(() => window.sent.length > 0, null, { timeout: 20_000 });
  const [detail] = await page.evaluate(() => window.sent);
  assert.equal(detail.survey, 'thank-you-nps');
  await page.reload();
  await page.waitForTimeout(1_500);

  const after = await report('thank-you-nps');
  const mine = after.responses.filter((r) => r.context.order_id === order);
  assert.equal(mine.length, 1, JSON.stringify(mine));
  assert.equal(after.responses_total, before + 1);
  assert.deepEqual(mine[0].answers, { nps: 9, reason: 'Fresh leaves, fast delivery.' });
  assert.equal(mine[0].customer_id, 'c-1001');
  assert.equal(mine[0].context.locale, 'en');
  assert.ok(mine[0].context.products.length > 0, 'the order’s products come with the answer');
  // Answered: the survey does not come back for this order.
  assert.equal(await widget.locator('[part=root]').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a signed-in shopper answers the delivery survey in Chinese, with its follow-up, and is rewarded once', async () => {
  const page = await world.browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const start = await balance();
  await page.goto(`${world.server.base}/account.html?lang=zh-Hans`);
  const widget = survey(page);
  await widget.locator('[part=scale-point][data-value="2"]').waitFor({ timeout: 20_000 });
  assert.match(await widget.locator('[part=reward]').textContent(), /20 积分/);

  // A low score by keyboard: the follow-up about what went wrong is asked.
  await widget.locator('[part=scale-point][data-value="3"] input').focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  const problem = widget.locator('[part=question][data-question=problem]');
  await problem.waitFor({ timeout: 5_000 });
  await problem.locator('input[value=late]').check();
  await widget.locator('[part=next-button]').click();
  await widget.locator('textarea').fill('快递晚了三天');
  await widget.locator('[part=send-button]').click();
  await widget.locator('[part=rewarded]').waitFor({ timeout: 20_000 });
  assert.match(await widget.locator('[part=thanks]').textContent(), /\S/);
  assert.equal(await balance(), start + 20);

  const answer = (await report('delivery-csat')).responses.find((r) => r.customer_id === 'c-1001');
  assert.deepEqual(answer.answers, { csat: 2, problem: 'late', comment: '快递晚了三天' });
  assert.equal(answer.reward, 'awarded');

  // Answered: the account page no longer asks it, and no second reward is possible.
  await page.reload();
  await page.waitForTimeout(1_500);
  assert.equal(await widget.locator('[part=root]').count(), 0);
  assert.equal(await balance(), start + 20);
  assert.deepEqual(errors, []);
  await page.close();
});
