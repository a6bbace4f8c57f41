// The loyalty programme in depth and the launcher, end to end: a new shopper's orders go
// through the signed webhook and the widget and the launcher show the points, stamps and
// level change, in English and in Chinese. Expectations come from the demo programme the
// server publishes, so the tests follow comeback.demo.toml rather than copy it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newCustomer, sendOrder, useServerAndBrowser } from './harness.mjs';

let programme;
const world = useServerAndBrowser(async ({ server }) => {
  programme = await (await fetch(`${server.base}/v1/shops/demo/loyalty/programme`)).json();
});

async function openPage(path, viewport) {
  const page = await world.browser.newPage(viewport ? { viewport } : undefined);
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(world.server.base + path);
  return { page, errors };
}

const WORDS = {
  en: {
    points: (n) => `${n.toLocaleString('en')} ${n === 1 ? 'point' : 'points'}`,
    stamps: (filled, required) => `${filled} of ${required} stamps`,
  },
  'zh-Hans': {
    points: (n) => `${n.toLocaleString('zh-Hans')} 积分`,
    stamps: (filled, required) => `已集 ${filled}/${required} 个章`,
  },
};

const tierName = (id, lang) => {
  const tier = programme.tiers.find((t) => t.id === id);
  return (lang === 'en' ? tier.name.en : tier.name[lang]) ?? tier.name.en;
};

/** The tier a qualifying total reaches on the demo ladder. */
const tierFor = (total) =>
  programme.tiers.filter((t) => t.threshold <= total).at(-1)?.id ?? null;

/** Text of `selector` in the `host` element's shadow root, or else inside the widget
 * nested in it (the launcher's panel holds a `<comeback-loyalty>`). */
function findText([host, selector]) {
  const outer = document.querySelector(host)?.shadowRoot;
  const inner = outer?.querySelector('comeback-loyalty')?.shadowRoot;
  const found = outer?.querySelector(selector) ?? inner?.querySelector(selector);
  return found?.textContent ?? null;
}

const shadowText = (page, host, selector) => page.evaluate(findText, [host, selector]);

async function untilText(page, host, selector, expected) {
  try {
    await page.waitForFunction(
      ([find, host, selector, expected]) =>
        (new Function(`return (${find})`)()([host, selector]) ?? '').includes(expected),
      [findText.toString(), host, selector, expected],
      { timeout: 20_000 },
    );
  } catch (error) {
    const actual = await shadowText(page, host, selector);
    throw new Error(`${host} ${selector}: wanted "${expected}", shows "${actual}"`, { cause: error });
  }
}

for (const lang of ['en', 'zh-Hans']) {
  test(`a new shopper's orders move points, stamps and level in the widget and the launcher (${lang})`, async () => {
    const words = WORDS[lang];
    const customer = newCustomer();
    const card = programme.punch_cards?.[0];
    const byMoney = programme.tier_basis === 'money_spent';
    const product = card?.product_ids?.[0] ?? 'wuyi-oolong-100g';
    let balance = 0;
    let spent = 0;
    let stamps = 0;
    const order = async (n, total) => {
      const paid = await sendOrder(world.server.base, {
        id: `${customer}-${n}`,
        customer_id: customer,
        status: 'paid',
        total,
        lines: [{ product_id: product, quantity: 1, unit_price: total }],
      });
      balance = paid.balance;
      spent += total;
      if (card && total >= (card.min_spend ?? 0)) stamps += 1;
      return paid;
    };

    // A first small order: points arrive, the first stamp goes on the card.
    const first = await order(1, Math.max(card?.min_spend ?? 0, 8_800));
    assert.ok(first.points > 0);
    const { page, errors } = await openPage(`/account.html?lang=${lang}&customer=${customer}`);
    await untilText(page, 'comeback-loyalty', '[part=balance]', words.points(balance));
    const startTier = tierFor(byMoney ? spent : balance);
    assert.equal(await shadowText(page, 'comeback-loyalty', '[part=tier-badge]'), tierName(startTier, lang));
    if (card) {
      await untilText(page, 'comeback-loyalty', '[part=punch-count]', words.stamps(stamps % card.required, card.required));
    }

    // A second order adds a stamp; a big one lifts the shopper to the next level.
    await order(2, Math.max(card?.min_spend ?? 0, 8_800));
    const next = programme.tiers.find((t) => t.threshold > (byMoney ? spent : balance));
    assert.ok(next, 'the demo ladder has a level above a new shopper');
    const rate = programme.ways_to_earn.find((w) => w.kind === 'order').points_per_unit;
    const needed = byMoney ? next.threshold - spent : Math.ceil(((next.threshold - balance) * 100) / rate);
    await order(3, needed);
    await page.reload();
    await untilText(page, 'comeback-loyalty', '[part=balance]', words.points(balance));
    const reached = tierFor(byMoney ? spent : balance);
    assert.notEqual(reached, startTier);
    await untilText(page, 'comeback-loyalty', '[part=tier-badge]', tierName(reached, lang));
    if (card) {
      await untilText(page, 'comeback-loyalty', '[part=punch-count]', words.stamps(stamps % card.required, card.required));
    }

    // The launcher on another page shows the same balance and the same level inside.
    const shop = await openPage(`/product.html?lang=${lang}&customer=${customer}`);
    await untilText(shop.page, 'comeback-launcher', '[part=launcher-balance]', words.points(balance));
    await shop.page.locator('comeback-launcher [part=launcher-button]').click();
    await untilText(shop.page, 'comeback-launcher', '[part=tier-badge]', tierName(reached, lang));
    await untilText(shop.page, 'comeback-launcher', '[part=balance]', words.points(balance));
    assert.deepEqual(errors, []);
    assert.deepEqual(shop.errors, []);
    await shop.page.close();
    await page.close();
  });
}

