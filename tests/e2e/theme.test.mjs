// The theme playground (www/theme.html): every token of the kit reaches a widget through
// the playground's own controls, the copied snippet (CSS or setAppearance) reproduces
// the look on another page, contrast warnings follow the settings, a link reproduces
// them, and the three examples render (their screenshots live in docs/themes/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo, signInScript, useServerAndBrowser } from './harness.mjs';
import { EXAMPLES } from '../../www/theme-examples.js';

const world = useServerAndBrowser();
const kit = JSON.parse(readFileSync(join(repo, 'pkg/kit.json'), 'utf8'));

/** What each widget shows once loaded with the demo customer (a part inside it). */
const LOADED = {
  'comeback-loyalty': 'balance',
  'comeback-help': 'search',
  'comeback-recommendations': 'card',
  'comeback-subscribe': 'option',
  'comeback-subscriptions': 'subscription',
  'comeback-referral': 'link',
  'comeback-survey': 'question',
  'comeback-launcher': 'launcher-button',
};

const SENTINEL = {
  color: 'rgb(1, 2, 3)',
  length: '37px',
  font: '"Courier New", monospace',
  shadow: 'rgb(1, 2, 3) 5px 5px 0px 0px',
  number: '2.5',
  layer: '12345',
};

/** Opens the playground (hash: its settings) and waits until every widget has loaded. */
async function openPlayground(hash = '', viewport = { width: 1300, height: 5200 }) {
  const page = await world.browser.newPage({ viewport });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.errors = errors;
  await page.goto(`${world.server.base}/theme.html?lang=en${hash}`);
  await page.waitForFunction(() => document.documentElement.dataset.playground === 'ready');
  await waitForWidgets(page);
  return page;
}

/** Waits until each element shows its loaded part, bringing it into view first (widgets
 * mount as they near the viewport), then scrolls back to the top. */
async function waitForWidgets(page, elements = Object.keys(LOADED)) {
  for (const element of elements) {
    await page.locator(element).first().scrollIntoViewIfNeeded();
    await page.locator(`${element} [part~=${LOADED[element]}]`).first().waitFor({ state: 'attached', timeout: 20_000 });
  }
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** Types into a token's control the way a person would (the field's input event). */
async function setToken(page, name, value) {
  await page.locator(`[data-token="${name}"]`).fill(value);
}

/** A computed style of the first element of `part` in `element`'s shadow tree. */
const styleOf = (page, element, part, property) =>
  page.evaluate(
    ([element, part, property]) => {
      const host = document.querySelector(element);
      const node = host.shadowRoot.querySelector(`[part~="${part}"]`);
      return getComputedStyle(node).getPropertyValue(property);
    },
    [element, part, property],
  );

test('every token of the kit changes a computed style in some widget', async () => {
  const page = await openPlayground();
  // The survey once as a pop-up, so its pop-up tokens (width, offsets, layer) apply.
  await page.selectOption('#placement-choice', 'popup');
  await waitForWidgets(page, ['comeback-survey']);
  const inert = await page.evaluate(
    async ({ tokens, sentinel, elements }) => {
      /** Every element of every widget's shadow tree (nested shadow roots too). */
      const collect = () => {
        const out = [];
        const walk = (root) => {
          for (const element of root.querySelectorAll('*')) {
            out.push(element);
            if (element.shadowRoot) walk(element.shadowRoot);
          }
        };
        for (const host of document.querySelectorAll(elements.join(','))) if (host.shadowRoot) walk(host.shadowRoot);
        return out;
      };
      const styleText = (element) => {
        const style = getComputedStyle(element);
        let text = '';
        for (let i = 0; i < style.length; i++) text += style[i] + ':' + style.getPropertyValue(style[i]) + ';';
        return text;
      };
      const nodes = collect();
      const before = nodes.map(styleText);
      // Stops at the first difference: the walk is long and most tokens show early.
      const changed = () => {
        const now = collect();
        if (now.length !== nodes.length || now.some((node, i) => node.localName !== nodes[i].localName)) return true;
        return now.some((node, i) => styleText(node) !== before[i]);
      };
      const set = (name, value) => {
        const field = document.querySelector(`[data-token="${name}"]`);
        field.value = value;
        field.dispatchEvent(new Event('input', { bubbles: true }));
      };
      const unchanged = [];
      for (const token of tokens) {
        set(token.name, sentinel[token.kind]);
        if (!changed()) unchanged.push(token.name);
        set(token.name, '');
      }
      // Nothing moves on its own: a token that changed something is what changed it.
      if (changed()) unchanged.push('(the widgets changed without a token)');
      return unchanged;
    },
    { tokens: kit.tokens, sentinel: SENTINEL, elements: kit.widgets.map((w) => w.element) },
  );
  assert.deepEqual(inert, [], `tokens that changed nothing: ${inert.join(', ')}`);
  assert.deepEqual(page.errors, []);
  await page.close();
});

