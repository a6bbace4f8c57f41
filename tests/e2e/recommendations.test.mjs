// Recommendations end to end, on the demo shop's seeded catalogue and year of orders:
// the product page shows what others bought with its tea, a product that sells out
// leaves the list at once, and the signed-in shopper's account page offers what they
// buy again on their own cadence. Presses on a card are counted for the dashboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { DEMO_API_KEY, DEMO_WEBHOOK_SECRET, useServerAndBrowser } from './harness.mjs';

const world = useServerAndBrowser();

const cards = (page) => page.locator('comeback-recommendations [part=card]');

/** The titles and reasons of the cards once they show. */
async function shown(page) {
  await cards(page).first().waitFor({ timeout: 20_000 });
  const titles = await page.locator('comeback-recommendations [part=title]').allTextContents();
  const reasons = await page.locator('comeback-recommendations [part=reason]').allTextContents();
  return { titles: titles.map((t) => t.trim()), reasons: reasons.map((r) => r.trim()) };
}

/** Sends a signed products webhook, as the shop's backend syncs its catalogue. */
async function syncProduct(base, product) {
  const body = JSON.stringify(product);
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', DEMO_WEBHOOK_SECRET).update(`${t}.${body}`).digest('hex');
  const response = await fetch(`${base}/v1/shops/demo/webhooks/products`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'comeback-signature': `t=${t},v1=${v1}` },
    body,
  });
  assert.equal(response.status, 200, await response.text());
}

test('the product page shows what is bought with its tea, and a sold-out product leaves at once', async () => {
  const page = await world.browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${world.server.base}/product.html?lang=en`);
  const before = await shown(page);
  assert.ok(before.titles.includes('White Porcelain Gaiwan'), before.titles.join(', '));
  assert.ok(!before.titles.includes('Wuyi Rock Oolong'), 'never the page product itself');
  assert.ok(
    before.reasons.some((reason) => reason.includes('Wuyi Rock Oolong')),
    before.reasons.join(' | '),
  );
  // "Add to cart" is announced for the shop's cart code.
  const added = page.evaluate(
    () => new Promise((ok) => document.addEventListener('comeback:recommendations:add', (e) => ok(e.detail), { once: true })),
  );
  await page.locator('comeback-recommendations [part=add-button]').first().click();
  const detail = await added;
  assert.equal(detail.currency, 'CNY');
  assert.equal(typeof detail.product_id, 'string');
  // The press is counted for the shop's dashboard, on the list's kind.
  const counted = async () => {
    const response = await fetch(`${world.server.base}/v1/shops/demo/admin/overview`, {
      headers: { authorization: `Bearer ${DEMO_API_KEY}` },
    });
    return (await response.json()).recommendations?.kinds.find((k) => k.kind === 'also-bought')?.adds ?? 0;
  };
  for (let tries = 0; (await counted()) < 1 && tries < 50; tries += 1) {
    await new Promise((ok) => setTimeout(ok, 100));
  }
  assert.equal(await counted(), 1, 'the add-to-cart beacon reached the server');

  await syncProduct(world.server.base, {
    id: 'gaiwan-white',
    title: { en: 'White Porcelain Gaiwan', 'zh-Hans': '白瓷盖碗', 'zh-Hant': '白瓷蓋碗' },
    price: 14000,
    url: '/product.html',
    in_stock: false,
    updated_at: new Date().toISOString(),
  });
  await page.reload();
  const after = await shown(page);
  assert.ok(!after.titles.includes('White Porcelain Gaiwan'), after.titles.join(', '));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a signed-in shopper sees what they buy again, from their own history, in Chinese', async () => {
  const page = await world.browser.newPage();
  await page.goto(`${world.server.base}/account.html?lang=zh-Hans`);
  const { titles, reasons } = await shown(page);
  // The demo customer bought Wuyi Rock Oolong twice, about three months apart.
  const wuyi = titles.indexOf('武夷岩茶');
  assert.ok(wuyi >= 0, titles.join(', '));
  assert.match(reasons[wuyi], /\d/, `the cadence is named: ${reasons[wuyi]}`);
  await page.close();
});
