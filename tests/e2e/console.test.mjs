// The console as a user drives it: what the page shows at rest, during the brew day and the
// Monte Carlo loop, replays of a link, bad links, and a long run.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { factTexts, launchBrowser, openConsole, saveScreenshot } from './helpers/console-page.mjs';
import { expectedTexts, nativeRun } from './helpers/twin.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

async function tick(page) {
  return Number((await page.locator('[data-clock="tick"]').textContent()).replaceAll(',', ''));
}

async function waitForBadge(page, label, timeout = 60_000) {
  await page.waitForFunction(
    (wanted) => document.querySelector('.state-badge')?.textContent === wanted,
    label,
    { timeout },
  );
}

test('the page loads with 58 facts, 11 equipment tiles, 12 rule cards and no error', async (t) => {
  const { context, page, problems } = await openConsole(browser);
  assert.equal(await page.locator('[data-fact]').count(), 58);
  assert.equal(await page.locator('[data-fbe]').count(), 11);
  assert.equal(await page.locator('[data-rule]').count(), 12);
  assert.equal(await page.locator('[data-view="table"]').count(), 1);
  assert.equal(await page.locator('.state-badge').textContent(), 'Ready');
  assert.equal(await page.locator('[data-log-kind="system"]').count(), 1);
  assert.equal(await page.locator('.notices').count(), 0);
  assert.deepEqual(problems, []);
  t.diagnostic(`screenshot: ${await saveScreenshot(page, 'console-at-rest')}`);
  await context.close();
});

test('the scripted brew day fires all twelve rules and ends as the native run', async (t) => {
  const { context, page, problems } = await openConsole(browser, '?seed=42');
  await page.selectOption('select[aria-label="Speed"]', 'max');
  await page.getByRole('button', { name: 'Run scripted day' }).click();
  await waitForBadge(page, 'Ready');
  assert.equal(await tick(page), 240);

  for (let r = 1; r <= 12; r += 1) {
    const id = `R_${String(r).padStart(2, '0')}`;
    const count = Number(await page.locator(`[data-rule-count="${id}"]`).textContent());
    assert.ok(count > 0, `${id} shows no firing on its card`);
    const lines = page.locator('[data-log-kind="rule"]', { hasText: `${id} ` });
    assert.ok((await lines.count()) > 0, `${id} does not appear in the event log`);
  }

  const native = nativeRun(['scripted', '--seed', '42']);
  assert.deepEqual(await factTexts(page), expectedTexts(native));
  const r07 = Number(await page.locator('[data-rule-count="R_07"]').textContent());
  assert.equal(r07, native.firings.R_07);
  assert.match(await page.locator('.event-log').textContent(), /brew day is complete/);
  assert.deepEqual(problems, []);
  t.diagnostic(`screenshot: ${await saveScreenshot(page, 'console-after-brew-day')}`);
  await context.close();
});

