// The BI tab: figures and charts over the run's history, compared with the native runner's
// `twin history` for the same seed and ticks; filters; the CSV and JSON downloads.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
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
const TICKS = 1500;

/** Opens the BI tab on the Monte Carlo run of `seed` replayed to `ticks`. */
async function openReplayed(seed = SEED, ticks = TICKS) {
  const opened = await openConsole(browser, `?seed=${seed}&speed=max&tick=${ticks}&view=bi`);
  await opened.page.waitForFunction(
    (want) => document.querySelector('[data-clock="tick"]')?.textContent === want &&
      document.querySelector('.state-badge')?.textContent === 'Ready',
    ticks.toLocaleString('en-US'),
    { timeout: 60_000 },
  );
  return opened;
}

async function kpis(page) {
  return page.$$eval('[data-kpi]', (nodes) =>
    Object.fromEntries(nodes.map((n) => [n.dataset.kpi, n.textContent])));
}

/** How many pixels of the canvas are neither white nor transparent. */
async function inkedPixels(page, name) {
  return page.$eval(`canvas[data-chart="${name}"]`, (canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) inked += 1;
    }
    return inked;
  });
}

function nativeHistory(args) {
  return nativeRun(['history', '--seed', String(SEED), '--ticks', String(TICKS), ...args]);
}

