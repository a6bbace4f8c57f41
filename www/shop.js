// The demo shop's own script: page chrome in three languages and the demo sign-in.
// A real shop mints customer tokens on its own backend; the demo server does it at
// /demo/session so you can try the widgets without writing a backend.
const text = {
  en: {
    tagline: 'Single-origin teas from Fujian and Yunnan',
    home: 'Home', teas: 'Our teas', account: 'My account', help: 'Help',
    heroTitle: 'Tea worth coming back for',
    heroBody: 'Every order earns points you can turn into discounts. Members move up from Green Leaf to Full Bloom.',
    shopNow: 'Shop the teas', viewAccount: 'See my rewards',
    accountTitle: 'My account', signedInAs: 'Signed in as', signedOut: 'You are signed out.',
    signIn: 'Sign in as the demo customer', signOut: 'Sign out',
    thanksTitle: 'Thank you for your order!', thanksBody: 'Your points appear as soon as the payment is confirmed.',
    helpTitle: 'Help', addToCart: 'Buy now', earn: 'Earn {n} points with this tea',
    productNote: 'Harvested in spring, roasted in small batches.',
    footer: 'Cloud & Leaf Tea — a Comeback demo shop',
    themeLink: 'Theme playground (for developers)',
    themeTitle: 'Theme playground',
    themeIntro: "Every widget with the demo customer's data. Change the tokens and parts in the panel, then copy the CSS.",
    openRewards: 'Open my rewards',
    added: 'Added to your bag: {title}',
  },
  'zh-Hans': {
    tagline: '福建与云南的单一产地好茶',
    home: '首页', teas: '茶品', account: '我的账户', help: '帮助',
    heroTitle: '值得一再回购的好茶',
    heroBody: '每笔订单都能积分，积分可兑换优惠。会员从青叶一路升级到花开。',
    shopNow: '选购茶品', viewAccount: '查看我的积分',
    accountTitle: '我的账户', signedInAs: '当前登录：', signedOut: '您已退出登录。',
    signIn: '以演示顾客身份登录', signOut: '退出登录',
    thanksTitle: '感谢您的订购！', thanksBody: '付款确认后积分即会到账。',
    helpTitle: '帮助', addToCart: '立即购买', earn: '购买此茶可得 {n} 积分',
    productNote: '春季采摘，小批量烘焙。',
    footer: '云叶茶舍 — Comeback 演示店铺',
    themeLink: '主题调试台（开发者）',
    themeTitle: '主题调试台',
    themeIntro: '所有组件都显示演示顾客的数据。在面板中调整变量和部件样式，然后复制 CSS。',
    openRewards: '打开我的积分',
    added: '已加入购物袋：{title}',
  },
  'zh-Hant': {
    tagline: '福建與雲南的單一產地好茶',
    home: '首頁', teas: '茶品', account: '我的帳戶', help: '幫助',
    heroTitle: '值得一再回購的好茶',
    heroBody: '每筆訂單都能積分，積分可兌換優惠。會員從青葉一路升級到花開。',
    shopNow: '選購茶品', viewAccount: '查看我的積分',
    accountTitle: '我的帳戶', signedInAs: '目前登入：', signedOut: '您已登出。',
    signIn: '以示範顧客身分登入', signOut: '登出',
    thanksTitle: '感謝您的訂購！', thanksBody: '付款確認後積分即會入帳。',
    helpTitle: '幫助', addToCart: '立即購買', earn: '購買此茶可得 {n} 積分',
    productNote: '春季採摘，小批量烘焙。',
    footer: '雲葉茶舍 — Comeback 示範商店',
    themeLink: '主題調試台（開發者）',
    themeTitle: '主題調試台',
    themeIntro: '所有元件都顯示示範顧客的資料。在面板中調整變數和部件樣式，然後複製 CSS。',
    openRewards: '打開我的積分',
    added: '已加入購物袋：{title}',
  },
};

const params = new URLSearchParams(location.search);
const stored = localStorage.getItem('demo-lang');
let lang = params.get('lang') || stored || (navigator.language.startsWith('zh') ? 'zh-Hans' : 'en');
if (!text[lang]) lang = 'en';

// Header and footer are shared by every page; each page marks its own nav entry.
function chrome() {
  const header = document.querySelector('header[data-chrome]');
  if (header && !header.firstChild) {
    const page = header.dataset.chrome;
    const links = [['index.html', 'home'], ['product.html', 'teas'], ['account.html', 'account'], ['help.html', 'help']];
    header.className = 'bar';
    header.innerHTML =
      '<a class="brand" href="index.html">Cloud &amp; Leaf Tea · 云叶茶舍<small data-t="tagline"></small></a>' +
      '<nav>' + links.map(([href, key]) =>
        `<a href="${href}" data-t="${key}"${href === page ? ' aria-current="page"' : ''}></a>`).join('') + '</nav>' +
      '<div class="langs" role="group" aria-label="Language / 语言">' +
      '<button data-lang="en">EN</button><button data-lang="zh-Hans">简</button><button data-lang="zh-Hant">繁</button></div>';
  }
  const footer = document.querySelector('footer[data-chrome]');
  if (footer && !footer.firstChild) {
    footer.innerHTML = '<p data-t="footer"></p><p><a href="theme.html" data-t="themeLink"></a></p>';
  }
}

