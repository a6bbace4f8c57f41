// Referrals end to end, on the demo shop: the advocate copies their link, a friend opens
// it in a fresh browser, keeps it across pages, claims their reward by email as a
// guest and buys (the shop's signed webhook carries Comeback.referral() and the friend's
// code); the advocate sees the reward pending with its date, and once the hold has
// passed (the payout job run with the clock set after it) paid, on the ledger.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { newCustomer, sendOrder, useServerAndBrowser } from './harness.mjs';

const world = useServerAndBrowser();

/** The demo customer's session token. */
async function token(base) {
  return (await (await fetch(`${base}/demo/session?shop=demo`)).json()).token;
}

/** GET a shopper route as the demo customer. */
async function asAdvocate(base, path) {
  const response = await fetch(`${base}/v1/shops/demo/${path}`, {
    headers: { authorization: `Bearer ${await token(base)}` },
  });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return JSON.parse(text);
}

/** The advocate's referral rows once the widget (mounted near the viewport) shows them. */
async function rows(page) {
  await page.locator('comeback-referral').first().scrollIntoViewIfNeeded();
  const found = page.locator('comeback-referral [part=referral]');
  await found.first().waitFor({ timeout: 20_000 });
  return found;
}

test('a friend buys through the advocate’s link and the advocate is paid after the hold', async () => {
  const { base, command } = world.server;
  const errors = [];

  // The advocate copies their link on the account page.
  const advocate = await world.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const mine = await advocate.newPage();
  mine.on('pageerror', (error) => errors.push(error.message));
  await mine.goto(`${base}/account.html?lang=en`);
  const widget = mine.locator('comeback-referral:not([mode])');
  await widget.scrollIntoViewIfNeeded();
  await widget.locator('[part=copy-button]').waitFor({ timeout: 20_000 });
  const programme = await asAdvocate(base, 'referrals/me?locale=en');
  assert.match(await widget.locator('[part=code]').textContent(), new RegExp(programme.code));
  await widget.locator('[part=copy-button]').click();
  await widget.locator('[part=copied]').filter({ hasText: /\S/ }).waitFor({ timeout: 5_000 });
  const link = await mine.evaluate(() => navigator.clipboard.readText());
  assert.equal(link, `${base}/?ref=${programme.code}`);
  const pendingBefore = await (await rows(mine)).and(mine.locator('[data-status=pending]')).count();
  const balanceBefore = (await asAdvocate(base, 'loyalty/me')).balance;

  // A friend opens it in a fresh browser: the banner offers the reward, and the code is
  // kept while they look around the shop.
  const friendContext = await world.browser.newContext();
  const friend = await friendContext.newPage();
  friend.on('pageerror', (error) => errors.push(error.message));
  await friend.goto(`${link}&lang=en`);
  const banner = friend.locator('comeback-referral[mode=banner]');
  await banner.locator('[part=offer]').waitFor({ timeout: 20_000 });
  assert.match(await banner.locator('[part=offer]').textContent(), /15%/);
  await friend.goto(`${base}/product.html?lang=en`);
  assert.equal(await friend.evaluate(() => window.Comeback.referral()), programme.code);
  const email = `friend-${randomUUID().slice(0, 8)}@example.com`;
  await banner.locator('[part=email]').waitFor({ timeout: 20_000 });
  await banner.locator('[part=email]').fill(email);
  await banner.locator('[part=claim-button]').click();
  await banner.locator('[part=friend-code]').waitFor({ timeout: 10_000 });
  const friendCode = (await banner.locator('[part=friend-code]').textContent()).trim();
  assert.match(friendCode, /^[A-Z0-9]+-[A-Z0-9]{4}-[A-Z0-9]{4}$/);

  // The shop's checkout sends the stored referral and the friend's code with the order.
  const referralCode = await friend.evaluate(() => window.Comeback.referral());
  await sendOrder(base, {
    id: `R-${randomUUID().slice(0, 8)}`,
    customer_id: newCustomer(),
    status: 'paid',
    total: 12800,
    email,
    referral_code: referralCode,
    discount_codes: [friendCode],
    lines: [{ product_id: 'wuyi-oolong-100g', quantity: 1, unit_price: 12800 }],
  });

  // The advocate sees it pending, with the day it pays.
  const after = (await asAdvocate(base, 'referrals/me?locale=en')).referrals;
  const [converted] = after;
  // The job pays every reward due by then: this one and any seeded one due earlier.
  const due = after.filter((r) => r.status === 'pending' && r.pays_on <= converted.pays_on).length;
  assert.equal(converted.status, 'pending');
  assert.ok(converted.pays_on > converted.ordered_on, JSON.stringify(converted));
  await mine.reload();
  const pending = (await rows(mine)).and(mine.locator('[data-status=pending]'));
  await mine.waitForFunction(
    (n) => {
      const root = document.querySelector('comeback-referral:not([mode])')?.shadowRoot;
      return root && root.querySelectorAll('[part~=referral][data-status=pending]').length === n;
    },
    pendingBefore + 1,
    { timeout: 20_000 },
  );
  const [year, month, day] = converted.pays_on.split('-').map(Number);
  const paysOn = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    Date.UTC(year, month - 1, day, 12),
  );
  assert.match(await pending.first().textContent(), new RegExp(paysOn));

  // Nothing is paid before the hold ends; the day after it, the job pays once.
  await command(['run-job', 'referral_rewards', '--at', `${converted.ordered_on}T12:00:00+08:00`]);
  assert.equal((await asAdvocate(base, 'referrals/me?locale=en')).referrals[0].status, 'pending');
  await command(['run-job', 'referral_rewards', '--at', `${converted.pays_on}T12:00:00+08:00`]);
  await command(['run-job', 'referral_rewards', '--at', `${converted.pays_on}T13:00:00+08:00`]);
  const [paid] = (await asAdvocate(base, 'referrals/me?locale=en')).referrals;
  assert.equal(paid.status, 'paid');
  assert.equal((await asAdvocate(base, 'loyalty/me')).balance, balanceBefore + 500 * due);
  await mine.reload();
  await (await rows(mine)).first().waitFor();
  assert.equal(await (await rows(mine)).first().getAttribute('data-status'), 'paid');

  assert.deepEqual(errors, []);
  await advocate.close();
  await friendContext.close();
});
