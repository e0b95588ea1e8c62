/**
 * The verdict where the eye is, in real Chromium with traces from the real simulator (built CLI):
 * a banner under the header says what the path did and where it left the function, the step where
 * it went wrong is selected, every trace ends with its exit step, captions name the selected step,
 * the bug check appears once, wide tables scroll, and counts are singular or plural as they should.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { initParser, parseText } from '../../server/src/parsing/parser';
import { simulate } from '../../server/src/simulate/simulate';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { Trace } from '../../server/src/protocol';
import { hasChromium, startHarness, openPanel, hostPost, showTrace, cliTrace, type Harness, type OpenedPanel } from './harness';

const ROOT = resolve(__dirname, '../..');
const SHOTS = resolve(ROOT, 'test-results/screenshots');
const runBrowser = hasChromium || Boolean(process.env.CI);


/** The path behind a diagnostic, as the server's simulate request runs it (no CLI option for it). */
async function diagnosticTrace(file: string, code: string, line: number): Promise<Trace> {
  await initParser();
  const source = readFileSync(resolve(ROOT, file), 'utf8');
  return simulate(parseText(source), source, `file://${resolve(ROOT, file)}`, { textDocument: { uri: '' }, path: { kind: 'diagnostic', code, line } });
}

let setFailure: Trace;
const faulted = cliTrace('test/fixtures/simulate/seven-step.c', ['--function', 'AttachLeaksOnError', '--fail-alloc', '2']);
const clean = cliTrace('test/fixtures/simulate/seven-step.c', ['--function', 'AttachClean']);
const bugcheck = cliTrace('test/fixtures/simulate/bugcheck.c', []);

beforeAll(async () => {
  setFailure = await diagnosticTrace('test/fixtures/rules/ecp-list-leak-pos-set-failure.c', 'ecp-list-leak', 28);
});

describe('exit step in real traces', () => {
  it('ends with the return the path took, or the bug check', () => {
    expect(setFailure.final.exit).toMatchObject({ kind: 'return', line: 54, text: 'return FLT_PREOP_SUCCESS_NO_CALLBACK;' });
    expect(clean.final.exit?.kind).toBe('return');
    expect(bugcheck.final.exit?.kind).toBe('bugcheck');
    expect(bugcheck.final.exit?.line).toBe(bugcheck.steps.find((s) => s.bugCheck)?.line);
  });
});

