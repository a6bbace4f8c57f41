// The shop-owner dashboard at /admin/: sign in as the demo owner, read the overview,
// find a customer and adjust their points, export a segment and read it back, sign out.
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
