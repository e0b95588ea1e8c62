/**
 * Scenario 6: editing the file updates the diagnostics and the open pool panel. Needs both
 * diagnostics and the panel.
 */
import { describe, expect, it } from 'vitest';
import { detectFeatures } from '../features';
import { openPoolSimulator } from '../pool';
import { useSession } from '../session';
import { step } from '../workbench';

const features = await detectFeatures();
const FILE = 'e2e-live.c';

describe.skipIf(!(features.diagnostics && features.pool))('scenario 6: edits update diagnostics and the panel', () => {
  const session = useSession({ label: 'live-update' });

  it('clears ecp-list-leak and the leak report after the missing free is typed', async () => {
    const { workbench } = session();
    const page = workbench.page;
    const panel = await openPoolSimulator(workbench, FILE, 'LiveLeak');
    await workbench.waitForProblems(/ecp-list-leak/);
    await step('the panel reports the leak', () => panel.locator('#verdict.bad').waitFor({ state: 'visible' }));
    await workbench.screenshot('6-live-before-edit');

    const marker = workbench.positionOf(FILE, '// the live-update scenario inserts the missing free here');
    await workbench.goTo(marker.line, marker.column);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('FltFreeExtraCreateParameterList(Filter, ecpList);');
    await page.keyboard.press('Escape');

    await step('the ecp-list-leak problem disappears', () =>
      expect.poll(async () => (await page.locator('.markers-panel .monaco-list-row', { hasText: 'ecp-list-leak' }).count()), { timeout: 20_000 }).toBe(0));
    await step('the panel re-runs and reports no leak', () => panel.locator('#verdict.ok').waitFor({ state: 'visible' }));
    await workbench.screenshot('6-live-after-edit');
  });
});
