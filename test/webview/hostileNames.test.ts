/**
 * Hostile and huge user text in real Chromium: a right-to-left override in an argument is shown
 * as a visible mark and cannot reorder the rest of the line; control characters are visible; a
 * 10,000-character function name is one line cut with an ellipsis, the full name in its tooltip.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { Trace } from '../../server/src/protocol';
import { loadTraceFixture } from '../fixtures/traces';
import { hasChromium, startHarness, openPanel, showTrace, type Harness, type OpenedPanel } from './harness';

const SHOTS = resolve(__dirname, '../../test-results/screenshots');
const runBrowser = hasChromium || Boolean(process.env.CI);
const RLO = '\u202e';

function hostile(): Trace {
  const t = JSON.parse(JSON.stringify(loadTraceFixture('seven-step-clean'))) as Trace;
  t.function = `Attach${'N'.repeat(10_000)}`;
  t.steps[0].args = [`L"abc${RLO}def"`, 'tab\there', 'bell\u0007'];
  t.steps[0].note = `note with ${RLO}override`;
  return t;
}

describe.skipIf(!runBrowser)('hostile text in the panel (Chromium)', () => {
  let h: Harness;
  let panel: OpenedPanel;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness();
    panel = await openPanel(h, { width: 900, height: 700 });
    page = panel.page;
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    expect(panel?.errors ?? []).toEqual([]);
    await h?.close();
  });

  it('shows bidi and control characters as visible marks, in isolated runs', async () => {
    const trace = hostile();
    await showTrace(page, trace, 0);
    const args = await page.locator('#step-detail .call .arg').allTextContents();
    expect(args).toEqual(['L"abc⟦U+202E⟧def"', 'tab⟦U+0009⟧here', 'bell⟦U+0007⟧']);
    expect(await page.locator('#step-0 .step-args').textContent()).toBe('L"abc⟦U+202E⟧def", tab⟦U+0009⟧here, bell⟦U+0007⟧');
    expect(await page.locator('#step-detail .note').textContent()).toBe('note with ⟦U+202E⟧override');
    const body = await page.evaluate(() => document.getElementById('app')!.textContent ?? '');
    expect(body.includes(RLO)).toBe(false);
    const bidi = await page.evaluate(() => ['#step-detail .call .arg', '#step-0 .step-args', '#function-name'].map((s) => getComputedStyle(document.querySelector(s)!).unicodeBidi));
    expect(bidi).toEqual(['isolate', 'isolate', 'isolate']);
    await page.screenshot({ path: resolve(SHOTS, 'hostile-bidi.png') });
  });

  it('cuts a 10,000-character function name to one line with an ellipsis and keeps it whole in the tooltip', async () => {
    const trace = hostile();
    await showTrace(page, trace);
    const title = await page.evaluate(() => {
      const el = document.getElementById('function-name')!;
      const style = getComputedStyle(el);
      return { height: el.getBoundingClientRect().height, cut: el.scrollWidth > el.clientWidth, overflow: style.textOverflow, right: el.getBoundingClientRect().right, width: document.documentElement.clientWidth, tooltip: el.title };
    });
    expect(title.height).toBeLessThan(40);
    expect(title.cut).toBe(true);
    expect(title.overflow).toBe('ellipsis');
    expect(title.right).toBeLessThanOrEqual(title.width);
    expect(title.tooltip).toBe(trace.function);
    const header = await page.evaluate(() => document.querySelector('header.top')!.getBoundingClientRect().height);
    expect(header).toBeLessThan(120);
    await page.screenshot({ path: resolve(SHOTS, 'hostile-long-name.png') });
  });
});