function render() {
  document.documentElement.lang = lang;
  const dict = text[lang];
  for (const el of document.querySelectorAll('[data-t]')) {
    const value = dict[el.dataset.t];
    if (value) el.textContent = value.replace('{n}', el.dataset.n || '');
  }
  for (const button of document.querySelectorAll('.langs button')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
  }
  window.Comeback?.setLocale(lang);
}

chrome();
document.querySelector('.langs')?.addEventListener('click', (event) => {
  const choice = event.target.closest('button')?.dataset.lang;
  if (!choice) return;
  lang = choice;
  localStorage.setItem('demo-lang', lang);
  render();
});

// Demo sign-in: ?customer=<id> picks a customer (the end-to-end tests use it); the demo
// customer is the default. Signing out is remembered for this tab.
async function signIn() {
  const customer = params.get('customer') || '';
  // The backend may be down: the page goes on signed out.
  const response = await fetch('/demo/session?shop=demo' + (customer ? '&customer=' + encodeURIComponent(customer) : '')).catch(() => null);
  if (!response?.ok) return null;
  const answer = await response.json();
  window.Comeback.setCustomerToken(answer.token);
  return answer;
}

function showSession(session) {
  const box = document.querySelector('[data-session]');
  if (!box) return;
  box.querySelector('[data-name]').textContent = session ? session.name || session.customer_id : '';
  box.querySelector('[data-when=in]').hidden = !session;
  box.querySelector('[data-when=out]').hidden = !!session;
}

let session = null;
// The demo sign-in in flight, so a quick "Buy now" waits for it.
let signingIn = Promise.resolve(null);

// "Buy now": the demo server records a paid order for the signed-in shopper, the way a
// shop's backend would send the signed order webhook, then shows the thank-you page.
// The product form carries what <comeback-subscribe> chose in its hidden field
// `comeback_subscription` ("tea-club:P4W", or empty for a one-time purchase): a shop's
// cart reads it like any other field and puts it on the order line.
document.querySelector('[data-buy-form]')?.addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const button = form.querySelector('[data-buy]');
  button.disabled = true;
  const subscription = new FormData(form).get('comeback_subscription') || '';
  await signingIn;
  // The thank-you page's survey is about this order (`?order=`).
  const params = new URLSearchParams(location.search);
  if (session) {
    const order = { product_id: button.dataset.product, quantity: 1, unit_price: Number(button.dataset.price) };
    if (subscription) order.subscription = subscription;
    // A friend who came through a referral link: the code the loader kept, for the
    // order's referral_code (a shop's cart does the same with Comeback.referral()).
    const referral = window.Comeback.referral?.();
    if (referral) order.referral_code = referral;
    const response = await fetch('/demo/shops/demo/checkout', {
      method: 'POST',
      headers: { authorization: 'Bearer ' + session.token, 'content-type': 'application/json' },
      body: JSON.stringify(order),
    });
    const placed = response.ok ? await response.json().catch(() => null) : null;
    if (placed?.order_id) params.set('order', placed.order_id);
  }
  location.href = 'thank-you.html' + (params.size ? '?' + params : '');
});

// The thank-you page's survey asks about the order the checkout placed.
const placedOrder = new URLSearchParams(location.search).get('order');
if (placedOrder) document.querySelector('comeback-survey[trigger=order-complete]')?.setAttribute('order', placedOrder);

async function start() {
  render();
  // Whoever arrives through a referral link is a friend, not the demo customer: the
  // page starts signed out, so the banner's claim works as a guest's would.
  if (new URLSearchParams(location.search).has('ref')) sessionStorage.setItem('demo-signed-out', 'yes');
  if (sessionStorage.getItem('demo-signed-out') !== 'yes') {
    signingIn = signIn();
    session = await signingIn;
  }
  showSession(session);
  document.querySelector('[data-sign-out]')?.addEventListener('click', () => {
    sessionStorage.setItem('demo-signed-out', 'yes');
    window.Comeback.setCustomerToken(null);
    session = null;
    showSession(null);
  });
  document.querySelector('[data-sign-in]')?.addEventListener('click', async () => {
    sessionStorage.removeItem('demo-signed-out');
    session = await signIn();
    showSession(session);
  });
}

// The widgets' own sign-in links: on this demo, sign in in place instead of navigating.
for (const name of ['comeback:loyalty:sign-in', 'comeback:subscriptions:sign-in', 'comeback:referral:sign-in']) {
  document.addEventListener(name, async (event) => {
    event.preventDefault();
    sessionStorage.removeItem('demo-signed-out');
    session = await signIn();
    showSession(session);
  });
}

// "Add to cart" on a recommendation: the widget only announces it; a shop's cart code
// would add the product here. The demo has no cart, so it says what it would add.
let addedTimer;
document.addEventListener('comeback:recommendations:add', (event) => {
  let notice = document.querySelector('.added');
  if (!notice) {
    notice = document.createElement('p');
    notice.className = 'added';
    notice.setAttribute('role', 'status');
    document.body.append(notice);
  }
  notice.hidden = false;
  notice.textContent = text[lang].added.replace('{title}', event.detail.title);
  clearTimeout(addedTimer);
  addedTimer = setTimeout(() => (notice.hidden = true), 4000);
});

// shop.js is a module placed after the loader, so window.Comeback exists by now unless
// the bundle could not be fetched; the page still works without it.
if (window.Comeback) start();
else render();
