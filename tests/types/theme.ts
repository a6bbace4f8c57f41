// An example theme script, as a theme developer writes it against comeback.d.ts: it
// themes every widget, wires the widgets' events to the shop's own cart and analytics,
// and signs the shopper in. `tsc --strict` must accept it as it is.

export {};

declare const cart: { add(product: string, quantity: number, plan?: string | null): Promise<void> };
declare function analytics(name: string, data: Record<string, unknown>): void;

// Calls made before the loader ran are queued.
const queue: ComebackCommand[] = [
  ['setLocale', 'zh-Hant'],
  ['setAppearance', { theme: 'dark', variables: { '--comeback-color-accent': '#c9a227' } }],
];
void queue;

window.comebackSettings = {
  shop: 'cloud-and-leaf',
  locale: 'zh-Hans',
  consent: 'required',
  appearance: {
    theme: 'auto',
    variables: {
      '--comeback-color-accent': 'var(--color-indigo-600)',
      '--comeback-radius': '0.5rem',
      '--comeback-launcher-offset-y': '88px',
    },
    rules: ':host(comeback-loyalty) [part~="balance"] { font-size: 2.5rem }',
  },
  strings: { 'zh-Hans': { 'loyalty.title': '茶友积分' } },
};

const comeback = window.Comeback;
comeback.setAppearance({ variables: { '--comeback-survey-width': '420px' } });
comeback.setCustomerToken(null);
comeback.open('rewards');

// Every detail is typed: no casts.
comeback.on('recommendations:add', (detail) => {
  void cart.add(detail.product_id, 1);
  analytics('recommendation-added', { kind: detail.kind, price: detail.price / 100 });
});
const stop = comeback.on('comeback:loyalty:redeemed', (detail, event) => {
  analytics('redeemed', { reward: detail.reward_id, balance: detail.balance });
  console.log(event.type, detail.code.toUpperCase());
});
stop();

document.addEventListener('comeback:loyalty:join', (event) => {
  // Open the shop's own sign-up dialog instead of following the link.
  event.preventDefault();
  console.log(event.detail.url);
});

document.addEventListener('comeback:survey:answered', (event) => {
  for (const [question, answer] of Object.entries(event.detail.answers)) {
    analytics('survey', { question, answer, queued: event.detail.queued });
  }
});

const toggle = document.querySelector('comeback-subscribe');
toggle?.addEventListener('comeback:subscribe:changed', (event) => {
  void cart.add(event.detail.product, 1, event.detail.plan);
});
if (toggle) console.log(toggle.kind === 'subscribe');

const choice = comeback.subscription?.('longjing-green-100g');
if (choice) console.log(choice.saving, choice.currency);

comeback.track('view', { product: 'longjing-green-100g' });
console.log(comeback.hasConsent, comeback.tracked.length, comeback.referral() ?? 'none');
