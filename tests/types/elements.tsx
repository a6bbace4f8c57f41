// The elements in JSX/TSX (the global JSX namespace; see comeback.d.ts for React 19).
export const rewards = (
  <section>
    <comeback-loyalty theme="dark" join-url="/account/register" class="rewards" data-testid="x" />
    <comeback-recommendations kind="also-bought" product="longjing-green-100g" limit={4} min="2" />
    <comeback-subscribe product="longjing-green-100g" field="subscription" />
    <comeback-survey survey="thank-you-nps" trigger="order-complete" order="1001" placement="popup" />
    <comeback-launcher position="bottom-left" tabs="rewards, help" lang="zh-Hant" />
  </section>
);

declare global {
  namespace JSX {
    interface IntrinsicElements {
      section: { children?: unknown };
    }
  }
}
