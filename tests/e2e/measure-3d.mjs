// Measures the 3D view in headless Chromium (software WebGL2) while Monte Carlo runs as fast as
// possible: frame intervals from requestAnimationFrame timestamps (median, 95th percentile,
// worst), frames the canvas drew, frames later than 20 ms, and ticks per second. Run it once
// with the 3D view and once with the table view to see what drawing the plant costs. A
// measurement, not a test: it prints one JSON object.
//
//   CONSOLE_URL=http://127.0.0.1:8733/ node tests/e2e/measure-3d.mjs [seconds] [view]

import { launchBrowser, openConsole } from './helpers/console-page.mjs';

const seconds = Number(process.argv[2] ?? 10);
const view = process.argv[3] ?? '3d';

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

const browser = await launchBrowser();
const { page, problems } = await openConsole(browser, `?seed=42&speed=max&view=${view}`);
if (view === '3d') {
  await page.waitForFunction(() => Number(document.querySelector('canvas.plant-canvas')?.dataset.framesDrawn) > 0);
  await page.locator('canvas.plant-canvas').scrollIntoViewIfNeeded();
}
const framesDrawn = () =>
  page.evaluate(() => Number(document.querySelector('canvas.plant-canvas')?.dataset.framesDrawn ?? 0));
const tickAt = async () =>
  Number((await page.locator('[data-clock="tick"]').textContent()).replaceAll(',', ''));

await page.getByRole('button', { name: 'Start Monte Carlo' }).click();
await page.waitForTimeout(1000);
await page.evaluate(() => {
  window.__frames = [];
  let last;
  const loop = (now) => {
    if (last !== undefined) window.__frames.push(now - last);
    last = now;
    if (window.__measuring) requestAnimationFrame(loop);
  };
  window.__measuring = true;
  requestAnimationFrame(loop);
});
const [startTick, startDrawn, startTime] = [await tickAt(), await framesDrawn(), Date.now()];
await page.waitForTimeout(seconds * 1000);
const frames = await page.evaluate(() => {
  window.__measuring = false;
  return window.__frames;
});
const elapsed = (Date.now() - startTime) / 1000;
const [ticks, drawn] = [(await tickAt()) - startTick, (await framesDrawn()) - startDrawn];
await browser.close();

const sorted = [...frames].sort((a, b) => a - b);
console.log(
  JSON.stringify(
    {
      view,
      seconds: elapsed,
      frames: frames.length,
      frame_ms_median: Number(percentile(sorted, 50).toFixed(2)),
      frame_ms_p95: Number(percentile(sorted, 95).toFixed(2)),
      frame_ms_max: Number(sorted[sorted.length - 1].toFixed(2)),
      late_frames: frames.filter((f) => f > 20).length,
      canvas_frames_drawn: drawn,
      ticks_per_second: Math.round(ticks / elapsed),
      problems,
    },
    null,
    2,
  ),
);