test('Monte Carlo at the highest speed changes values, and Stop freezes them', async (t) => {
  const { context, page, problems } = await openConsole(browser, '?seed=3&speed=max');
  const before = await factTexts(page);
  await page.getByRole('button', { name: 'Start Monte Carlo' }).click();
  await waitForBadge(page, 'Monte Carlo');
  await page.waitForFunction(() => Number(document.querySelector('[data-clock="tick"]').textContent.replaceAll(',', '')) > 500);
  const during = await factTexts(page);
  const changed = Object.keys(before).filter((k) => before[k] !== during[k]);
  assert.ok(changed.length > 20, `only ${changed.length} facts changed`);
  t.diagnostic(`screenshot: ${await saveScreenshot(page, 'console-monte-carlo')}`);

  await page.getByRole('button', { name: 'Stop Monte Carlo' }).click();
  await waitForBadge(page, 'Ready');
  const stopped = await factTexts(page);
  const stoppedAt = await tick(page);
  await page.waitForTimeout(700);
  assert.deepEqual(await factTexts(page), stopped);
  assert.equal(await tick(page), stoppedAt);
  assert.match(await page.locator('.event-log').textContent(), /Monte Carlo stopped after/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a link replayed to a tick shows the same values twice, and another seed differs', async () => {
  const open = async (query) => {
    const { context, page, problems } = await openConsole(browser, query);
    await page.waitForFunction(
      () => document.querySelector('[data-clock="tick"]')?.textContent === '3,000' &&
        document.querySelector('.state-badge')?.textContent === 'Ready',
      null,
      { timeout: 60_000 },
    );
    const texts = await factTexts(page);
    assert.deepEqual(problems, []);
    await context.close();
    return texts;
  };
  const first = await open('?seed=7&scenario=monte-carlo&speed=max&tick=3000');
  const second = await open('?seed=7&scenario=monte-carlo&speed=max&tick=3000');
  const other = await open('?seed=8&scenario=monte-carlo&speed=max&tick=3000');
  assert.deepEqual(first, second);
  assert.notDeepEqual(first, other);
  assert.deepEqual(first, expectedTexts(nativeRun(['monte-carlo', '--seed', '7', '--ticks', '3000'])));
});

test('Copy link gives a link that reproduces the run at its tick', async () => {
  const { context, page } = await openConsole(browser, '?seed=11&speed=max');
  await page.locator('input[aria-label="Tick to replay to"]').fill('1500');
  await page.getByRole('button', { name: 'Replay' }).click();
  await page.waitForFunction(() => document.querySelector('[data-clock="tick"]')?.textContent === '1,500');
  await waitForBadge(page, 'Ready');
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.locator('input[aria-label="Link to this run"]').inputValue();
  const url = new URL(link);
  assert.equal(url.searchParams.get('seed'), '11');
  assert.equal(url.searchParams.get('tick'), '1500');
  assert.equal(url.searchParams.get('scenario'), 'monte-carlo');
  const original = await factTexts(page);
  await context.close();

  const again = await openConsole(browser, url.search);
  await again.page.waitForFunction(() => document.querySelector('[data-clock="tick"]')?.textContent === '1,500');
  await waitForBadge(again.page, 'Ready');
  assert.deepEqual(await factTexts(again.page), original);
  await again.context.close();
});

test('bad link values get a plain notice and the defaults', async (t) => {
  const { context, page, problems } = await openConsole(
    browser,
    '?seed=abc&scenario=brewday&speed=-5&view=nope&tick=soon',
  );
  const notices = page.locator('.notices li');
  assert.equal(await notices.count(), 5);
  const text = await page.locator('.notices').textContent();
  assert.match(text, /seed "abc" is not a whole number/);
  assert.match(text, /no scenario called "brewday"/);
  assert.match(text, /speed -5 is not possible/);
  assert.match(text, /no view called "nope"/);
  assert.equal(await page.locator('input[aria-label="Seed"]').inputValue(), '42');
  assert.equal(await page.locator('select[aria-label="Speed"]').inputValue(), '1500');
  assert.equal(await page.locator('[data-view="table"]').getAttribute('aria-selected'), 'true');
  assert.equal(await page.locator('[data-fact]').count(), 58);
  assert.deepEqual(problems, []);
  t.diagnostic(`screenshot: ${await saveScreenshot(page, 'console-bad-link')}`);
  await page.getByRole('button', { name: 'Dismiss' }).click();
  assert.equal(await page.locator('.notices').count(), 0);
  await context.close();

  for (const garbage of ['?%%%&&==', '?seed=%F0%9F&tick=99999999999999999999', '?' + 'x'.repeat(5000)]) {
    const other = await openConsole(browser, garbage);
    assert.equal(await other.page.locator('[data-fact]').count(), 58, garbage.slice(0, 40));
    assert.equal(await other.page.locator('#panic-notice').count(), 0);
    assert.deepEqual(other.problems, []);
    await other.context.close();
  }
});

test('a long run keeps the event log bounded and the heap flat', async (t) => {
  const { context, page, problems } = await openConsole(browser, '?seed=5&speed=max');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const heapAfterGc = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize').value;
  };
  const waitForTick = (n) =>
    page.waitForFunction(
      (target) => Number(document.querySelector('[data-clock="tick"]').textContent.replaceAll(',', '')) >= target,
      n,
      { timeout: 180_000 },
    );

  await page.getByRole('button', { name: 'Start Monte Carlo' }).click();
  await waitForTick(2_000);
  const early = await heapAfterGc();
  await waitForTick(22_000);
  const late = await heapAfterGc();
  await page.getByRole('button', { name: 'Stop Monte Carlo' }).click();

  const lines = await page.locator('.log-lines li').count();
  assert.ok(lines <= 100, `${lines} log lines`);
  const growth = late - early;
  t.diagnostic(`JS heap after GC: ${(early / 1e6).toFixed(2)} MB at tick 2,000, ${(late / 1e6).toFixed(2)} MB at tick ${await tick(page)}`);
  // Stated margin: the heap may grow by at most 2 MB over 20,000 ticks.
  assert.ok(growth < 2e6, `the heap grew by ${(growth / 1e6).toFixed(2)} MB`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the controls work from the keyboard and keep the focus', async () => {
  const { context, page, problems } = await openConsole(browser, '?speed=max');
  const toggle = page.locator('button.toggle');
  await toggle.focus();
  await page.keyboard.press('Space');
  await waitForBadge(page, 'Monte Carlo');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Stop Monte Carlo');
  await page.keyboard.press('Space');
  await waitForBadge(page, 'Ready');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Start Monte Carlo');

  await page.getByRole('button', { name: 'Run scripted day' }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('toggle')), true);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the event log tells the brew day newest first, with state changes and no display noise', async () => {
  const { context, page, problems } = await openConsole(browser, '?seed=42&speed=max');
  await page.getByRole('button', { name: 'Run scripted day' }).click();
  await waitForBadge(page, 'Ready');
  const lines = await page.$$eval('.log-line', (nodes) =>
    nodes.map((n) => ({ kind: n.dataset.logKind, time: n.querySelector('.log-plant-time').textContent, text: n.textContent })),
  );
  const minutes = lines.map((l) => {
    const [, day, hh, mm] = l.time.match(/day (\d+), (\d\d):(\d\d)/);
    return (Number(day) - 1) * 1440 + Number(hh) * 60 + Number(mm);
  });
  for (let i = 1; i < minutes.length; i += 1) {
    assert.ok(minutes[i] <= minutes[i - 1], `line ${i} (${lines[i].time}) is newer than the line above it`);
  }
  assert.ok(lines.some((l) => l.kind === 'fact' && /fbe_08_capper_jam_sens is now (yes|no)/.test(l.text)));
  assert.ok(!lines.some((l) => /applied to the display/.test(l.text)));
  assert.ok(lines.some((l) => /Brew day starts/.test(l.text)), 'the start of the day is still in the log');
  assert.deepEqual(problems, []);
  await context.close();
});

