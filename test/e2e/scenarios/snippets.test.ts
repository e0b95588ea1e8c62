/**
 * Scenario 3: typing the prefix `ecp-attach-flt` offers the seven-step attach snippet; accepting
 * it inserts the sequence and no new diagnostic appears. Runs once snippets/ecp.json has it.
 */
import { describe, expect, it } from 'vitest';
import { detectFeatures } from '../features';
import { useSession } from '../session';
import { step } from '../workbench';

const features = await detectFeatures();
const FILE = 'e2e-snippet.c';

describe.skipIf(!features.snippets)('scenario 3: snippets', () => {
  const session = useSession({ label: 'snippets' });

  it('offers ecp-attach-flt and inserts code that ECP Lens reports clean', async () => {
    const { workbench } = session();
    const page = workbench.page;
    await workbench.quickOpen(FILE);
    await expect.poll(() => workbench.languageStatusText('ECP Lens'), { timeout: 30_000 }).toMatch(/ready/i);
    const before = await workbench.problemCounts();

    const marker = workbench.positionOf(FILE, '// insert the snippet below');
    await workbench.goTo(marker.line + 1, 5);
    await page.keyboard.type('ecp-attach-flt');
    await page.keyboard.press('Control+Space');
    const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: 'ecp-attach-flt' }).first();
    await step('the suggest widget offers ecp-attach-flt', () => suggestion.waitFor({ state: 'visible' }));
    await workbench.screenshot('3-snippet-suggest');
    await suggestion.click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');

    await step('the seven-step sequence is in the file', async () => {
      await expect.poll(() => workbench.editorText()).toMatch(/FltAllocateExtraCreateParameterList/);
      const text = await workbench.saveAndRead(FILE);
      expect(text).toMatch(/FltAllocateExtraCreateParameter\b/);
      expect(text).toMatch(/FltInsertExtraCreateParameter/);
      expect(text).toMatch(/FltCreateFileEx2/);
      expect(text).toMatch(/FltFreeExtraCreateParameterList/);
    });
    await step('no new diagnostic appears (checked for 3 s after insertion)', async () => {
      const until = Date.now() + 3_000;
      while (Date.now() < until) {
        expect(await workbench.problemCounts()).toEqual(before);
        await page.waitForTimeout(250);
      }
    });
    await workbench.screenshot('3-snippet-inserted');
  });
});