test('the launcher opens from a deep link and from Comeback.open, traps focus, closes on Esc and gives focus back', async () => {
  const customer = newCustomer();
  await sendOrder(world.server.base, { id: `${customer}-1`, customer_id: customer, status: 'paid', total: 30_000 });
  const { page, errors } = await openPage(`/help.html?lang=en&customer=${customer}#comeback=rewards`);
  const panelOpen = () => document.querySelector('comeback-launcher')?.shadowRoot?.querySelector('dialog')?.open === true;
  await page.waitForFunction(panelOpen, null, { timeout: 20_000 });
  await untilText(page, 'comeback-launcher', '[part=balance]', 'points');

  // Tab never leaves the panel while it is open.
  for (let i = 0; i < 25; i += 1) {
    await page.keyboard.press('Tab');
    const inside = await page.evaluate(() => document.activeElement?.tagName === 'COMEBACK-LAUNCHER');
    assert.ok(inside, `focus left the panel after ${i + 1} tabs`);
  }

  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.querySelector('comeback-launcher').shadowRoot.querySelector('dialog').open);
  // Focus goes back to the button once the dialog's close event has run.
  await page.waitForFunction(
    () => document.querySelector('comeback-launcher').shadowRoot.activeElement?.getAttribute('part') === 'launcher-button',
    null,
    { timeout: 5_000 },
  );
  assert.equal(await page.evaluate(() => document.querySelector('comeback-launcher').hasAttribute('open')), false);

  await page.evaluate(() => window.Comeback.open('rewards'));
  await page.waitForFunction(panelOpen);
  // Opening puts focus on the tab, with the panel scrolled to its top.
  await page.waitForFunction(
    () => document.querySelector('comeback-launcher').shadowRoot.activeElement?.getAttribute('role') === 'tab',
    null,
    { timeout: 5_000 },
  );
  assert.equal(
    await page.evaluate(() => document.querySelector('comeback-launcher').shadowRoot.querySelector('dialog').scrollTop),
    0,
  );
  // Shift+Tab from the first control wraps round to the last one, inside the rewards widget.
  await page.keyboard.press('Shift+Tab');
  const wrapped = await page.evaluate(() => {
    const inner = document.querySelector('comeback-launcher').shadowRoot.querySelector('comeback-loyalty');
    return inner.shadowRoot.activeElement?.tagName ?? null;
  });
  assert.ok(wrapped, 'focus wrapped into the rewards widget');
  await page.evaluate(() => window.Comeback.close());
  await page.waitForFunction(() => !document.querySelector('comeback-launcher').shadowRoot.querySelector('dialog').open);
  assert.deepEqual(errors, []);
  await page.close();
});

test("on a phone the launcher sits above the product page's buy bar and never covers it", async () => {
  const { page, errors } = await openPage('/product.html?lang=en', { width: 390, height: 844 });
  await page.locator('comeback-launcher [part=launcher-button]').waitFor({ timeout: 20_000 });
  await page.waitForFunction(() => {
    const button = document.querySelector('comeback-launcher').getBoundingClientRect();
    const bar = document.querySelector('[data-comeback-avoid]').getBoundingClientRect();
    return button.height > 0 && button.bottom <= bar.top;
  }, null, { timeout: 10_000 });
  // The buy button is still what a tap at its centre reaches.
  const reached = await page.evaluate(() => {
    const buy = document.querySelector('[data-buy]').getBoundingClientRect();
    const hit = document.elementFromPoint(buy.right - 20, buy.top + buy.height / 2);
    return hit?.hasAttribute('data-buy') ?? false;
  });
  assert.ok(reached);
  assert.deepEqual(errors, []);
  await page.close();
});
