// The accessibility checks themselves: each one must flag a page built to break it (so the app's clean result means something).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { audit, focusVisible } from './a11y.mjs';

const chromePath = process.env.OPENLEDGER_CHROMIUM ?? '/usr/bin/chromium';
let browser, page;

before(async () => {
  browser = await chromium.launch({ executablePath: chromePath, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  page = await browser.newPage();
});
after(async () => { await browser?.close(); });

it('flags unlabelled controls, unnamed buttons, low contrast, a missing lang and h1', async () => {
  await page.setContent(`<html><body style="background:#fff">
    <input id="a"><label for="b">Named</label><input id="b">
    <button></button><button>Fine</button>
    <p style="color:#aaaaaa">pale text</p><p style="color:#111">dark text</p>
  </body></html>`);
  const problems = await audit(page);
  assert.ok(problems.includes('html has no lang'), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('expected one h1')));
  assert.equal(problems.filter((p) => p.startsWith('unlabelled control')).length, 1);
  assert.equal(problems.filter((p) => p.startsWith('unnamed button')).length, 1);
  assert.equal(problems.filter((p) => p.startsWith('contrast')).length, 1);
  assert.match(problems.find((p) => p.startsWith('contrast')), /pale text/);
});

it('passes a page that does it right, and flags focus without an indicator', async () => {
  await page.setContent(`<html lang="en"><head><style>button.bad:focus { outline: none; }</style></head><body>
    <h1>Title</h1><label for="x">Name</label><input id="x"><button>Good</button><button class="bad">Bad</button></body></html>`);
  assert.deepEqual(await audit(page), []);
  const focus = await focusVisible(page, 3);
  assert.equal(focus.length, 1, focus.join('\n'));
  assert.match(focus[0], /Bad/);
});
