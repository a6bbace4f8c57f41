#!/usr/bin/env node
// How long a search keystroke takes in `<comeback-help>` (`make bench-help`; not part of
// `make test`). The real server starts with the demo config plus 500 generated articles
// in three locales; the help page loads in headless Chromium with the CPU throttled 4x,
// and for each query the benchmark types it one character at a time, timing each
// keystroke from the `input` event to the results on screen (the widget answers from the
// index it loaded, with no request). As a reference measured in the same run on the same
// throttled page, it times a keystroke into a plain `<input>` that updates one text node.
// Prints the median and the slowest keystroke per query, the reference, and the ratio.
import { chromium } from 'playwright-core';
import { startServer } from '../tests/e2e/harness.mjs';

const ARTICLES = Number(process.env.ARTICLES || 500);
const THROTTLE = 4;
const BUDGET_MS = 5;
const RUNS = Number(process.env.RUNS || 5);

// Words to write articles from, in each script, so the index is of a realistic size.
const EN = 'tea brew leaves water shipping order refund return points reward code cup kettle gift box green oolong black white jasmine harvest spring roast storage fresh parcel delivery tracking account member tier birthday discount checkout payment invoice'.split(' ');
const HANS = '茶 冲泡 茶叶 水温 配送 订单 退款 退货 积分 奖励 优惠码 茶杯 水壶 礼盒 绿茶 乌龙 红茶 白茶 茉莉 采摘 春季 烘焙 储存 新鲜 包裹 物流 会员 等级 生日 折扣 结账 付款 发票'.split(' ');
const HANT = '茶 沖泡 茶葉 水溫 配送 訂單 退款 退貨 積分 獎勵 優惠碼 茶杯 水壺 禮盒 綠茶 烏龍 紅茶 白茶 茉莉 採摘 春季 烘焙 儲存 新鮮 包裹 物流 會員 等級 生日 折扣 結帳 付款 發票'.split(' ');

let seed = 7;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (words, n, join) => Array.from({ length: n }, () => words[Math.floor(random() * words.length)]).join(join);
const toml = (text) => JSON.stringify(text);

function articles() {
  let out = '';
  for (let i = 0; i < ARTICLES; i++) {
    const body = (words, join, end) => Array.from({ length: 6 }, () => pick(words, 14, join) + end).join('\n\n');
    out += `
[[shops.demo.help.articles]]
id = "generated-${i}"
title = { en = ${toml(pick(EN, 4, ' '))}, "zh-Hans" = ${toml(pick(HANS, 3, ''))}, "zh-Hant" = ${toml(pick(HANT, 3, ''))} }
tags = [${toml(pick(EN, 1, ''))}]
body = { en = ${toml(body(EN, ' ', '.'))}, "zh-Hans" = ${toml(body(HANS, '', '。'))}, "zh-Hant" = ${toml(body(HANT, '', '。'))} }
`;
  }
  return out;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const server = await startServer({ extraConfig: articles() });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await page.goto(`${server.base}/help.html?lang=zh-Hans`);
  await page.locator('comeback-help [part=search]').waitFor({ timeout: 60_000 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  // Types `query` one character at a time; resolves with each keystroke's milliseconds.
  const typeTimed = (query, reference) =>
    page.evaluate(
      async ({ query, reference }) => {
        const frame = () => new Promise((ok) => requestAnimationFrame(() => ok()));
        let input;
        let output;
        if (reference) {
          input = document.getElementById('bench-input') || document.body.appendChild(Object.assign(document.createElement('input'), { id: 'bench-input' }));
          output = document.getElementById('bench-output') || document.body.appendChild(Object.assign(document.createElement('p'), { id: 'bench-output' }));
          input.oninput = () => (output.textContent = input.value.toUpperCase());
        } else {
          input = document.querySelector('comeback-help').shadowRoot.querySelector('[part=search]');
        }
        input.value = '';
        input.dispatchEvent(new Event('input'));
        await frame();
        const times = [];
        for (let i = 1; i <= query.length; i++) {
          const start = performance.now();
          input.value = query.slice(0, i);
          input.dispatchEvent(new Event('input'));
          // The widget renders synchronously on input; reading the results forces layout.
          const root = reference ? output : document.querySelector('comeback-help').shadowRoot;
          void (reference ? root.offsetHeight : root.querySelector('[part=results-status]')?.offsetHeight);
          times.push(performance.now() - start);
          await frame();
        }
        return times;
      },
      { query, reference },
    );
  const queries = ['积分', '積分規則', '茶叶冲泡', 'shipping', 'oolong tea', 'refund code'];
  const reference = [];
  for (let run = 0; run < RUNS; run++) reference.push(...(await typeTimed('shipping refund', true)));
  const referenceMs = median(reference);
  console.log(`help search, ${ARTICLES} articles, CPU ${THROTTLE}x slower, ${RUNS} runs per query`);
  console.log(`reference (a plain input updating one text node): median ${referenceMs.toFixed(2)} ms per keystroke`);
  let worst = 0;
  for (const query of queries) {
    const times = [];
    for (let run = 0; run < RUNS; run++) times.push(...(await typeTimed(query, false)));
    const m = median(times);
    worst = Math.max(worst, m);
    console.log(
      `  ${query.padEnd(12)} median ${m.toFixed(2)} ms, slowest ${Math.max(...times).toFixed(2)} ms, ${(m / referenceMs).toFixed(1)}x the reference`,
    );
  }
  console.log(`worst median ${worst.toFixed(2)} ms per keystroke: ${worst <= BUDGET_MS ? 'within' : 'OVER'} the ${BUDGET_MS} ms budget`);
} finally {
  await browser.close();
  await server.stop();
}
