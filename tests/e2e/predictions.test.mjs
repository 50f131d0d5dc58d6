// The ML predictions page: the three models trained in the page on a seeded run, compared with
// the native runner's `twin predictions` for the same seed and ticks; too little history;
// export and import of predictions as JSON lines; the links between the pages.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { launchBrowser, openConsole, saveScreenshot } from './helpers/console-page.mjs';
import { nativeRun, TWIN_NATIVE } from './helpers/twin.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

const SEED = 7;
const TICKS = 600;

async function openTrained(seed = SEED, ticks = TICKS) {
  const opened = await openConsole(browser, `?seed=${seed}&speed=max&tick=${ticks}&page=predictions`);
  await opened.page.locator('[data-longest-step-ms], [data-predictions-error]').first()
    .waitFor({ timeout: 60_000 });
  return opened;
}

async function metrics(page) {
  return page.$$eval('[data-metric]', (nodes) =>
    Object.fromEntries(nodes.map((n) => [n.dataset.metric, n.textContent])));
}

test('after a seeded run the page shows the three models with the native metrics', async (t) => {
  const { context, page, problems } = await openTrained();
  const native = nativeRun(['predictions', '--seed', String(SEED), '--ticks', String(TICKS)]);
  assert.equal(await page.locator('[data-model]').count(), 3);

  const shown = await metrics(page);
  const expected = {
    'oee.mae': native.oee.mae.toFixed(3),
    'oee.r2': native.oee.r2.toFixed(4),
    'mill.threshold': native.mill.threshold.toFixed(3),
    'mill.explained': `${(native.mill.explained * 100).toFixed(1)} %`,
    'mill.flagged': String(native.mill.flagged.length),
    'mill.ema': String(native.mill.ema_flagged.length),
    'mill.both': String(native.mill.both.length),
  };
  for (const e of native.fermentation.errors) {
    expected[`fermentation.${e.fact}.model_mae`] = e.model_mae.toFixed(4);
    expected[`fermentation.${e.fact}.naive_mae`] = e.naive_mae.toFixed(4);
  }
  for (const [key, text] of Object.entries(expected)) assert.equal(shown[key], text, key);
  const values = await page.$$eval('[data-metric][data-value]', (nodes) => nodes.map((n) => Number(n.dataset.value)));
  assert.ok(values.length >= 17 && values.every(Number.isFinite), values.join());

  for (const name of ['oee-predicted', 'brix-predicted', 'mill-score']) {
    await page.locator(`canvas[data-chart="${name}"]`).waitFor();
  }
  const steps = (await page.locator('[data-step-ms]').getAttribute('data-step-ms')).split(' ');
  assert.equal(steps.length, 10, 'the data, then nine training steps, one per frame');
  assert.deepEqual(problems, []);
  t.diagnostic(`training steps (ms): ${steps.join(', ')}`);
  t.diagnostic(`screenshot: ${await saveScreenshot(page, 'predictions-after-run')}`);
  await context.close();
});

test('too little history says how many more ticks are needed', async () => {
  const { context, page, problems } = await openTrained(SEED, 50);
  assert.match(
    await page.locator('[data-predictions-error]').textContent(),
    /^The models need at least 120 ticks of history and the run has 50: run 70 more ticks\./,
  );
  assert.equal(await page.locator('[data-model]').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('predictions save as JSON lines and read back, each bad line named', async () => {
  const { context, page, problems } = await openTrained();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export predictions (JSON lines)' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `brewery-predictions-monte-carlo-seed${SEED}-tick${TICKS}.jsonl`);
  const text = await readFile(await download.path(), 'utf8');
  const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l));
  const native = execFileSync(
    TWIN_NATIVE,
    ['predictions', '--seed', String(SEED), '--ticks', String(TICKS), '--json-lines'],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  ).trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, native.length);
  lines.forEach((line, i) => {
    assert.deepEqual([line.model, line.target, line.minute], [native[i].model, native[i].target, native[i].minute]);
    assert.ok(Math.abs(line.value - native[i].value) <= 1e-9 * Math.max(1, Math.abs(native[i].value)));
  });

  // Three good lines, and bad ones at lines 2, 4 and 6.
  const good = text.split('\n').slice(0, 3);
  const file = path.join(tmpdir(), `predictions-${process.pid}.jsonl`);
  await writeFile(file, [
    good[0], '{"model": "oee"}', good[1], 'not json at all', good[2],
    '{"model":"mill","target":"anomaly_score","minute":6,"value":"high"}', '',
  ].join('\n'));
  await page.setInputFiles('[data-import-predictions]', file);
  await page.locator('[data-imported-count]').waitFor();
  assert.equal(await page.locator('[data-imported-count]').getAttribute('data-imported-count'), '3');
  const errors = await page.$$eval('[data-import-error]', (nodes) => nodes.map((n) => Number(n.dataset.importError)));
  assert.deepEqual(errors, [2, 4, 6]);
  assert.match(await page.locator('[data-import-error="4"]').textContent(), /^Line 4: /);
  assert.match(await page.locator('.bi-status').textContent(), /3 predictions kept, 3 lines refused\.$/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the header links to the page, and its back link returns to the console', async () => {
  const { context, page, problems } = await openConsole(browser, '?seed=3');
  await page.locator('header [data-page-link="predictions"]').click();
  await page.locator('[data-page="predictions"]').waitFor();
  assert.match(page.url(), /page=predictions/);
  await page.locator('[data-predictions-error]').waitFor();
  await page.getByRole('link', { name: '← Back to the console' }).click();
  await page.locator('[data-view="table"]').waitFor();
  assert.doesNotMatch(page.url(), /page=/);
  await page.goBack();
  await page.locator('[data-page="predictions"]').waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a reset makes the models stale: the page trains again and says the history is too short', async () => {
  const { context, page, problems } = await openTrained();
  assert.match(await page.locator('[data-longest-step-ms]').textContent(), /up to tick 600 \(day 3, 12:00\)\.$/);
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.locator('[data-predictions-error]').waitFor();
  assert.match(await page.locator('[data-predictions-error]').textContent(), /the run has 0: run 120 more ticks/);
  assert.equal(await page.locator('[data-model]').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
