// The 3D view and the per-FBE detail pages: WebGL2 drawing, picking, status colours, keyboard,
// the frame loop's pauses, and the detail URLs.

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

/**
 * Reads the pixels of the drawn canvas (through a screenshot of it, so that what is measured is
 * what the page shows) and counts: pixels unlike the background corner, distinct colours, and
 * pixels of the warning amber, critical red and active blue.
 */
async function canvasPixels(page) {
  const png = await page.locator('canvas.plant-canvas').screenshot();
  return page.evaluate(async (data) => {
    const image = new Image();
    image.src = `data:image/png;base64,${data}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const { data: px } = context.getImageData(0, 0, image.width, image.height);
    const [br, bg, bb] = [px[4 * (image.width * 3 + 3)], px[4 * (image.width * 3 + 3) + 1], px[4 * (image.width * 3 + 3) + 2]];
    const colours = new Set();
    let drawn = 0;
    let amber = 0;
    let red = 0;
    let blue = 0;
    for (let i = 0; i < px.length; i += 4) {
      const [r, g, b] = [px[i], px[i + 1], px[i + 2]];
      colours.add(((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3));
      if (Math.abs(r - br) + Math.abs(g - bg) + Math.abs(b - bb) > 24) drawn += 1;
      if (r > 150 && g > 90 && g < 170 && b < 60 && r - g > 40) amber += 1;
      if (r > 140 && g < 80 && b < 80) red += 1;
      if (b > 110 && b - r > 35 && g > 70 && g < 150) blue += 1;
    }
    return { width: image.width, height: image.height, drawn: drawn / (px.length / 4), colours: colours.size, amber, red, blue };
  }, png.toString('base64'));
}

/** The canvas position (CSS pixels from its corner) where the page says FBE `id` is drawn. */
async function anchorOf(page, id) {
  const button = page.locator(`[data-fbe-pick="${id}"]`);
  const [x, y] = await Promise.all([button.getAttribute('data-screen-x'), button.getAttribute('data-screen-y')]);
  assert.ok(x !== null && y !== null, `${id} has a position on the canvas`);
  return { x: Number(x), y: Number(y) };
}

async function framesDrawn(page) {
  return Number(await page.locator('canvas.plant-canvas').getAttribute('data-frames-drawn'));
}

async function openThreeD(query = '?view=3d') {
  const opened = await openConsole(browser, query);
  await opened.page.waitForFunction(() => Number(document.querySelector('canvas.plant-canvas')?.dataset.framesDrawn) > 0 &&
    document.querySelector('[data-fbe-pick="FBE_11"]')?.dataset.screenX !== undefined);
  return opened;
}

test('the 3D tab draws the whole plant on a WebGL2 canvas, and only while it is shown', async (t) => {
  const { context, page, problems } = await openConsole(browser);
  assert.equal(await page.locator('canvas.plant-canvas').count(), 0, 'no canvas before the tab is chosen');
  await page.locator('[data-view="3d"]').click();
  await page.waitForFunction(() => Number(document.querySelector('canvas.plant-canvas')?.dataset.framesDrawn) > 0);
  assert.match(page.url(), /view=3d/);
  assert.equal(await page.locator('[data-view="3d"]').getAttribute('aria-selected'), 'true');
  assert.equal(await page.locator('[data-fact]').count(), 0, 'the table view left the page');
  assert.equal(await page.locator('.scene-fallback').count(), 0, 'WebGL2 is available');

  const pixels = await canvasPixels(page);
  t.diagnostic(`canvas ${pixels.width}×${pixels.height}: ${(pixels.drawn * 100).toFixed(1)} % drawn, ${pixels.colours} colours`);
  assert.ok(pixels.drawn > 0.3, `only ${(pixels.drawn * 100).toFixed(1)} % of the canvas differs from the background`);
  assert.ok(pixels.colours > 200, `only ${pixels.colours} distinct colours: flat shading gives many`);

  assert.equal(await page.locator('[data-fbe-pick]').count(), 11);
  for (let i = 1; i <= 11; i += 1) {
    const { x, y } = await anchorOf(page, `FBE_${String(i).padStart(2, '0')}`);
    assert.ok(x > 0 && x < pixels.width && y > 0 && y < pixels.height, `FBE_${i} at ${x},${y} is on the canvas`);
  }
  assert.equal(await page.locator('.status-legend li').count(), 4);
  t.diagnostic(`screenshot: ${await saveScreenshot(page, '3d-plant')}`);

  await page.locator('[data-view="table"]').click();
  assert.equal(await page.locator('canvas.plant-canvas').count(), 0, 'the canvas left with its tab');
  assert.deepEqual(problems, []);
  await context.close();
});

test('clicking where an FBE is drawn selects it; hovering shows its facts; clicking the floor clears', async (t) => {
  const { context, page, problems } = await openThreeD();
  const canvas = page.locator('canvas.plant-canvas');
  for (const id of ['FBE_05', 'FBE_02', 'FBE_08', 'FBE_11', 'FBE_01']) {
    const at = await anchorOf(page, id);
    await canvas.hover({ position: at });
    await page.locator(`.hover-card[data-hover-fbe="${id}"]`).waitFor();
    await canvas.click({ position: at });
    await page.locator(`[data-details-fbe="${id}"]`).waitFor();
    assert.equal(await page.locator(`[data-fbe-pick="${id}"]`).getAttribute('aria-pressed'), 'true', id);
  }
  const details = page.locator('[data-details-fbe="FBE_01"]');
  assert.match(await details.textContent(), /Roller mill/);
  assert.equal(await details.locator('[data-fbe-fact]').count(), 5, 'the mill has five facts');
  assert.match(await details.locator('[data-fbe-fact="fbe_01_hopper_level"]').textContent(), /^80 %$/);
  assert.match(await details.textContent(), /Watched by R_04 · acted on by R_04/);
  t.diagnostic(`screenshot: ${await saveScreenshot(page, '3d-selected-mill')}`);

  // The canvas's top corner is sky: nothing is drawn there.
  await canvas.click({ position: { x: 4, y: 4 } });
  await page.waitForFunction(() => !document.querySelector('[data-details-fbe]'));
  assert.equal(await page.locator('[aria-pressed="true"]').count(), 0);
  assert.deepEqual(problems, []);
  await context.close();
});

test('drag orbits and the wheel zooms without selecting; the keyboard does all three', async () => {
  const { context, page, problems } = await openThreeD();
  const canvas = page.locator('canvas.plant-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  const before = await anchorOf(page, 'FBE_05');
  await page.mouse.move(box.x + 300, box.y + 400);
  await page.mouse.down();
  await page.mouse.move(box.x + 360, box.y + 380, { steps: 6 });
  await page.mouse.up();
  await page.waitForFunction((x) => Number(document.querySelector('[data-fbe-pick="FBE_05"]').dataset.screenX) !== x, before.x);
  assert.equal(await page.locator('[data-details-fbe]').count(), 0, 'a drag is not a click');

  const orbited = await anchorOf(page, 'FBE_05');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  await page.waitForFunction((x) => Number(document.querySelector('[data-fbe-pick="FBE_05"]').dataset.screenX) !== x, orbited.x);

  await canvas.focus();
  await page.keyboard.press('Home');
  await page.waitForFunction((x) => Math.abs(Number(document.querySelector('[data-fbe-pick="FBE_05"]').dataset.screenX) - x) < 0.5, before.x);
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction((x) => Number(document.querySelector('[data-fbe-pick="FBE_05"]').dataset.screenX) !== x, before.x);
  await page.keyboard.press('5');
  await page.locator('[data-details-fbe="FBE_05"]').waitFor();
  await page.keyboard.press(']');
  await page.locator('[data-details-fbe="FBE_06"]').waitFor();
  await page.keyboard.press('0');
  await page.locator('[data-details-fbe="FBE_10"]').waitFor();
  await page.keyboard.press(']');
  await page.keyboard.press('Enter');
  await page.locator('[data-fbe-page="FBE_11"]').waitFor();
  assert.match(page.url(), /page=fbe&fbe=FBE_11/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('warning, critical and active equipment is drawn in its status colour', async (t) => {
  // Seed 42 at tick 198: grid fault (critical), bottling line and robot (warning), both
  // fermenters and the CIP skid (active), the rest normal.
  const { context, page, problems } = await openThreeD('?seed=42&scenario=monte-carlo&speed=max&view=3d&tick=198');
  await page.waitForFunction(() => document.querySelector('[data-clock="tick"]')?.textContent === '198' &&
    document.querySelector('.state-badge')?.textContent === 'Ready', null, { timeout: 30_000 });
  const statuses = await page.$$eval('[data-fbe-pick]', (buttons) => Object.fromEntries(buttons.map((b) => [b.dataset.fbePick, b.dataset.status])));
  assert.equal(statuses.FBE_11, 'critical');
  assert.equal(statuses.FBE_08, 'warning');
  assert.equal(statuses.FBE_10, 'warning');
  assert.equal(statuses.FBE_06, 'active');
  assert.equal(statuses.FBE_01, 'normal');
  // Colours fade in over a fraction of a second.
  await page.waitForTimeout(600);
  const pixels = await canvasPixels(page);
  t.diagnostic(`status pixels: amber ${pixels.amber}, red ${pixels.red}, blue ${pixels.blue}`);
  assert.ok(pixels.amber > 300, `warning amber drawn (${pixels.amber} px)`);
  assert.ok(pixels.red > 300, `critical red drawn (${pixels.red} px)`);
  assert.ok(pixels.blue > 300, `active blue drawn (${pixels.blue} px)`);
  t.diagnostic(`screenshot: ${await saveScreenshot(page, '3d-status-colours')}`);

  await page.locator('[data-fbe-pick="FBE_11"]').click();
  await page.locator('[data-details-fbe="FBE_11"] .status-badge.status-critical').waitFor();
  t.diagnostic(`screenshot: ${await saveScreenshot(page, '3d-selected-grid-fault')}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('frames are drawn while things move or change, not otherwise, and not while the page is hidden', async () => {
  const { context, page, problems } = await openThreeD();
  // The lauter pump runs at 40 % from the start: the scene moves.
  const moving = await framesDrawn(page);
  await page.waitForTimeout(500);
  assert.ok((await framesDrawn(page)) > moving + 3, 'moving parts are animated');

  await page.getByLabel('Pause motion').check();
  await page.waitForTimeout(200);
  const still = await framesDrawn(page);
  await page.waitForTimeout(700);
  assert.equal(await framesDrawn(page), still, 'nothing changes, nothing is drawn');
  const at = await anchorOf(page, 'FBE_04');
  await page.locator('canvas.plant-canvas').hover({ position: at });
  await page.locator('.hover-card[data-hover-fbe="FBE_04"]').waitFor();
  await page.waitForFunction((n) => Number(document.querySelector('canvas.plant-canvas').dataset.framesDrawn) > n, still);

  await page.getByLabel('Pause motion').uncheck();
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  });
  await page.waitForTimeout(200);
  const hidden = await framesDrawn(page);
  await page.waitForTimeout(600);
  assert.equal(await framesDrawn(page), hidden, 'no frames while hidden');
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  });
  await page.waitForFunction((n) => Number(document.querySelector('canvas.plant-canvas').dataset.framesDrawn) > n + 3, hidden);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a detail URL opens that FBE with its facts, rules and 3D drawing, and Back returns', async (t) => {
  const { context, page, problems } = await openConsole(browser, '?seed=7&view=3d&page=fbe&fbe=FBE_04');
  const detail = page.locator('[data-fbe-page="FBE_04"]');
  await detail.waitFor();
  assert.equal(await page.locator('main.console').count(), 0, 'the console is not in the page');
  assert.match(await detail.locator('h2').textContent(), /^FBE_04 Boil kettle$/);
  assert.equal(await detail.locator('[data-fact]').count(), 5);
  assert.equal(await detail.locator('[data-fact="fbe_04_boil_temp"]').textContent(), '0');
  assert.deepEqual(await page.$$eval('.fbe-rule-list:nth-child(1) [data-fbe-rule]', (r) => r.map((e) => e.dataset.fbeRule)), ['R_06', 'R_10']);
  assert.deepEqual(await page.$$eval('.fbe-rule-list:nth-child(2) [data-fbe-rule]', (r) => r.map((e) => e.dataset.fbeRule)), ['R_06']);
  await page.waitForFunction(() => Number(document.querySelector('canvas.plant-canvas')?.dataset.framesDrawn) > 0);
  const pixels = await canvasPixels(page);
  assert.ok(pixels.drawn > 0.15, `the kettle and its floor are drawn (${(pixels.drawn * 100).toFixed(1)} % of the canvas)`);

  await page.getByRole('button', { name: 'Start Monte Carlo' }).click();
  await page.waitForFunction(() => /over (\d+) ticks/.test(document.querySelector('[data-history="fbe_04_boil_temp"]')?.textContent ?? '') &&
    Number(/over (\d+) ticks/.exec(document.querySelector('[data-history="fbe_04_boil_temp"]').textContent)[1]) >= 3, null, { timeout: 20_000 });
  assert.notEqual(await detail.locator('[data-history="fbe_04_boil_temp"] polyline').getAttribute('points'), '');
  t.diagnostic(`screenshot: ${await saveScreenshot(page, 'fbe-detail-kettle')}`);

  const tickBefore = Number((await page.locator('[data-clock="tick"]').textContent()).replaceAll(',', ''));
  await page.getByRole('link', { name: '← Back to the console' }).click();
  await page.locator('main.console').waitFor();
  assert.doesNotMatch(page.url(), /page=/);
  assert.match(page.url(), /seed=7.*view=3d/);
  const tickAfter = Number((await page.locator('[data-clock="tick"]').textContent()).replaceAll(',', ''));
  assert.ok(tickAfter >= tickBefore, 'the run went on across the pages');
  await page.goBack();
  await detail.waitFor();
  await page.getByRole('link', { name: 'FBE_09' }).click();
  await page.locator('[data-fbe-page="FBE_09"]').waitFor();
  assert.match(page.url(), /fbe=FBE_09/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the 3D details panel links to the detail page', async () => {
  const { context, page, problems } = await openThreeD();
  await page.locator('[data-fbe-pick="FBE_06"]').click();
  await page.locator('[data-details-fbe="FBE_06"] [data-detail-link="FBE_06"]').click();
  await page.locator('[data-fbe-page="FBE_06"]').waitFor();
  assert.equal(await page.locator('[data-fbe-page="FBE_06"] [data-fact]').count(), 7);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a bad page or FBE in the link is named in a notice and gives the console', async () => {
  for (const [query, words] of [
    ['?page=fbe&fbe=FBE_99', 'There is no equipment called "FBE_99"'],
    ['?page=fbe', 'without saying which equipment'],
    ['?page=plant&fbe=FBE_01', 'There is no page called "plant"'],
  ]) {
    const { context, page, problems } = await openConsole(browser, query);
    await page.locator('main.console').waitFor();
    assert.match(await page.locator('.notices').textContent(), new RegExp(words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), query);
    assert.equal(await page.locator('[data-fbe-page]').count(), 0);
    assert.deepEqual(problems, []);
    await context.close();
  }
});