/** The computed styles compared between the playground and a fresh page. */
const COMPARED = [
  ['comeback-loyalty', 'root'],
  ['comeback-loyalty', 'balance'],
  ['comeback-loyalty', 'redeem-button'],
  ['comeback-referral', 'copy-button'],
];
const PROPERTIES = [
  'color', 'background-color', 'font-family', 'font-size', 'font-weight', 'font-style', 'letter-spacing',
  'text-transform', 'border-top-left-radius', 'border-top-color', 'box-shadow', 'padding-top',
];

async function looks(page) {
  return page.evaluate(
    ([compared, properties]) =>
      compared.map(([element, part]) => {
        const node = document.querySelector(element).shadowRoot.querySelector(`[part~="${part}"]`);
        const style = getComputedStyle(node);
        return [element, part, Object.fromEntries(properties.map((p) => [p, style.getPropertyValue(p)]))];
      }),
    [COMPARED, PROPERTIES],
  );
}

/** A page of the shop holding the same widgets, with `head` added (served by the route). */
async function freshPage(head, script = '') {
  const page = await world.browser.newPage({ viewport: { width: 1300, height: 3000 } });
  const url = `${world.server.base}/fresh-theme.html`;
  await page.route(url, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="stylesheet" href="shop.css">${head}
<script type="module" src="/comeback/loader.js" data-shop="demo"></script>
${signInScript()}${script}</head><body><main>
<comeback-loyalty></comeback-loyalty><comeback-referral></comeback-referral></main></body></html>`,
    }),
  );
  await page.goto(url);
  await waitForWidgets(page, ['comeback-loyalty']);
  await page.locator('comeback-loyalty [part~=redeem-button]').first().waitFor({ state: 'attached', timeout: 20_000 });
  await page.locator('comeback-referral [part~=copy-button]').first().waitFor({ state: 'attached', timeout: 20_000 });
  return page;
}

test('the copied CSS and the setAppearance call reproduce the look on another page', async () => {
  const example = EXAMPLES.find((e) => e.id === 'tailwind');
  const page = await openPlayground(`#example=${example.id}`);
  await page.locator('comeback-loyalty [part~=redeem-button]').first().waitFor({ state: 'attached' });
  await setToken(page, '--comeback-spacing', '21px');
  await page.click('#add-rule');
  const last = (await page.locator('[data-rule-css]').count()) - 1;
  await page.selectOption(`[data-rule-element="${last}"]`, 'comeback-loyalty');
  await page.selectOption(`[data-rule-part="${last}"]`, 'redeem-button');
  await page.fill(`[data-rule-css="${last}"]`, 'text-transform: uppercase; letter-spacing: 3px;');
  const expected = await looks(page);
  assert.equal(expected[2][2]['text-transform'], 'uppercase', 'the rule is applied in the playground');
  assert.equal(expected[0][2]['padding-top'], '21px', 'the token is applied in the playground');

  await page.click('#copy');
  const css = await page.inputValue('#snippet');
  assert.equal(css, await page.evaluate(() => document.querySelector('#theme-css').textContent), 'what is applied is copied');
  assert.match(css, /comeback-loyalty::part\(redeem-button\) \{ text-transform: uppercase; letter-spacing: 3px; \}/);

  await page.check('input[name=format][value=appearance]');
  const call = await page.inputValue('#snippet');
  assert.match(call, /^Comeback\.setAppearance\(/);
  assert.match(call, /:host\(comeback-loyalty\) \[part~=\\"redeem-button\\"\]/);
  await page.close();

  // The shop's own CSS (Tailwind's variables) is on the other page too, as on the shop.
  const shop = `<style>${example.pageCss}</style>`;
  const withCss = await freshPage(`${shop}<style>${css}</style>`);
  assert.deepEqual(await looks(withCss), expected, 'the CSS snippet');
  await withCss.close();

  const withCall = await freshPage(shop, `<script type="module">${call}</script>`);
  assert.deepEqual(await looks(withCall), expected, 'the setAppearance call');
  await withCall.close();
});

test('contrast warnings name the failing pairs and go when fixed', async () => {
  const page = await openPlayground('', { width: 1300, height: 1200 });
  const warning = page.locator('#contrast');
  assert.equal(await warning.getAttribute('aria-live'), 'polite');
  assert.equal(await warning.textContent(), '', 'the default light theme passes');

  await setToken(page, '--comeback-color-text', '#bbbbbb');
  const pair = warning.locator('li[data-pair="--comeback-color-text --comeback-color-surface"]');
  await pair.waitFor();
  assert.match(await pair.textContent(), /--comeback-color-text on --comeback-color-surface: 1\.\d\d:1, needs 4\.5:1/);

  await setToken(page, '--comeback-color-text', 'black');
  assert.equal(await warning.textContent(), '', 'fixed with a named colour');

  // A token that follows another one: the launcher's label follows the on-accent colour.
  await setToken(page, '--comeback-color-on-accent', 'hsl(150 40% 30%)');
  await warning.locator('li[data-pair="--comeback-color-on-accent --comeback-color-accent"]').waitFor();
  await warning.locator('li[data-pair="--comeback-launcher-color --comeback-launcher-background"]').waitFor();
  await setToken(page, '--comeback-color-on-accent', '');
  await setToken(page, '--comeback-color-text', '');

  await page.selectOption('#theme-choice', 'dark');
  assert.equal(await warning.textContent(), '', 'the default dark theme passes');
  // In the dark theme the light text on the dark surface is fine, a dark one is not.
  await setToken(page, '--comeback-color-text', '#222222');
  await pair.waitFor();
  await page.close();
});

test('a link reproduces the settings: controls and widgets follow the hash', async () => {
  const settings = {
    theme: 'dark',
    locale: 'zh-Hant',
    placement: 'popup',
    variables: { '--comeback-color-surface': 'rgb(10, 20, 30)', '--comeback-radius': '3px' },
    rules: [{ element: 'comeback-loyalty', part: 'balance', css: 'letter-spacing: 7px;' }],
  };
  const page = await openPlayground(`#settings=${encodeURIComponent(JSON.stringify(settings))}`);
  assert.equal(await page.inputValue('[data-token="--comeback-color-surface"]'), 'rgb(10, 20, 30)');
  assert.equal(await page.inputValue('[data-token="--comeback-radius"]'), '3px');
  assert.equal(await page.inputValue('#theme-choice'), 'dark');
  assert.equal(await page.inputValue('#locale-choice'), 'zh-Hant');
  assert.equal(await page.inputValue('#placement-choice'), 'popup');
  assert.equal(await page.inputValue('[data-rule-part="0"]'), 'balance');
  assert.equal(await page.inputValue('[data-rule-css="0"]'), 'letter-spacing: 7px;');

  assert.equal(await styleOf(page, 'comeback-loyalty', 'root', 'background-color'), 'rgb(10, 20, 30)');
  assert.equal(await styleOf(page, 'comeback-loyalty', 'root', 'border-top-left-radius'), '3px');
  assert.equal(await styleOf(page, 'comeback-loyalty', 'balance', 'letter-spacing'), '7px');
  assert.equal(await page.locator('comeback-help').getAttribute('theme'), 'dark');
  assert.equal(await page.locator('comeback-survey').getAttribute('placement'), 'popup');
  await page.waitForFunction(() => document.querySelector('comeback-loyalty').shadowRoot.textContent.includes('積分'));

  // A change is written back into the link.
  await setToken(page, '--comeback-radius', '5px');
  const hash = new URLSearchParams((await page.evaluate(() => location.hash)).slice(1));
  assert.equal(JSON.parse(hash.get('settings')).variables['--comeback-radius'], '5px');
  await page.close();
});

test('a crafted link writes nothing but declarations into the page', async () => {
  const settings = {
    variables: { '--comeback-x}body{display:none}:root{--a': 'red', '--comeback-radius': '4px}body{display:none' },
    rules: [
      { element: 'comeback-loyalty{}body{display:none}x', part: 'balance', css: 'color: red' },
      { element: 'comeback-loyalty', part: 'balance', css: 'color: red}body{display:none' },
    ],
  };
  const page = await openPlayground(`#settings=${encodeURIComponent(JSON.stringify(settings))}`);
  const css = await page.evaluate(() => document.getElementById('theme-css').textContent);
  assert.doesNotMatch(css, /body\s*\{/);
  assert.doesNotMatch(css, /--comeback-x/);
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).display), 'block');
  await page.close();
});

