// The theme playground: every widget side by side on the demo data, with live controls
// built from the kit (`/comeback/kit.json`: tokens, parts, readable pairs), so the page
// never lists a token by hand. The settings live in `location.hash` (a link reproduces
// them) and are applied as one `<style>`, exactly the CSS the "Copy" box gives.
import { EXAMPLES } from './theme-examples.js';
import {
  appearanceCall,
  blank,
  cleanDeclarations,
  cleanValue,
  effectiveColour,
  failingPairs,
  fromExample,
  hashFromSettings,
  pageCss,
  settingsFromHash,
} from './theme-settings.js';

// shop.js signs the demo customer in on load unless the shopper signed out on another
// demo page; the playground always shows a signed-in customer.
sessionStorage.removeItem('demo-signed-out');

const $ = (selector, root = document) => root.querySelector(selector);

/** A new element with attributes and children (text nodes for strings). */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value == null) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'value') element.value = value;
    else element.setAttribute(name, value === true ? '' : value);
  }
  element.append(...children.flat().filter((c) => c != null));
  return element;
}

// ---------------------------------------------------------------------------------------
// Colours as the browser sees them.

/** Resolves any CSS colour (named, hsl, oklch, `var(--…)` of the page) to [r, g, b]
 * over white, by letting the browser compute it; `null` when it is not a colour. */
function rgbOf(value) {
  const probe = $('#colour-probe');
  probe.style.color = '';
  probe.style.color = value;
  if (!probe.style.color) return null;
  const computed = getComputedStyle(probe).color;
  const canvas = (rgbOf.canvas ??= Object.assign(document.createElement('canvas'), { width: 1, height: 1 }));
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, 1, 1);
  context.fillStyle = computed;
  context.fillRect(0, 0, 1, 1);
  const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
  return [r, g, b];
}

const isDark = (settings) =>
  settings.theme === 'dark' || (settings.theme === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches);

/** The colour a token of the current settings shows, as [r, g, b]. */
const colourOf = (name) => effectiveColour(kit, name, settings, isDark(settings), rgbOf);

// ---------------------------------------------------------------------------------------
// Controls, generated from the kit.

