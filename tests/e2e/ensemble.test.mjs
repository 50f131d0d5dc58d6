// The Ensemble tab: Monte Carlo ensembles run in Web Workers in the page, compared with the
// native runner's statistics for the same seeds; cancelling; the seeds behind a histogram bar.

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

/** A distribution's figure as the panel writes it (see web-app/src/ensemble.rs, `figure`). */
function figure(value, unit) {
  if (unit === 'bp') return `${Math.floor(value / 100)}.${String(value % 100).padStart(2, '0')} %`;
  if (unit === '%') return `${value} %`;
  if (unit === 'minutes') return `${value.toLocaleString('en-US')} min`;
  return value.toLocaleString('en-US');
}

/** The `data-NAME` attribute of every element that has one, mapped to its text. */
async function texts(page, name) {
  return page.$$eval(`[data-${name}]`, (nodes, key) =>
    Object.fromEntries(nodes.map((n) => [n.getAttribute(`data-${key}`), n.textContent.trim()])),
  name);
}

async function runEnsemble(page, { runs, ticks, firstSeed }) {
  await page.fill('[data-ensemble-input="runs"]', String(runs));
  await page.fill('[data-ensemble-input="ticks"]', String(ticks));
  await page.fill('[data-ensemble-input="first-seed"]', String(firstSeed));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
}

async function waitForPhase(page, phase, timeout = 180_000) {
  await page.locator(`[data-ensemble-phase="${phase}"]`).waitFor({ timeout });
}

test('200 runs of 240 ticks in workers give the native percentiles', async (t) => {
  const native = nativeRun(['ensemble', '--first-seed', '0', '--runs', '200', '--ticks', '240']);
  const { context, page, problems } = await openConsole(browser, '?view=ensemble');
  assert.equal(
    await page.locator('[data-view="ensemble"]').getAttribute('aria-selected'),
    'true',
  );

  await runEnsemble(page, { runs: 200, ticks: 240, firstSeed: 0 });
  await waitForPhase(page, 'done');

  const expected = {};
  for (const [name, d] of Object.entries(native.metrics)) {
    for (const p of ['p5', 'p50', 'p95']) expected[`${name}.${p}`] = figure(d[p], d.unit);
  }
  assert.equal(Object.keys(expected).length, 36);
  assert.deepEqual(await texts(page, 'percentile'), expected);

  const rulePercentiles = {};
  const runsFired = {};
  for (const rule of native.rules) {
    runsFired[rule.rule] = rule.runs_fired.toLocaleString('en-US');
    for (const p of ['p5', 'p50', 'p95']) {
      rulePercentiles[`${rule.rule}.${p}`] = figure(rule.firings[p], 'count');
    }
  }
  assert.deepEqual(await texts(page, 'rule-percentile'), rulePercentiles);
  assert.deepEqual(await texts(page, 'runs-fired'), runsFired);

  const coOccurrence = {};
  native.co_occurrence.forEach((row, a) =>
    row.forEach((n, b) => {
      coOccurrence[`${native.rules[a].rule}.${native.rules[b].rule}`] = n.toLocaleString('en-US');
    }),
  );
  assert.deepEqual(await texts(page, 'co-occurrence'), coOccurrence);

  assert.equal(await page.locator('progress').getAttribute('value'), '200');
  assert.match(await page.locator('.ensemble-status').textContent(), /^200 runs of 240 ticks/);
  assert.deepEqual(problems, []);
  t.diagnostic(`screenshot: ${await saveScreenshot(page, 'ensemble-200-runs')}`);
  await context.close();
});

test('a histogram bar lists its seeds, each a link to that run in the console', async (t) => {
  const native = nativeRun(['ensemble', '--first-seed', '0', '--runs', '50', '--ticks', '240']);
  const { context, page, problems } = await openConsole(browser, '?view=ensemble');
  await runEnsemble(page, { runs: 50, ticks: 240, firstSeed: 0 });
  await waitForPhase(page, 'done');

  const counts = await page.$$eval('[data-histogram-bin]', (bins) =>
    bins.map((b) => Number(b.dataset.count)),
  );
  assert.deepEqual(counts, native.metrics.oee.histogram.counts);
  const bin = counts.findIndex((n) => n > 0);
  await page.locator(`[data-histogram-bin="${bin}"]`).click();

  const edges = native.metrics.oee.histogram.lower_edges;
  const high = edges[bin + 1] ?? Infinity;
  const seeds = native.outcomes
    .filter((o) => o.oee.oee >= edges[bin] && o.oee.oee < high)
    .map((o) => o.seed);
  const links = await page.$$eval(`[data-bin-seeds="${bin}"] a[data-seed]`, (anchors) =>
    anchors.map((a) => [Number(a.dataset.seed), a.getAttribute('href')]),
  );
  assert.deepEqual(
    links,
    seeds.map((s) => [s, `?seed=${s}&scenario=monte-carlo&speed=max&view=table&tick=240`]),
  );

  await page.locator(`[data-bin-seeds="${bin}"] a[data-seed="${seeds[0]}"]`).click();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('seed') !== null);
  await page.locator('header h1').waitFor();
  assert.equal(new URL(page.url()).searchParams.get('seed'), String(seeds[0]));
  assert.deepEqual(problems, []);
  t.diagnostic(`bin ${bin} holds seeds ${seeds.join(', ')}`);
  await context.close();
});

