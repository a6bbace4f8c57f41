// The shop-owner dashboard at /admin/: sign in as the demo owner, read the overview,
// find a customer and adjust their points, export a segment and read it back, sign out;
// change a reward's cost in the settings and see the preview show it before it is saved
// and the shop page after, restore it; set
// the accent colour and see the preview follow before saving and the shop pages after;
// staff see the settings read-only.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  DEMO_API_KEY,
  DEMO_OWNER_EMAIL,
  DEMO_OWNER_PASSWORD,
  newCustomer,
  sendOrder,
  useServerAndBrowser,
} from './harness.mjs';

const world = useServerAndBrowser();

/** A fresh browser context (its own cookies) on the dashboard, failing on page errors. */
async function openDashboard(hash = '') {
  const context = await world.browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${world.server.base}/admin/${hash}`);
  return { page, context, errors };
}

async function signIn(page, password = DEMO_OWNER_PASSWORD) {
  await page.getByLabel('Shop').fill('demo');
  await page.getByLabel('Email').fill(DEMO_OWNER_EMAIL);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const adminGet = async (path) => {
  const response = await fetch(`${world.server.base}/v1/shops/demo/admin${path}`, {
    headers: { authorization: `Bearer ${DEMO_API_KEY}` },
  });
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
};

test('a wrong password is refused with the reason, and no data is shown', async () => {
  const { page, context, errors } = await openDashboard();
  await signIn(page, 'not-the-password-at-all');
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').textContent(), /email or the password is not right/i);
  assert.equal(await page.getByRole('heading', { name: 'Overview' }).count(), 0);
  // Without a session the admin API answers nothing.
  const status = await page.evaluate(async () => (await fetch('/v1/shops/demo/admin/overview')).status);
  assert.equal(status, 401);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the owner signs in, finds a customer, adjusts their points and exports a segment', async () => {
  const customer = newCustomer();
  await sendOrder(world.server.base, {
    id: `${customer}-o1`,
    customer_id: customer,
    email: `${customer}@example.com`,
    status: 'paid',
    total: 12_000,
  });
  const before = (await adminGet(`/customers/${customer}`)).balance;

  const { page, context, errors } = await openDashboard();
  await signIn(page);
  await page.getByRole('heading', { name: 'Overview' }).waitFor();
  await page.getByRole('heading', { name: 'Orders and repeat purchases' }).waitFor();
  await page.getByRole('img', { name: 'Orders per week' }).waitFor();
  assert.match(await page.locator('.top').textContent(), new RegExp(DEMO_OWNER_EMAIL));

  // Find the customer by email, open their page.
  await page.getByRole('link', { name: 'Customers' }).click();
  await page.getByLabel('Customer id, email or name').fill(`${customer}@EXAMPLE.com`);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: customer }).click();
  await page.getByRole('heading', { name: `Customer ${customer}` }).waitFor();

  // Adjust: the page shows the new balance, the API agrees, the history has the reason.
  await page.getByLabel('Points (negative to take away)').fill('75');
  await page.getByLabel('Reason (the customer sees it)').fill('Sorry for the late parcel');
  await page.getByRole('button', { name: 'Adjust' }).click();
  await page.getByRole('status').filter({ hasText: 'balance is now' }).waitFor();
  const after = await adminGet(`/customers/${customer}`);
  assert.equal(after.balance, before + 75);
  assert.equal(after.history[0].reference, 'Sorry for the late parcel');
  await page.getByRole('cell', { name: 'Sorry for the late parcel' }).waitFor();

  // Bad input gets a clear error and changes nothing.
  await page.getByLabel('Points (negative to take away)').fill('lots');
  await page.getByLabel('Reason (the customer sees it)').fill('Goodwill');
  await page.getByRole('button', { name: 'Adjust' }).click();
  await page.getByRole('alert').filter({ hasText: 'whole number' }).waitFor();
  assert.equal((await adminGet(`/customers/${customer}`)).balance, before + 75);

  // The "new" segment holds the customer (one order, today); its CSV export reads back.
  await page.getByRole('link', { name: 'Segments' }).click();
  await page.getByRole('link', { name: 'New', exact: true }).click();
  await page.getByRole('link', { name: customer }).waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'CSV' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^demo-new-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\n');
  assert.match(csv[0], /^customer_id,email,name,orders,spent/);
  const row = csv.find((line) => line.startsWith(`${customer},`));
  assert.ok(row, `the export lists ${customer}`);
  assert.match(row, new RegExp(`${customer}@example\\.com`));

  // Signing out ends the session: the same browser can read nothing any more.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  const status = await page.evaluate(async () => (await fetch('/v1/shops/demo/admin/overview')).status);
  assert.equal(status, 401);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the dashboard is served with a strict content security policy and never framed', async () => {
  const response = await fetch(`${world.server.base}/admin/`);
  assert.equal(response.status, 200);
  const csp = response.headers.get('content-security-policy');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(response.headers.get('x-frame-options'), 'DENY');
  const redirect = await fetch(`${world.server.base}/admin`, { redirect: 'manual' });
  assert.equal(redirect.status, 308);
  assert.equal(redirect.headers.get('location'), '/admin/');
});

/** The cost shown on the demo account page's loyalty widget for the reward named `name`. */
async function rewardOnShopPage(name, expected) {
  const page = await world.browser.newPage();
  await page.goto(`${world.server.base}/account.html?lang=en`);
  const reward = page.locator('comeback-loyalty [part=reward]', { hasText: name });
  await reward.waitFor({ timeout: 20_000 });
  await reward.filter({ hasText: expected }).waitFor({ timeout: 10_000 });
  const text = await reward.textContent();
  await page.close();
  return text;
}

test('the owner changes a reward cost, the shop page shows it, and restoring undoes it', async () => {
  const { page, context, errors } = await openDashboard('#/settings');
  page.on('dialog', (dialog) => dialog.accept());
  await signIn(page);
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
  await page.getByText(/Version 1, saved .* by configuration file\./).waitFor();
  const before = await adminGet('/settings');
  const index = before.document.loyalty.rewards.findIndex((reward) => reward.id === 'off-10');
  assert.equal(before.document.loyalty.rewards[index].cost, 500);
  assert.match(await rewardOnShopPage('¥10 off your order', '500'), /500/);

  // A bad cost is refused next to its field, and nothing is saved.
  // The rewards list starts folded: open the reward's card by its id.
  await page.locator('#field-loyalty__rewards summary', { hasText: /^off-10$/ }).click();
  const cost = page.locator(`#field-loyalty__rewards_${index}__cost`);
  await cost.fill('0');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'cost' }).waitFor();
  assert.equal(await cost.getAttribute('aria-invalid'), 'true');
  assert.equal((await adminGet('/settings')).version, 1);
  // The preview beside the form shows unsaved changes (its widget starts when it comes
  // into view): this one does not pass the checks, and says so.
  const frame = page.locator('iframe[title="Preview of the Loyalty widget"]');
  const preview = page.frameLocator('iframe[title="Preview of the Loyalty widget"]');
  await frame.scrollIntoViewIfNeeded();
  await preview.getByText(/do not pass the checks yet \(loyalty\.rewards\[\d\]\.cost/).waitFor({ timeout: 20_000 });

  // A good one shows in the preview before it is saved, while shoppers still see 500.
  await cost.fill('450');
  await frame.scrollIntoViewIfNeeded();
  await preview.getByText('With your unsaved changes.').waitFor({ timeout: 20_000 });
  await preview.locator('comeback-loyalty [part=reward]', { hasText: '450' }).first().waitFor({ timeout: 20_000 });
  assert.match(await rewardOnShopPage('¥10 off your order', '500'), /500/);

  // Saved as version 2, the widget on the shop page shows it.
  await page.getByLabel('Note for the history (optional)').fill('Cheaper ¥10 off for the winter');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Saved as version 2.' }).waitFor();
  assert.match(await rewardOnShopPage('¥10 off your order', '450'), /450/);
  // The preview now shows the saved programme, with no draft of its own.
  await frame.scrollIntoViewIfNeeded();
  await preview.locator('comeback-loyalty [part=reward]', { hasText: '450' }).first().waitFor({ timeout: 20_000 });
  await preview.getByText('The loyalty programme as a shopper who is not signed in sees it.', { exact: true }).waitFor();

  // The history says who and why; restoring version 1 brings 500 back as version 3.
  const history = page.getByRole('region', { name: 'History' });
  await history.getByText('Cheaper ¥10 off for the winter').waitFor();
  await history.getByText(DEMO_OWNER_EMAIL).first().waitFor();
  await page.getByRole('button', { name: 'Restore version 1' }).click();
  await page.getByRole('status').filter({ hasText: 'restored as version 3' }).waitFor();
  assert.match(await rewardOnShopPage('¥10 off your order', '500'), /500/);
  assert.deepEqual(errors, []);
  await context.close();
});

