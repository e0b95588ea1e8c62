/**
 * The panel with a real trace whose steps ran in another file of the program (a wrapper module):
 * each such step shows its file and line, and revealing it asks the host for that file.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import type { Trace } from '../../server/src/protocol';
import { isTrace } from '../../client/webview/validate-trace';
import { hasChromium, startHarness, openPanel, hostPost, posted, clearPosted, type Harness, type OpenedPanel } from './harness';

const ROOT = resolve(__dirname, '../..');
const PROJECT = resolve(ROOT, 'test/fixtures/projects/c-split-minifilter');
const runBrowser = hasChromium || Boolean(process.env.CI);

const r = spawnSync(process.execPath, [resolve(ROOT, 'dist/cli.js'), 'simulate', resolve(PROJECT, 'create.c'), PROJECT, '--function', 'TaggerOpenLeaky', '--format', 'json'], { encoding: 'utf8' });
const trace = JSON.parse(r.stdout) as Trace;
const ecp = pathToFileURL(resolve(PROJECT, 'ecp.c')).href;

describe.skipIf(!runBrowser)('panel: steps in another file of the program (Chromium)', () => {
  let h: Harness;
  let panel: OpenedPanel;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness();
    panel = await openPanel(h);
    page = panel.page;
  });

  afterAll(async () => {
    expect(panel?.errors ?? []).toEqual([]);
    await h?.close();
  });

  it('shows file:line on each step and reveals the step in its own file', async () => {
    expect(isTrace(trace)).toBe(true);
    await hostPost(page, { type: 'trace', trace });
    await page.waitForFunction((name) => document.getElementById('function-name')?.textContent === `${name}()`, trace.function);
    const first = trace.steps[0];
    expect(await page.locator('#step-0 .step-line').innerText()).toBe(`ecp.c:${first.line}`);
    expect(await page.locator('#step-0 .step-line').getAttribute('title')).toBe(`${ecp}, line ${first.line}`);
    await clearPosted(page);
    await page.locator('#step-1').click();
    expect(await posted(page)).toEqual([{ type: 'revealLine', line: trace.steps[1].line, uri: ecp }]);
    mkdirSync(resolve(ROOT, 'test-results/screenshots'), { recursive: true });
    await page.screenshot({ path: resolve(ROOT, 'test-results/screenshots/panel-program-steps.png'), fullPage: true });
  });
});
