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
  // Referral attribution (comeback_core::referral): a link's ?ref=CODE (the parameter
  // is data-referral-param) is kept on this device as {code, until} (Unix seconds) for
  // the shop's cart (Comeback.referral()) and <comeback-referral mode="banner">. A new
  // code, or one whose visit has expired, is counted once (POST referrals/visits),
  // whose answer says until when it attributes; a code the shop does not know is
  // forgotten. Kept only with the shopper's consent when the shop asks for it.
  const refKey = 'comeback:referral:' + state.shop;
  const shopApi = () => `${state.api}/v1/shops/${encodeURIComponent(state.shop)}/`;
  const keep = (entry) => {
    try {
      entry ? (localStorage[refKey] = JSON.stringify(entry)) : localStorage.removeItem(refKey);
    } catch {}
  };
  const kept = () => {
    try {
      const entry = JSON.parse(localStorage[refKey]);
      if (typeof entry.code == 'string' && entry.until > Date.now() / 1e3) return entry;
      keep();
    } catch {}
  };
  const capture = () => {
    // As parse_referral_code reads it: six of the unambiguous alphabet, any case, the
    // dash and spaces optional.
    const c = (new URLSearchParams(location.search).get(pre.referralParam || data('referral-param') || 'ref') || '')
      .replace(/[- \t]/g, '')
      .toUpperCase();
    if (!state.shop || !state.consent || !/^[2-9A-HJKMNP-Z]{6}$/.test(c)) return;
    const code = c.slice(0, 3) + '-' + c.slice(3);
    if (kept()?.code == code) return;
    keep({ code, until: (Date.now() / 1e3 | 0) + 2592e3 });
    const ours = (then) => kept()?.code == code && then();
    fetch(shopApi() + 'referrals/visits', {
      method: 'POST',
      keepalive: true,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    })
      .then((r) => (r.status == 404 ? ours(keep) : r.ok && r.json()))
      .then((v) => v?.expires_at && ours(() => keep({ code, until: v.expires_at })))
      .catch(() => {});
  };
  capture();
  // The widget registry, written in by the build (scripts/bundle.sh):
  // kind -> [attributes it reacts to besides theme and lang, floats over the page,
  // the shared wasm chunks its code needs besides its own split_widget_<kind>.wasm (a
  // hexadecimal number, bit n for chunk_<n>.wasm; empty when nothing is split), its tab
  // in the launcher's panel or null, whether the panel shows that tab when the launcher
  // has no `tabs` attribute].
  const kinds = /* registry */ {};
  // The few catalogue strings the loader shows itself, per locale (written in by the build).
  const text = /* text */ {};
  const live = new Set();
  let bundle;
  // The shopper's loyalty summary, fetched once per token for the closed launcher and
  // handed to the wasm, so the launcher and the widget in its tab never ask again.
  let summary = null;
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
    ':host{display:block}.s{box-sizing:border-box;min-height:var(--cb-reserve,var(--comeback-min-height,320px));' +
      'padding:16px;border:1px solid #d8dfd9;border-radius:var(--comeback-radius,12px);' +
      'display:grid;gap:12px;align-content:start}.s i{height:18px;border-radius:6px;' +
      'background:#eef2ed}.s i:first-child{height:40px;width:45%}' +
      '.f{min-height:var(--comeback-min-height,0);padding:0;border:0}',
  );

  // The shop's own look (the appearance in its settings, GET …/appearance) lies
  // beneath the page's: the page's theme and tokens win, the rules are the page's only.
  // Fetched once, when the first element arrives; the skeletons and the facade wear
  // the tokens too, and a late answer that sets something restyles what is mounted
  // (one that sets nothing touches nothing: an update can move a mounted widget).
  let shopLook = plain();
  let looking;
  const looks = () => {
    const a = state.appearance;
    return { theme: a.theme || shopLook.theme, variables: Object.assign(plain(), shopLook.variables, a.variables), rules: a.rules };
  };
  const lookSheet = new CSSStyleSheet();
  const paintLook = () =>
    lookSheet.replaceSync(':host{' + Object.entries(looks().variables).map((p) => p.join(':')).join(';') + '}');
  paintLook();
  const look = () =>
    (looking ||= state.shop && fetch(shopApi() + 'appearance').then((r) => r.ok && r.json()).then((j) => {
      if (j && (j.theme || Object.keys(j.variables || 0).length)) (shopLook = plain(j, 1)), paintLook(), refresh();
    }, () => {}));

  // Fetches, in parallel with the main module, the chunks of every kind on the page,
  // so no widget waits for a second round trip. The split runtime's own fetch of the
  // same URL then takes the preloaded response.
  const fetched = new Set();
  const preload = (href, rel = 'preload') => {
    if (fetched.has(href)) return;
    fetched.add(href);
    // `as` only on a plain preload: a modulepreload with it would not be fetched.
    d.head.append(node('link', { rel, href, crossorigin: 'anonymous', ...(rel == 'preload' && { as: 'fetch' }) }));
  };
  // The shipped strings travel apart from the wasm, one file per locale and catalogue
  // (the shared one and each kind's), each fetched once per page.
  const catalogueFiles = new Map();
  const catalogueFile = (locale, name) => {
    const url = `${base}strings/${locale}/${name}.json`;
    if (!catalogueFiles.has(url)) {
      catalogueFiles.set(url, fetch(url).then((r) => (r.ok ? r.json() : {}), () => ({})));
    }
    return catalogueFiles.get(url);
  };
  // The element's catalogue in its locale, kept on it with the locale it is for.
  const catalogue = (el) => {
    const locale = localeOf(el);
    if (el.table?.locale === locale) return Promise.resolve(el.table);
    return Promise.all([catalogueFile(locale, 'common'), catalogueFile(locale, el.kind)]).then((parts) => {
      const texts = plain();
      for (const part of parts) Object.assign(texts, plain(part));
      return (el.table = { locale, texts });
    });
  };
  // An element's chunks and, for the launcher, those of the widgets in its panel's tabs
  // (the `tabs` attribute's, else the default ones), with their strings: opening the panel then
  // waits for no second round trip.
  const prefetch = (el) => {
    const tabbed = Object.keys(kinds).filter((k) => kinds[k][3]);
    const named = (el.getAttribute('tabs') || '').toLowerCase().split(/[\s,]+/);
    const shown = tabbed.filter((k) => named.includes(kinds[k][3]));
    const panel = el.kind === 'launcher' ? (shown.length ? shown : tabbed.filter((k) => kinds[k][4])) : [];
    for (const kind of [el.kind, ...panel]) {
      if (split) {
        preload(`${base}split_widget_${kind}.wasm`);
        [...BigInt('0x' + kinds[kind][2]).toString(2)].reverse().map((bit, n) => +bit && preload(`${base}chunk_${n}.wasm`));
      }
      if (kind !== el.kind) catalogueFile(localeOf(el), kind);
    }
  };

  const split = Object.values(kinds).some((k) => k[2]);
  const fetchAll = () => {
    preload(base + 'comeback_bg.wasm');
    if (split) preload(base + '__wasm_split.js', 'modulepreload');
    // A facade loads its chunk on intent only (start() below).
    live.forEach((el) => {
      if (kinds[el.kind][1] && !el.starting) return;
      prefetch(el);
      catalogue(el);
    });
    return import(base + 'comeback.js');
  };

  const load = () =>
    (bundle ||= fetchAll().then(async (m) => {
      await m.default({ module_or_path: base + 'comeback_bg.wasm' });
      fire(d, 'comeback:ready', { version: api.version });
      return m;
    }, (error) => {
      bundle = null; // let the next element try again
      throw error;
    }));

  const localesOf = (el) =>
    [el.getAttribute('lang'), state.locale, d.documentElement.lang, ...navigator.languages].filter(Boolean);

  const settings = (el) => {
    const attrs = plain();
    for (const a of el.attributes) attrs[a.name] = a.value;
    // shop, api, token, strings, appearance (and the locale setting, which `locales` carries).
    const config = { ...state, appearance: looks(), locales: localesOf(el), attrs, catalogue: el.table?.texts, consent: api.hasConsent };
    if (summary?.token === state.token && summary.value) config.prefetched = { '/loyalty/me': summary.value };
    return config;
  };

  // The shipped locale the same way the runtime picks it (comeback_core::Locale::from_tag):
  // the first English or Chinese tag; Chinese reads Traditional for Hant, TW, HK and MO.
  const localeOf = (el) => {
    for (const tag of localesOf(el)) {
      const [lang, ...rest] = tag.toLowerCase().split(/[-_]/);
      if (lang === 'en') return 'en';
      if (/^(zh|cmn|yue)$/.test(lang)) {
        if (rest.includes('hans')) return 'zh-Hans';
        return rest.some((p) => /^(hant|tw|hk|mo)$/.test(p)) || lang === 'yue' ? 'zh-Hant' : 'zh-Hans';
      }
    }
    return 'en';
  };
  // A shipped string with the merchant's override for that locale, placeholders filled.
  const say = (el, key, n) => {
    const locale = localeOf(el);
    const mine = own(own(state.strings, locale), key);
    const line = typeof mine === 'string' ? mine : own(own(text, locale), key) || own(text.en, key) || '';
    return n === undefined ? line : line.replace('{n}', new Intl.NumberFormat(locale).format(n));
  };

  const fail = (el, error) => {
    el.shadowRoot?.replaceChildren(node('p', { part: 'fallback', role: 'status' }, say(el, 'common.unavailable')));
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

  // The closed launcher without the wasm (the facade pattern): a button with the
  // balance, styled like the real one from the same custom properties. Hovering,
  // focusing, touching or clicking it loads the wasm; a click also opens the panel.
  // The real launcher then takes the button's place.
  const facadeSheet = new CSSStyleSheet();
  facadeSheet.replaceSync(
    ':host{position:fixed;z-index:var(--comeback-launcher-z-index,2147483000);' +
      'right:var(--comeback-launcher-offset-x,20px);bottom:var(--comeback-launcher-offset-y,20px)}' +
      ':host([position=bottom-left]){right:auto;left:var(--comeback-launcher-offset-x,20px)}' +
      'button{font:inherit;font-family:var(--comeback-font-family,inherit);font-size:var(--comeback-font-size,15px);' +
      'font-weight:650;display:inline-flex;align-items:center;gap:8px;min-height:48px;' +
      'padding:10px 18px 10px 14px;border:0;border-radius:999px;cursor:pointer;' +
      'background:var(--comeback-launcher-background,var(--comeback-color-accent,#2f6b4f));' +
      'color:var(--comeback-launcher-color,var(--comeback-color-on-accent,#fff));box-shadow:0 4px 14px rgb(0 0 0/22%)}' +
      'button:focus-visible{outline:3px solid var(--comeback-color-text,#1f2622);outline-offset:3px}' +
      'b{padding:2px 8px;border-radius:999px;background:rgb(0 0 0/22%);font-variant-numeric:tabular-nums}',
  );
  const fetchSummary = async () => {
    const token = state.token;
    if (!token || !state.shop) return null;
    if (summary && summary.token === token) return summary.promise;
    const entry = { token, value: null };
    entry.promise = fetch(shopApi() + 'loyalty/me', {
      headers: { authorization: 'Bearer ' + token },
    })
      .then((r) => (r.ok ? r.json() : null))
      .then((json) => (entry.value = json), () => null);
    summary = entry;
    return entry.promise;
  };
  const drawFacade = (el) => {
    const root = el.shadowRoot;
    const button = node('button', { type: 'button', part: 'launcher-button', 'aria-haspopup': 'dialog', 'aria-expanded': 'false' });
    const paint = () => {
      const label = el.getAttribute('label') || say(el, 'launcher.rewards');
      const balance = summary && summary.token === state.token && summary.value && summary.value.balance;
      const points = typeof balance === 'number' ? say(el, balance === 1 ? 'common.points_one' : 'common.points_other', balance) : null;
      // Named by its visible text, like the real button (WCAG 2.5.3).
      button.replaceChildren(node('span', {}, label));
      if (points) button.append(' ', node('b', { part: 'launcher-balance' }, points));
    };
    paint();
    el.facade = paint;
    fetchSummary().then(() => el.facade && el.facade());
    const intent = () => el.start();
    for (const type of ['pointerenter', 'focus', 'touchstart']) {
      button.addEventListener(type, intent, { once: true, passive: true });
    }
    const open = () => {
      if (!el.hasAttribute('open')) el.setAttribute('open', 'first');
      intent();
    };
    button.addEventListener('click', open);
    // A press that starts here and ends on the real launcher (it took the facade's
    // place in between) is still a click: the browser delivers it to neither.
    button.addEventListener('pointerdown', () => (el.pressed = 1));
    button.addEventListener('pointerup', () => (el.pressed = 0));
    el.pressed = 0;
    root.replaceChildren(button);
    keepClear(el, root);
  };
  // Like the real launcher (launcher::model::lift), the facade climbs over the page's own
  // buttons (a phone's buy bar) so it never covers them; checked on scroll and resize.
  const AVOID =
    '[data-comeback-avoid],[name=checkout],.checkout-button,#checkout-button,.shopify-payment-button';
  const keepClear = (el, root) => {
    const lift = new CSSStyleSheet();
    root.adoptedStyleSheets = [facadeSheet, lookSheet, lift];
    let applied = 0;
    let pending = false;
    const check = () => {
      if (!el.facade) return w.removeEventListener('scroll', check), w.removeEventListener('resize', check);
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        const r = el.getBoundingClientRect();
        const top = r.top + applied;
        const bottom = r.bottom + applied;
        const obstacles = [...d.querySelectorAll(el.getAttribute('avoid') || AVOID)]
          .map((o) => o.getBoundingClientRect())
          .filter((o) => o.width && o.height && o.top < innerHeight && o.bottom > 0);
        let need = 0;
        for (let pass = 0; pass <= obstacles.length; pass++) {
          const hit = obstacles
            .filter((o) => r.left < o.right + 12 && r.right > o.left - 12 && top - need < o.bottom + 12 && bottom - need > o.top - 12)
            .reduce((most, o) => Math.max(most, bottom - o.top + 12), 0);
          if (hit <= need) break;
          need = hit;
        }
        need = Math.round(Math.max(0, Math.min(need, top - 12)));
        if (need !== applied) {
          applied = need;
          lift.replaceSync(`:host{bottom:calc(var(--comeback-launcher-offset-y,20px) + ${need}px)}`);
        }
      });
    };
    w.addEventListener('scroll', check, { passive: true });
    w.addEventListener('resize', check);
    check();
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

  // Each element's height once its view settled (nothing in it busy), per shop, kind and
  // width on this device, until the shopper first touches it: the next page's skeleton
  // reserves it (--cb-reserve), so the view replacing the skeleton moves nothing below.
  const sizeKey = (el) => `comeback:size:${state.shop}:${el.kind}:${el.offsetWidth}`;
  const sizes = new ResizeObserver((entries) => {
    for (const { target: el } of entries) {
      try {
        if (el.handle && !el.shadowRoot.querySelector('[aria-busy]')) localStorage[sizeKey(el)] = el.offsetHeight;
      } catch {}
    }
  });

  class ComebackElement extends HTMLElement {
    constructor() {
      super();
      // Own fields: nothing on Object.prototype can pose as a handle.
      this.handle = this.starting = null;
      for (const t of ['pointerdown', 'keydown']) this.addEventListener(t, () => sizes.unobserve(this));
    }

    connectedCallback() {
      live.add(this);
      look();
      const root = this.shadowRoot || this.attachShadow({ mode: 'open' });
      if (this.handle) return;
      // A floating widget (the launcher) reserves nothing and shows its facade until
      // the shopper reaches for it (or it is asked to open).
      if (kinds[this.kind][1]) {
        drawFacade(this);
        if (this.hasAttribute('open')) this.start();
        return;
      }
      root.adoptedStyleSheets = [skeleton, lookSheet];
      const i = () => node('i', {});
      // A kind that often shows nothing (1), or an element of it with a given attribute
      // ("mode=banner"), holds only the height the shop reserves.
      const [a, v] = (kinds[this.kind][5] + '').split('=');
      root.replaceChildren(
        (v ? this.getAttribute(a) == v : +a)
          ? node('div', { class: 's f', part: 'skeleton', 'aria-busy': 'true' })
          : node('div', { class: 's', part: 'skeleton', 'aria-busy': 'true' }, i(), i(), i()),
      );
      try {
        const high = localStorage[sizeKey(this)];
        if (high) this.style.setProperty('--cb-reserve', high + 'px');
      } catch {}
      sizes.observe(this);
      seen.observe(this);
    }

    disconnectedCallback() {
      live.delete(this);
      seen.unobserve(this);
      sizes.unobserve(this);
      const handle = this.handle;
      this.handle = null;
      if (handle) call(this, () => handle.free());
    }

    attributeChangedCallback(name) {
      if (this.facade && !this.handle) {
        if (name === 'open' && this.hasAttribute('open')) this.start();
        else this.facade();
      }
      this.update();
    }

    async start() {
      if (this.handle || this.starting) return;
      this.starting = true;
      try {
        if (bundle) prefetch(this);
        let [m, table] = await Promise.all([load(), catalogue(this)]);
        // The language may have changed while loading: mount with the current one's.
        while (table.locale !== localeOf(this)) table = await catalogue(this);
        if (dead) throw Error('panic');
        if (this.isConnected && !this.handle) {
          if (this.pressed && !this.hasAttribute('open')) this.setAttribute('open', 'first');
          this.handle = call(this, () => m.mount(this.kind, this.shadowRoot, this, settings(this)));
          if (this.handle) this.facade = null;
        }
      } catch (error) {
        fail(this, error);
      } finally {
        this.starting = false;
      }
    }

    update() {
      if (!this.handle) return;
      // A new locale: its strings first (once per page), then the widget. An update
      // whose strings are for a locale the element has since left is dropped: the
      // update for the new locale follows once its strings are here.
      catalogue(this).then((table) => {
        const handle = this.handle;
        if (handle && table.locale === localeOf(this)) call(this, () => handle.update(settings(this)));
      });
    }
  }

  for (const [kind, [attrs]] of Object.entries(kinds)) {
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

  const refresh = () =>
    live.forEach((el) => {
      if (el.facade && !el.handle) fetchSummary().then(() => el.facade && el.facade());
      el.update();
    });
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
      paintLook();
      refresh();
    },
    open(tab) {
      launcher().setAttribute('open', tab || 'first');
    },
    close() {
      d.querySelector('comeback-launcher')?.removeAttribute('open');
    },
    on(name, fn) {
      const full = name.startsWith('comeback:') ? name : 'comeback:' + name;
      const listener = (e) => fn(e.detail, e);
      d.addEventListener(full, listener);
      return () => d.removeEventListener(full, listener);
    },
    // The referral code the shop's cart sends as the order's referral_code, or null.
    referral() {
      return kept()?.code || null;
    },
    consent(granted) {
      state.consent = !!granted;
      capture();
      fire(d, 'comeback:consent', { granted: state.consent });
      refresh();
    },
    get hasConsent() {
      return state.consent && !navigator.globalPrivacyControl;
    },
    // track(name): the name is kept (the last 20, in Comeback.tracked, for a
    // <comeback-survey trigger="event"> that mounts later) and announced as
    // comeback:track {name} on document. track('view', {product}) also keeps the recently
    // viewed list <comeback-recommendations> sends (`viewed=`), on this device only and
    // only with consent; the widget keeps the same list the same way
    // (recommendations::model::remember).
    tracked: [],
    track(event, detail) {
      const t = api.tracked;
      t.splice(0, t.push((event += '')) - 20);
      fire(d, 'comeback:track', { name: event });
      const id = own(detail, 'product');
      const k = 'comeback:recs:viewed';
      if (event == 'view' && id && api.hasConsent) {
        try {
          localStorage[k] = JSON.stringify([id + '', ...JSON.parse(localStorage[k] || '[]').filter((v) => v != id)].slice(0, 20));
        } catch {}
      }
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
  // Warm the bundle when the page is idle, unless all it holds is a closed launcher
  // (that loads on the shopper's intent).
  const idle = w.requestIdleCallback || ((fn) => setTimeout(fn, 2000));
  idle(() => [...live].some((el) => !kinds[el.kind][1]) && load().catch(() => {}), { timeout: 3000 });
}
