/**
 * The pool simulator panel in real Chromium, under the production CSP, driven by the same
 * messages the extension host sends. Skipped only when /usr/bin/chromium is missing outside CI.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { Trace } from '../../server/src/protocol';
import { loadTraceFixture } from '../fixtures/traces';
import { hasChromium, startHarness, openPanel, hostPost, posted, clearPosted, applyTheme, type Harness, type OpenedPanel, type ShimWindow } from './harness';

const runBrowser = hasChromium || Boolean(process.env.CI);
if (!runBrowser) {
  console.warn('[webview tests] SKIPPED: /usr/bin/chromium not found (install with `apt-get install -y chromium`); they always run on CI.');
}

const SHOTS = resolve(__dirname, '../../test-results/screenshots');
const leak = loadTraceFixture('seven-step-leak');
const clean = loadTraceFixture('seven-step-clean');
const bugcheck = loadTraceFixture('bugcheck-empty-list');
const num = (n: number): string => n.toLocaleString('en-US');

async function showTrace(page: Page, trace: Trace, step?: number): Promise<void> {
  await hostPost(page, step === undefined ? { type: 'trace', trace } : { type: 'trace', trace, step });
  await page.waitForFunction((name) => document.getElementById('function-name')?.textContent === `${name}()`, trace.function);
}

const text = (page: Page, selector: string): Promise<string> => page.locator(selector).first().innerText();
const selectedIndex = (page: Page): Promise<number> =>
  page.evaluate(() => Number(document.querySelector('#steps [aria-selected="true"]')?.getAttribute('data-index') ?? -1));

describe.skipIf(!runBrowser)('pool simulator panel (Chromium)', () => {
  let h: Harness;
  let panel: OpenedPanel;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness();
    panel = await openPanel(h);
    page = panel.page;
    await showTrace(page, leak);
  });

  afterAll(async () => {
    expect(panel?.errors ?? []).toEqual([]);
    await h?.close();
  });

  it('labels the page as simulated and lists every step in a listbox', async () => {
    expect(await text(page, '.badge')).toBe('SIMULATED');
    // "simulated" once in the header (the badge), not on every label.
    const captions = await page.locator('.section-title .caption').allInnerTexts();
    expect(captions.filter((c) => /simulated/i.test(c))).toEqual([]);
    expect(await page.locator('.step-caption').first().innerText()).toMatch(/^after step \d+ \(line \d+\)$/);
    const listbox = page.getByRole('listbox', { name: 'Trace steps' });
    expect(await listbox.getByRole('option').count()).toBe(leak.steps.length);
    expect(await page.locator('#steps li').nth(1).locator('.step-routine').innerText()).toBe('FltAllocateExtraCreateParameter');
    expect(await page.locator('#steps li').nth(6).locator('.status').innerText()).toBe('STATUS_OBJECT_NAME_NOT_FOUND');
  });

  it('counters equal each step snapshot and change from step to step', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < leak.steps.length; i++) {
      await page.locator(`#step-${i}`).click();
      const snap = leak.steps[i].snapshot;
      expect(await text(page, '[data-counter="paged"]')).toBe(num(snap.paged.bytes));
      expect(await text(page, '[data-counter="nonpaged"]')).toBe(num(snap.nonpaged.bytes));
      expect(await text(page, '[data-counter="quota"]')).toBe(num(snap.quotaBytes));
      expect(await text(page, '[data-counter="paged-allocs"]')).toBe(num(snap.paged.allocs));
      expect(await text(page, '[data-counter="paged-peak"]')).toBe(`${num(snap.paged.peakBytes)} B`);
      expect(await text(page, '[data-counter="nonpaged-peak allocs"]')).toBe(num(snap.nonpaged.peakAllocs));
      expect(await text(page, '[data-counter="irql"]')).toBe('PASSIVE');
      seen.add(`${snap.paged.bytes}/${snap.nonpaged.bytes}`);
    }
    expect([...seen]).toEqual(['24/0', '136/0', '136/96']);
    await page.locator('#step-1').click();
    expect(await text(page, '#counter-paged .change')).toBe('+112');
  });

  it('renders the per-tag table like !poolused and the live allocations', async () => {
    await page.locator('#step-2').click();
    const rows = await page.locator('#pool-tags tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent)));
    expect(rows).toEqual([
      ['Tst1', '0x31747354', 'Paged', '1', '0', '1', '112'],
      ['LkAu', '0x75416b4c', 'Nonp', '1', '0', '1', '96'],
      ['FSel', '0x6c655346', 'Paged', '1', '0', '1', '24'],
    ]);
    const live = await page.locator('#live tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent)));
    expect(live[0]).toEqual(['ffffc605`1e2f3a80', '24', 'FSel', 'Paged', 'ECP_LIST', 'L19', 'caller', 'FltFreeExtraCreateParameterList']);
    expect(live).toHaveLength(3);
    const la = await page.locator('#lookasides tbody tr td').allInnerTexts();
    expect(la.slice(0, 7)).toEqual(['g_AuditLookaside', 'LkAu', 'Nonp', '96', '0', '1', '1']);
    expect(la[9]).toBe('0%');
  });

  it('shows the ECP list as a tree with its contexts and the create it is attached to', async () => {
    await page.locator('#step-6').click();
    const list = page.locator('#ecp-lists .node.list');
    expect(await list.count()).toBe(1);
    expect(await list.locator('> .node-head .attached').innerText()).toBe('create #1');
    const contexts = list.locator('.children > .node.ctx');
    expect(await contexts.count()).toBe(2);
    expect(await contexts.nth(0).locator('.guid').innerText()).toBe('GUID_ECP_TRACKING');
    const fields = await contexts.nth(0).locator('.field').allTextContents();
    expect(fields).toEqual(expect.arrayContaining(['size40 + 72 = 112 B', 'cleanupTrackCleanup', 'ackno', 'tagTst1', 'poolpaged']));
    expect(await contexts.nth(1).locator('.field').allTextContents()).toEqual(expect.arrayContaining(['fromlookaside g_AuditLookaside']));
  });

  it('reports the leaked list and contexts with their lines, Driver Verifier style', async () => {
    expect(await text(page, '#verdict')).toContain('DRIVER_VERIFIER_DETECTED_VIOLATION (0xC4/0x62): 3 allocations leaked');
    const rows = await page.locator('#leaks tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent)));
    expect(rows.map((r) => [r[0], r[5]])).toEqual([['ECP_LIST', 'L19'], ['ECP context', 'L22'], ['ECP context', 'L26']]);
    await clearPosted(page);
    await page.locator('#leaks button.linelink', { hasText: 'L22' }).click();
    expect(await posted(page)).toEqual([{ type: 'revealLine', line: 22, uri: leak.uri }]);
  });

  it('clicking a step posts revealLine to the host; a host selectStep moves without echo', async () => {
    await clearPosted(page);
    await page.locator('#step-3').click();
    expect(await posted(page)).toEqual([{ type: 'revealLine', line: leak.steps[3].line, uri: leak.uri }]);
    await clearPosted(page);
    await hostPost(page, { type: 'selectStep', line: 36 });
    await page.waitForFunction(() => document.querySelector('#steps [aria-selected="true"]')?.id === 'step-5');
    expect(await posted(page)).toEqual([]);
    expect(await text(page, '#position')).toBe('6 / 7');
  });

  it('is keyboard usable: arrows and j/k move, Home/End jump, Enter reveals, buttons focusable', async () => {
    await page.locator('#step-0').click();
    await clearPosted(page);
    await page.focus('#steps');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('j');
    expect(await selectedIndex(page)).toBe(2);
    expect(await page.getAttribute('#steps', 'aria-activedescendant')).toBe('step-2');
    await page.keyboard.press('k');
    expect(await selectedIndex(page)).toBe(1);
    await page.keyboard.press('End');
    expect(await selectedIndex(page)).toBe(6);
    await page.keyboard.press('Home');
    expect(await selectedIndex(page)).toBe(0);
    expect(await posted(page)).toEqual([]);
    await page.keyboard.press('Enter');
    expect(await posted(page)).toEqual([{ type: 'revealLine', line: 19, uri: leak.uri }]);
    expect(await text(page, '#step-detail .call .fn')).toBe('FltAllocateExtraCreateParameterList');

    await page.focus('#btn-play');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('btn-forward');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    expect(await selectedIndex(page)).toBe(1);
    await page.locator('#btn-back').click();
    expect(await selectedIndex(page)).toBe(0);
  });

  it('plays through the steps and pauses', async () => {
    await page.locator('#step-4').click();
    await page.locator('#btn-play').click();
    expect(await page.getAttribute('#btn-play', 'aria-pressed')).toBe('true');
    await page.waitForFunction(() => document.querySelector('#steps [aria-selected="true"]')?.id === 'step-6', undefined, { timeout: 5000 });
    await page.waitForFunction(() => document.getElementById('btn-play')?.getAttribute('aria-pressed') === 'false', undefined, { timeout: 5000 });
  });

  it('renders hostile text from the code only as text', async () => {
    const img = '<img src=x onerror=alert(1)>';
    const guid = 'GUID_<script>alert(1)</script>';
    await page.locator('#step-6').click();
    const args = await page.locator('#step-detail .call .arg').allTextContents();
    expect(args).toContain(`MakeOa(&oa, L"${img}")`);
    expect(await page.locator('#step-6 .step-args').textContent()).toContain(img);
    await page.locator('#step-2').click();
    expect(await page.locator('#ecp-lists .guid').last().textContent()).toBe(guid);
    expect(await page.locator('#step-detail .call .arg').nth(1).textContent()).toBe(`&${guid}`);
    expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
    expect(await page.evaluate(() => document.querySelectorAll('#app script').length)).toBe(0);
    expect(panel.dialogs).toEqual([]);
    // The panel itself never trips the CSP (no inline style, script or handler anywhere).
    expect(await page.evaluate(() => (window as unknown as ShimWindow).__violations)).toEqual([]);
  });

  it('ignores malformed and unknown messages', async () => {
    const broken = JSON.parse(JSON.stringify(clean)) as Record<string, any>;
    broken.function = 'Broken';
    broken.steps[0].snapshot.paged.bytes = '<b>24</b>';
    for (const m of [{ type: 'trace', trace: broken }, { type: 'eval', code: 'alert(1)' }, 'trace', null, { type: 'selectStep', line: -4 }]) {
      await hostPost(page, m);
    }
    await hostPost(page, { type: 'selectStep', line: 19 }); // a valid one after them, to know they were processed
    await page.waitForFunction(() => document.querySelector('#steps [aria-selected="true"]')?.id === 'step-0');
    expect(await text(page, '#function-name')).toBe('AttachTrackingEcp()');
    expect(panel.errors).toEqual([]);
  });

  it('sends fault-injection requests and lists the systematically explored paths', async () => {
    await clearPosted(page);
    await page.fill('#fail-alloc', 'two');
    await page.click('#run-sim');
    expect(await text(page, '#fault-msg')).toContain('"two" is not an allocation number');
    expect(await posted(page)).toEqual([]);
    await page.fill('#fail-alloc', '3');
    await page.fill('#fail-tag', 'Tst1');
    await page.check('#systematic');
    await page.press('#fail-tag', 'Enter');
    expect(await posted(page)).toEqual([
      { type: 'simulate', uri: leak.uri, function: 'AttachTrackingEcp', faults: { failAllocations: [3], failTags: ['Tst1'], systematic: true } },
    ]);
    expect(await text(page, '#fault-msg')).toBe('Simulating…');
    const explored = await page.locator('#explored tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.className, ...Array.from(tr.querySelectorAll("td"), (td) => td.textContent).slice(0, 3)]));
    expect(explored).toEqual([['', '#1', 'L19', 'clean'], ['', '#2', 'L22', 'clean'], ['row-bad', '#3', 'L26', '1 leaked']]);
    await clearPosted(page);
    await page.locator('#explored button[data-fail="3"]').click();
    expect((await posted(page))[0]).toMatchObject({ type: 'simulate', faults: { failAllocations: [3], failTags: [], systematic: false } });
    await hostPost(page, { type: 'error', message: 'function <b>gone</b>' });
    expect(await text(page, '#fault-msg')).toBe('function <b>gone</b>');
    await showTrace(page, clean);
    expect(await text(page, '#verdict')).toContain('Clean');
    expect(await page.locator('#explored table').count()).toBe(0);
    await showTrace(page, leak);
  });

  it('shows cleanup callbacks that ran and the lookaside after the list is freed', async () => {
    await showTrace(page, clean, 7);
    expect(await selectedIndex(page)).toBe(7);
    expect(await page.locator('#cleanup-runs tbody td').allInnerTexts()).toEqual(['TrackCleanup', 'GUID_ECP_TRACKING', 'ffffc605`1e31b0e8', 'L22']);
    const la = await page.locator('#lookasides tbody tr td').allInnerTexts();
    expect([la[4], la[7], la[10]]).toEqual(['1', '1', '0']); // depth 1, one free, none outstanding
    expect(await text(page, '[data-counter="paged"]')).toBe('0');
    expect(await text(page, '#ecp-lists')).toContain('No ECP list');
    await showTrace(page, leak);
  });

  it('shows the bug check the path hit', async () => {
    const p = await openPanel(h);
    await showTrace(p.page, bugcheck, 2);
    expect(await text(p.page, '#verdict-sentence')).toMatch(/^bug check FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION \(0x10C\/0x15\): the machine stops at line \d+ in FltCreateFileEx2$/);
    expect(await p.page.locator('#step-2 .status').innerText()).toBe('BUGCHECK 0x10C');
    expect(await p.page.locator('#step-1 .status').innerText()).toBe('VOID');
    expect(await text(p.page, '[data-counter="irql-bug check"]')).toBe('0x10C/0x15');
    expect(await p.page.locator('#ecp-lists .empty.nested').innerText()).toContain('0x10C/0x15');
    await applyTheme(p.page, 'dark');
    await screenshot(p.page, 'panel-bugcheck-dark.png');
    await p.page.close();
    expect(p.errors).toEqual([]);
  });

  it('persists trace and step with setState and restores them on reload', async () => {
    await page.locator('#step-4').click();
    const saved = await page.evaluate(() => (window as unknown as ShimWindow).__state as { trace: Trace; step: number });
    expect(saved.step).toBe(4);
    expect(saved.trace.function).toBe('AttachTrackingEcp');
    const revived = await openPanel(h, { state: saved });
    expect(await text(revived.page, '#function-name')).toBe('AttachTrackingEcp()');
    expect(await selectedIndex(revived.page)).toBe(4);
    expect(await text(revived.page, '[data-counter="paged"]')).toBe('136');
    await revived.page.close();
  });

  it('enforces the CSP: injected inline script and style attributes are blocked', async () => {
    const result = await page.evaluate(async () => {
      const w = window as unknown as ShimWindow & { __injected?: number };
      const s = document.createElement('script');
      s.textContent = 'window.__injected = 1';
      document.body.appendChild(s);
      const d = document.createElement('div');
      d.setAttribute('style', 'color: rgb(1, 2, 3)');
      document.body.appendChild(d);
      const cssom = document.createElement('div');
      cssom.style.width = '123px';
      document.body.appendChild(cssom);
      await new Promise((r) => setTimeout(r, 50));
      return {
        injected: w.__injected,
        styleAttr: getComputedStyle(d).color,
        cssomWidth: getComputedStyle(cssom).width,
        violations: w.__violations.map((v) => v.directive),
      };
    });
    expect(result.injected).toBeUndefined();
    expect(result.violations).toContain('script-src-elem');
    expect(result.violations).toContain('style-src-attr');
    expect(result.styleAttr).not.toBe('rgb(1, 2, 3)');
    // The bundle itself needs no eval (the CSP has no 'unsafe-eval').
    expect(h.bundle).not.toMatch(/\beval\(|new Function\(/);
    expect(h.bundle).not.toMatch(/\.innerHTML\s*=|insertAdjacentHTML|outerHTML\s*=|document\.write/);
    // Element.style assignments from script (CSSOM) are not inline styles: the CSP allows them.
    expect(result.cssomWidth).toBe('123px');
    panel.errors.length = 0; // the violations above are reported on the console by design
  });

  it('looks right in dark, light and high-contrast themes (screenshots)', async () => {
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.locator('#step-4').click();
    for (const theme of ['dark', 'light', 'hc'] as const) {
      await applyTheme(page, theme);
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(bg).toBe({ dark: 'rgb(31, 31, 31)', light: 'rgb(255, 255, 255)', hc: 'rgb(0, 0, 0)' }[theme]);
      await screenshot(page, `panel-${theme}.png`);
    }
    await applyTheme(page, 'dark');
    await page.setViewportSize({ width: 560, height: 900 });
    await screenshot(page, 'panel-narrow-dark.png');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: resolve(SHOTS, name), fullPage: true });
}