/** Opens `path` of the demo shop on `page` and waits for the shop's look to be applied. */
async function openShopPage(page, path) {
  const looked = page.waitForResponse((r) => r.url().endsWith('/v1/shops/demo/appearance'));
  await page.goto(`${world.server.base}${path}`);
  await (await looked).finished();
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
}

/** The accent a widget on a demo shop page wears: the loyalty widget's on the account
 * page, the closed launcher's (drawn by the loader without the wasm) on the home page. */
async function accentsOnShopPages() {
  const page = await world.browser.newPage();
  await openShopPage(page, '/account.html?lang=en');
  await page.locator('comeback-loyalty [part=reward]').first().waitFor({ timeout: 20_000 });
  const widget = await page.evaluate(() =>
    getComputedStyle(document.querySelector('comeback-loyalty').shadowRoot.querySelector('.cb-root')).getPropertyValue('--cb-accent'),
  );
  await openShopPage(page, '/index.html?lang=en');
  const launcher = await page
    .locator('comeback-launcher [part=launcher-button]')
    .evaluate((b) => getComputedStyle(b).backgroundColor);
  await page.close();
  return { widget: widget.trim(), launcher };
}

test('the owner sets the accent colour: the preview shows it unsaved, every shop page once saved', async () => {
  assert.deepEqual(await accentsOnShopPages(), { widget: '#2f6b4f', launcher: 'rgb(47, 107, 79)' });
  const { page, context, errors } = await openDashboard('#/settings');
  await signIn(page);
  await page.getByRole('heading', { name: 'Settings' }).waitFor();
  const base = (await adminGet('/settings')).version;
  await page.getByRole('button', { name: /^Appearance/ }).click();
  await page.getByRole('button', { name: 'Add Appearance' }).click();
  // A look copied from the theme playground fills the rows (its ::part() rules stay
  // with the page).
  await page.getByText('Paste from the theme playground').click();
  await page
    .getByLabel(/The CSS or the Comeback.setAppearance call/)
    .fill(':root {\n  --comeback-radius: 4px;\n  --comeback-color-accent: #123456;\n}\ncomeback-loyalty::part(balance) { font-size: 2rem }');
  await page.getByRole('button', { name: 'Use this look' }).click();
  await page.getByRole('status').filter({ hasText: 'Took 2 tokens and the light scheme' }).waitFor();
  assert.equal(await page.locator('#field-appearance__variables__--comeback-radius').inputValue(), '4px');
  // Every token of the kit has a row; a value that could end the declaration is refused
  // by the server next to its field.
  const accent = page.locator('#field-appearance__variables__--comeback-color-accent');
  assert.equal(await accent.inputValue(), '#123456');
  await accent.fill('#8a3b12;color:red');
  await accent.press('Tab');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'one CSS value' }).waitFor();
  assert.equal(await accent.getAttribute('aria-invalid'), 'true');
  assert.equal((await adminGet('/settings')).version, base);

  // A pale accent is flagged as hard to read behind white text; a dark one is not.
  await accent.fill('#ffeeee');
  await accent.press('Tab');
  await page.locator('.readability li[data-pair="--comeback-color-on-accent --comeback-color-accent"]').waitFor();
  // The preview shows the unsaved colour as it is typed.
  await accent.fill('#8a3b12');
  await accent.press('Tab');
  const frame = page.locator('iframe[title="Preview of the Appearance widget"]');
  await frame.scrollIntoViewIfNeeded();
  const preview = page.frameLocator('iframe[title="Preview of the Appearance widget"]');
  await preview.locator('comeback-loyalty [part=reward]').first().waitFor({ timeout: 20_000 });
  await frame.evaluate((iframe) =>
    new Promise((resolve, reject) => {
      const root = () => iframe.contentDocument.querySelector('comeback-loyalty').shadowRoot.querySelector('.cb-root');
      const until = Date.now() + 10_000;
      const check = () =>
        getComputedStyle(root()).getPropertyValue('--cb-accent').trim() === '#8a3b12'
          ? resolve()
          : Date.now() > until
            ? reject(new Error('the preview never showed the unsaved accent'))
            : setTimeout(check, 50);
      check();
    }),
  );
  assert.equal(await page.locator('.readability li').count(), 0);
  assert.deepEqual(await accentsOnShopPages(), { widget: '#2f6b4f', launcher: 'rgb(47, 107, 79)' });

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').filter({ hasText: `Saved as version ${base + 1}.` }).waitFor();
  assert.deepEqual(await accentsOnShopPages(), { widget: '#8a3b12', launcher: 'rgb(138, 59, 18)' });
  // The page's own appearance still wins over the shop's.
  const shopPage = await world.browser.newPage();
  await openShopPage(shopPage, '/account.html?lang=en');
  await shopPage.locator('comeback-loyalty [part=reward]').first().waitFor({ timeout: 20_000 });
  await shopPage.evaluate(() => window.Comeback.setAppearance({ variables: { '--comeback-color-accent': '#010203' } }));
  await shopPage.waitForFunction(
    () =>
      getComputedStyle(document.querySelector('comeback-loyalty').shadowRoot.querySelector('.cb-root'))
        .getPropertyValue('--cb-accent')
        .trim() === '#010203',
  );
  await shopPage.close();

  // Back to the version before, for the tests after this one.
  const restored = await fetch(`${world.server.base}/v1/shops/demo/admin/settings/revert`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEMO_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ version: base, base_version: base + 1 }),
  });
  assert.equal(restored.status, 200, await restored.text());
  assert.deepEqual(errors, []);
  await context.close();
});

test('staff see the settings read-only and the API refuses their changes', async () => {
  const email = 'clerk@demo.comeback.test';
  const added = await world.server.command(['admin', 'add-user', '--shop', 'demo', '--email', email, '--role', 'staff']);
  const password = added.match(/Password \(shown once\): (\S+)/)[1];
  const { page, context, errors } = await openDashboard('#/settings');
  await page.getByLabel('Shop').fill('demo');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Only owners can change the settings.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Save', exact: true }).count(), 0);
  const status = await page.evaluate(async () => {
    const session = await (await fetch('/v1/shops/demo/admin/session')).json();
    const view = await (await fetch('/v1/shops/demo/admin/settings')).json();
    const response = await fetch('/v1/shops/demo/admin/settings', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrf_token },
      body: JSON.stringify({ base_version: view.version, document: view.document }),
    });
    return response.status;
  });
  assert.equal(status, 403);
  assert.deepEqual(errors, []);
  await context.close();
});
