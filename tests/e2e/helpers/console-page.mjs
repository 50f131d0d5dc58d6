// Opens the served console in Debian's headless Chromium and records everything that went wrong
// on the page, so that each spec can assert that nothing did.

import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

/** Where scripts/test.sh serves dist/; set CONSOLE_URL to test another copy of the console. */
export const CONSOLE_URL = process.env.CONSOLE_URL ?? 'http://127.0.0.1:8080/';

/** Where specs put their screenshots. */
export const SCREENSHOT_DIR = process.env.E2E_SCREENSHOT_DIR ?? '/tmp/brewery-twin-e2e';

// The machine has no network beyond localhost: Chromium must not try to reach its own services.
// Playwright gives every launch a new, empty --user-data-dir of its own.
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts headless Chromium; close it with `browser.close()`. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
  });
}

/**
 * Opens the console at `query` (for example `?seed=7`) in a new browser context of 1280×720 and
 * waits until the app has mounted its header. `problems` collects console errors, uncaught page
 * errors and failed requests as readable lines, from the first request on.
 */
export async function openConsole(browser, query = '') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const problems = [];

  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`console error: ${message.text()} (${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => {
    problems.push(`page error: ${error.message}`);
  });
  page.on('requestfailed', (request) => {
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });

  await page.goto(new URL(query, CONSOLE_URL).href);
  await page.locator('header h1').waitFor({ state: 'visible' });
  await page.waitForLoadState('networkidle');

  return { context, page, problems };
}

/** Saves a full-page screenshot as `<name>.png` in SCREENSHOT_DIR and returns its path. */
export async function saveScreenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Every fact's displayed value, by name. */
export async function factTexts(page) {
  return page.$$eval('[data-fact]', (nodes) =>
    Object.fromEntries(nodes.map((n) => [n.dataset.fact, n.textContent])),
  );
}
