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

/** Launches headless Chromium from Debian's package; never downloads a browser. */
export function launchBrowser() {
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
    await world.browser?.close();
    await world.server?.stop();
  });
  return world;
}

/** A page script that signs the demo customer in through the demo session endpoint. */
export const signInScript = (attrs = '') => `<script type="module"${attrs}>
  const r = await fetch('/demo/session?shop=demo');
  window.Comeback.setCustomerToken((await r.json()).token);
</script>`;
