// What the declarations must refuse: each line below is a mistake a theme developer could
// make, and `tsc` fails if the types let any of them through (an unused
// `@ts-expect-error` is an error), so the types cannot quietly become `any`.

// @ts-expect-error: not a token the widgets read
window.Comeback.setAppearance({ variables: { '--comeback-colour-accent': 'red' } });
// @ts-expect-error: not a theme
window.Comeback.setAppearance({ theme: 'sepia' });
// @ts-expect-error: not a launcher tab
window.Comeback.open('wishlist');
// @ts-expect-error: not an event
window.Comeback.on('loyalty:exploded', () => {});
// @ts-expect-error: `balance` is a number
window.Comeback.on('loyalty:loaded', (detail) => detail.balance.toUpperCase());
document.addEventListener('comeback:recommendations:add', (event) => {
  // @ts-expect-error: the detail has no `sku`
  console.log(event.detail.sku);
});
// @ts-expect-error: `kind` takes only the list kinds
export const wrong = { kind: 'bestsellers' } satisfies ComebackElements['comeback-recommendations'];
// @ts-expect-error: a settings key the loader does not read
window.comebackSettings = { shopId: 'demo' };
