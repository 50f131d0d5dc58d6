// Measures the BI tab on a long run in headless Chromium: replays a Monte Carlo run of many
// ticks, then changes the filters one after another and times each change from the select to
// the next frame after every widget is redrawn. Prints one JSON object: the replay's length,
// the history's size as the page reports it, the JS heap, and per filter change the time of
// the figures alone and of the whole redraw. A measurement, not a test.
//
//   CONSOLE_URL=http://127.0.0.1:8080/ node tests/e2e/measure-bi.mjs [ticks]

import { launchBrowser, openConsole } from './helpers/console-page.mjs';

const ticks = Number(process.argv[2] ?? 100_000);

const browser = await launchBrowser();
const { page, problems } = await openConsole(browser, `?seed=42&speed=max&tick=${ticks}&view=bi`);
const started = Date.now();
await page.waitForFunction(
  (want) => document.querySelector('[data-clock="tick"]')?.textContent === want &&
    document.querySelector('.state-badge')?.textContent === 'Ready',
  ticks.toLocaleString('en-US'),
  { timeout: 600_000 },
);
const replaySeconds = (Date.now() - started) / 1000;
await page.waitForTimeout(1500);

const changes = [
  ['window', '7d'], ['window', '30d'], ['window', 'all'], ['granularity', '1day'],
  ['granularity', '1min'], ['window', '6h'], ['granularity', '1h'], ['fbe', 'FBE_06'],
  ['fact', 'fbe_06_ph'], ['fbe', 'all'], ['window', '24h'], ['window', 'all'],
];
const results = [];
for (const [filter, value] of changes) {
  const before = await page.locator('[data-bi-recompute-ms]').getAttribute('data-bi-recompute-ms');
  // The select's change and the redraw, timed in the page: the figures are recomputed when
  // the filter changes, the canvases are painted in the effects that follow, and the next
  // animation frame comes after all of it.
  const total = await page.evaluate(async ([name, choice]) => {
    const select = document.querySelector(`[data-bi-filter="${name}"]`);
    const t0 = performance.now();
    select.value = choice;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return performance.now() - t0;
  }, [filter, value]);
  const figures = await page.locator('[data-bi-recompute-ms]').getAttribute('data-bi-recompute-ms');
  results.push({ filter, value, figures_ms: Number(figures), redraw_ms: Number(total.toFixed(1)), changed: figures !== before });
}
const size = await page.locator('[data-bi-recompute-ms]').textContent();
const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? null);
const sorted = (key) => results.map((r) => r[key]).sort((a, b) => a - b);
const median = (values) => values[Math.floor(values.length / 2)];
console.log(JSON.stringify({
  ticks,
  replay_seconds: replaySeconds,
  history: size.replace(/ Figures recomputed.*/, ''),
  js_heap_bytes: heap,
  figures_ms: { median: median(sorted('figures_ms')), max: Math.max(...sorted('figures_ms')) },
  redraw_ms: { median: median(sorted('redraw_ms')), max: Math.max(...sorted('redraw_ms')) },
  changes: results,
  problems,
}, null, 1));
await browser.close();