const FONTS = [
  ['System', 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'],
  ['Humanist sans', '"Gill Sans", "Trebuchet MS", Calibri, sans-serif'],
  ['Serif', 'Georgia, "Times New Roman", serif'],
  ['Didone', '"Didot", "Bodoni 72", "Playfair Display", Georgia, serif'],
  ['Chinese sans', '"PingFang SC", "Noto Sans SC", "Microsoft YaHei", sans-serif'],
  ['Monospace', 'ui-monospace, "SF Mono", Menlo, Consolas, monospace'],
];
const SHADOWS = [
  ['None', 'none'],
  ['Hairline', '0 0 0 1px rgb(0 0 0 / 10%)'],
  ['Soft', '0 1px 3px rgb(0 0 0 / 8%)'],
  ['Raised', '0 4px 14px rgb(0 0 0 / 14%)'],
  ['Floating', '0 12px 32px rgb(0 0 0 / 22%)'],
];
const HEX = /^#[0-9a-f]{6}$/i;

let kit;
let settings = blank();
/** The colour pickers' refreshers: what they show depends on every setting. */
const swatches = [];
/** The locale last handed to `Comeback.setLocale` ('' for the page's). */
let appliedLocale = '';

/** Sets one token (empty: back to its default) and applies. */
function setToken(name, value) {
  const clean = cleanValue(value);
  if (clean) settings.variables[name] = clean;
  else delete settings.variables[name];
  apply();
}

/** A choice among presets that writes its value into `field`. */
function presets(label, choices, field) {
  return h(
    'select',
    {
      'aria-label': label,
      onchange: (event) => {
        if (!event.target.value) return;
        field.value = event.target.value;
        field.dispatchEvent(new Event('input', { bubbles: true }));
        event.target.value = '';
      },
    },
    h('option', { value: '' }, 'Presets…'),
    choices.map(([text, value]) => h('option', { value }, text)),
  );
}

function defaultText(token) {
  if (token.follows) return `follows ${token.follows}`;
  return token.dark && token.dark !== token.light ? `${token.light} (dark ${token.dark})` : token.light;
}

/** One token's row: a text field (the value; empty means default) and its helpers. */
function tokenControl(token) {
  const id = 'token' + token.name;
  const numeric = token.kind === 'number' || token.kind === 'layer';
  const field = h('input', {
    id,
    'data-token': token.name,
    type: numeric ? 'number' : 'text',
    step: numeric ? 'any' : null,
    placeholder: defaultText(token),
    spellcheck: 'false',
    autocomplete: 'off',
  });
  const helpers = [];
  let sync = () => {};
  if (token.kind === 'color') {
    const picker = h('input', { type: 'color', 'aria-label': `${token.name} picker`, tabindex: '-1' });
    picker.addEventListener('input', () => {
      field.value = picker.value;
      setToken(token.name, picker.value);
    });
    // The picker shows the colour the widgets use (the default, a followed token's, a
    // `var()`'s) and edits only values it can show exactly.
    sync = () => {
      const value = field.value.trim();
      picker.disabled = value !== '' && !HEX.test(value);
      const rgb = HEX.test(value) ? null : colourOf(token.name);
      picker.value = rgb ? '#' + rgb.map((c) => c.toString(16).padStart(2, '0')).join('') : value;
    };
    swatches.push(sync);
    helpers.push(picker);
  } else if (token.kind === 'length') {
    const fallback = parseFloat(token.light) || 16;
    const slider = h('input', {
      type: 'range',
      min: '0',
      max: String(Math.max(48, Math.round(fallback * 3))),
      step: '1',
      'aria-label': `${token.name} in px`,
      tabindex: '-1',
    });
    slider.addEventListener('input', () => {
      field.value = slider.value + 'px';
      setToken(token.name, field.value);
    });
    sync = () => {
      const value = field.value.trim();
      const px = /^(-?[\d.]+)px$/.exec(value);
      slider.disabled = value !== '' && !px;
      slider.value = px ? px[1] : String(/px$/.test(token.light) ? fallback : 0);
    };
    helpers.push(slider);
  } else if (token.kind === 'font') {
    helpers.push(presets(`${token.name} presets`, FONTS, field));
  } else if (token.kind === 'shadow') {
    helpers.push(presets(`${token.name} presets`, SHADOWS, field));
  }
  field.addEventListener('input', () => {
    sync();
    setToken(token.name, field.value);
  });
  field.syncFromSettings = () => {
    const value = settings.variables[token.name] ?? '';
    if (field.value !== value) field.value = value;
    sync();
  };
  return h(
    'div',
    { class: 'pg-token' },
    h('label', { for: id }, h('code', {}, token.name.replace(/^--comeback-/, '')), token.about ? h('small', {}, token.about) : null),
    h('div', { class: 'pg-inputs' }, field, helpers),
  );
}

function buildTokenControls() {
  const box = $('#tokens');
  const groups = [[null, 'Shared'], ...kit.widgets.map((w) => [w.kind, `<${w.element}>`])];
  for (const [widget, title] of groups) {
    const tokens = kit.tokens.filter((t) => t.widget === widget);
    if (!tokens.length) continue;
    box.append(
      h('fieldset', { class: 'pg-group', 'data-group': widget ?? 'shared' }, h('legend', {}, title), tokens.map(tokenControl)),
    );
  }
}

/** The part rules editor, drawn again whenever rules are added or removed. */
function drawRules() {
  const list = $('#rules-list');
  list.replaceChildren(
    ...settings.rules.map((rule, index) => {
      const widget = kit.widgets.find((w) => w.element === rule.element) ?? kit.widgets[0];
      const partSelect = h(
        'select',
        {
          'aria-label': 'Part',
          'data-rule-part': index,
          onchange: (e) => {
            rule.part = e.target.value;
            apply();
          },
        },
        widget.parts.map((p) => h('option', { value: p.name, selected: p.name === rule.part }, p.name)),
      );
      return h(
        'li',
        { class: 'pg-rule' },
        h(
          'select',
          {
            'aria-label': 'Element',
            'data-rule-element': index,
            onchange: (e) => {
              rule.element = e.target.value;
              const parts = kit.widgets.find((w) => w.element === rule.element).parts;
              if (!parts.some((p) => p.name === rule.part)) rule.part = parts[0].name;
              drawRules();
              apply();
            },
          },
          kit.widgets.map((w) => h('option', { value: w.element, selected: w.element === rule.element }, w.element)),
        ),
        h('span', { 'aria-hidden': 'true' }, '::part('),
        partSelect,
        h('span', { 'aria-hidden': 'true' }, ')'),
        h('textarea', {
          'aria-label': 'Declarations',
          'data-rule-css': index,
          rows: '2',
          placeholder: 'font-size: 2rem; text-transform: uppercase;',
          value: rule.css,
          oninput: (e) => {
            rule.css = cleanDeclarations(e.target.value);
            apply();
          },
        }),
        h(
          'button',
          {
            type: 'button',
            class: 'pg-remove',
            onclick: () => {
              settings.rules.splice(index, 1);
              drawRules();
              apply();
            },
          },
          'Remove',
        ),
      );
    }),
  );
  // Selects take their choice from the `selected` attribute only once drawn.
  settings.rules.forEach((rule, index) => {
    $(`[data-rule-element="${index}"]`).value = rule.element;
    $(`[data-rule-part="${index}"]`).value = rule.part;
  });
}

// ---------------------------------------------------------------------------------------
// Applying.

/** Re-creates the survey: its attributes are read once, when it mounts. */
function placeSurvey() {
  const old = $('#stage comeback-survey');
  if (old && old.getAttribute('placement') === settings.placement) return;
  const survey = h('comeback-survey', {
    survey: 'delivery-csat',
    preview: true,
    placement: settings.placement,
    theme: settings.theme,
  });
  if (old) old.replaceWith(survey);
  else $('#survey-slot').append(survey);
}

function apply({ replaceHash = true } = {}) {
  const example = EXAMPLES.find((e) => e.id === settings.example);
  $('#page-css').textContent = example?.pageCss ?? '';
  $('#theme-css').textContent = pageCss(settings);
  for (const element of document.querySelectorAll(kit.widgets.map((w) => w.element).join(','))) {
    element.setAttribute('theme', settings.theme);
  }
  placeSurvey();
  // Only a change of locale reaches the widgets (each call re-renders them).
  if (settings.locale !== appliedLocale && window.Comeback?.setLocale) {
    window.Comeback.setLocale(settings.locale || document.documentElement.lang);
    appliedLocale = settings.locale;
  }
  for (const sync of swatches) sync();
  drawOutput();
  drawContrast();
  if (replaceHash) {
    const hash = hashFromSettings(settings);
    history.replaceState(null, '', hash === '#' ? location.pathname + location.search : hash);
  }
}

function drawOutput() {
  const format = $('input[name=format]:checked').value;
  $('#snippet').value = format === 'appearance' ? appearanceCall(settings) : pageCss(settings);
}

function drawContrast() {
  const box = $('#contrast');
  const failing = failingPairs(kit, settings, isDark(settings), rgbOf);
  const current = failing.map((f) => `${f.text}/${f.background}/${f.ratio.toFixed(2)}`).join();
  if (box.dataset.shown === current) return;
  box.dataset.shown = current;
  box.replaceChildren();
  if (!failing.length) return;
  box.append(
    h('p', {}, h('strong', {}, `Below WCAG AA contrast (${failing.length}):`)),
    h(
      'ul',
      {},
      failing.map((f) =>
        h(
          'li',
          { 'data-pair': `${f.text} ${f.background}` },
          h('code', {}, f.text),
          ' on ',
          h('code', {}, f.background),
          `: ${f.ratio.toFixed(2)}:1, needs ${f.minimum}:1`,
          f.about ? ` (${f.about})` : '',
        ),
      ),
    ),
  );
}

/** Puts every control in line with the settings (after a reset, an example or a link). */
function syncControls() {
  for (const field of document.querySelectorAll('[data-token]')) field.syncFromSettings();
  $('#theme-choice').value = settings.theme;
  $('#locale-choice').value = settings.locale;
  $('#placement-choice').value = settings.placement;
  $('#example-choice').value = settings.example;
  drawRules();
}

async function copySnippet() {
  const snippet = $('#snippet');
  const status = $('#copy-status');
  try {
    await navigator.clipboard.writeText(snippet.value);
    status.textContent = 'Copied.';
  } catch {
    snippet.focus();
    snippet.select();
    status.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
  }
}

function wire() {
  const option = (value, text = value) => h('option', { value }, text);
  $('#theme-choice').append(...kit.themes.map((t) => option(t)));
  $('#locale-choice').append(option('', 'Page language'), ...kit.locales.map((l) => option(l)));
  $('#example-choice').append(option('', 'None'), ...EXAMPLES.map((e) => option(e.id, e.label)));
  $('#theme-choice').addEventListener('change', (e) => {
    settings.theme = e.target.value;
    apply();
  });
  $('#locale-choice').addEventListener('change', (e) => {
    settings.locale = e.target.value;
    apply();
  });
  $('#placement-choice').addEventListener('change', (e) => {
    settings.placement = e.target.value;
    apply();
  });
  $('#example-choice').addEventListener('change', (e) => {
    const example = EXAMPLES.find((x) => x.id === e.target.value);
    settings = example ? fromExample(example, settings) : { ...settings, example: '' };
    syncControls();
    apply();
  });
  $('#add-rule').addEventListener('click', () => {
    const widget = kit.widgets[0];
    settings.rules.push({ element: widget.element, part: widget.parts[0].name, css: '' });
    drawRules();
    $(`[data-rule-css="${settings.rules.length - 1}"]`).focus();
  });
  $('#reset').addEventListener('click', () => {
    settings = blank();
    syncControls();
    apply();
  });
  for (const radio of document.querySelectorAll('input[name=format]')) radio.addEventListener('change', drawOutput);
  $('#copy').addEventListener('click', copySnippet);
  // The shop's own language buttons (shop.js) take over from the playground's choice.
  $('.langs')?.addEventListener('click', () => {
    settings.locale = appliedLocale = '';
    $('#locale-choice').value = '';
    apply();
  });
  window.addEventListener('hashchange', () => {
    if (location.hash.replace(/^#?$/, '#') === hashFromSettings(settings)) return;
    settings = settingsFromHash(location.hash);
    syncControls();
    apply({ replaceHash: false });
  });
}

async function start() {
  const response = await fetch('/comeback/kit.json');
  kit = await response.json();
  buildTokenControls();
  wire();
  settings = settingsFromHash(location.hash);
  syncControls();
  apply({ replaceHash: false });
  document.documentElement.dataset.playground = 'ready';
}

start().catch((error) => {
  $('#contrast').textContent = `The playground could not load the kit: ${error.message}`;
});
