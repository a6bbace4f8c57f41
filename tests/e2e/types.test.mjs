// comeback.d.ts: the example theme scripts in tests/types compile against it with
// `tsc --strict` (and the mistakes in tests/types/mistakes.ts are refused), and what it
// declares by hand (`window.Comeback`'s members, `comebackSettings`) matches the loader
// that really runs in the page.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { repo, useServerAndBrowser } from './harness.mjs';

const world = useServerAndBrowser();
const declarations = () => readFileSync(join(repo, 'pkg/comeback.d.ts'), 'utf8');

/** The member names of `interface <name> { … }` in the declarations. */
function members(name) {
  const text = declarations();
  const start = text.indexOf(`interface ${name} {`);
  assert.ok(start >= 0, `comeback.d.ts declares no ${name}`);
  const body = text.slice(start, text.indexOf('\n}', start));
  return new Set([...body.matchAll(/^ {2}(?:readonly )?(\w+)\??[(:<]/gm)].map((m) => m[1]));
}

test('the example theme scripts compile with tsc --strict and the mistakes are refused', async () => {
  const tsc = join(repo, 'node_modules/.bin/tsc');
  try {
    await promisify(execFile)(tsc, ['-p', join(repo, 'tests/types')], { cwd: repo });
  } catch (error) {
    assert.fail(`tsc failed:\n${error.stdout}${error.stderr}`);
  }
});

test("window.Comeback and comebackSettings are declared as the loader has them", async () => {
  const page = await world.browser.newPage();
  await page.goto(`${world.server.base}/product.html`);
  await page.waitForFunction(() => typeof window.Comeback?.subscription === 'function', null, {
    timeout: 20_000,
  });
  const present = await page.evaluate(() => Object.getOwnPropertyNames(window.Comeback));
  const declared = members('ComebackApi');
  assert.deepEqual([...present].sort(), [...declared].sort());
  await page.close();
  // The settings the loader reads (`pre.<name>`) are the ones declared.
  const loader = readFileSync(join(repo, 'src/loader.js'), 'utf8');
  const read = new Set([...loader.matchAll(/\bpre\.(\w+)/g)].map((m) => m[1]));
  assert.deepEqual([...read].sort(), [...members('ComebackSettings')].sort());
});
