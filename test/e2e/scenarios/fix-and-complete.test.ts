/**
 * Scenario 9: what a developer meets every day. Ctrl+. on a double free offers the real fix first
 * (not a suppression); Enter applies it and the problem disappears. Completion in an empty Flags
 * argument, with a space before the cursor, offers the flags, not routine names.
 */
import { describe, expect, it } from 'vitest';
import { detectFeatures } from '../features';
import { useSession } from '../session';
import { step } from '../workbench';

const features = await detectFeatures();
const FILE = 'e2e-fix.c';

describe.skipIf(!features.diagnostics)('scenario 9: quick fix and completion in an argument', () => {
  const session = useSession({ label: 'fix-and-complete' });

  it('applies the preferred fix from the lightbulb, and completes the flags in an empty argument', async () => {
    const { workbench } = session();
    const page = workbench.page;
    await workbench.quickOpen(FILE);
    await workbench.waitForProblems(/ecp-double-free/);

    const second = workbench.positionOf(FILE, 'FltFreeExtraCreateParameterList', 2);
    await workbench.goTo(second.line, second.column + 2);
    await page.keyboard.press('Control+Period');
    const first = page.locator('.action-widget .monaco-list-row.action').first();
    await step('the lightbulb menu opens', () => first.waitFor({ state: 'visible', timeout: 15_000 }));
    await workbench.screenshot('9-quick-fix-menu');
    const firstTitle = (await first.innerText()).trim();
    await step(`the first action is the fix, not a suppression ("${firstTitle}")`, async () => {
      expect(firstTitle).not.toMatch(/suppress|ignore/i);
      expect(firstTitle).not.toMatch(/documentation/i);
    });
    await page.keyboard.press('Enter');
    await step('the ecp-double-free problem disappears', () =>
      expect.poll(async () => page.locator('.markers-panel .monaco-list-row', { hasText: 'ecp-double-free' }).count(), { timeout: 20_000 }).toBe(0));
    await step('the fix is in the file: the pointer is cleared after the first free, or one free is left', async () => {
      const text = await workbench.saveAndRead(FILE);
      const body = text.slice(text.indexOf('E2eFreesTwice'), text.indexOf('E2eFlagsToChoose'));
      const frees = body.match(/FltFreeExtraCreateParameterList/g)?.length ?? 0;
      expect(frees === 1 || /FltFreeExtraCreateParameterList\(Filter, ecpList\);\s*ecpList = NULL;/.test(body)).toBe(true);
    });

    const gap = workbench.positionOf(FILE, 'List); /* flags go here */');
    // The cursor after "Filter, " — a space before it, the argument still empty.
    await workbench.goTo(gap.line, gap.column - 2);
    await page.keyboard.press('Control+Space');
    const rows = page.locator('.suggest-widget .monaco-list-row');
    await step('the suggest widget opens', () => rows.first().waitFor({ state: 'visible', timeout: 15_000 }));
    await workbench.screenshot('9-flags-completion');
    const labels = await rows.allInnerTexts();
    await step(`it offers the list flag, not routine names (${labels.length} rows)`, async () => {
      expect(labels.join('\n')).toMatch(/FSRTL_ALLOCATE_ECPLIST_FLAG_CHARGE_QUOTA/);
      expect(labels.join('\n')).not.toMatch(/FltAllocateExtraCreateParameterFromLookasideList|FsRtlInsertExtraCreateParameter/);
    });
    await page.keyboard.press('Escape');
  });
});
