// Comeback loader: defines the <comeback-*> elements, shows a skeleton of reserved size in
// each shadow root, imports the wasm once (an element nears the viewport, or the page is
// idle) and installs window.Comeback. Hand-written, kept tiny (`make size`); safe twice.
const w = window;
const d = document;
const here = import.meta.url;
// Settings: own properties only, copied into objects without a prototype, so a polluted
// Object.prototype changes nothing.
const own = (o, k) => (o != null && Object.hasOwn(o, k) ? o[k] : undefined);
const plain = (o, depth) => {
  const copy = Object.create(null);
  for (const k of o && typeof o == 'object' ? Object.keys(o) : []) {
    copy[k] = depth && typeof o[k] == 'object' ? plain(o[k], depth - 1) : o[k];
  }
  return copy;
};

if (!own(own(w, 'Comeback'), 'version')) {
  const base = new URL('.', here).href;
  const tag = [...d.querySelectorAll('script[src]')].find((s) => s.src === here);
  const data = (name) => (tag && tag.getAttribute('data-' + name)) || undefined;
  const pre = plain(own(w, 'comebackSettings'), 2);
  const state = {
    shop: pre.shop || data('shop'),
    // The token goes there: another origin only from the tag, never from page script.
    api: data('api') || new URL(here).origin,
    token: pre.customerToken || data('customer-token') || null,
    locale: pre.locale || data('locale') || null,
    appearance: pre.appearance || plain(),
    strings: pre.strings || plain(),
    consent: (pre.consent || data('consent')) !== 'required',
  };
  // Attributes each element reacts to, besides theme and lang.
  const kinds = {
    loyalty: ['join-url', 'signin-url'],
    launcher: ['open', 'label', 'position', 'tabs', 'avoid'],
  };
  const live = new Set();
  // Shown only when the bundle itself cannot load (the widget has its own fallbacks).
  const fallback = {
    en: 'This is unavailable right now. Please try again later.',
    hans: '服务暂时不可用，请稍后再试。',
    hant: '服務暫時無法使用，請稍後再試。',
  };
  let bundle;
  // After a panic (comeback:error, code panic) any call into the wasm would throw.
  let dead = false;

  const fire = (target, name, detail) =>
    target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  // No HTML parsing (Trusted Types).
  const node = (name, attrs, ...kids) => {
    const n = d.createElement(name);
    for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
    n.append(...kids);
    return n;
  };

  const skeleton = new CSSStyleSheet();
  skeleton.replaceSync(
    ':host{display:block}.s{box-sizing:border-box;min-height:var(--comeback-min-height,320px);' +
      'padding:16px;border:1px solid #d8dfd9;border-radius:var(--comeback-radius,12px);' +
      'display:grid;gap:12px;align-content:start}.s i{display:block;height:18px;border-radius:6px;' +
      'background:#eef2ed}.s i:first-child{height:40px;width:45%}',
  );

  const load = () =>
    (bundle ||= import(base + 'comeback.js').then(async (m) => {
      await m.default({ module_or_path: base + 'comeback_bg.wasm' });
      fire(d, 'comeback:ready', { version: api.version });
      return m;
    }, (error) => {
      bundle = null; // let the next element try again
      throw error;
    }));

  const settings = (el) => {
    const attrs = plain();
    for (const a of el.attributes) attrs[a.name] = a.value;
    const locales = [el.getAttribute('lang'), state.locale, d.documentElement.lang]
      .concat(navigator.languages || [])
      .filter(Boolean);
    const { shop, api: apiBase, token, strings, appearance } = state;
    return { shop, api: apiBase, token, locales, attrs, strings, appearance };
  };

  const fail = (el, error) => {
    const root = el.shadowRoot;
    if (root) {
      const tag = settings(el).locales[0] || '';
      const script = /^zh/i.test(tag) ? (/hant|tw|hk|mo/i.test(tag) ? 'hant' : 'hans') : 'en';
      root.replaceChildren(node('p', { part: 'fallback', role: 'status' }, fallback[script]));
    }
    if (!dead) fire(el, 'comeback:error', { widget: el.kind, code: 'load', message: String(error) });
  };
  d.addEventListener('comeback:error', (e) => {
    if (own(e.detail, 'code') === 'panic') dead = true;
  });
  // Every call into the wasm: none once dead, and a failure stays in its element.
  const call = (el, fn) => {
    if (dead) return;
    try {
      return fn();
    } catch (error) {
      fail(el, error);
    }
  };

  const seen = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (e.isIntersecting) {
          seen.unobserve(e.target);
          e.target.start();
        }
      }
    },
    { rootMargin: '200px' },
  );

  class ComebackElement extends HTMLElement {
    constructor() {
      super();
      // Own fields: nothing on Object.prototype can pose as a handle.
      this.handle = this.starting = null;
    }

    connectedCallback() {
      live.add(this);
      const root = this.shadowRoot || this.attachShadow({ mode: 'open' });
      if (this.handle) return;
      // The launcher floats over the page: nothing to reserve, and it starts at once.
      if (this.kind === 'launcher') return this.start();
      root.adoptedStyleSheets = [skeleton];
      const i = () => node('i', {});
      root.replaceChildren(node('div', { class: 's', part: 'skeleton', 'aria-busy': 'true' }, i(), i(), i()));
      seen.observe(this);
    }

    disconnectedCallback() {
      live.delete(this);
      seen.unobserve(this);
      const handle = this.handle;
      this.handle = null;
      if (handle) call(this, () => handle.free());
    }

    attributeChangedCallback() {
      this.update();
    }

    async start() {
      if (this.handle || this.starting) return;
      this.starting = true;
      try {
        const m = await load();
        if (dead) throw Error('panic');
        if (this.isConnected && !this.handle) {
          this.handle = call(this, () => m.mount(this.kind, this.shadowRoot, this, settings(this)));
        }
      } catch (error) {
        fail(this, error);
      } finally {
        this.starting = false;
      }
    }

    update() {
      const handle = this.handle;
      if (handle) call(this, () => handle.update(settings(this)));
    }
  }

  for (const [kind, attrs] of Object.entries(kinds)) {
    const name = 'comeback-' + kind;
    if (!customElements.get(name)) {
      customElements.define(
        name,
        class extends ComebackElement {
          static observedAttributes = ['theme', 'lang', ...attrs];
          get kind() {
            return kind;
          }
        },
      );
    }
  }

  const refresh = () => live.forEach((el) => el.update());
  const launcher = () => {
    let el = d.querySelector('comeback-launcher');
    if (!el) {
      el = d.createElement('comeback-launcher');
      if (d.body) d.body.append(el);
      else d.addEventListener('DOMContentLoaded', () => d.body.append(el));
    }
    return el;
  };
  const api = {
    version: '0.1.0',
    setCustomerToken(token) {
      state.token = token || null;
      refresh();
    },
    setLocale(locale) {
      state.locale = locale || null;
      refresh();
    },
    setAppearance(appearance) {
      state.appearance = plain(appearance, 1);
      refresh();
    },
    open(tab) {
      launcher().setAttribute('open', tab || 'rewards');
    },
    close() {
      const el = d.querySelector('comeback-launcher');
      if (el) el.removeAttribute('open');
    },
    on(name, fn) {
      const full = name.startsWith('comeback:') ? name : 'comeback:' + name;
      const listener = (e) => fn(e.detail, e);
      d.addEventListener(full, listener);
      return () => d.removeEventListener(full, listener);
    },
    consent(granted) {
      state.consent = !!granted;
      fire(d, 'comeback:consent', { granted: state.consent });
    },
    get hasConsent() {
      return state.consent && !navigator.globalPrivacyControl;
    },
  };
  // Calls queued before this script ran: window.Comeback = [['setLocale', 'zh-Hans'], …].
  const queued = Array.isArray(own(w, 'Comeback')) ? w.Comeback : [];
  w.Comeback = api;
  for (const [method, ...args] of queued) {
    if (Object.hasOwn(api, method) && typeof api[method] === 'function') api[method](...args);
  }
  // data-launcher="true" adds the launcher; #comeback=<tab> in the address opens it.
  const ready = () => {
    if ((pre.launcher || data('launcher')) + '' === 'true') launcher();
    const link = /[#&]comeback=([\w-]+)/.exec(location.hash);
    if (link) api.open(link[1]);
  };
  if (d.body) ready();
  else d.addEventListener('DOMContentLoaded', ready);
  w.addEventListener('hashchange', ready);
  if (!state.shop) console.warn('Comeback: add data-shop="your-shop" to the loader script tag');
  const idle = w.requestIdleCallback || ((fn) => setTimeout(fn, 2000));
  idle(() => load().catch(() => {}), { timeout: 3000 });
}
