// Accessibility: every demo page in every shipped language, with the widgets loaded and
// the launcher's panel closed and open, and the shop-owner dashboard's pages, checked by
// axe-core against WCAG 2.0, 2.1 and 2.2 A/AA. axe looks into open shadow roots, so the
// widgets are checked with the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD, repo, useServerAndBrowser } from './harness.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const LOCALES = ['en', 'zh-Hans', 'zh-Hant'];
const PAGES = readdirSync(join(repo, 'www')).filter((name) => name.endsWith('.html')).sort();

const world = useServerAndBrowser();

/** Every widget on the page (and the one in the launcher's panel, when open) rendered. */
function widgetsRendered() {
  const ready = (el) => {
    const root = el.shadowRoot;
    // A closed launcher is the loader's facade (a button), checked like the rest.
    const shown = root?.querySelector('.cb-root, [part~=fallback], [part~=launcher-button]');
    return !!shown && !root.querySelector('[aria-busy=true]');
  };
  const hosts = [...document.querySelectorAll('comeback-loyalty, comeback-launcher')];
  const launcher = document.querySelector('comeback-launcher');
  const panel = launcher?.shadowRoot?.querySelector('dialog[open]');
  if (panel) hosts.push(...panel.querySelectorAll('comeback-loyalty'));
  return hosts.every(ready);
}

/** axe's violations, one readable block each. */
function describe(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    at ${n.target.join(' >>> ')}\n      ${n.failureSummary.replace(/\n/g, '\n      ')}`)
        .join('\n');
      return `${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n${nodes}`;
    })
    .join('\n\n');
}

async function check(page, where) {
  await page.waitForFunction(widgetsRendered, null, { timeout: 20_000 });
  // Let transitions and fonts settle so contrast is measured on the final colours.
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 300))));
  const violations = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }).then((r) => r.violations),
    TAGS,
  );
  assert.equal(violations.length, 0, `${where}: WCAG A/AA violations\n\n${describe(violations)}`);
}

for (const file of PAGES) {
  for (const locale of LOCALES) {
    test(`${file} in ${locale} passes axe (WCAG 2.2 AA)`, async () => {
      const page = await world.browser.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${world.server.base}/${file}?lang=${locale}`);
      // Bring every widget into view so the loader mounts it, then back to the top.
      await page.evaluate(async () => {
        for (const el of document.querySelectorAll('comeback-loyalty')) {
          el.scrollIntoView();
          await new Promise((ok) => setTimeout(ok, 50));
        }
        window.scrollTo(0, 0);
      });
      await page.addScriptTag({ content: AXE });
      await check(page, `${file} (${locale})`);
      if (await page.$('comeback-launcher')) {
        await page.evaluate(() => window.Comeback.open('rewards'));
        await page.waitForFunction(
          () => !!document.querySelector('comeback-launcher').shadowRoot.querySelector('dialog[open]'),
          null,
          { timeout: 20_000 },
        );
        await check(page, `${file} (${locale}) with the launcher open`);
      }
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
}

// The dashboard: the sign-in form, then each page an owner uses, the settings with a
// list section and the Appearance section open. The admin's CSP refuses inline
// scripts, so axe goes in with the context's CSP bypassed (for the test only).
test('the dashboard passes axe (WCAG 2.2 AA) on every page', async () => {
  const context = await world.browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const audit = async (where) => {
    await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => setTimeout(ok, 300))));
    if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ content: AXE });
    const violations = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }).then((r) => r.violations),
      TAGS,
    );
    assert.equal(violations.length, 0, `dashboard ${where}: WCAG A/AA violations\n\n${describe(violations)}`);
  };
  await page.goto(`${world.server.base}/admin/`);
  await page.getByLabel('Shop').waitFor();
  await audit('sign-in');
  await page.getByLabel('Shop').fill('demo');
  await page.getByLabel('Email').fill(DEMO_OWNER_EMAIL);
  await page.getByLabel('Password').fill(DEMO_OWNER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('img', { name: 'Orders per week' }).waitFor();
  await audit('overview');
  await page.getByRole('link', { name: 'Customers' }).click();
  // The demo's own shopper (c-1001), with the demo history.
  await page.getByLabel('Customer id, email or name').fill('c-1001');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: 'c-1001' }).click();
  await page.getByRole('heading', { name: 'Customer c-1001' }).waitFor();
  await audit('customer page');
  await page.getByRole('link', { name: 'Segments' }).click();
  await page.getByRole('link', { name: 'Champions', exact: true }).click();
  await page.getByRole('link', { name: 'CSV' }).waitFor();
  await audit('segment');
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.locator('#field-loyalty__rewards summary').first().waitFor();
  await audit('settings, loyalty');
  await page.getByRole('button', { name: /^Appearance/ }).click();
  await page.getByRole('button', { name: 'Add Appearance' }).click();
  await page.locator('#field-appearance__variables__--comeback-color-accent').fill('#ffeeee');
  await page.locator('#field-appearance__variables__--comeback-color-accent').press('Tab');
  await page.locator('.readability li').first().waitFor();
  await audit('settings, appearance');
  assert.deepEqual(errors, []);
  await context.close();
});
