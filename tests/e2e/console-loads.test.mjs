import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openConsole, saveScreenshot } from './helpers/console-page.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

test('the console mounts its titled header with no error on the page', async (t) => {
  const { context, page, problems } = await openConsole(browser);

  const title = page.locator('header h1');
  assert.equal(await title.isVisible(), true);
  assert.equal(await title.textContent(), 'Brewery twin console');
  assert.equal(await page.title(), 'Brewery twin console');
  assert.equal(await page.locator('#panic-notice').count(), 0);
  assert.deepEqual(problems, []);

  t.diagnostic(`screenshot: ${await saveScreenshot(page, 'console-loads')}`);
  await context.close();
});
