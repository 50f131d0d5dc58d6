// The Diagrams view: the process pipeline and the NOP graph, laid out in the page, lit live.

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

test('the Diagrams tab shows 11 stages, 12 rules and the watch and act edges', async (t) => {
  const { context, page, problems } = await openConsole(browser);
  assert.equal(await page.locator('svg.pipeline').count(), 0, 'only the active view is in the page');
  // Time from the click on the tab to the first frame painted after both diagrams exist.
  await page.evaluate(() => {
    window.__shown = new Promise((resolve) => {
      document.querySelector('[data-view="diagrams"]').addEventListener('click', () => {
        const t0 = performance.now();
        const check = () => {
          if (document.querySelector('svg.nop') && document.querySelector('svg.pipeline')) {
            requestAnimationFrame(() => resolve(performance.now() - t0));
          } else {
            requestAnimationFrame(check);
          }
        };
        requestAnimationFrame(check);
      }, { once: true });
    });
  });
  await page.locator('[data-view="diagrams"]').click();
  await page.locator('svg.nop').waitFor();
  const shown = await page.evaluate(() => window.__shown);
  assert.equal(await page.locator('[data-fact]').count(), 0, 'the table view left the page');
  assert.equal(await page.locator('svg.pipeline [data-node="stage"]').count(), 11);
  assert.equal(await page.locator('svg.pipeline [data-edge="flow"]').count(), 14);
  assert.equal(await page.locator('svg.nop [data-node="rule"]').count(), 12);
  assert.equal(await page.locator('svg.nop [data-node="fbe"]').count(), 11);
  assert.equal(await page.locator('svg.nop [data-edge="watches"]').count(), 18);
  assert.equal(await page.locator('svg.nop [data-edge="acts-on"]').count(), 15);
  for (const path of await page.locator('svg.nop .edge path').all()) {
    assert.match(await path.getAttribute('d'), /^M [\d.-]+ [\d.-]+ C /);
  }
  const layoutMs = await page.$$eval('[data-layout-ms]', (nodes) => nodes.map((n) => Number(n.dataset.layoutMs)));
  t.diagnostic(`layout: pipeline ${layoutMs[0]} ms, NOP graph ${layoutMs[1]} ms; laid out and drawn ${shown.toFixed(1)} ms after the click`);
  assert.equal(await page.locator('[data-view="diagrams"]').getAttribute('aria-selected'), 'true');
  assert.match(page.url(), /view=diagrams/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('rules light up while the brew day runs, and live updates do not redraw the diagrams', async (t) => {
  const { context, page, problems } = await openConsole(browser, '?view=diagrams&speed=20');
  await page.locator('svg.nop').waitFor();
  await page.evaluate(() => {
    window.__nop = document.querySelector('svg.nop');
    window.__stage = document.querySelector('svg.pipeline [data-node="stage"]');
    window.__lit = new Set();
    window.__mutations = 0;
    new MutationObserver((records) => {
      window.__mutations += records.length;
      for (const node of document.querySelectorAll('svg.nop .node.rule.lit')) {
        window.__lit.add(node.dataset.ruleNode);
      }
    }).observe(document.querySelector('.diagrams'), { subtree: true, attributes: true, characterData: true, childList: true });
  });
  await page.getByRole('button', { name: 'Run scripted day' }).click();
  await page.waitForFunction(() => window.__lit.size >= 6, null, { timeout: 30_000 });
  t.diagnostic(`screenshot: ${await saveScreenshot(page, 'diagrams-during-brew-day')}`);
  await page.waitForFunction(() => document.querySelector('.state-badge')?.textContent === 'Ready', null, { timeout: 60_000 });
  const { lit, sameNodes, mutations, elements } = await page.evaluate(() => ({
    lit: [...window.__lit].sort(),
    sameNodes: window.__nop === document.querySelector('svg.nop') &&
      window.__stage === document.querySelector('svg.pipeline [data-node="stage"]'),
    mutations: window.__mutations,
    elements: document.querySelectorAll('.diagrams *').length,
  }));
  t.diagnostic(`lit during the day: ${lit.join(', ')}; ${mutations} DOM mutations over 240 ticks for ${elements} elements`);
  assert.ok(lit.length >= 10, `only ${lit.length} rules were seen lit`);
  assert.ok(sameNodes, 'the diagrams were redrawn instead of updated');
  await page.waitForTimeout(1200);
  assert.equal(await page.locator('svg.nop .node.rule.lit').count(), 0, 'rules go dark a second after firing');
  assert.deepEqual(problems, []);
  await context.close();
});

test('clicking a rule shows why it fired and its fine graph, with true premises marked', async (t) => {
  const { context, page, problems } = await openConsole(browser, '?view=diagrams&speed=max');
  await page.getByRole('button', { name: 'Run scripted day' }).click();
  await page.waitForFunction(() => document.querySelector('.state-badge')?.textContent === 'Ready' &&
    document.querySelector('[data-clock="tick"]')?.textContent === '240', null, { timeout: 60_000 });
  await page.locator('[data-rule-node="R_07"]').click();
  const details = page.locator('[data-details-rule="R_07"]');
  await details.waitFor();
  assert.match(await details.textContent(), /Last fired at day 1, 15:00/);
  const fine = page.locator('svg.fine');
  await fine.waitFor();
  assert.equal(await fine.locator('[data-node="premise"]').count(), 3);
  assert.equal(await fine.locator('[data-node="method"]').count(), 1);
  assert.equal(await fine.locator('[data-node="fact"]').count(), 4, '3 facts read, the valve written');
  // At the end of the day the outlet is at 18 °C: that premise is false, the valve one too.
  assert.equal(await fine.locator('[data-node="premise"].holds').count(), 0);
  await page.locator('[data-rule-node="R_12"]').focus();
  await page.keyboard.press('Enter');
  await page.locator('svg.fine[aria-label="Fine graph of R_12"]').waitFor();
  t.diagnostic(`screenshot: ${await saveScreenshot(page, 'diagrams-fine-graph')}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a rule chosen before the brew day stays chosen while it runs', async (t) => {
  const { context, page, problems } = await openConsole(browser, '?view=diagrams&speed=20');
  await page.locator('select[aria-label="Rule for the fine graph"]').selectOption('R_03');
  await page.locator('svg.fine[aria-label="Fine graph of R_03"]').waitFor();
  await page.getByRole('button', { name: 'Run scripted day' }).click();
  await page.waitForFunction(() => Number(document.querySelector('[data-clock="tick"]').textContent) > 20);
  assert.equal(await page.locator('svg.fine[aria-label="Fine graph of R_03"]').count(), 1);
  assert.equal(await page.locator('[data-details-rule="R_03"]').count(), 1);
  t.diagnostic(`screenshot: ${await saveScreenshot(page, 'diagrams-rule-chosen-during-run')}`);
  assert.deepEqual(problems, []);
  await context.close();
});
