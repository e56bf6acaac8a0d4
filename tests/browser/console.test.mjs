// The rung console in a real browser (Debian's Chromium, driven by
// playwright-core): choose the Albania example and see Article 4 as the top
// rung, lower two incidents' severity and see the decision move, upload a
// broken file and see rung's report. Screenshots go to artifacts/.
//
//   RUNG_BIN=target/debug/rung node tests/browser/console.test.mjs
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const bin = resolve(root, process.env.RUNG_BIN || 'target/debug/rung');
const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });

/** Starts `rung serve` on a free loopback port; resolves to its URL. */
function startServer() {
  const child = spawn(bin, ['serve', 'policies/nato', '--addr', '127.0.0.1:0'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((ok, fail) => {
    let text = '';
    const timer = setTimeout(() => fail(new Error(`no address from rung serve: ${text}`)), 30000);
    child.stderr.on('data', (chunk) => {
      text += chunk;
      const m = text.match(/listening on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) {
        clearTimeout(timer);
        ok({ child, url: m[1] });
      }
    });
    child.on('exit', (code) => fail(new Error(`rung serve exited ${code}: ${text}`)));
  });
}

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

test('the console decides, moves with a what-if and reports a broken upload', { timeout: 120000 }, async () => {
  const { child, url } = await startServer();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const outside = [];
    page.on('request', (r) => { if (!r.url().startsWith(url)) outside.push(r.url()); });
    await page.goto(`${url}/`);
    await page.waitForSelector('#example option[value="albania-2022.json"]', { state: 'attached' });

    // Keyboard: Tab reaches the example picker, the template and the upload.
    const focused = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      focused.push(await page.evaluate(() => document.activeElement.id));
    }
    assert.deepEqual(focused, ['example', 'template', 'upload']);

    // The Albania example: Article 4 consultation is the top rung against Iran.
    await page.selectOption('#example', 'albania-2022.json');
    const iran = page.locator('article[data-ladder="response"][data-subject="IR"]');
    await iran.waitFor();
    assert.equal(await iran.getAttribute('data-top'), 'article_4_consultation');
    assert.equal(await iran.locator('li.top .name').textContent(), 'article_4_consultation');
    assert.match(await iran.locator('.why').textContent(), /North Atlantic Treaty, Article 4/);
    assert.match(await iran.locator('.next-rung').textContent(), /article_5_consideration/);
    await page.screenshot({ path: join(artifacts, 'albania-1280x800.png'), fullPage: false });

    // What-if: the two disruptions of critical infrastructure were less severe.
    for (const id of ['ALB-2022-07-15-egov', 'ALB-2022-09-09-tims']) {
      await page.getByLabel(`severity of ${id}`, { exact: true }).fill('3');
      await page.getByLabel(`severity of ${id}`, { exact: true }).press('Tab');
    }
    // Polled on a timer: headless Chromium may stop animation frames, which
    // waitForFunction polls on by default, and then it never looks again.
    await page.waitForFunction(() => {
      const a = document.querySelector('article[data-ladder="response"][data-subject="IR"]');
      return a && a.dataset.top !== 'article_4_consultation';
    }, null, { polling: 100 });
    const moved = await iran.getAttribute('data-top');
    assert.notEqual(moved, 'article_4_consultation');
    const diff = await page.locator('#diff').textContent();
    assert.match(diff, new RegExp(`response · IR: top article_4_consultation → ${moved}`));
    assert.ok(await iran.locator('li.changed').count() > 0, 'changed rungs are highlighted');
    await page.screenshot({ path: join(artifacts, 'what-if-1280x800.png'), fullPage: false });

    // A broken upload: rung's report, with its code and place.
    await page.setInputFiles('#upload', {
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{\n  "now": "2022-09-30",\n  "incidents": [\n    { "id": "x", }\n  ]\n}\n'),
    });
    const errors = page.locator('#errors');
    await errors.waitFor({ state: 'visible' });
    const text = await errors.textContent();
    assert.match(text, /broken\.json was not accepted/);
    assert.match(text, /rung::facts::json/);
    assert.match(text, /line 4, column/);
    await page.screenshot({ path: join(artifacts, 'broken-upload-1280x800.png'), fullPage: false });

    // The same facts as spreadsheet tables and a JSON file with `now`.
    const tables = join(root, 'policies/nato/examples/tables');
    await page.setInputFiles('#upload', [
      join(tables, 'now.json'), join(tables, 'incidents.csv'), join(tables, 'prior_responses.csv'),
    ]);
    await page.waitForFunction(
      () => document.querySelector('#facts-status').textContent.includes('prior_responses.csv: 2 decisions'),
      null, { polling: 100 });
    assert.equal(await iran.getAttribute('data-top'), 'article_4_consultation');
    assert.equal(await page.locator('#errors').isVisible(), false);

    // A tablet, portrait: the same page, one column.
    const tablet = await browser.newPage({ viewport: { width: 820, height: 1180 } });
    await tablet.goto(`${url}/`);
    await tablet.waitForSelector('#example option[value="albania-2022.json"]', { state: 'attached' });
    await tablet.selectOption('#example', 'albania-2022.json');
    await tablet.locator('article[data-subject="IR"]').waitFor();
    await tablet.locator('#replay svg').first().waitFor();
    await tablet.screenshot({ path: join(artifacts, 'albania-tablet-820x1180.png'), fullPage: true });

    assert.deepEqual(outside, [], 'the page fetched nothing from another origin');
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
  writeFileSync(join(artifacts, 'README.txt'), 'Screenshots of the last browser test run.\n');
});
