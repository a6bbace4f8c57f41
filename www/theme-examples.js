// Example appearances for the theme playground (theme.html): each is what a theme
// developer would ship for one kind of shop, written with nothing but the public
// tokens (`--comeback-*`) and `::part()` rules, plus `pageCss`, the shop's own CSS
// around the widgets (the playground applies it to the page behind them).

/** The button parts of every widget, for examples that restyle all buttons alike. */
const BUTTONS = [
  ['comeback-loyalty', ['redeem-button', 'confirm-button', 'join-button', 'copy-button']],
  ['comeback-help', ['contact-button', 'send-button']],
  ['comeback-recommendations', ['add-button']],
  ['comeback-subscriptions', ['skip-button', 'deliver-now-button', 'change-button', 'pause-button', 'cancel-button']],
  ['comeback-referral', ['copy-button', 'share-button']],
  ['comeback-survey', ['next-button', 'send-button']],
  ['comeback-launcher', ['launcher-button']],
];

/** The same declarations for every button part. */
const everyButton = (css) =>
  BUTTONS.flatMap(([element, parts]) => parts.map((part) => ({ element, part, css })));

export const EXAMPLES = [
  {
    id: 'luxury',
    label: 'Dark luxury (black, ivory, gold)',
    theme: 'dark',
    variables: {
      '--comeback-color-accent': '#c9a54a',
      '--comeback-color-on-accent': '#0a0a0a',
      '--comeback-color-text': '#f3eee2',
      '--comeback-color-muted': '#bdb4a2',
      '--comeback-color-surface': '#0a0a0a',
      '--comeback-color-surface-alt': '#16140f',
      '--comeback-color-border': '#4a3f26',
      '--comeback-color-success': '#a8d5a2',
      '--comeback-color-danger': '#f2a196',
      '--comeback-radius': '0px',
      '--comeback-spacing': '22px',
      '--comeback-font-family': '"Didot", "Bodoni 72", "Playfair Display", Georgia, "Times New Roman", serif',
      '--comeback-shadow': '0 0 0 1px #2a2418',
      '--comeback-launcher-background': '#0a0a0a',
      '--comeback-launcher-color': '#c9a54a',
    },
    rules: [
      { element: 'comeback-loyalty', part: 'balance', css: 'letter-spacing: 0.04em; font-weight: 400;' },
      ...everyButton('text-transform: uppercase; letter-spacing: 0.14em; font-size: 0.8em;'),
      { element: 'comeback-launcher', part: 'launcher-button', css: 'border: 1px solid #c9a54a;' },
    ],
    pageCss: `body { background: #050505; color: #f3eee2; font-family: Georgia, "Times New Roman", serif; }`,
  },
  {
    id: 'tailwind',
    label: 'Bright minimal (Tailwind)',
    theme: 'light',
    variables: {
      '--comeback-color-accent': 'var(--color-indigo-600)',
      '--comeback-color-on-accent': 'var(--color-white)',
      '--comeback-color-text': 'var(--color-slate-900)',
      '--comeback-color-muted': 'var(--color-slate-500)',
      '--comeback-color-surface': 'var(--color-white)',
      '--comeback-color-surface-alt': 'var(--color-slate-50)',
      '--comeback-color-border': 'var(--color-slate-200)',
      '--comeback-radius': 'var(--radius-lg)',
      '--comeback-shadow': 'var(--shadow-sm)',
      '--comeback-font-family': 'var(--font-sans)',
    },
    rules: [{ element: 'comeback-loyalty', part: 'balance', css: 'font-weight: 600; letter-spacing: -0.025em;' }],
    // What Tailwind v4's `@theme` puts on :root (its default values).
    pageCss: `:root {
  --color-indigo-600: oklch(51.1% 0.262 276.966);
  --color-slate-900: oklch(20.8% 0.042 265.755);
  --color-slate-500: oklch(55.4% 0.046 257.417);
  --color-white: #fff;
  --color-slate-50: oklch(98.4% 0.003 247.858);
  --color-slate-200: oklch(92.9% 0.013 255.508);
  --radius-lg: 0.5rem;
  --shadow-sm: 0 1px 3px 0 rgb(0 0 0 / 0.1), 0 1px 2px -1px rgb(0 0 0 / 0.1);
  --font-sans: ui-sans-serif, system-ui, sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Segoe UI Symbol", "Noto Color Emoji";
}
body { background: var(--color-slate-50); color: var(--color-slate-900); font-family: var(--font-sans); }`,
  },
  {
    id: 'inherit',
    label: "Inherits the shop's font and buttons",
    theme: 'light',
    variables: {
      '--comeback-color-accent': 'var(--shop-button-background)',
      '--comeback-color-on-accent': 'var(--shop-button-text)',
      '--comeback-color-text': 'var(--shop-ink)',
      '--comeback-color-surface': 'var(--shop-paper)',
      '--comeback-color-border': 'var(--shop-line)',
      '--comeback-radius': 'var(--shop-card-radius)',
    },
    rules: [
      ...everyButton(
        'text-transform: uppercase; letter-spacing: 0.1em; font-weight: 700; border-radius: var(--shop-button-radius);',
      ),
      { element: 'comeback-loyalty', part: 'balance', css: 'font-style: italic;' },
    ],
    // The shop's own font and button style, as custom properties (which inherit into
    // the widgets' shadow roots).
    pageCss: `:root {
  --shop-font: "Trebuchet MS", "Gill Sans", "Lucida Grande", sans-serif;
  --shop-ink: #2b2118;
  --shop-paper: #fff8ef;
  --shop-line: #ead9c6;
  --shop-button-background: #b93c0b;
  --shop-button-text: #ffffff;
  --shop-button-radius: 999px;
  --shop-card-radius: 6px;
}
body { font-family: var(--shop-font); background: #fdf1e2; color: var(--shop-ink); }`,
  },
];