test('any metric can be drawn as a histogram, and its bars list their seeds', async (t) => {
  const native = nativeRun(['ensemble', '--first-seed', '3', '--runs', '60', '--ticks', '240']);
  const { context, page, problems } = await openConsole(browser, '?view=ensemble');
  await runEnsemble(page, { runs: 60, ticks: 240, firstSeed: 3 });
  await waitForPhase(page, 'done');

  const options = await page.$$eval('[data-histogram-metric] option', (o) => o.map((x) => x.value));
  assert.equal(options.length, 12 + 12);
  const barCounts = () =>
    page.$$eval('[data-histogram-bin]', (bins) => bins.map((b) => Number(b.dataset.count)));
  /** Counts and minutes show their bins up to the last one that holds a run. */
  const shown = (counts) => counts.slice(0, counts.findLastIndex((n) => n > 0) + 1);

  const checks = [
    ['availability', native.metrics.availability.histogram.counts, (o) => o.oee.availability],
    ['anomalies', shown(native.metrics.anomalies.histogram.counts), (o) => o.anomalies],
    [
      'packaging_downtime_minutes',
      shown(native.metrics.packaging_downtime_minutes.histogram.counts),
      (o) => o.packaging_downtime_minutes,
    ],
    ['firings.R_05', shown(native.rules[4].firings.histogram.counts), (o) => o.firings[4]],
  ];
  for (const [key, counts, value] of checks) {
    await page.selectOption('[data-histogram-metric]', key);
    await page.locator(`svg[data-histogram-of="${key}"]`).waitFor();
    assert.deepEqual(await barCounts(), counts, key);

    const bin = counts.findIndex((n) => n > 0);
    await page.locator(`[data-histogram-bin="${bin}"]`).click();
    const histogram =
      key.startsWith('firings.') ? native.rules[4].firings.histogram : native.metrics[key].histogram;
    const edges = histogram.lower_edges;
    const high = edges[bin + 1] ?? Infinity;
    const seeds = native.outcomes
      .filter((o) => value(o) >= edges[bin] && value(o) < high)
      .map((o) => o.seed);
    const listed = await page.$$eval(`[data-bin-seeds="${bin}"] a[data-seed]`, (anchors) =>
      anchors.map((a) => Number(a.dataset.seed)),
    );
    assert.deepEqual(listed, seeds, key);
    t.diagnostic(`${key}: bin ${bin} holds ${seeds.length} runs`);
  }
  t.diagnostic(`screenshot: ${await saveScreenshot(page, 'ensemble-histogram-firings')}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('an ensemble of the scripted brew day gives the native figures and replays its runs', async (t) => {
  const native = nativeRun([
    'ensemble', '--scenario', 'scripted', '--first-seed', '5', '--runs', '20', '--ticks', '240',
  ]);
  assert.equal(native.scenario, 'scripted');
  const { context, page, problems } = await openConsole(browser, '?view=ensemble');

  await page.fill('[data-ensemble-input="ticks"]', '1000');
  await page.selectOption('[data-ensemble-input="scenario"]', 'scripted');
  assert.equal(await page.inputValue('[data-ensemble-input="ticks"]'), '240');
  await page.fill('[data-ensemble-input="ticks"]', '241');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await waitForPhase(page, 'failed', 5_000);
  assert.match(
    await page.locator('.ensemble-status').textContent(),
    /from 1 to 240 \(the length of the scripted brew day\)/,
  );

  await runEnsemble(page, { runs: 20, ticks: 240, firstSeed: 5 });
  await waitForPhase(page, 'done');
  assert.match(
    await page.locator('.ensemble-status').textContent(),
    /^20 runs of 240 ticks of the scripted brew day from seed 5 took/,
  );
  const expected = {};
  for (const [name, d] of Object.entries(native.metrics)) {
    for (const p of ['p5', 'p50', 'p95']) expected[`${name}.${p}`] = figure(d[p], d.unit);
  }
  assert.deepEqual(await texts(page, 'percentile'), expected);
  const runsFired = Object.fromEntries(native.rules.map((r) => [r.rule, '20']));
  assert.deepEqual(await texts(page, 'runs-fired'), runsFired);

  const bin = (await page.$$eval('[data-histogram-bin]', (bins) =>
    bins.map((b) => Number(b.dataset.count)))).findIndex((n) => n > 0);
  await page.locator(`[data-histogram-bin="${bin}"]`).click();
  const link = page.locator(`[data-bin-seeds="${bin}"] a[data-seed]`).first();
  const seed = await link.getAttribute('data-seed');
  assert.equal(
    await link.getAttribute('href'),
    `?seed=${seed}&scenario=scripted&speed=max&view=table&tick=240`,
  );
  await link.click();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('seed') !== null);
  await page.waitForFunction(
    () => document.querySelector('[data-clock="tick"]')?.textContent === '240' &&
      document.querySelector('.state-badge')?.textContent === 'Ready',
    null,
    { timeout: 60_000 },
  );
  assert.deepEqual(await factTexts(page), expectedTexts(nativeRun(['scripted', '--seed', seed])));
  t.diagnostic(`seed ${seed} replayed to the end of its brew day`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Cancel stops a 10 000-run ensemble and the page stays usable', async () => {
  const { context, page, problems } = await openConsole(browser, '?view=ensemble');
  await runEnsemble(page, { runs: 10_000, ticks: 240, firstSeed: 0 });
  await waitForPhase(page, 'running');
  await page.waitForFunction(() => Number(document.querySelector('progress')?.value) > 0);
  assert.match(await page.locator('[data-ensemble-estimate]').textContent(), /s left$/);

  await page.getByRole('button', { name: 'Cancel' }).click();
  await waitForPhase(page, 'cancelled', 5_000);
  const status = await page.locator('.ensemble-status').textContent();
  assert.match(status, /^Ensemble cancelled after [\d,]+ of 10,000 runs; nothing was kept\.$/);
  const done = await page.locator('progress').getAttribute('value');
  await page.waitForTimeout(500);
  assert.equal(await page.locator('progress').getAttribute('value'), done);
  assert.notEqual(done, '10000');
  assert.equal(await page.locator('[data-percentile]').count(), 0);

  await page.locator('[data-view="table"]').click();
  assert.equal(await page.locator('[data-fact]').count(), 58);
  await page.locator('[data-view="ensemble"]').click();
  assert.equal(await page.locator('[data-ensemble-phase="cancelled"]').count(), 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('1 000 runs of 240 ticks: runs per second in the browser', async (t) => {
  const { context, page, problems } = await openConsole(browser, '?view=ensemble');
  // The page's frames while the workers run: the gaps between animation frames and the
  // main thread's long tasks.
  await page.evaluate(() => {
    const watch = { gaps: [], longTasks: [] };
    window.ensembleWatch = watch;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) watch.longTasks.push(entry.duration);
    }).observe({ type: 'longtask' });
    let last = performance.now();
    const frame = (now) => {
      watch.gaps.push(now - last);
      last = now;
      if (document.querySelector('[data-ensemble-phase="done"]') === null) {
        requestAnimationFrame(frame);
      }
    };
    requestAnimationFrame(frame);
  });
  await runEnsemble(page, { runs: 1_000, ticks: 240, firstSeed: 0 });
  await waitForPhase(page, 'running');
  // The other views stay usable while the runs go.
  await page.locator('[data-view="table"]').click();
  assert.equal(await page.locator('[data-fact]').count(), 58);
  await page.locator('[data-view="ensemble"]').click();
  await waitForPhase(page, 'done', 300_000);
  const rate = await page.locator('.ensemble-status').getAttribute('data-runs-per-second');
  const workers = await page.evaluate(() => Math.min(8, Math.max(1, navigator.hardwareConcurrency)));
  assert.ok(Number(rate) > 0);
  const { gaps, longTasks } = await page.evaluate(() => window.ensembleWatch);
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)];
  const worst = gaps[gaps.length - 1];
  // A frozen page would show gaps of seconds; a busy shared machine shows some tens of ms.
  assert.ok(worst < 1_000, `the page froze for ${worst.toFixed(0)} ms`);
  assert.deepEqual(problems, []);
  t.diagnostic(`1 000 runs of 240 ticks: ${rate} runs per second in ${workers} workers`);
  t.diagnostic(
    `frames during the run: ${gaps.length}, median gap ${median.toFixed(1)} ms, ` +
      `longest ${worst.toFixed(1)} ms; long tasks: ${longTasks.length}, ` +
      `longest ${Math.max(0, ...longTasks).toFixed(0)} ms`,
  );
  await context.close();
});

/** Serves `script` in place of the worker's loader, for the pages of `context`. */
async function replaceWorker(context, script) {
  await context.route('**/ensemble_worker_loader.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: script }),
  );
}

test('a worker that fails or talks nonsense is reported on the panel', async () => {
  for (const [script, reason] of [
    ['throw new Error("the loader broke");', /^Worker \d of \d \(seeds \d+ to \d+\) failed: .*the loader broke/],
    ['postMessage("not a report");', /^Worker \d of \d \(seeds \d+ to \d+\) sent a message that is not a run's outcome/],
  ]) {
    const { context, page } = await openConsole(browser, '?view=ensemble');
    await replaceWorker(context, script);
    await runEnsemble(page, { runs: 10, ticks: 10, firstSeed: 0 });
    await waitForPhase(page, 'failed', 10_000);
    const status = await page.locator('.ensemble-status').textContent();
    assert.match(status, reason);
    assert.match(status, /The ensemble stopped; run it again\.$/);
    assert.equal(await page.getByRole('button', { name: 'Run', exact: true }).isEnabled(), true);
    await context.close();
  }
});
