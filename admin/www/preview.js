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
  // The Appearance section's unsaved look, sent by the dashboard around this frame: as
  // the page's own appearance it wins over the shop's saved one.
  addEventListener('message', (event) => {
    const look = event.origin === location.origin && event.source === parent && event.data?.appearance;
    if (!look || typeof look != 'object') return;
    if (window.Comeback?.setAppearance) window.Comeback.setAppearance(look);
    else window.comebackSettings.appearance = look;
  });
  import('/comeback/loader.js').catch(() => {
    note.textContent = 'The widget bundle could not be loaded from /comeback/.';
  });
}