test('before any tick the BI tab says there is no data, without a chart', async () => {
  const { context, page, problems } = await openConsole(browser, '?view=bi');
  await page.locator('[data-bi-empty]').waitFor();
  assert.match(await page.locator('[data-bi-empty]').textContent(), /^No data for this period/);
  assert.equal(await page.locator('canvas').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('after a Monte Carlo run every chart is drawn and the figures are the native ones', async (t) => {
  const { context, page, problems } = await openReplayed();
  const native = nativeHistory(['--window', '24h', '--granularity', '1h']).report;

  for (const name of ['oee-trend', 'series', 'control', 'anomaly-pareto', 'firing-pareto']) {
    const canvas = page.locator(`canvas[data-chart="${name}"]`);
    await canvas.waitFor();
    assert.ok((await inkedPixels(page, name)) > 500, `${name} is blank`);
  }
  assert.equal(
    Number(await page.locator('canvas[data-chart="series"]').getAttribute('data-points')),
    native.series.length,
  );

  const pct = (x) => `${x.toFixed(2)} %`;
  assert.deepEqual(await kpis(page), {
    oee: pct(native.kpis.oee),
    availability: pct(native.kpis.availability),
    performance: pct(native.kpis.performance),
    quality: pct(native.kpis.quality),
    anomalies: native.kpis.anomalies.toLocaleString('en-US'),
    firings: native.kpis.firings.toLocaleString('en-US'),
  });
  for (const key of ['cl', 'ucl', 'lcl', 'amr']) {
    const shown = page.locator(`[data-control="${key}"]`);
    assert.equal(Number(await shown.getAttribute('data-value')), native.control[key], key);
    assert.equal(await shown.textContent(), native.control[key].toFixed(3), key);
  }
  assert.equal(
    await page.locator('[data-control="out"]').textContent(),
    `${native.control.out_of_limits.length} of ${native.series.length} points out of limits`,
  );
  assert.equal(await page.locator('[data-synoptic]').count(), 11);
  assert.equal(await page.locator('[data-correlation] tbody tr').count(), 12);
  assert.deepEqual(problems, []);
  t.diagnostic(`screenshot: ${await saveScreenshot(page, 'bi-after-run')}`);
  await context.close();
});

test('changing a filter changes every widget at once, as the native report does', async () => {
  const { context, page, problems } = await openReplayed();
  const day = await kpis(page);

  await page.selectOption('[data-bi-filter="window"]', '6h');
  await page.waitForFunction((oee) => document.querySelector('[data-kpi="oee"]').textContent !== oee, day.oee);
  const six = await kpis(page);
  assert.notDeepEqual(six, day);
  const native6 = nativeHistory(['--window', '6h', '--granularity', '1h']).report;
  assert.equal(six.oee, `${native6.kpis.oee.toFixed(2)} %`);
  assert.equal(six.firings, native6.kpis.firings.toLocaleString('en-US'));

  // The lauter tun at one-minute buckets over the whole run, its pump speed charted.
  await page.selectOption('[data-bi-filter="window"]', 'all');
  await page.selectOption('[data-bi-filter="granularity"]', '1min');
  await page.selectOption('[data-bi-filter="fbe"]', 'FBE_03');
  await page.selectOption('[data-bi-filter="fact"]', 'fbe_03_pump_speed');
  const native = nativeHistory([
    '--window', 'all', '--granularity', '1min', '--fbe', 'FBE_03', '--fact', 'fbe_03_pump_speed',
  ]).report;
  await page.waitForFunction(
    (points) => document.querySelector('canvas[data-chart="series"]')?.dataset.points === points,
    String(native.series.length),
  );
  assert.equal(await page.locator('[data-synoptic]').count(), 1);
  assert.equal(await page.locator('[data-synoptic="FBE_03"]').count(), 1);
  assert.equal(
    Number(await page.locator('[data-control="ucl"]').getAttribute('data-value')),
    native.control.ucl,
  );
  const fbeOptions = await page.$$eval('[data-bi-filter="fact"] option', (o) => o.map((x) => x.value));
  assert.ok(fbeOptions.every((name) => name.startsWith('fbe_03_')), fbeOptions.join());

  // A day-wide bucket in a 6-hour window leaves a single point: no limits, said in words.
  await page.selectOption('[data-bi-filter="window"]', '6h');
  await page.selectOption('[data-bi-filter="granularity"]', '1day');
  await page.locator('[data-chart-empty="control"]').waitFor();
  assert.match(
    await page.locator('[data-chart-empty="control"]').textContent(),
    /^No data for this period: control limits need at least two buckets/,
  );
  assert.deepEqual(problems, []);
  await context.close();
});

test('the CSV download holds one row per fact change, as the native history does', async (t) => {
  const { context, page, problems } = await openReplayed();
  await page.selectOption('[data-bi-filter="window"]', 'all');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `brewery-history-monte-carlo-seed${SEED}-tick${TICKS}.csv`);
  const text = await readFile(await download.path(), 'utf8');
  const rows = text.split('\r\n').filter((line) => line !== '');
  assert.equal(rows[0], 'simulated_minute,simulated_time,fact,value,unit');

  const size = nativeHistory([]).size;
  assert.equal(rows.length - 1, size.changes_total);
  const native = execFileSync(
    TWIN_NATIVE,
    ['history', '--seed', String(SEED), '--ticks', String(TICKS), '--window', 'all', '--csv'],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  assert.equal(text, `${native.trimEnd()}\r\n`);
  assert.match(
    await page.locator('.bi-status').textContent(),
    new RegExp(`^Saved brewery-history-.*: ${size.changes_total.toLocaleString('en-US')} fact changes\\.$`),
  );
  assert.deepEqual(problems, []);
  t.diagnostic(`${rows.length - 1} rows, ${text.length} bytes`);
  await context.close();
});

test('the summary download is the native run summary', async () => {
  const { context, page, problems } = await openReplayed(SEED, 600);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export summary (JSON)' }).click(),
  ]);
  const summary = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.deepEqual(summary, nativeRun(['monte-carlo', '--seed', String(SEED), '--ticks', '600']));
  assert.deepEqual(problems, []);
  await context.close();
});

test('a run is kept in the browser, survives a reload, reopens as the same run, and can be forgotten', async () => {
  const { context, page, problems } = await openReplayed(11, 300);
  const kept = page.locator('[data-kept-run="monte-carlo/11"]');
  await kept.waitFor();
  assert.match(await kept.textContent(), /^monte-carlo seed 11 at tick 300 \(day 2, 06:00\)/);
  const figures = await kpis(page);

  await page.goto(new URL('?view=bi', page.url()).href);
  await kept.waitFor();
  assert.equal(
    await kept.locator('a').getAttribute('href'),
    '?seed=11&scenario=monte-carlo&speed=max&view=bi&tick=300',
  );
  await kept.locator('a').click();
  await page.waitForFunction(
    () => document.querySelector('[data-clock="tick"]')?.textContent === '300' &&
      document.querySelector('.state-badge')?.textContent === 'Ready',
    null,
    { timeout: 60_000 },
  );
  await page.waitForFunction((oee) => document.querySelector('[data-kpi="oee"]')?.textContent === oee, figures.oee);
  assert.deepEqual(await kpis(page), figures);

  await kept.getByRole('button', { name: 'Forget' }).click();
  await kept.waitFor({ state: 'detached' });
  await page.goto(new URL('?view=bi', page.url()).href);
  await page.locator('.kept-runs-section [data-kept-runs]').waitFor();
  assert.equal(await kept.count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});
