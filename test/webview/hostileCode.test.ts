/**
 * The user's code as an attacker writes it, through the real simulator into the panel in real
 * Chromium: markup and script in string arguments, a pool tag, a `return` line's comment (the
 * exit the banner quotes) and the name of another file of the program. Nothing of it may run or
 * become an element: the panel shows it as text.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import type { Trace } from '../../server/src/protocol';
import { hasChromium, startHarness, openPanel, showTrace, type Harness, type OpenedPanel, type ShimWindow } from './harness';

const ROOT = resolve(__dirname, '../..');
const runBrowser = hasChromium || Boolean(process.env.CI);

/** Every payload sets `window.__pwned` if it ever runs. */
const WRAPPER_FILE = '<img src=x onerror=window.__pwned=1>.c';
const MAIN = `#include <fltKernel.h>

extern PFLT_FILTER gFilterHandle;
NTSTATUS MakeListEvil(PECP_LIST *List);

NTSTATUS
Attach$Évil(_In_ PFLT_CALLBACK_DATA Data)
{
    PECP_LIST ecpList = NULL;
    PVOID ctx = NULL;
    NTSTATUS status;

    status = MakeListEvil(&ecpList);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    status = FltAllocateExtraCreateParameter(gFilterHandle, (LPCGUID)"<svg onload=window.__pwned=3>", sizeof("</td><img src=x onerror=window.__pwned=4>"), 0, NULL, '<im', &ctx);
    if (!NT_SUCCESS(status)) {
        return /* <img src=x onerror=window.__pwned=5> */ status;
    }
    FltFreeExtraCreateParameter(gFilterHandle, ctx);
    return /* </script><script>window.__pwned=6</script> */ STATUS_SUCCESS;
}
`;
const WRAPPER = `#include <fltKernel.h>
extern PFLT_FILTER gFilterHandle;

NTSTATUS MakeListEvil(PECP_LIST *List)
{
    return FltAllocateExtraCreateParameterList(gFilterHandle, 0 /* <iframe srcdoc="<script>parent.__pwned=7</script>"> */, List);
}
`;

const dir = mkdtempSync(join(tmpdir(), 'ecp-hostile-'));
writeFileSync(join(dir, 'main.c'), MAIN);
writeFileSync(join(dir, WRAPPER_FILE), WRAPPER);

function simulated(args: string[]): Trace {
  const r = spawnSync(process.execPath, [resolve(ROOT, 'dist/cli.js'), 'simulate', join(dir, 'main.c'), dir, '--function', 'Attach$Évil', '--format', 'json', ...args], { encoding: 'utf8' });
  if (r.status === 2) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Trace;
}

const traces: [string, Trace][] = [
  ['the success path (leaks the list from the other file)', simulated([])],
  ['every allocation failed in turn', simulated(['--fail-alloc', 'each'])],
  ['the context failed by its tag', simulated(['--fail-tag', '<im'])],
];

describe('hostile code reaches the trace as written', () => {
  it('the traces carry the payloads the panel must show as text', () => {
    const all = JSON.stringify(traces.map(([, t]) => t));
    for (const payload of ['<svg onload=window.__pwned=3>', '</script><script>window.__pwned=6</script>', '<img src=x onerror=window.__pwned=5>', pathToFileURL(join(dir, WRAPPER_FILE)).href]) expect(all).toContain(payload);
  });
});

describe.skipIf(!runBrowser)('hostile code in the panel (Chromium)', () => {
  let h: Harness;
  let panel: OpenedPanel;
  let page: Page;

  beforeAll(async () => {
    h = await startHarness();
    panel = await openPanel(h);
    page = panel.page;
  });

  afterAll(async () => {
    await h?.close();
  });

  for (const [what, trace] of traces) {
    it(`shows ${what} as text, every step selected in turn, and runs none of it`, async () => {
      await showTrace(page, trace);
      for (let i = 0; i < trace.steps.length; i++) {
        await page.locator(`#step-${i}`).click();
        await page.waitForFunction((n) => document.querySelector(`#step-${n}`)?.getAttribute('aria-selected') === 'true', i);
      }
      const seen = await page.evaluate(() => {
        const w = window as unknown as ShimWindow & { __pwned?: unknown };
        const handlers = Array.from(document.querySelectorAll('*')).flatMap((el) => Array.from(el.attributes).filter((a) => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)).map((a) => `${el.tagName}[${a.name}]`));
        return {
          pwned: w.__pwned ?? null,
          // The panel's own: the pool chart and step icons (SVG), the fault injection form.
          injected: Array.from(document.querySelectorAll('img, iframe, object, embed, math, base, form:not(#fault-form), svg:not(.chart):not(.icon)')).map((el) => el.outerHTML.slice(0, 80)),
          scripts: document.querySelectorAll('script').length,
          handlers,
          violations: w.__violations,
          text: document.getElementById('app')!.textContent ?? '',
        };
      });
      expect({ pwned: seen.pwned, injected: seen.injected, scripts: seen.scripts, handlers: seen.handlers, violations: seen.violations, dialogs: panel.dialogs, errors: panel.errors }).toEqual({ pwned: null, injected: [], scripts: 1, handlers: [], violations: [], dialogs: [], errors: [] });
      expect(seen.text).toContain('<svg onload=window.__pwned=3>');
    });
  }
});
