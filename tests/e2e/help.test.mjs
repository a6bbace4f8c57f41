// The help centre end to end: a shopper searches in Chinese, walks the order-problem tree
// to "contact us", sends the form, and the shop's backend receives the ticket with the
// path by signed webhook; and article content carrying the OWASP XSS filter-evasion
// payloads runs nothing in the page.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { useServerAndBrowser } from './harness.mjs';

// The shop's backend: records every outbound webhook.
const received = [];
const backend = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    received.push({ signature: request.headers['comeback-signature'], event: JSON.parse(body) });
    response.end('ok');
  });
});
await new Promise((ok) => backend.listen(0, '127.0.0.1', ok));
after(() => backend.close());

// Payloads from the OWASP XSS filter evasion cheat sheet, as an author could paste them.
// Blank lines between them: an HTML block in Markdown runs to the next blank line.
const PAYLOADS = String.raw`
<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>

javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/"/+/onmouseover=1/+/[*/[]/+window.__xss=1//'>

<IMG SRC="javascript:window.__xss=2;">

<IMG SRC=javascript:window.__xss=3>

<a onmouseover="window.__xss=4">xxs link</a>

<IMG """><SCRIPT>window.__xss=5</SCRIPT>"\>

<IMG SRC=/ onerror="window.__xss=6"></img>

<IMG SRC="jav	ascript:window.__xss=7;">

<SVG/onload=window.__xss=8>

<BODY onload!#$%&()*~+-_.,:;?@[/|\]^${'`'}=window.__xss=9>

<<SCRIPT>window.__xss=10;//\<</SCRIPT>

<iframe src=https://xss.example/frame.html <

<STYLE>li {list-style-image: url("javascript:window.__xss=11");}</STYLE><UL><LI>XSS</br>

<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:window.__xss=12;">

<DIV STYLE="background-image: url(javascript:window.__xss=13)">x</DIV>

<BASE HREF="javascript:window.__xss=14;//">

<OBJECT TYPE="text/x-scriptlet" DATA="https://xss.example/scriptlet.html"></OBJECT>

<a href="&#106;avascript:window.__xss=15">entity link</a>

[md link](javascript:window.__xss=16) [mixed](JaVaScRiPt:window.__xss=17) ![img](javascript:window.__xss=18)

<img src=x onerror=window.__xss=19>

Still readable after all that.
`;

const world = useServerAndBrowser(undefined, {
  extraConfig: `
[shops.demo.webhooks]
url = "http://127.0.0.1:${backend.address().port}/hooks"
events = ["help.ticket_created"]

[[shops.demo.help.articles]]
id = "xss"
title = { en = "Payloads", "zh-Hans" = "Payloads", "zh-Hant" = "Payloads" }
body = { en = '''${PAYLOADS}''', "zh-Hans" = '''${PAYLOADS}''', "zh-Hant" = '''${PAYLOADS}''' }
`,
});

const help = (page, selector) => page.locator(`comeback-help ${selector}`);

test('a shopper searches in Chinese, walks the tree to contact us, and the ticket arrives with the path', async () => {
  const page = await world.browser.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${world.server.base}/help.html?lang=zh-Hans`);
  const search = help(page, '[part=search]');
  await search.waitFor({ timeout: 20_000 });
  // Traditional characters find the Simplified article, marked.
  await search.fill('積分');
  await help(page, '[part=result]').first().waitFor();
  assert.equal(await help(page, '[part=result] mark').first().textContent(), '积分');
  assert.match(await help(page, '[part=result]').first().textContent(), /积分规则/);
  await search.fill('');

  await help(page, '[part=tree-button]').first().click();
  await help(page, '[part=answer]').first().waitFor();
  await help(page, '[part=answer]').filter({ hasText: '还没收到' }).click();
  await help(page, '[part=answer]').filter({ hasText: '5 天或更久' }).click();
  await help(page, '[part=contact-button]').click();
  const known = await help(page, '[part=known]').textContent();
  assert.match(known, /遇到了什么问题？ → 还没收到/);
  await help(page, '#cb-help-message').fill('订单 1042 还没到');
  await help(page, '#cb-help-email').fill('lin@tea.example');
  await help(page, '#cb-help-order').fill('1042');
  await help(page, '[part=send-button]').click();
  await help(page, '[part=ticket-status]').waitFor();
  const status = await help(page, '[part=ticket-status]').textContent();
  const ticketId = status.match(/H-[A-Z0-9]{4}-[A-Z0-9]{4}/)?.[0];
  assert.ok(ticketId, status);

  // The outbound webhook arrives within the delivery job's next rounds.
  for (let i = 0; i < 60 && !received.length; i++) await new Promise((ok) => setTimeout(ok, 500));
  assert.equal(received.length, 1, 'one help.ticket_created delivery');
  const { signature, event } = received[0];
  assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/);
  assert.equal(event.type, 'help.ticket_created');
  assert.equal(event.data.ticket_id, ticketId);
  assert.equal(event.data.order_id, '1042');
  assert.equal(event.data.context.tree, 'order-problem');
  assert.equal(event.data.context.locale, 'zh-Hans');
  assert.deepEqual(event.data.context.path, [
    { question: '遇到了什么问题？', answer: '还没收到' },
    { question: '您是什么时候下单的？', answer: '5 天或更久' },
  ]);
  assert.deepEqual(errors, []);
  await page.close();
});

test('article content with the OWASP filter-evasion payloads runs nothing', async () => {
  const page = await world.browser.newPage();
  const dialogs = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    dialog.dismiss();
  });
  await page.goto(`${world.server.base}/help.html?lang=en`);
  const search = help(page, '[part=search]');
  await search.waitFor({ timeout: 20_000 });
  await search.fill('payloads');
  await help(page, '[part=result]').first().click();
  // Markdown keeps the text of payloads that are not HTML blocks ("xxs link").
  await help(page, '.cb-help__body').filter({ hasText: 'xxs link' }).waitFor();
  // Hover and click every link and image the article kept, as a curious shopper would.
  for (const link of await help(page, '.cb-help__body a').all()) await link.hover();
  await page.waitForTimeout(300);
  const inside = await page.evaluate(() => {
    const body = document.querySelector('comeback-help').shadowRoot.querySelector('.cb-help__body');
    return {
      xss: window.__xss,
      scripts: body.querySelectorAll('script, iframe, object, embed, style, meta, base, svg').length,
      handlers: [...body.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.name)).filter((n) => n.startsWith('on') || n === 'style'),
      hrefs: [...body.querySelectorAll('[href], [src]')].map((e) => e.getAttribute('href') || e.getAttribute('src')),
    };
  });
  assert.equal(inside.xss, undefined);
  assert.equal(inside.scripts, 0);
  assert.deepEqual(inside.handlers, []);
  assert.ok(inside.hrefs.every((h) => /^https?:/.test(h)), inside.hrefs.join());
  assert.deepEqual(dialogs, []);
  await page.close();
});