describe.skipIf(!runBrowser)('verdict banner (Chromium)', () => {
  let h: Harness;
  let panel: OpenedPanel;
  let page: Page;

  const show = (trace: Trace): Promise<void> => showTrace(page, trace);
  const selected = (): Promise<number> => page.evaluate(() => Number(document.querySelector('#steps [aria-selected="true"]')?.getAttribute('data-index') ?? -1));

  beforeAll(async () => {
    h = await startHarness();
    panel = await openPanel(h, { width: 900, height: 900 });
    page = panel.page;
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    expect(panel?.errors ?? []).toEqual([]);
    await h?.close();
  });

  it('says what leaked and where the path returns, under the header, and selects the failing call', async () => {
    await show(setFailure);
    // The list leaks with the context inserted into it.
    expect(await page.locator('#verdict-sentence').innerText()).toBe('leaks ECP_LIST 24 B from line 29, ECP context 80 B from line 34: returns at line 54');
    // The banner sits directly under the header, above the step pane.
    const order = await page.evaluate(() => {
      const banner = document.getElementById('banner')!.getBoundingClientRect();
      const header = document.querySelector('header.top')!.getBoundingClientRect();
      const steps = document.getElementById('steps')!.getBoundingClientRect();
      return [header.bottom <= banner.top + 1, banner.bottom <= steps.top];
    });
    expect(order).toEqual([true, true]);
    const failing = setFailure.steps.findIndex((s) => s.routine === 'FltSetEcpListIntoCallbackData');
    expect(await selected()).toBe(failing);
    expect(await page.locator('.step-caption').first().innerText()).toBe(`after step ${failing + 1} (line ${setFailure.steps[failing].line})`);
    expect(await page.locator('#steps li').last().innerText()).toContain('return FLT_PREOP_SUCCESS_NO_CALLBACK;');
    await page.locator('#steps li').last().click();
    expect(await page.locator('.step-caption').first().innerText()).toBe(`at the exit, step ${setFailure.steps.length + 1} (line 54)`);
    expect(await page.locator('#step-detail .call').innerText()).toBe('return FLT_PREOP_SUCCESS_NO_CALLBACK;');
    await page.screenshot({ path: resolve(SHOTS, 'verdict-leak.png') });
  });

  it('with a fault plan, selects the failed allocation and names the leak', async () => {
    await show(faulted);
    const failed = faulted.steps.findIndex((s) => s.status === 'STATUS_INSUFFICIENT_RESOURCES');
    expect(failed).toBeGreaterThan(0);
    expect(await selected()).toBe(failed);
    expect(await page.locator('#verdict-sentence').innerText()).toMatch(/^leaks ECP_LIST 24 B from line \d+: returns at line \d+$/);
    await page.screenshot({ path: resolve(SHOTS, 'verdict-fault.png') });
  });

  it('a clean path says so and where it returns; a bug check is shown once, in the banner', async () => {
    await show(clean);
    expect(await page.locator('#verdict-sentence').innerText()).toBe(`no leak: returns at line ${clean.final.exit!.line}`);
    expect(await selected()).toBe(0);
    await show(bugcheck);
    expect(await page.locator('#verdict-sentence').innerText()).toBe(`bug check FSRTL_EXTRA_CREATE_PARAMETER_VIOLATION (0x10C/0x15): the machine stops at line ${bugcheck.final.exit!.line} in FltCreateFileEx2`);
    expect(await page.locator('.bugcheck').count()).toBe(1);
    expect(await page.locator('#banner .bugcheck').count()).toBe(1);
    // Named once in the banner; the report below does not repeat it.
    expect((await page.locator('#banner').innerText()).match(/0x10C/g)).toHaveLength(1);
    expect(await page.locator('#report-section').innerText()).not.toContain('0x10C');
    expect(await selected()).toBe(bugcheck.steps.findIndex((s) => s.bugCheck));
    // The bug check is the last call: no separate exit row.
    expect(await page.locator('#steps li').count()).toBe(bugcheck.steps.length);
    await page.screenshot({ path: resolve(SHOTS, 'verdict-bugcheck.png') });
  });

  it('counts are singular or plural as they should be, and wide tables scroll', async () => {
    const one: Trace = { ...clean, steps: clean.steps.slice(0, 1), final: { ...clean.final, exit: undefined } };
    await show(one);
    expect(await page.locator('#path-info').innerText()).toMatch(/· 1 step$/);
    await show(faulted);
    expect(await page.locator('#path-info').innerText()).toMatch(new RegExp(`· ${faulted.steps.length + 1} steps$`));
    expect(await page.locator('#report-section').innerText()).toContain('1 block, 24 B');
    await show(setFailure);
    expect(await page.locator('#report-section').innerText()).toContain('2 blocks, 104 B');
    await page.setViewportSize({ width: 420, height: 900 });
    const clipped = await page.evaluate(() =>
      Array.from(document.querySelectorAll('.pane-details table.grid')).map((t) => {
        const box = t.parentElement!;
        return { scrolls: getComputedStyle(box).overflowX === 'auto', inside: box.getBoundingClientRect().right <= document.documentElement.clientWidth + 1 };
      }),
    );
    expect(clipped.length).toBeGreaterThan(0);
    expect(clipped.every((c) => c.scrolls && c.inside)).toBe(true);
    await page.screenshot({ path: resolve(SHOTS, 'verdict-narrow.png'), fullPage: true });
    await page.setViewportSize({ width: 900, height: 900 });
  });

  it('a request the host could not run replaces the verdict at the top: the previous "no leak" does not stand for it', async () => {
    await show(clean);
    const refused = 'Simulation failed: allocation #99 is never attempted: on this path AttachClean makes 2 allocation attempts.';
    await hostPost(page, { type: 'error', message: refused });
    await page.waitForFunction(() => document.querySelector('#verdict')?.classList.contains('refused') === true);
    expect(await page.locator('#verdict-sentence').innerText()).toBe(refused);
    const banner = await page.locator('#banner').innerText();
    expect(banner).toContain('What follows is the previous run: no leak');
    expect(await page.locator('#verdict.ok').count()).toBe(0);
    // The trace below stays, and the next trace brings its own verdict back.
    expect(await page.locator('#steps li').count()).toBeGreaterThan(0);
    await page.screenshot({ path: resolve(SHOTS, 'verdict-refused.png') });
    await show(faulted);
    expect(await page.locator('#verdict.bad').count()).toBe(1);
  });

  it('a clear message (the command ran outside a function) drops the previous trace and title and says why at the top', async () => {
    await show(setFailure);
    await hostPost(page, { type: 'clear', message: 'No function simulated: the cursor was not inside a function of other.c and none was picked.' });
    await page.waitForFunction(() => document.getElementById('function-name')?.textContent === '');
    expect(await page.locator('#notice').innerText()).toBe('No function simulated: the cursor was not inside a function of other.c and none was picked.');
    expect(await page.locator('#steps li').count()).toBe(0);
    expect(await page.locator('#verdict').count()).toBe(0);
    expect(await page.locator('#leaks').count()).toBe(0);
    expect(await page.locator('main.layout').isVisible()).toBe(false);
    const top = await page.evaluate(() => document.getElementById('notice')!.getBoundingClientRect().top);
    expect(top).toBeLessThan(80);
    expect(await page.evaluate(() => (window as unknown as { __state?: unknown }).__state ?? null)).toBeNull();
    await page.screenshot({ path: resolve(SHOTS, 'panel-cleared.png') });
    await show(clean);
    expect(await page.locator('#notice').count()).toBe(0);
    expect(await page.locator('main.layout').isVisible()).toBe(true);
  });

  it('after systematic fault injection the banner gives the fault paths\' verdict, not the success path\'s', async () => {
    // The success path of AttachLeaksOnError is clean; failing allocation #2 leaks. The banner said
    // "no leak" in green above a table that said 1 of 2 fault paths leaks.
    const systematic = cliTrace('test/fixtures/simulate/seven-step.c', ['--function', 'AttachLeaksOnError', '--fail-alloc', 'each']);
    expect(systematic.final.leaks).toEqual([]);
    expect(systematic.exploredSummary).toMatch(/^1 of 2 fault paths leaks: failing allocation #2 at line \d+\.$/);
    await show(systematic);
    expect(await page.locator('#verdict').getAttribute('class')).toBe('verdict bad');
    expect(await page.locator('#verdict-sentence').innerText()).toBe(systematic.exploredSummary!.replace(/\.$/, ''));
    expect(await page.locator('#verdict .verdict-detail').innerText()).toMatch(/^Steps below: the success path, no leak: returns at line \d+\./);
    await page.screenshot({ path: resolve(SHOTS, 'verdict-systematic.png') });
    const clean = cliTrace('test/fixtures/simulate/seven-step.c', ['--function', 'AttachClean', '--fail-alloc', 'each']);
    await show(clean);
    expect(await page.locator('#verdict').getAttribute('class')).toBe('verdict ok');
    expect(await page.locator('#verdict-sentence').innerText()).toMatch(/^all \d+ fault paths are clean: no leak and no bug check$/);
  });

  it('says in the panel when systematic fault injection stopped at its bound', async () => {
    const bounded = cliTrace('test/fixtures/simulate/seven-step.c', ['--function', 'AttachLeaksOnError', '--fail-alloc', 'each', '--max-fault-paths', '1']);
    expect(bounded.exploredBound).toBe('stopped after 1 of 2 allocation sites: at most 1 fault path; the other one was not failed');
    await show(bounded);
    expect(await page.locator('#explored-bound').innerText()).toBe(`Not every site was failed: ${bounded.exploredBound}.`);
    expect(await page.locator('#explored tbody tr').count()).toBe(1);
  });
});