/** The computed style a value gives `property` on a probe in the page (resolving the
 * page's custom properties; `em` against `fontSize`). */
const resolved = (page, property, value, fontSize = '16px') =>
  page.evaluate(
    ([property, value, fontSize]) => {
      const probe = document.createElement('div');
      probe.style.fontSize = fontSize;
      probe.style.setProperty(property, value);
      document.body.append(probe);
      const out = getComputedStyle(probe).getPropertyValue(property);
      probe.remove();
      return out;
    },
    [property, value, fontSize],
  );

/** Tokens whose value shows as-is on the loyalty root. */
const ON_ROOT = {
  '--comeback-color-surface': 'background-color',
  '--comeback-color-text': 'color',
  '--comeback-radius': 'border-top-left-radius',
  '--comeback-font-family': 'font-family',
  '--comeback-color-border': 'border-top-color',
};

for (const example of EXAMPLES) {
  test(`the ${example.id} example applies its tokens and parts (docs/themes/${example.id}.png)`, async () => {
    const page = await openPlayground(`#example=${example.id}`, { width: 1200, height: 900 });
    assert.equal(await page.inputValue('#example-choice'), example.id);
    assert.equal(await page.locator('comeback-loyalty').getAttribute('theme'), example.theme);
    for (const [token, property] of Object.entries(ON_ROOT)) {
      const value = example.variables[token];
      if (!value) continue;
      assert.equal(await page.inputValue(`[data-token="${token}"]`), value);
      assert.equal(
        await styleOf(page, 'comeback-loyalty', 'root', property),
        await resolved(page, property, value),
        `${example.id}: ${token}`,
      );
    }
    const balanceSize = await styleOf(page, 'comeback-loyalty', 'balance', 'font-size');
    for (const rule of example.rules.filter((r) => r.element === 'comeback-loyalty' && r.part === 'balance')) {
      for (const declaration of rule.css.split(';').filter((d) => d.trim())) {
        const [property, value] = declaration.split(':').map((s) => s.trim());
        assert.equal(
          await styleOf(page, 'comeback-loyalty', 'balance', property),
          await resolved(page, property, value, balanceSize),
          `${example.id}: balance ${property}`,
        );
      }
    }
    if (example.id === 'inherit') {
      // The shop's font reaches the widgets without a token.
      const shopFont = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
      assert.equal(await styleOf(page, 'comeback-loyalty', 'root', 'font-family'), shopFont);
      assert.equal(await styleOf(page, 'comeback-loyalty', 'redeem-button', 'text-transform'), 'uppercase');
    }
    const file = join(repo, 'docs/themes', `${example.id}.png`);
    if (process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(file)) {
      mkdirSync(join(repo, 'docs/themes'), { recursive: true });
      await page.locator('comeback-recommendations [part~=image]').first().waitFor({ state: 'attached' });
      await page.evaluate(() => document.fonts.ready);
      // The widgets' area, 1100 px of it, in a window that ends there, so the floating
      // launcher sits in its corner as a shopper sees it.
      const top = await page.evaluate(() => {
        const box = document.querySelector('#stage').getBoundingClientRect();
        return box.y + scrollY;
      });
      await page.setViewportSize({ width: 1300, height: Math.ceil(top) + 1100 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(300);
      const clip = await page.evaluate(() => {
        const box = document.querySelector('#stage').getBoundingClientRect();
        return { x: box.x, y: box.y, width: box.width, height: 1100 };
      });
      await page.screenshot({ path: file, clip });
    }
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}
