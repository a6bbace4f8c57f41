// The theme playground's settings (www/theme.html) as plain data: their URL form, the
// CSS and the `Comeback.setAppearance` call they make, and the WCAG contrast of the
// colours they give. No DOM here: theme.js draws and applies.
import { EXAMPLES } from './theme-examples.js';

/** The settings everything else is derived from. */
export const blank = () => ({ example: '', theme: 'light', locale: '', placement: 'inline', variables: {}, rules: [] });

/** Drops what could end a declaration or a rule, so a setting stays one declaration. */
export const cleanValue = (value) => String(value ?? '').replace(/[;{}<>]/g, '').trim();
export const cleanDeclarations = (css) => String(css ?? '').replace(/[{}<>]/g, '').trim();

// What a link may name: a token, an element and a part are plain names, so a crafted
// link cannot write anything but declarations into the page's stylesheet.
const TOKEN_NAME = /^--comeback-[a-z0-9-]+$/;
const NAME = /^[a-z][a-z0-9-]*$/;

/** Reads the settings from `location.hash`: `#example=<id>` alone picks an example,
 * `settings=<JSON>` (URL-encoded) holds everything else and wins over the example's. */
export function settingsFromHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const example = EXAMPLES.find((e) => e.id === params.get('example'));
  let settings = example ? fromExample(example, blank()) : blank();
  const raw = params.get('settings');
  if (raw) {
    try {
      const parsed = JSON.parse(raw);
      settings = {
        ...settings,
        theme: ['light', 'dark', 'auto'].includes(parsed.theme) ? parsed.theme : settings.theme,
        locale: typeof parsed.locale === 'string' ? parsed.locale : '',
        placement: ['inline', 'popup', 'side-tab'].includes(parsed.placement) ? parsed.placement : 'inline',
        variables: Object.fromEntries(
          Object.entries(parsed.variables ?? {})
            .filter(([name, value]) => TOKEN_NAME.test(name) && typeof value === 'string')
            .map(([name, value]) => [name, cleanValue(value)]),
        ),
        rules: (Array.isArray(parsed.rules) ? parsed.rules : [])
          .filter((r) => r && NAME.test(r.element) && NAME.test(r.part))
          .map((r) => ({ element: r.element, part: r.part, css: cleanDeclarations(r.css) })),
      };
    } catch {
      // A damaged link: keep what could be read.
    }
  }
  return settings;
}

export function hashFromSettings(settings) {
  const params = new URLSearchParams();
  if (settings.example) params.set('example', settings.example);
  const json = ({ theme, locale, placement, variables, rules }) =>
    JSON.stringify({ theme, locale, placement, variables, rules });
  // Defaults, or an example left as it is, need no more than its name.
  if (json(settings) !== json(settingsFromHash('#' + params))) params.set('settings', json(settings));
  return '#' + params;
}

/** An example's look over the current settings (locale and placement are kept). */
export function fromExample(example, settings) {
  return {
    ...settings,
    example: example.id,
    theme: example.theme,
    variables: { ...example.variables },
    rules: example.rules.map((r) => ({ ...r })),
  };
}

const setVariables = (settings) => Object.entries(settings.variables).filter(([, value]) => value !== '');
const setRules = (settings) => settings.rules.filter((r) => r.element && r.part && r.css);

/** The CSS of the settings for a page: what the playground applies and "Copy" gives. */
export function pageCss(settings) {
  const lines = [];
  if (settings.theme !== 'light') lines.push(`/* Set theme="${settings.theme}" on each <comeback-…> element. */`);
  const variables = setVariables(settings);
  if (variables.length) lines.push(':root {', ...variables.map(([n, v]) => `  ${n}: ${v};`), '}');
  for (const [css, rules] of byDeclarations(settings)) {
    lines.push(`${rules.map((r) => `${r.element}::part(${r.part})`).join(',\n')} { ${css} }`);
  }
  return lines.join('\n') + (lines.length ? '\n' : '');
}

/** The rules grouped by their declarations (one selector list each), in first-use order. */
function byDeclarations(settings) {
  const groups = new Map();
  for (const rule of setRules(settings)) groups.set(rule.css, [...(groups.get(rule.css) ?? []), rule]);
  return [...groups];
}

/** The same settings as a `Comeback.setAppearance` call: its `rules` go inside every
 * shadow root, so `::part()` becomes `:host(<element>) [part~="<part>"]`. */
export function appearanceCall(settings) {
  const rules = byDeclarations(settings)
    .map(([css, rules]) => `${rules.map((r) => `:host(${r.element}) [part~="${r.part}"]`).join(', ')} { ${css} }`)
    .join('\n');
  const appearance = { theme: settings.theme, variables: Object.fromEntries(setVariables(settings)) };
  if (rules) appearance.rules = rules;
  return `Comeback.setAppearance(${JSON.stringify(appearance, null, 2)});\n`;
}

/** WCAG 2 relative luminance of an sRGB colour. */
function luminance([r, g, b]) {
  const linear = (c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG 2 contrast ratio, 1 to 21. */
export function contrastRatio(a, b) {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** The colour a token takes as [r, g, b]: the value set, else its default for the theme
 * (or the colour of the token it follows). `resolve` turns a CSS colour into [r, g, b]
 * (`null` when it is not one). */
export function effectiveColour(kit, name, settings, dark, resolve, seen = new Set()) {
  const token = kit.tokens.find((t) => t.name === name);
  if (!token || seen.has(name)) return null;
  seen.add(name);
  const set = settings.variables[name];
  const fromSet = set ? resolve(set) : null;
  if (fromSet) return fromSet;
  if (token.follows) return effectiveColour(kit, token.follows, settings, dark, resolve, seen);
  return resolve(dark && token.dark ? token.dark : token.light);
}

/** The kit's readable pairs that the settings put under their minimum, with the ratio. */
export function failingPairs(kit, settings, dark, resolve) {
  return kit.contrast.flatMap((pair) => {
    const text = effectiveColour(kit, pair.text, settings, dark, resolve);
    const background = effectiveColour(kit, pair.background, settings, dark, resolve);
    if (!text || !background) return [];
    const ratio = contrastRatio(text, background);
    return ratio + 1e-9 < pair.minimum ? [{ ...pair, ratio }] : [];
  });
}
