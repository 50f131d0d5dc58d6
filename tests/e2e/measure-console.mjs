// Measures the console in headless Chromium while Monte Carlo runs at the highest speed: frame
// intervals (median, 95th percentile), frames later than 20 ms, tasks over 50 ms,
// ticks per second; and the size of the built
// wasm and JS, raw and gzip. A measurement, not a test: it prints one JSON object.
//
//   CONSOLE_URL=http://127.0.0.1:8080/ node tests/e2e/measure-console.mjs [seconds]

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { launchBrowser, openConsole } from './helpers/console-page.mjs';

const seconds = Number(process.argv[2] ?? 10);
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');

function sizes() {
  const out = {};
  for (const file of readdirSync(dist)) {
    const kind = path.extname(file).slice(1);
    if (!['wasm', 'js', 'css', 'html'].includes(kind)) continue;
    const bytes = readFileSync(path.join(dist, file));
    out[kind] = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  }
  out.total_gzip = Object.values(out).reduce((sum, s) => sum + s.gzip, 0);
  return out;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

const browser = await launchBrowser();
const { page, problems } = await openConsole(browser, '?seed=42&speed=max');
await page.evaluate(() => {
  window.__frames = [];
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: false });
  let last = performance.now();
  const loop = (now) => {
    window.__frames.push(now - last);
    last = now;
    if (window.__measuring) requestAnimationFrame(loop);
  };
  window.__measuring = true;
  requestAnimationFrame(loop);
});
await page.getByRole('button', { name: 'Start Monte Carlo' }).click();
const tickAt = async () =>
  Number((await page.locator('[data-clock="tick"]').textContent()).replaceAll(',', ''));
await page.waitForTimeout(1000);
const startTick = await tickAt();
const startTime = Date.now();
await page.evaluate(() => {
  window.__frames = [];
  window.__longTasks = [];
});
await page.waitForTimeout(seconds * 1000);
const { frames, longTasks } = await page.evaluate(() => {
  window.__measuring = false;
  return { frames: window.__frames, longTasks: window.__longTasks };
});
const ticks = (await tickAt()) - startTick;
const elapsed = (Date.now() - startTime) / 1000;
await browser.close();

const sorted = [...frames].sort((a, b) => a - b);
console.log(
  JSON.stringify(
    {
      seconds: elapsed,
      frames: frames.length,
      frame_ms_median: Number(percentile(sorted, 50).toFixed(2)),
      frame_ms_p95: Number(percentile(sorted, 95).toFixed(2)),
      frame_ms_max: Number(sorted[sorted.length - 1].toFixed(2)),
      late_frames: frames.filter((f) => f > 20).length,
      tasks_over_50ms: longTasks.filter((d) => d > 50).length,
      ticks_per_second: Math.round(ticks / elapsed),
      sizes: sizes(),
      problems,
    },
    null,
    2,
  ),
);
