// Shared set-up for the end-to-end tests: the real server on a free port with a fresh
// SQLite file and the demo config, Debian's Chromium driven by playwright-core, and the
// order webhook signed the way a shop's backend signs it.
import { execFile, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const repo = resolve(import.meta.dirname, '../..');
// The demo shop's published keys (comeback.demo.toml): each kind of key is its own.
export const DEMO_WEBHOOK_SECRET = 'demo-webhook-secret-not-for-production-0123456789';
export const DEMO_API_KEY = 'demo-api-key-not-for-production-0123456789';
// The demo shop's owner account (`make demo` prints a fresh password; tests fix it).
export const DEMO_OWNER_EMAIL = 'owner@demo.comeback.test';
export const DEMO_OWNER_PASSWORD = 'e2e-owner-password-0123456789';

/**
 * Starts comeback-server on the demo config, with `extraConfig` (TOML) appended when
 * given; resolves with { base, stop, command }: `command(args)` runs another
 * comeback-server command on the same config and database (`['run-job', name, '--at',
 * when]`) and resolves with what it printed; `halt()` stops the server but keeps its
 * database, and `resume()` starts it again on the same port and database (the backend
 * going away and coming back under a page that stays open).
 */
export async function startServer({ extraConfig = '' } = {}) {
  const binary = process.env.COMEBACK_SERVER || join(repo, 'target/debug/comeback-server');
  const dir = mkdtempSync(join(tmpdir(), 'comeback-e2e-'));
  let config = join(repo, 'comeback.demo.toml');
  if (extraConfig) {
    const demo = readFileSync(config, 'utf8');
    config = join(dir, 'comeback.toml');
    writeFileSync(config, `${demo}\n${extraConfig}\n`);
  }
  const env = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: `sqlite://${join(dir, 'e2e.db')}`,
    COMEBACK_WWW_DIR: join(repo, 'www'),
    COMEBACK_BUNDLE_DIR: join(repo, 'pkg'),
    COMEBACK_ADMIN_DIR: join(repo, 'pkg-admin'),
    COMEBACK_DEMO_OWNER_PASSWORD: DEMO_OWNER_PASSWORD,
    RUST_LOG: 'warn',
  };
  let child;
  const launch = (port) => {
    child = spawn(binary, ['serve', '--config', config], {
      env: { ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error('server did not start within 30 s')), 30_000);
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const match = out.match(/listening on (http:\/\/[^\s/]+)\//);
        if (match) {
          clearTimeout(timer);
          ok(match[1]);
        }
      });
      child.on('exit', (code) => fail(new Error(`server exited with ${code}: ${out}`)));
    });
  };
  const base = await launch(0);
  const halt = async () => {
    child.kill('SIGTERM');
    await new Promise((ok) => (child.exitCode !== null ? ok() : child.on('exit', ok)));
  };
  const resume = () => launch(new URL(base).port);
  const stop = async () => {
    await halt();
    rmSync(dir, { recursive: true, force: true });
  };
  const command = (args) =>
    new Promise((ok, fail) =>
      execFile(binary, [...args, '--config', config], { env, timeout: 60_000 }, (error, stdout, stderr) =>
        error ? fail(new Error(`comeback-server ${args.join(' ')}: ${error.message}\n${stderr}`)) : ok(stdout),
      ),
    );
  return { base, stop, command, halt, resume };
}

/**
 * A page script that checks every `comeback:*` event the page dispatches against the
 * kit's declaration (`pkg/kit.json`, generated from the events' `Ty`): the name is
 * declared, `cancelable` matches and `detail` has the declared shape. A mismatch is
 * reported on the console as `comeback-kit-mismatch: …`, which the browser's pages
 * collect and `close()` turns into a failure, so every end-to-end test also checks the
 * event types `comeback.d.ts` promises.
 */