test('changing the seed during a run says that the run stopped', async () => {
  const { context, page } = await openConsole(browser, '?speed=20');
  await page.getByRole('button', { name: 'Start Monte Carlo' }).click();
  await waitForBadge(page, 'Monte Carlo');
  await page.locator('input[aria-label="Seed"]').fill('5');
  await page.locator('input[aria-label="Seed"]').press('Enter');
  await waitForBadge(page, 'Ready');
  assert.match(await page.locator('.event-log').textContent(), /The run was stopped: seed set to 5/);
  await page.locator('input[aria-label="Seed"]').fill('abc');
  await page.locator('input[aria-label="Seed"]').press('Enter');
  assert.equal(await page.locator('input[aria-label="Seed"]').inputValue(), '5');
  assert.match(await page.locator('.control-error').textContent(), /"abc" is not a seed/);
  await context.close();
});

test('a long replay shows its progress and can be stopped', async () => {
  const { context, page, problems } = await openConsole(browser, '?seed=9&tick=5000000');
  await waitForBadge(page, 'Replaying');
  await page.waitForFunction(() => /to tick 5,000,000: \d+ %/.test(document.querySelector('.replay-progress')?.textContent ?? ''));
  await page.getByRole('button', { name: 'Stop replay' }).click();
  await waitForBadge(page, 'Ready');
  assert.equal(await page.locator('.replay-progress').textContent(), '');
  assert.match(await page.locator('.event-log').textContent(), /The replay stopped after/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the view tabs are one Tab stop, and the arrow keys, Home and End move between them', async () => {
  const { context, page, problems } = await openConsole(browser, '?view=table');
  const selected = () => page.$eval('[role=tab][aria-selected="true"]', (t) => t.dataset.view);
  const focused = () => page.evaluate(() => document.activeElement?.dataset.view ?? null);
  const stops = await page.$$eval('[role=tab]', (tabs) => tabs.map((t) => t.tabIndex));
  assert.deepEqual(stops, [0, -1, -1, -1, -1]);

  await page.locator('[role=tab][data-view="table"]').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.activeElement?.dataset.view === 'diagrams');
  assert.equal(await selected(), 'diagrams');
  await page.keyboard.press('End');
  await page.waitForFunction(() => document.activeElement?.dataset.view === 'ensemble');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.activeElement?.dataset.view === 'table');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => document.activeElement?.dataset.view === 'ensemble');
  await page.keyboard.press('Home');
  await page.waitForFunction(() => document.activeElement?.dataset.view === 'table');
  assert.equal(await selected(), await focused());
  assert.equal(await page.locator('[data-fact]').count(), 58);
  assert.deepEqual(problems, []);
  await context.close();
});
