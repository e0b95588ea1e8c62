/**
 * The panel fed with traces from the real simulator (the built CLI), not handwritten fixtures:
 * they pass the panel's validator and render in Chromium under the production CSP.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { Trace } from '../../server/src/protocol';
import { isTrace } from '../../client/webview/validate-trace';
import { isHostToPanel } from '../../client/webview/messages';
import { hasChromium, startHarness, openPanel, hostPost, showTrace, cliTrace, posted, clearPosted, applyTheme, type Harness, type OpenedPanel, type ShimWindow } from './harness';

const ROOT = resolve(__dirname, '../..');
const SHOTS = resolve(ROOT, 'test-results/screenshots');
const runBrowser = hasChromium || Boolean(process.env.CI);


const leak = cliTrace('test/fixtures/simulate/seven-step.c', ['--function', 'AttachForgetsFree']);
const systematic = cliTrace('test/fixtures/simulate/seven-step.c', ['--function', 'AttachLeaksOnError', '--fail-alloc', 'each']);
const lookaside = cliTrace('test/fixtures/simulate/lookaside.c', ['--function', 'BigFromLookaside']);
const bugcheck = cliTrace('test/fixtures/simulate/bugcheck.c', []);
const byTag = cliTrace('test/fixtures/simulate/seven-step.c', ['--function', 'AttachLeaksOnError', '--fail-tag', 'kcrT']);
const systematicBugCheck = cliTrace('test/fixtures/rules/ecp-empty-list-pos-best-effort-allocation.c', ['--fail-alloc', 'each']);

describe('real simulator traces', () => {
  it('validate with the panel validator and as host messages', () => {
    for (const t of [leak, systematic, lookaside, bugcheck, systematicBugCheck, byTag]) {
      expect(isTrace(t)).toBe(true);
      expect(isHostToPanel({ type: 'trace', trace: t })).toBe(true);
    }
  });
});

describe.skipIf(!runBrowser)('panel with a real trace (Chromium)', () => {
  let h: Harness;
  let panel: OpenedPanel;
  let page: Page;

  const show = (trace: Trace): Promise<void> => showTrace(page, trace);

  beforeAll(async () => {
    h = await startHarness();
    panel = await openPanel(h);
    page = panel.page;
  });

  afterAll(async () => {
    expect(panel?.errors ?? []).toEqual([]);
    await h?.close();
  });

  it('renders every step, the counters of each snapshot and the leak report', async () => {
    await show(leak);
    // Every call, then the exit step: the return the path took.
    expect(await page.locator('#steps li').count()).toBe(leak.steps.length + 1);
    expect(await page.locator('#steps li').last().locator('.step-routine').innerText()).toBe('return');
    expect(await page.locator('#steps li').nth(0).locator('.step-routine').innerText()).toBe('FltAllocateExtraCreateParameterList');
    for (let i = 0; i < leak.steps.length; i++) {
      await page.locator(`#step-${i}`).click();
      const paged = leak.steps[i].snapshot.paged.bytes.toLocaleString('en-US');
      expect(await page.locator('[data-counter="paged"]').first().innerText()).toBe(paged);
    }
    expect(await page.locator('#verdict').innerText()).toContain('DRIVER_VERIFIER_DETECTED_VIOLATION (0xC4/0x62): 2 pool allocations (136 bytes)');
    const rows = await page.locator('#leaks tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent)));
    expect(rows.map((r) => [r[0], r[2], r[3], r[5]])).toEqual([['ECP_LIST', '24', 'FSel', 'L71'], ['ECP context', '112', 'Trck', 'L75']]);
    await clearPosted(page);
    await page.locator('#step-1').click();
    expect(await posted(page)).toEqual([{ type: 'revealLine', line: leak.steps[1].line, uri: leak.uri }]);
    await page.locator('#step-4').click();
    await applyTheme(page, 'dark');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: resolve(SHOTS, 'panel-real-trace.png'), fullPage: true });
    const violations = await page.evaluate(() => (window as unknown as ShimWindow).__violations);
    expect(violations).toEqual([]);
  });

  it('renders the explored paths of systematic fault injection and asks for a path on click', async () => {
    await show(systematic);
    const rows = await page.locator('#explored tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent)));
    expect(rows.map((r) => [r[0], r[2]])).toEqual([['#1', 'clean'], ['#2', '1 leaked']]);
    await clearPosted(page);
    expect(await page.locator('#explored-summary').innerText()).toBe('1 of 2 fault paths leaks: failing allocation #2 at line 112.');
    await page.locator('#explored button[data-fail="2"]').click();
    expect(await posted(page)).toEqual([{ type: 'simulate', uri: systematic.uri, function: 'AttachLeaksOnError', faults: { failAllocations: [2], failTags: [], systematic: false } }]);
    await page.screenshot({ path: resolve(SHOTS, 'panel-real-systematic.png'), fullPage: true });
  });

  it('a fault plan by pool tag says which allocation it failed and how the tag matched', async () => {
    await show(byTag);
    expect(await page.locator('#fault-msg').innerText()).toBe("Trace updated: #2 FltAllocateExtraCreateParameter at line 112 fails (by tag Trck, typed as the source writes it ('kcrT')).");
  });

  it('a fault path that bug-checks reads "bug check", not "clean", and is marked bad', async () => {
    await show(systematicBugCheck);
    const rows = await page.locator('#explored tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.className, ...Array.from(tr.querySelectorAll('td'), (td) => td.textContent)]));
    expect(rows.map((r) => [r[0], r[1], r[3], r[4]])).toEqual([['', '#1', 'clean', '—'], ['row-bad', '#2', 'bug check', '0x10C/0x15']]);
    expect(await page.locator('#explored tbody tr').nth(1).locator('td').nth(2).getAttribute('class')).toMatch(/bad/);
    expect(await page.locator('#explored-summary').innerText()).toBe('1 of 2 fault paths bug-checks: failing allocation #2 at line 33.');
  });

  it('renders a lookaside fallback and a bug check from real traces', async () => {
    await show(lookaside);
    expect(await page.locator('#steps li').nth(0).innerText()).toContain('FltAllocateExtraCreateParameterFromLookasideList');
    await show(bugcheck);
    expect(await page.locator('#verdict').innerText()).toContain('FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION (0x10C/0x15)');
    expect(await page.locator('#verdict').innerText()).toContain('The ECP list passed by the create caller is empty');
    expect(await page.locator('.bugcheck').count()).toBe(1);
    await page.screenshot({ path: resolve(SHOTS, 'panel-real-bugcheck.png'), fullPage: true });
  });
});