function eventCheckScript() {
  const kit = JSON.parse(readFileSync(join(repo, 'pkg/kit.json'), 'utf8'));
  const declared = Object.fromEntries(kit.events.map((e) => [e.name, e]));
  return `(() => {
  const declared = ${JSON.stringify(declared)};
  const fits = (s, v, at) => {
    if (s.type === 'null') return v === null ? null : at + ' is not null';
    if (s.type === 'boolean') return typeof v === 'boolean' ? null : at + ' is not a boolean';
    if (s.type === 'number') return typeof v === 'number' ? null : at + ' is not a number';
    if (s.type === 'string') return typeof v === 'string' ? null : at + ' is not a string';
    if (s.enum) return s.enum.includes(v) ? null : at + ' = ' + JSON.stringify(v) + ' is not one of ' + s.enum.join(', ');
    if (s.nullable) return v === null ? null : fits(s.nullable, v, at);
    if (s.list) {
      if (!Array.isArray(v)) return at + ' is not a list';
      for (let i = 0; i < v.length; i++) { const e = fits(s.list, v[i], at + '[' + i + ']'); if (e) return e; }
      return null;
    }
    if (s.map) {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return at + ' is not an object';
      for (const k of Object.keys(v)) { const e = fits(s.map, v[k], at + '.' + k); if (e) return e; }
      return null;
    }
    if (s.object) {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return at + ' is not an object';
      const names = s.object.map((f) => f.name);
      for (const k of Object.keys(v)) if (!names.includes(k)) return at + '.' + k + ' is not declared';
      for (const f of s.object) {
        if (!(f.name in v)) { if (f.optional) continue; return at + '.' + f.name + ' is missing'; }
        const e = fits(f.type, v[f.name], at + '.' + f.name); if (e) return e;
      }
      return null;
    }
    if (s.oneOf) return s.oneOf.some((o) => !fits(o, v, at)) ? null : at + ' fits none of its types';
    return at + ': unknown schema';
  };
  const dispatch = EventTarget.prototype.dispatchEvent;
  EventTarget.prototype.dispatchEvent = function (event) {
    const name = event && event.type;
    if (typeof name === 'string' && name.startsWith('comeback:') && event instanceof CustomEvent) {
      const spec = declared[name];
      const problem = !spec ? 'is not declared in kit.json'
        : spec.cancelable !== event.cancelable ? 'cancelable is ' + event.cancelable
        : fits(spec.detail, event.detail, 'detail');
      if (problem) console.error('comeback-kit-mismatch: ' + name + ' ' + problem + ': ' + JSON.stringify(event.detail));
    }
    return dispatch.call(this, event);
  };
})();`;
}

/**
 * Launches headless Chromium from Debian's package (never downloads a browser). Every
 * page checks the events it sees against the kit (`eventCheckScript`); `close()` fails
 * when one did not match.
 */
export async function launchBrowser() {
  const browser = await launchChromium();
  const script = eventCheckScript();
  const mismatches = [];
  const watch = async (context) => {
    await context.addInitScript({ content: script });
    context.on('console', (message) => {
      if (message.text().startsWith('comeback-kit-mismatch: ')) mismatches.push(message.text());
    });
    return context;
  };
  const newContext = browser.newContext.bind(browser);
  const close = browser.close.bind(browser);
  browser.newContext = async (options) => watch(await newContext(options));
  browser.newPage = async (options) => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    page.on('close', () => context.close().catch(() => {}));
    return page;
  };
  browser.close = async () => {
    await close();
    if (mismatches.length) throw new Error(`events that do not match kit.json:\n${[...new Set(mismatches)].join('\n')}`);
  };
  return browser;
}

function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Sends a signed order webhook; resolves with the parsed answer. */
export async function sendOrder(base, order, secret = DEMO_WEBHOOK_SECRET) {
  const body = JSON.stringify({
    currency: 'CNY',
    lines: [],
    created_at: new Date().toISOString(),
    ...order,
  });
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  const response = await fetch(`${base}/v1/shops/demo/webhooks/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'comeback-signature': `t=${t},v1=${v1}` },
    body,
  });
  if (!response.ok) throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/**
 * Holds the page's requests matching `pattern` until the returned function is called,
 * then lets `answer(route)` answer them (by default they go on to the server).
 */
export async function holdRoute(page, pattern, answer = (route) => route.continue()) {
  let release;
  const held = new Promise((ok) => (release = ok));
  await page.route(pattern, async (route) => {
    await held;
    await answer(route);
  });
  return release;
}

/** A customer id no other test uses. */
export const newCustomer = () => `e2e-${randomUUID().slice(0, 8)}`;

/**
 * Starts the server and a browser before the calling file's tests and stops both after
 * them. The returned object's `server` and `browser` are set once started; `started`,
 * if given, runs right after (in the same hook, so it sees both); `serverOptions` go to
 * `startServer`.
 */
export function useServerAndBrowser(started, serverOptions) {
  const world = { server: null, browser: null };
  before(async () => {
    world.server = await startServer(serverOptions);
    world.browser = await launchBrowser();
    await started?.(world);
  });
  after(async () => {
    // The server stops even when closing the browser reports events that did not match.
    try {
      await world.browser?.close();
    } finally {
      await world.server?.stop();
    }
  });
  return world;
}

/** A page script that signs the demo customer in through the demo session endpoint. */
export const signInScript = (attrs = '') => `<script type="module"${attrs}>
  const r = await fetch('/demo/session?shop=demo');
  window.Comeback.setCustomerToken((await r.json()).token);
</script>`;
