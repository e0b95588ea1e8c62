/**
 * Scenario 11: the rule documentation opens where the rule is. "Show documentation for ecp-…" in
 * the lightbulb, and the rule code's link in the Problems panel, open the shipped docs/rules.md
 * rendered (Markdown preview) and scrolled to that rule's heading, not at the top of the file.
 */
import { describe, expect, it } from 'vitest';
import type { Frame } from 'playwright-core';
import { detectFeatures } from '../features';
import { useSession } from '../session';
import { step, type Workbench } from '../workbench';

const features = await detectFeatures();
const FILE = 'e2e-fix.c';
const RULE = 'ecp-double-free';

/** Where the rule's heading sits in the preview: its top in the viewport, and how far the page scrolled. */
async function headingPlace(frame: Frame, id: string): Promise<{ top: number; height: number; scrolled: number } | null> {
  return frame.evaluate((code) => {
    const heading = document.getElementById(code);
    if (!heading) return null;
    const scroller = document.scrollingElement ?? document.documentElement;
    return { top: heading.getBoundingClientRect().top, height: window.innerHeight, scrolled: scroller.scrollTop };
  }, id);
}

async function expectPreviewAtRule(workbench: Workbench, shot: string): Promise<void> {
  await step('a Markdown preview of rules.md opens', () => workbench.page.locator('.tab', { hasText: /Preview rules\.md/ }).first().waitFor({ state: 'visible', timeout: 20_000 }));
  await step(`the preview is scrolled to the ${RULE} heading`, () =>
    expect
      .poll(async () => {
        const frame = await workbench.webviewFrame().catch(() => undefined);
        const place = frame ? await headingPlace(frame, RULE).catch(() => null) : null;
        return place !== null && place.scrolled > 0 && place.top >= -2 && place.top < place.height / 2;
      }, { timeout: 20_000 })
      .toBe(true));
  await workbench.screenshot(shot);
}

async function closePreview(workbench: Workbench): Promise<void> {
  await step('close the preview', async () => {
    await workbench.page.keyboard.press('Control+K');
    await workbench.page.keyboard.press('W');
    await workbench.page.locator('.tab', { hasText: /Preview rules\.md/ }).waitFor({ state: 'detached', timeout: 10_000 });
  });
}

describe.skipIf(!features.diagnostics)('scenario 11: rule documentation opens at the rule', () => {
  const session = useSession({ label: 'rule-docs' });

  it('the lightbulb action and the Problems link open the rendered rule section', async () => {
    const { workbench } = session();
    const page = workbench.page;
    await workbench.quickOpen(FILE);
    await workbench.waitForProblems(new RegExp(RULE));

    const second = workbench.positionOf(FILE, 'FltFreeExtraCreateParameterList', 2);
    await workbench.goTo(second.line, second.column + 2);
    await page.keyboard.press('Control+Period');
    const docs = page.locator('.action-widget .monaco-list-row.action', { hasText: `Show documentation for ${RULE}` });
    await step('the lightbulb menu lists the documentation action', () => docs.first().waitFor({ state: 'visible', timeout: 15_000 }));
    await step('move to it with the keyboard and run it', async () => {
      // The menu's pointer block intercepts clicks: select as a keyboard user does.
      for (let i = 0; i < 12; i++) {
        const focused = await page.locator('.action-widget .monaco-list-row.action.focused').innerText().catch(() => '');
        if (focused.includes(`Show documentation for ${RULE}`)) break;
        await page.keyboard.press('ArrowDown');
      }
      await page.keyboard.press('Enter');
    });
    await expectPreviewAtRule(workbench, '11-rule-doc-from-lightbulb');

    await closePreview(workbench);
    await workbench.quickOpen(FILE);
    const link = page.locator('.markers-panel .monaco-list-row a.monaco-link', { hasText: RULE }).first();
    await step('the rule code in Problems is a link', () => link.waitFor({ state: 'visible', timeout: 15_000 }));
    await link.click();
    await expectPreviewAtRule(workbench, '11-rule-doc-from-problems');

    await closePreview(workbench);
    await workbench.quickOpen(FILE);
    // The hover over the squiggle names the rule code as a link too: the same rendered section.
    await workbench.hoverWord(FILE, 'FltFreeExtraCreateParameterList', new RegExp(RULE), 2);
    const hoverLink = page.locator('.monaco-hover-content a', { hasText: RULE }).first();
    await step('the rule code in the diagnostic hover is a link', () => hoverLink.waitFor({ state: 'visible', timeout: 10_000 }));
    await workbench.screenshot('11-rule-doc-hover-link');
    await hoverLink.click();
    await expectPreviewAtRule(workbench, '11-rule-doc-from-hover');
  });
});
