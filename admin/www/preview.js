// The dashboard's widget preview: one widget of the shop, as a signed-out shopper sees
// it, served from this server's bundle (/comeback/). Only the widgets and attributes
// listed here can be asked for; everything else in the address is ignored.
const widgets = {
  loyalty: { tag: 'comeback-loyalty', note: 'The loyalty programme as a shopper who is not signed in sees it.' },
  referral: { tag: 'comeback-referral', note: 'The referral card as a shopper who is not signed in sees it.' },
  help: { tag: 'comeback-help', note: 'The help centre.' },
  subscribe: { tag: 'comeback-subscribe', note: 'The subscribe-and-save choice on the product page.', attribute: 'product' },
};
const locales = ['en', 'zh-Hans', 'zh-Hant'];

const params = new URLSearchParams(location.search);
const shop = params.get('shop') || '';
const widget = widgets[params.get('widget')];
const locale = locales.includes(params.get('lang')) ? params.get('lang') : 'en';
const root = document.getElementById('preview');

if (!/^[A-Za-z0-9_-]{1,64}$/.test(shop) || !widget) {
  root.textContent = 'Nothing to preview: the address names no shop or no known widget.';
} else {
  document.documentElement.lang = locale;
  const note = document.createElement('p');
  note.className = 'preview-note';
  note.textContent = widget.note;
  const element = document.createElement(widget.tag);
  if (widget.attribute) element.setAttribute(widget.attribute, params.get(widget.attribute) || '');
  root.append(note, element);
  window.comebackSettings = { shop, locale };
  // What the dashboard around this frame sends as the owner edits: the look, laid on as
  // this page's own appearance (which wins over the shop's saved one) at once, and the
  // rest of an unsaved draft (null once it matches the saved settings) with the reads
  // the preview endpoint answers (the dashboard's PREVIEW_READS). The draft is kept in
  // the tab's session storage across a reload: the widgets read the programme when they
  // start, so a new draft reloads the frame.
  const kept = 'comeback:preview-draft:' + shop;
  let stored = null;
  try {
    stored = JSON.parse(sessionStorage.getItem(kept));
  } catch {}
  const draft = stored?.document ? JSON.stringify(stored.document) : 'null';
  let reload;
  addEventListener('message', (event) => {
    if (event.origin !== location.origin || event.source !== parent || !event.data) return;
    const { appearance, document: next, reads } = event.data;
    if (appearance && typeof appearance == 'object') {
      if (window.Comeback?.setAppearance) window.Comeback.setAppearance(appearance);
      else window.comebackSettings.appearance = appearance;
    }
    if (next === undefined) return;
    if (JSON.stringify(next) === draft) return clearTimeout(reload);
    if (next === null) sessionStorage.removeItem(kept);
    else sessionStorage.setItem(kept, JSON.stringify({ document: next, reads }));
    clearTimeout(reload);
    reload = setTimeout(() => location.reload(), 600);
  });
  // With a draft, the widgets' reads of the programme are answered by the dashboard's
  // preview endpoint with it (owners only, with the session's CSRF token); nothing else
  // changes, and nothing is saved.
  if (draft !== 'null' && Array.isArray(stored.reads)) {
    const reads = stored.reads;
    const api = `${location.origin}/v1/shops/${shop}/`;
    const realFetch = window.fetch.bind(window);
    let csrf;
    window.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const method = (init?.method || (input instanceof Request ? input.method : 'GET')).toUpperCase();
      const request = url.startsWith(api) ? url.slice(api.length) : '';
      if (method !== 'GET' || !reads.includes(request.split('?')[0])) return realFetch(input, init);
      csrf ||= realFetch(`${api}admin/session`).then((r) => r.json()).then((session) => session.csrf_token);
      return csrf.then(async (token) => {
        const response = await realFetch(`${api}admin/settings/preview`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': token },
          body: `{"document":${draft},"request":${JSON.stringify(request)}}`,
        });
        if (response.status === 422) {
          const { error } = await response.clone().json();
          note.textContent = `Your changes do not pass the checks yet (${error.field}: ${error.message}); save shows the same.`;
          note.className = 'preview-note problem';
        } else {
          note.textContent = `${widget.note} With your unsaved changes.`;
        }
        return response;
      });
    };
  }
  import('/comeback/loader.js').catch(() => {
    note.textContent = 'The widget bundle could not be loaded from /comeback/.';
  });
}
